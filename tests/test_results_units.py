"""Results model, charts and results Markdown on the sample county (no MkDocs)."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from generator.results.charts import month_bar_chart
from generator.results.progress import STATUS_TOLERANCE, Cell, compute_results, status_for
from generator.site.resultspages import (
    disclosure_rule_markdown,
    headline_results_markdown,
    indicator_page_markdown,
    indicator_src,
    open_data_page_markdown,
    results_page_markdown,
    station_results_markdown,
    station_results_page_markdown,
)

TODAY = dt.date(2026, 11, 22)
SITE = "https://zhouning-mzfwz.example/"


@pytest.fixture(scope="module")
def report(sample_content):
    return compute_results(sample_content, TODAY)


def by_id(progress):
    return {ip.indicator.id: ip for ip in progress}


def test_targets_per_station_only_for_township_stations_and_listed_stations(sample_content, report):
    hub = by_id(report.station("hub"))
    assert list(hub) == ["trainings"] and hub["trainings"].target == 6
    shicheng = by_id(report.station("shicheng"))
    assert "trainings" not in shicheng
    assert shicheng["theme_events"].target == 12 and shicheng["home_visits"].target is None
    county = by_id(report.county)
    assert [ip.indicator.id for ip in report.county] == [i.id for i in sample_content.indicators]
    assert county["theme_events"].target == 108  # 9 township stations × 12 (three years × 4)
    assert county["home_visits"].target == 10500  # target.county wins
    assert county["trainings"].target == 6


def test_county_total_is_sum_over_stations(sample_content, report):
    for ind in sample_content.indicators:
        if ind.counts_people:
            continue
        raw = sum(dict(r.counts).get(ind.id, 0) for s in sample_content.stations for r in s.results)
        assert by_id(report.county)[ind.id].total == Cell(raw, False, str(raw))


def test_elapsed_is_measured_to_the_end_of_the_latest_reported_month(report):
    assert report.latest_month == "2026-10"
    assert report.elapsed == pytest.approx(
        304 / 1096
    )  # 1 Jan .. 31 Oct of a three-year contract, not .. 22 Nov
    # The rule names no date that moves with another station's report: posters print it.
    assert "最近一个已填报月份的月底" in report.status_rule_text and "不算到今天" in report.status_rule_text
    assert report.measured_until == dt.date(2026, 10, 31)
    assert all(ip.months[0][0] == "2026-01" and ip.months[-1][0] == "2026-10" for ip in report.county)


def test_status_rule_tolerance_band():
    assert status_for(83.0 + STATUS_TOLERANCE, 0.83) == "正常"
    assert status_for(83.0 + STATUS_TOLERANCE + 0.5, 0.83) == "提前"
    assert status_for(83.0 - STATUS_TOLERANCE - 0.5, 0.83) == "滞后"
    assert status_for(100.0, 1.0) == "正常"


def test_sample_statuses_and_no_target_no_status(report):
    county = by_id(report.county)
    assert county["home_visits"].status == "正常"  # 3108 / 10500 = 29.6 % against 27.7 %
    assert county["trainings"].status == "正常"  # 2 of 6 over three years = 33 % against 27.7 %
    assert county["volunteers_registered"].status == "提前"
    assert by_id(report.station("shicheng"))["home_visits"].status is None


def test_hidden_total_has_no_percent_and_only_an_uninformative_status(report):
    casework = by_id(report.station("shicheng"))["casework_cases"]
    assert casework.total.display == "<5" and casework.total.value is None and casework.percent is None
    # target 2: "<5" may be 0..4, i.e. 0 %..200 %: any word would narrow it down
    assert casework.status is None


def test_grid_has_every_published_total(sample_content, report):
    grid = report.grid("home_visits")
    # the hub reports no home visits and has no target for them: not a row
    assert [r.station.slug for r in grid.rows] == [s.slug for s in sample_content.stations[1:]]
    assert grid.total.value == sum(c.value for c in grid.month_totals)
    assert all(r.total.value == sum(c.value for c in r.cells) for r in grid.rows)


# -- charts ----------------------------------------------------------------------------------------


def test_chart_is_accessible_scalable_and_escaped():
    months = [("2026-01", Cell(3, False, "3")), ("2026-02", Cell(None, True, "<5"))]
    svg = month_bar_chart("c1", "A&B <script>", months, "人")
    assert svg.startswith("<svg") and 'viewBox="0 0 360 200"' in svg and 'width="100%"' in svg
    assert 'role="img"' in svg and '<title id="c1-t">A&amp;B &lt;script&gt;</title>' in svg
    assert "<desc" in svg and "2月 &lt;5" in svg and "<script>" not in svg


def test_hidden_month_is_drawn_the_same_whatever_its_value():
    def chart(hidden_value_is_irrelevant: int) -> str:
        # The model never passes a hidden value; show that nothing else about the month differs.
        months = [("2026-01", Cell(10, False, "10")), ("2026-02", Cell(None, True, "<5"))]
        return month_bar_chart("c", "t", months, "人")

    assert chart(1) == chart(4)
    assert 'fill="url(#c-h)"' in chart(1)


# -- Markdown ----------------------------------------------------------------------------------------


def test_results_page_links_tables_and_rule(sample_content, report):
    md = results_page_markdown(sample_content, report)
    assert md.startswith("# 服务成效\n")
    # links to page sources (issue 18: both engines resolve them alike, also under a sub-path)
    assert "](stations/shicheng/results.md)" in md and "](about.md#disclosure)" in md
    assert report.status_rule_text.replace("“", "“") in md.replace("&quot;", '"')
    # each indicator's months are on its own page, one link away (/results/<id>/), with its chart
    # and a link from every station's row to that station's months of the indicator
    for ip in report.county:
        ind = ip.indicator
        assert f"]({indicator_src(ind)})" in md.split("## 逐月数据", 1)[1]
        page = indicator_page_markdown(sample_content, report, ip)
        assert f"{{#ind-{ind.id}}}" in page and f'id="chart-{ind.id}"' in page
        assert "](../results.md#monthly)" in page and "](../about.md#disclosure)" in page
        first = report.grid(ind.id).rows[0].station.slug
        assert f"](../stations/{first}/results.md#{ind.id})" in page
    assert 'id="chart-' not in md and "<details" not in md, "no month-by-month figures on /results/"
    # one row per station (the figures are one link away, on its results page), in network order
    table = md.split("## 各站点一览", 1)[1].split("## 逐月数据", 1)[0]
    linked = re.findall(r"\(stations/([a-z]+)/results\.md\)", table)
    order = [s.slug for s in sample_content.stations]
    assert sorted(set(linked), key=order.index) == list(dict.fromkeys(linked)) and linked[0] == "hub"


def test_station_fragment_has_no_top_heading_and_relative_links(sample_content, report):
    md = station_results_markdown(sample_content, report, sample_content.station("shicheng"))
    assert not re.search(r"^#{1,2} ", md, re.M)
    assert "](../../results.md#status-rule)" in md and "&lt;5" in md
    detail = station_results_page_markdown(sample_content, report, sample_content.station("shicheng"))
    assert 'id="chart-shicheng-casework_cases"' in detail and "](index.md#results)" in detail
    assert "](results.md)" in md, "the station page links its month-by-month page"


def test_headline_and_disclosure_and_open_data_page(sample_content, report):
    head = headline_results_markdown(sample_content, report)
    assert "](results.md)" in head and "常态化巡访" in head
    rule = disclosure_rule_markdown(sample_content)
    assert "<5" in rule and "0 至 4" in rule and "不公开" in rule
    data = open_data_page_markdown(sample_content, SITE)
    # links to the data files are Markdown links to files of the docs tree (data.md is at its root),
    # which every engine checks and rewrites relative to /data/ (issue 18)
    for link in (
        "data/results.csv",
        "data/results.json",
        "data/stations.json",
        "data/datapackage.json",
        "calendar/all.ics",
        "calendar/shicheng.ics",
        "feed.xml",
    ):
        assert f"]({link})" in data
    assert 'href="webcal://zhouning-mzfwz.example/calendar/shicheng.ics"' in data
    assert "https://zhouning-mzfwz.example/calendar/shicheng.ics" in data and "CC BY 4.0" in data


def test_content_strings_are_escaped_in_markdown(sample_content, report):
    import dataclasses

    ind = dataclasses.replace(sample_content.indicators[0], name="巡访|<b>*x*</b>")
    content = dataclasses.replace(sample_content, indicators=(ind, *sample_content.indicators[1:]))
    md = results_page_markdown(content, compute_results(content, TODAY))
    assert "<b>" not in md and "巡访\\|&lt;b&gt;\\*x\\*&lt;/b&gt;" in md


def test_diff_reads_the_report(sample_content, report):
    from generator.publishing.diffparts import results_changes

    assert results_changes(sample_content, sample_content, report, report) == []
    earlier = compute_results(sample_content, TODAY)
    assert results_changes(sample_content, sample_content, earlier, report) == []


def test_money_is_on_the_results_and_about_pages(sample_content, report):
    from generator.site.resultsaudit import money_markdown

    money = money_markdown(sample_content)
    assert "项目预算 **5,400,000 元**" in money  # three years (seed 003's contract length)
    assert "| 省级民政专项资金 | 1,200,000 | 22.2% |" in money
    assert "| 合同签订 | 60%<br>3,240,000 | 已达成<br>2026-01-05 |" in money
    assert "| 中期评估 | 30%<br>1,620,000 | 尚未达成<br>计划 2027-06-30 |" in money
    assert "| 末期评估 | 10%<br>540,000 | 尚未达成<br>计划 2029-01-31 |" in money
    page = results_page_markdown(sample_content, report)
    assert "## 项目资金与付款 {#money}" in page and money in page


def test_lagging_grid_has_a_word_for_every_symbol(sample_content, report):
    page = results_page_markdown(sample_content, report)
    grid = page.split('<table class="ss-lag">', 1)[1].split("</table>", 1)[0]
    cells = re.findall(r"<td[^>]*>(.*?)</td>", grid)
    assert len(cells) == len(sample_content.stations) * (len(sample_content.indicators) + 1)
    assert all('class="ss-sr"' in c for c in cells), "every cell says in words what its symbol means"
    words = re.findall(r'<span class="ss-sr">([^<]+)</span>', grid)
    assert {"按时填报", "提前", "正常", "滞后", "未评", "不适用"} >= set(words) and "滞后" in words
    # 礼门乡 lags on two indicators: both named in words under the grid
    assert re.search(r"礼门乡\]\(stations/limen/results\.md\)：滞后：[^\n]*个案服务次数", page)
