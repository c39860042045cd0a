"""Every published county figure equals the sum of the station figures it is built from: in the
model, on the results page and in the open data (CSV and JSON), for every indicator of the sample
and of a three-level county (hub, street and township stations, community rooms)."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
from collections import defaultdict

import pytest

from generator.opendata import write_open_data
from generator.results.progress import compute_results
from generator.site.resultspages import indicator_page_markdown, results_page_markdown
from tests.results_county import load, three_level

TODAY = dt.date(2026, 11, 22)
MOMENT = dt.datetime(2026, 11, 22, 12, 0, tzinfo=dt.timezone(dt.timedelta(hours=8)))
UNREPORTED = {"未填报", "逾期未报", "未运行"}


@pytest.fixture(scope="module")
def three_level_content(tmp_path_factory):
    import shutil

    from tests.conftest import COPY_IGNORE, REPO

    root = tmp_path_factory.mktemp("three") / "repo"
    shutil.copytree(REPO, root, ignore=COPY_IGNORE, symlinks=True)
    three_level(root)
    return load(root, TODAY)


@pytest.fixture(scope="module", params=["sample", "three_level"])
def county(request, sample_content, three_level_content, tmp_path_factory):
    content = sample_content if request.param == "sample" else three_level_content
    report = compute_results(content, TODAY)
    ROUNDED_IDS.update(i.id for i in content.indicators if i.counts_people)
    out = tmp_path_factory.mktemp(f"data-{request.param}")
    write_open_data(content, report, out, "https://x.example/", MOMENT)
    return content, report, out


def figure(display: str) -> int | None:
    """A published figure as a number: unreported adds 0; hidden is unknown (None)."""
    if display in UNREPORTED:
        return 0
    return int(display) if display.isdigit() else None


# Counts of people are published rounded to 5 ("<5" below it: generator/results/disclosure.py), so a
# total of them is not the sum of its rounded parts: it must be consistent with it, range for range.
ROUNDED_IDS: set[str] = set()


def _range(display: str) -> tuple[int, int] | None:
    if display in UNREPORTED:
        return (0, 0)
    if display.startswith("<") and display[1:].isdigit():
        return (0, int(display[1:]) - 1)
    if display.isdigit():
        v = int(display)
        return (max(0, v - 2), v + 2)
    return None


def assert_sum(total: str, parts: list[str], what: str) -> int:
    """Check where every figure is published; returns 1 if checked (hidden figures are skipped)."""
    if any(i in what for i in ROUNDED_IDS):
        ranges = [_range(p) for p in parts]
        whole = _range(total)
        if whole is None or any(r is None for r in ranges):
            return 0
        low, high = sum(r[0] for r in ranges), sum(r[1] for r in ranges)  # type: ignore[index]
        assert low <= whole[1] and whole[0] <= high, f"{what}: {total} cannot be {' + '.join(parts)}"
        return 1
    values = [figure(p) for p in parts]
    t = figure(total)
    if t is None or any(v is None for v in values):
        return 0
    assert t == sum(values), f"{what}: {total} ≠ {' + '.join(parts)}"  # type: ignore[arg-type]
    return 1


def test_the_three_level_county_counts_what_each_target_names(three_level_content):
    report = compute_results(three_level_content, TODAY)
    grids = {i.id: report.grid(i.id) for i in three_level_content.indicators}
    rows = {k: [r.station.slug for r in g.rows] for k, g in grids.items()}
    others = {k: [r.station.slug for r in g.others] for k, g in grids.items()}
    # per_station without kinds: every station but the hub (community rooms too); the hub apart
    assert rows["visits"] == ["jiedao", "sq-a", "sq-b", "xiangzhen", "sq-c", "sq-d"] and others["visits"] == [
        "hub"
    ]
    assert grids["visits"].target == 6 * 200
    # kinds: [township, street]: the community rooms' events are counted apart
    assert rows["town_events"] == ["jiedao", "xiangzhen"] and grids["town_events"].target == 12
    assert others["town_events"] == ["sq-a", "sq-b", "sq-c", "sq-d"]
    county = {ip.indicator.id: ip for ip in report.county}
    assert (
        county["town_events"].total.display == "6" and county["town_events"].others.display == "11"
    )  # 3 + 3 + 3 + 2 (sq-d opened in May)
    # stations: the listed ones; sq-a's exchanges apart
    assert rows["exchanges"] == ["hub", "jiedao"] and others["exchanges"] == ["sq-a"]
    assert county["exchanges"].total.value == 4 and county["exchanges"].percent == pytest.approx(400 / 3)
    # a county target counts every station
    assert len(rows["publicity"]) == 7 and not others["publicity"] and county["publicity"].others is None
    # sq-d opened in May: January to April are not due, never 逾期未报
    sqd = next(r for r in grids["visits"].rows if r.station.slug == "sq-d")
    assert [c.display for c in sqd.cells[:4]] == ["未运行"] * 4 and sqd.cells[4].display == "21"  # 10 + 6 + 5
    page = results_page_markdown(three_level_content, report)
    assert "街镇主题活动（场）：其他站点另计 11" in page


def test_model_totals_are_sums_of_their_parts(county):
    content, report, _ = county
    checked = 0
    for ind in content.indicators:
        grid = report.grid(ind.id)
        groups = [(grid.rows, grid.month_totals, grid.total)]
        if grid.others_total is not None:
            groups.append((grid.others, grid.others_month_totals, grid.others_total))
        for rows, month_totals, total in groups:
            for r in rows:
                checked += assert_sum(
                    r.total.display, [c.display for c in r.cells], f"{ind.id} {r.station.slug}"
                )
            for j, m in enumerate(grid.months):
                checked += assert_sum(
                    month_totals[j].display, [r.cells[j].display for r in rows], f"{ind.id} {m}"
                )
            checked += assert_sum(total.display, [c.display for c in month_totals], f"{ind.id} months")
            checked += assert_sum(total.display, [r.total.display for r in rows], f"{ind.id} stations")
        county_ip = next(ip for ip in report.county if ip.indicator.id == ind.id)
        assert county_ip.total == grid.total and county_ip.others == grid.others_total
    assert checked > 100


def test_results_page_totals_are_sums_of_the_station_rows(county):
    content, report, _ = county
    page = results_page_markdown(content, report)
    checked = 0
    for ip in report.county:
        ind = ip.indicator
        # each indicator's stations × months table is on its own page (/results/<id>/)
        table = indicator_page_markdown(content, report, ip).split("## 各站点逐月", 1)[1]
        lines = [ln for ln in table.splitlines() if ln.startswith("| ") and not ln.startswith("| 站点")]
        cells = [[c.strip() for c in ln.strip("| ").split(" | ")] for ln in lines]
        county_row = next(c for c in cells if c[0] == "全县")
        mine = [c for c in cells[: cells.index(county_row)]]
        others = [c for c in cells if c[0].endswith("（另计）")]
        other_total = next((c for c in cells if c[0] == "其他站点另计"), None)
        for group, total in ((mine, county_row), (others, other_total)):
            if total is None:
                continue
            for col in range(1, len(total)):
                checked += assert_sum(total[col], [r[col] for r in group], f"page {ind.id} column {col}")
            for r in group:
                checked += assert_sum(r[-1], r[1:-1], f"page {ind.id} {r[0]}")
        # the county progress table shows the same county total
        label = re.escape(ind.name)
        progress = re.search(rf"^\| {label}[^|]* \| (\S+)", page.split("## 全县进度", 1)[1], re.M)
        assert progress and progress[1] == county_row[-1].replace("&lt;", "<"), ind.id
    assert checked > 100


def test_open_data_totals_are_sums_of_the_station_rows(county):
    content, report, out = county
    rows = list(csv.DictReader(io.StringIO((out / "data/results.csv").read_text(encoding="utf-8-sig"))))
    parts: dict[tuple[str, str, str], list[str]] = defaultdict(list)
    totals: dict[tuple[str, str, str], str] = {}
    for r in rows:
        group = "county" if r["counted"] == "true" else "others"
        if r["level"] == "station_month":
            parts[(r["indicator"], group, r["month"])].append(r["display"])
            parts[(r["indicator"], r["station"], "")].append(r["display"])
        elif r["level"] == "station_total":
            parts[(r["indicator"], group, "")].append(r["display"])
        else:
            totals[(r["indicator"], r["level"].split("_")[0], r["month"])] = r["display"]
        if r["level"] == "station_total":
            totals[(r["indicator"], r["station"], "")] = r["display"]
    checked = sum(assert_sum(totals[key], parts[key], f"csv {key}") for key in totals if key in parts)
    data = json.loads((out / "data/results.json").read_text(encoding="utf-8"))
    for ind in data["indicators"]:
        counted = [s for s in ind["stations"] if s["station"] in ind["counted_stations"]]
        checked += assert_sum(
            ind["county"]["total"]["display"], [s["total"]["display"] for s in counted], f"json {ind['id']}"
        )
        for j, month in enumerate(ind["county"]["months"]):
            checked += assert_sum(
                month["display"], [s["months"][j]["display"] for s in counted], f"json {ind['id']} month"
            )
        if ind["others"]:
            apart = [s for s in ind["stations"] if s["station"] in ind["others"]["stations"]]
            checked += assert_sum(
                ind["others"]["total"]["display"], [s["total"]["display"] for s in apart], f"json {ind['id']}"
            )
    assert checked > 100
    csv_county = {r["indicator"]: r["display"] for r in rows if r["level"] == "county_total"}
    assert csv_county == {i["id"]: i["county"]["total"]["display"] for i in data["indicators"]}


def test_a_month_not_reported_is_never_chosen_to_protect_a_small_count(tmp_path):
    """Station a: January 2 people, February not reported, March 10; b: 10 each month. Hiding a's
    February (cheapest: it adds 0) would protect nothing, since a reader knows it adds 0."""
    import shutil

    from tests.conftest import COPY_IGNORE, REPO
    from tests.results_county import write_county

    root = tmp_path / "repo"
    shutil.copytree(REPO, root, ignore=COPY_IGNORE, symlinks=True)
    people = {"id": "cases", "name": "个案服务对象", "unit": "人", "domain": "elderly", "counts": "people",
              "target": {"per_station": 5}}  # fmt: skip
    stations = [("hub", "示例县社工总站", "hub", None, None), ("a", "示例县甲镇站", "township", "hub", None),
                ("b", "示例县乙镇站", "township", "hub", None)]  # fmt: skip
    results = {
        "hub": {m: {} for m in ("2026-01", "2026-02", "2026-03")},
        "a": {"2026-01": {"cases": 2}, "2026-03": {"cases": 10}},
        "b": {m: {"cases": 10} for m in ("2026-01", "2026-02", "2026-03")},
    }
    write_county(root, stations, [people], results)
    today = dt.date(2026, 4, 2)
    report = compute_results(load(root, today), today)
    grid = report.grid("cases")
    a = grid.rows[0]
    # January's 2 reads "<5"; March's 10 is published rounded: the unreported February adds 0 and a
    # reader knows it, so nothing needs withholding (generator/results/disclosure.py)
    assert [c.display for c in a.cells] == ["<5", "逾期未报", "10"]
    # That no release pins a's small months is proved by tests/test_releases.py and test_anonymisation.py.
