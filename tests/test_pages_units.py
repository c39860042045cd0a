"""The page generator without MkDocs: addresses, escaping, and the pages made from the sample."""

from __future__ import annotations

import dataclasses
import datetime as dt

import markdown
import pytest
from test_posters_support import results_report

from generator.site.pages import (
    generate_pages,
    make,
    md_link,
    page_url,
    relative_path,
    url_link,
    write_docs_tree,
)
from generator.site.pages.templating import link_phones, md_escape

MOMENT = dt.datetime(2026, 11, 22, 12, 0, tzinfo=dt.timezone(dt.timedelta(hours=8)))
SITE = "https://zhouning-mzfwz.example/"


@pytest.mark.parametrize(
    ("src", "url"),
    [
        ("index.md", ""),
        ("about.md", "about/"),
        ("stations/index.md", "stations/"),
        ("stations/qibu/index.md", "stations/qibu/"),
        ("stations/qibu/rules/duties.md", "stations/qibu/rules/duties/"),
    ],
)
def test_page_url_follows_directory_urls(src: str, url: str) -> None:
    assert page_url(src) == url


def test_relative_links_between_pages_and_files() -> None:
    assert md_link("stations/qibu/index.md", "policies/dibao.md") == "../../policies/dibao.md"
    assert md_link("index.md", "stations/qibu/index.md") == "stations/qibu/index.md"
    assert url_link("stations/qibu/index.md", "posters/qibu/board.pdf") == "../../posters/qibu/board.pdf"
    assert url_link("index.md", "stations/qibu/") == "stations/qibu/"
    # A raw URL on a page whose address is not its folder reads differently under Zensical (issue 18)
    with pytest.raises(ValueError):
        url_link("stations/qibu/rules/duties.md", "stations/qibu/")


@pytest.mark.parametrize(
    "start", [".", "", "stations", "stations/qibu", "stations/qibu/rules", "news/briefs", "a/b/c/d"]
)
@pytest.mark.parametrize(
    "path",
    [
        ".",
        "index.md",
        "stations/qibu/index.md",
        "stations/shicheng/",
        "stations/qibu/rules/x.md",
        "posters/qibu/all.pdf",
        "news/index.md",
        "stationsx/y.md",
        "a/b/c/d/e.md",
    ],
)
def test_relative_path_agrees_with_posixpath_relpath(path: str, start: str) -> None:
    import posixpath

    assert relative_path(path, start) == posixpath.relpath(path, start or ".")


def test_content_text_cannot_become_html_or_markdown_syntax() -> None:
    nasty = "<script>alert(1)</script> | *强调* [链接](javascript:x) # 标题 & 符号"
    html = markdown.markdown(f"| a |\n|---|\n| {md_escape(nasty)} |", extensions=["tables"])
    assert "<script>" not in html and "<em>" not in html and "<a " not in html
    assert html.count("<td>") == 1, "a | in a value must not open a new table column"
    assert "&lt;script&gt;" in html and "&amp; 符号" in html


def test_phone_numbers_in_text_become_tel_links_and_the_rest_is_escaped() -> None:
    out = str(link_phones("咨询电话：0593-0000011；<b>12345</b>"))
    assert '<a class="ss-tel" href="tel:05930000011">0593-0000011</a>' in out
    assert '<a class="ss-tel" href="tel:12345">12345</a>' in out and "&lt;b&gt;" in out


def test_generated_pages_cover_every_station_rule_policy_and_news(sample_content) -> None:
    pages = {
        p.src: p.markdown
        for p in generate_pages(sample_content, results_report(sample_content), MOMENT, SITE)
    }
    for s in sample_content.stations:
        assert f"stations/{s.slug}/index.md" in pages and f"stations/{s.slug}/results.md" in pages
        for r in s.own_rules:
            assert f"stations/{s.slug}/rules/{r.name}.md" in pages
    for r in sample_content.rules:
        assert f"rules/{r.name}.md" in pages
    for p in sample_content.policies:
        assert f"policies/{p.name}.md" in pages
    for n in sample_content.news:
        assert f"news/{n.name}.md" in pages
    for src in (
        "stations/index.md",
        "rules/index.md",
        "policies/index.md",
        "news/index.md",
        "news/briefs.md",
        "news/cases.md",
        "results.md",
        "data.md",
        "guide/fields.md",
    ):
        assert src in pages


