"""A county whose stations report November one by one in December, with a correction of September
and a station opened in July: the figures pinned for several days of the month.

Stations a, b (townships) and c (township, since 2026-07), the hub apart. Indicator visits has
per_station 120 (the hub's own visits are counted apart); stations report by the 10th. Every
month a reports 10, b 8, c 12, the hub nothing but 5 visits in October. December's events:
  3rd  a reports November (10)       8th  a corrects September 10 → 14     9th  c reports November (12)
  10th (the due day) b has not       11th b is overdue                      15th b and the hub report
"""

from __future__ import annotations

import datetime as dt
import shutil

import pytest

from generator.publishing.diffparts import results_changes
from generator.results.progress import compute_results
from generator.site.resultspages import results_page_markdown, station_results_markdown
from tests.conftest import COPY_IGNORE, REPO
from tests.results_county import load, write_county, write_results

STATIONS = [
    ("hub", "示例县社工总站", "hub", None, None),
    ("a", "示例县甲镇民政服务站", "township", "hub", None),
    ("b", "示例县乙镇民政服务站", "township", "hub", None),
    ("c", "示例县丙镇民政服务站", "township", "hub", "2026-07"),
]
INDICATORS = [
    {
        "id": "visits",
        "name": "入户访视",
        "unit": "人次",
        "domain": "elderly",
        "counts": "contacts",
        "target": {"per_station": 120},
    }
]
EVENTS = [  # (day of December, station, month, visits or None for an empty month)
    (3, "a", "2026-11", 10),
    (8, "a", "2026-09", 14),
    (9, "c", "2026-11", 12),
    (15, "b", "2026-11", 8),
    (15, "hub", "2026-11", None),
]


def results_on(day: int) -> dict[str, dict[str, dict[str, int]]]:
    out: dict[str, dict[str, dict[str, int]]] = {"hub": {}, "a": {}, "b": {}, "c": {}}
    for m in range(1, 11):
        month = f"2026-{m:02d}"
        out["hub"][month] = {"visits": 5} if m == 10 else {}
        out["a"][month] = {"visits": 10}
        out["b"][month] = {"visits": 8}
        if m >= 7:
            out["c"][month] = {"visits": 12}
    for when, slug, month, visits in EVENTS:
        if when <= day:
            out[slug][month] = {} if visits is None else {"visits": visits}
    return out


@pytest.fixture(scope="module")
def county_root(tmp_path_factory):
    root = tmp_path_factory.mktemp("reporting") / "repo"
    shutil.copytree(REPO, root, ignore=COPY_IGNORE, symlinks=True)
    write_county(root, STATIONS, INDICATORS, results_on(0), due_day=10)
    return root


@pytest.fixture(scope="module")
def days(county_root):
    """day → (content, report), each built from the files as they stood that day."""
    out = {}
    for day in (1, 3, 8, 10, 11, 15):
        write_results(county_root, results_on(day))
        today = dt.date(2026, 12, day)
        content = load(county_root, today)
        out[day] = (content, compute_results(content, today))
    return out


def station(report, slug):
    return next(ip for ip in report.station(slug) if ip.indicator.id == "visits")


def november(report, slug):
    return dict(station(report, slug).months)["2026-11"].display


A_OCT, A_NOV = 304 / 365, 334 / 365  # a and b: time elapsed to 31 Oct / 30 Nov
C_OCT, C_NOV = 123 / 184, 153 / 184  # c: its part of the contract runs from 1 July


@pytest.mark.parametrize(
    "day, total, elapsed, status, as_of, nov",
    [
        (1, 228, (2 * A_OCT + C_OCT) / 3, "滞后", "截至 2026 年 10 月，全部 4 个站已填报。", ["未填报"] * 3),
        (3, 238, (A_NOV + A_OCT + C_OCT) / 3, "滞后", "截至 2026 年 11 月，1 个站已填报（共 4 个站）。", ["10", "未填报", "未填报"]),
        (8, 242, (A_NOV + A_OCT + C_OCT) / 3, "滞后", "截至 2026 年 11 月，1 个站已填报（共 4 个站）。", ["10", "未填报", "未填报"]),
        (10, 254, (A_NOV + A_OCT + C_NOV) / 3, "滞后", "截至 2026 年 11 月，2 个站已填报（共 4 个站）。", ["10", "未填报", "12"]),
        (11, 254, (A_NOV + A_OCT + C_NOV) / 3, "滞后", "截至 2026 年 11 月，2 个站已填报（共 4 个站）。", ["10", "逾期未报", "12"]),
        (15, 262, (2 * A_NOV + C_NOV) / 3, "滞后", "截至 2026 年 11 月，全部 4 个站已填报。", ["10", "8", "12"]),
    ],
)  # fmt: skip
def test_county_figures_day_by_day(days, day, total, elapsed, status, as_of, nov):
    content, report = days[day]
    county = report.county[0]
    assert county.total.value == total and county.target == 360
    assert county.elapsed == pytest.approx(elapsed)
    assert county.status == status
    assert county.others.display == "5"  # the hub's October visits, never in the 360's total
    assert report.as_of_text == as_of
    assert [november(report, s) for s in ("a", "b", "c")] == nov
    nov_total = dict(county.months)["2026-11"]
    if day == 1:
        assert nov_total.value is None and nov_total.display == "未填报"  # not 0
    else:
        assert nov_total.value == sum(int(n) for n in nov if n.isdigit())
    assert as_of in results_page_markdown(content, report)