def test_station_page_lists_this_week_then_four_more_weeks(sample_content) -> None:
    report = results_report(sample_content)
    station = sample_content.station("shicheng")
    page = make(sample_content, report, MOMENT, SITE).station_page(station).markdown
    this_week, rest = page.split("{#upcoming", 1)
    assert 'datetime="2026-11-17T09:00"' in this_week
    assert 'datetime="2026-12-18' in rest or 'datetime="2026-12-1' in rest
    assert 'datetime="2026-12-22' not in page  # the fifth week ahead is not yet shown


def test_an_empty_week_says_so(sample_content) -> None:
    station = dataclasses.replace(sample_content.station("qibu"), activities=())
    page = make(sample_content, results_report(sample_content), MOMENT, SITE).station_page(station).markdown
    assert "本周没有安排活动" in page and "暂未安排" in page


def test_personal_mobiles_appear_only_when_published(sample_content) -> None:
    report = results_report(sample_content)
    maker = make(sample_content, report, MOMENT, SITE)
    for station in sample_content.stations:
        page = maker.station_page(station).markdown
        for person in station.staff:
            if person.phone and not person.public_phone:
                assert person.phone not in page
            if person.published_phone:
                assert person.published_phone in page


def test_pages_can_be_written_as_a_plain_docs_tree(sample_content, tmp_path) -> None:
    pages = generate_pages(sample_content, results_report(sample_content), MOMENT, SITE)
    write_docs_tree(pages, tmp_path)
    assert (tmp_path / "stations" / "qibu" / "index.md").read_text(encoding="utf-8").startswith("---\n")
    assert len(list(tmp_path.rglob("*.md"))) == len(pages)


def test_home_lists_every_activity_of_a_short_week(sample_content) -> None:
    from generator.site.pages import HOME_WEEK_LIST_MAX

    home = make(sample_content, results_report(sample_content), MOMENT, SITE).home_sections()
    week = home.split("{#this-week}", 1)[1].split("{#results}", 1)[0]
    count = week.count('class="ss-when"')
    assert 0 < count <= HOME_WEEK_LIST_MAX, "the sample's week must stay a full list"
    assert "ss-week-summary" not in week


def test_home_summarises_a_long_week_per_station(sample_content) -> None:
    from generator.site.pages import HOME_WEEK_LIST_MAX

    # Every activity of the sample repeated on each day of the week: well over the limit.
    def busy(station):  # type: ignore[no-untyped-def]
        week = [a for a in station.activities if "2026-11-16" <= a.date.isoformat() <= "2026-11-22"]
        more = tuple(dataclasses.replace(a, date=dt.date(2026, 11, 16 + d)) for a in week for d in range(7))
        return dataclasses.replace(station, activities=more)

    content = dataclasses.replace(sample_content, stations=tuple(busy(s) for s in sample_content.stations))
    counts = {s.slug: len(s.activities) for s in content.stations if s.activities}
    assert sum(counts.values()) > HOME_WEEK_LIST_MAX
    home = make(content, results_report(content), MOMENT, SITE).home_sections()
    week = home.split("{#this-week}", 1)[1].split("{#results}", 1)[0]
    assert 'class="ss-when"' not in week, "a long week must not list every activity"
    assert f"本周全县共有 {sum(counts.values())} 项活动，分布在 {len(counts)} 个站点" in week
    items = week.split('<ul class="ss-week-summary">', 1)[1].split("</ul>", 1)[0].strip().splitlines()
    assert [i.split('href="stations/', 1)[1].split("/", 1)[0] for i in items] == list(counts)  # network order
    shicheng = next(i for i in items if 'href="stations/shicheng/#activities"' in i)
    assert ">狮城镇</a>" in shicheng and f"{counts['shicheng']} 项" in shicheng
    assert 'href="calendar/all.ics"' in week


def test_home_shows_the_whole_network_of_a_small_county(sample_content) -> None:
    home = make(sample_content, results_report(sample_content), MOMENT, SITE).home_sections()
    network = home.split("{#stations}", 1)[1].split("{#this-week}", 1)[0]
    assert network.count('class="ss-station"') == len(sample_content.stations)
    assert "tel:" in network and "ss-week-summary" not in network


def with_rooms(content, per_town: int):  # type: ignore[no-untyped-def]
    """``content`` with ``per_town`` community rooms under each town, copied from the town."""
    towns = [s for s in content.stations if s.parent == "hub"]
    rooms = tuple(
        dataclasses.replace(
            t, slug=f"{t.slug}-room{i}", name=f"{t.name}第{i}社工室", parent=t.slug, kind="community"
        )
        for t in towns
        for i in range(per_town)
    )
    return dataclasses.replace(content, stations=content.stations + rooms)


def test_home_names_the_top_of_a_large_network_only(sample_content) -> None:
    from generator.site.pages import HOME_NETWORK_FULL_MAX

    towns = [s for s in sample_content.stations if s.parent == "hub"]
    content = with_rooms(sample_content, HOME_NETWORK_FULL_MAX // len(towns) + 1)
    assert len(content.stations) > HOME_NETWORK_FULL_MAX
    home = make(content, results_report(content), MOMENT, SITE).home_sections()
    network = home.split("{#stations}", 1)[1].split("{#this-week}", 1)[0]
    assert f"全县共有 {len(content.stations)} 个站点" in network and 'href="stations/"' in network
    assert "tel:" not in network and "社工室" not in network
    items = network.split('<ul class="ss-week-summary">', 1)[1].split("</ul>", 1)[0].strip().splitlines()
    assert len(items) == 1 + len(towns)  # the hub, then its towns in network order
    qibu = next(i for i in items if 'href="stations/qibu/"' in i)
    assert ">七步镇</a>" in qibu and f"下设 {HOME_NETWORK_FULL_MAX // len(towns) + 1} 个" in qibu


def test_results_page_of_a_large_county_has_a_row_per_station_not_every_figure(sample_content) -> None:
    from generator.site.resultspages import (
        DETAIL_MAX_STATIONS,
        indicator_page_markdown,
        results_page_markdown,
    )

    # Every county: one row per station in 各站点一览 (the figures are on its results page); a
    # small county's indicator pages also have the stations × months table (issue 14, 15).
    small_report = results_report(sample_content)
    small = results_page_markdown(sample_content, small_report)
    assert "| 站点 | 指标 | 完成 / 目标 | 状态 |" not in small
    small_ind = indicator_page_markdown(sample_content, small_report, small_report.county[0])
    assert "(../stations/qibu/results.md#" in small_ind
    content = with_rooms(sample_content, DETAIL_MAX_STATIONS // 9 + 1)
    report = results_report(content)
    large = results_page_markdown(content, report)
    assert "| 站点 | 指标 |" not in large
    large_ind = indicator_page_markdown(content, report, report.county[0])
    assert "(../stations/qibu/results.md#" not in large_ind and "results.csv" in large_ind
    assert "| 站点 | 截至 | 提前 | 正常 | 滞后 |" in large
    rows = [line for line in large.splitlines() if "/results.md)" in line and line.startswith("| [")]
    assert len(rows) == len(content.stations)
    qibu = next(r for r in rows if "(stations/qibu/results.md)" in r)
    counts = [int(c) for c in qibu.strip(" |").split(" | ")[2:]]
    assert sum(counts) == sum(ip.status is not None for ip in report.station("qibu"))
    assert len(large) < len(small) * 2, "one row per station, not every station's every figure"


def test_results_tables_name_a_unit_once(sample_content) -> None:
    pages = {
        p.src: p.markdown
        for p in generate_pages(sample_content, results_report(sample_content), MOMENT, SITE)
    }
    page = pages["results.md"] + pages["stations/shicheng/results.md"] + pages["results/casework_sessions.md"]
    for repeated in ("人次（人次）", "次数（次）", "节数（节）"):
        assert repeated not in page
    assert "| 主题活动参与人次 |" in page and "| 个案服务次数 |" in page
    assert "| 常态化巡访（人次） |" in page and "| 小组服务（个） |" in page  # the name alone does not say it