def test_a_station_that_has_not_reported_keeps_its_figures_while_others_report(days):
    b = [station(days[d][1], "b") for d in (1, 3, 8, 10, 11)]
    assert {(ip.total.value, round(ip.percent, 1), ip.status, round(ip.elapsed, 6)) for ip in b} == {
        (80, 66.7, "滞后", round(A_OCT, 6))
    }
    assert len({tuple(c.display for _, c in ip.months[:10]) for ip in b}) == 1
    assert station(days[15][1], "b").total.value == 88


def test_station_figures_of_several_days(days):
    a3, a8 = station(days[3][1], "a"), station(days[8][1], "a")
    assert (a3.total.value, a3.status, a3.through) == (110, "正常", "2026-11")  # 91.7 % vs 91.5 %
    assert (a8.total.value, a8.percent, a8.status) == (114, pytest.approx(95.0), "正常")  # the correction
    c1, c10 = station(days[1][1], "c"), station(days[10][1], "c")
    assert c1.elapsed == pytest.approx(C_OCT) and c1.total.value == 48 and c1.status == "滞后"
    assert c10.elapsed == pytest.approx(C_NOV) and c10.total.value == 60
    # c opened in July: January to June are not due, and no one calls them overdue
    assert [c.display for _, c in c1.months[:6]] == ["未运行"] * 6
    assert days[11][1].reporting.overdue("c") == [] and days[11][1].reporting.overdue("b") == ["2026-11"]
    content, report = days[11]
    assert "逾期未报：2026 年 11 月" in station_results_markdown(content, report, content.station("b"))


def test_months_not_ended_are_refused_and_the_correction_shows_in_the_diff(days, county_root):
    from generator.content.load import load_content

    (_, before), (_, after) = days[3], days[8]
    lines = "\n".join(results_changes(days[3][0], days[8][0], before, after))
    assert "**更正已公布的 2026-09**：入户访视 10 → 14" in lines, lines
    write_results(county_root, {**results_on(15), "a": {**results_on(15)["a"], "2026-12": {"visits": 3}}})
    _, problems = load_content(county_root, today=dt.date(2026, 12, 31))
    assert [(p.file, p.key) for p in problems] == [
        ("stations/a/results.yml", "第 12 项月度成效·月份（month）")
    ]
    assert "2026 年 12 月还没有结束" in problems[0].message and problems[0].line
    _, problems = load_content(county_root, today=dt.date(2027, 1, 1))
    assert not problems


def test_the_reprint_list_names_only_posters_whose_printed_figures_change(days):
    """a reports November: a's results poster changes; b's, c's and the hub's do not (the report
    date is the same day, so only the figures can differ)."""
    from generator.publishing.contentdiff import Side, posters_to_reprint

    today = dt.date(2026, 12, 3)
    (c1, _), (c3, _) = days[1], days[3]
    old = Side(None, c1, "https://x.example/", compute_results(c1, today))  # type: ignore[arg-type]
    new = Side(None, c3, "https://x.example/", compute_results(c3, today))  # type: ignore[arg-type]
    reprints = posters_to_reprint(old, new, today)
    assert [(r.station.slug, [pid for pid, _, _ in r.posters]) for r in reprints] == [("a", ["results"])]


def test_open_data_on_the_day_after_the_due_day(days, tmp_path):
    """CSV: an empty value and the status; JSON: null and the status. Never 0."""
    import csv
    import io
    import json

    from generator.opendata import write_open_data

    content, report = days[11]
    moment = dt.datetime(2026, 12, 11, 12, 0, tzinfo=dt.timezone(dt.timedelta(hours=8)))
    write_open_data(content, report, tmp_path, "https://x.example/", moment)
    rows = list(csv.DictReader(io.StringIO((tmp_path / "data/results.csv").read_text(encoding="utf-8-sig"))))
    nov = {r["station"]: r for r in rows if r["month"] == "2026-11" and r["level"] == "station_month"}
    assert (nov["b"]["value"], nov["b"]["display"], nov["b"]["report_status"]) == ("", "逾期未报", "overdue")
    assert (nov["a"]["value"], nov["a"]["report_status"], nov["a"]["counted"]) == ("10", "reported", "true")
    assert nov["hub"]["counted"] == "false"  # the hub's visits are counted apart
    county = next(r for r in rows if r["level"] == "county_month" and r["month"] == "2026-11")
    assert county["value"] == "22"
    data = json.loads((tmp_path / "data/results.json").read_text(encoding="utf-8"))
    assert data["as_of"] == "截至 2026 年 11 月，2 个站已填报（共 4 个站）。"
    assert data["reporting"]["months"][-1] == {"month": "2026-11", "reported": 2, "expected": 4}
    b = next(s for s in data["indicators"][0]["stations"] if s["station"] == "b")
    assert b["months"][-1] == {
        "month": "2026-11",
        "value": None,
        "suppressed": False,
        "display": "逾期未报",
        "report_status": "overdue",
    }
    c = next(s for s in data["indicators"][0]["stations"] if s["station"] == "c")
    assert c["months"][0]["report_status"] == "not_open" and c["months"][0]["value"] is None
