"""Small counts stay hidden in one release, proven on the published files.

The audit reads only what is published (data/results.json), rebuilds every equation a reader has
(months sum to a station's total, stations sum to the county's month, both sum to the grand total)
and checks with its own exact rank computation that no hidden value is determined even by a reader
who takes every rounded figure for the true count; with scipy it also asks a linear programme for
each hidden value's range under the published rule ("<5" = 0..4, "不公开" ≥ 5, a number n = a count
that rounds to n: n-2..n+2) and checks the range is wider than one value. Releases compared with
each other: tests/test_releases.py.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from fractions import Fraction

import pytest

from generator.opendata import write_open_data
from generator.results.disclosure import disclose
from generator.results.progress import compute_results
from generator.site.resultspages import (
    indicator_page_markdown,
    md,
    results_page_markdown,
    station_results_markdown,
    station_results_page_markdown,
)

MOMENT = dt.datetime(2026, 11, 22, 12, 0, tzinfo=dt.timezone(dt.timedelta(hours=8)))
SITE = "https://zhouning-mzfwz.example/"
PEOPLE = ("casework_cases", "volunteers_registered")


@pytest.fixture(scope="module")
def published(sample_content, tmp_path_factory):
    site = tmp_path_factory.mktemp("site")
    report = compute_results(sample_content, MOMENT.date())
    written = write_open_data(sample_content, report, site, SITE, MOMENT)
    pages = {"results": results_page_markdown(sample_content, report)}
    for ip in report.county:
        pages[f"results/{ip.indicator.id}"] = indicator_page_markdown(sample_content, report, ip)
    for s in sample_content.stations:
        pages[s.slug] = station_results_markdown(sample_content, report, s) + station_results_page_markdown(
            sample_content, report, s
        )
    return site, written, pages


def raw_counts(content, indicator: str) -> dict[tuple[str, str], int]:
    return {(s.slug, r.month): dict(r.counts).get(indicator, 0) for s in content.stations for r in s.results}


# -- the audit's own algebra (independent of generator/results/disclosure.py) ---------------------------------


def published_table(results: dict, indicator: str) -> list[list[dict]]:
    """Extended table of published cells: station rows + county row; months + total column."""
    ind = next(i for i in results["indicators"] if i["id"] == indicator)
    rows = [s["months"] + [s["total"]] for s in ind["stations"]]
    rows.append(ind["county"]["months"] + [ind["county"]["total"]])
    return rows


def audit_equations(
    table: list[list[dict]],
) -> tuple[list[tuple[int, int]], list[list[Fraction]], list[Fraction]]:
    n_r, n_c = len(table), len(table[0])
    hidden = [(r, c) for r in range(n_r) for c in range(n_c) if table[r][c]["suppressed"]]
    col = {p: i for i, p in enumerate(hidden)}
    eqs = [[(r, c, 1) for c in range(n_c - 1)] + [(r, n_c - 1, -1)] for r in range(n_r)]
    eqs += [[(r, c, 1) for r in range(n_r - 1)] + [(n_r - 1, c, -1)] for c in range(n_c)]
    matrix, rhs = [], []
    for eq in eqs:
        row, known = [Fraction(0)] * len(hidden), Fraction(0)
        for r, c, k in eq:
            if (r, c) in col:
                row[col[(r, c)]] += k
            else:
                known -= k * table[r][c]["value"]
        matrix.append(row)
        rhs.append(known)
    return hidden, matrix, rhs


def rank(rows: list[list[Fraction]]) -> int:
    rows = [list(r) for r in rows]
    rk, width = 0, len(rows[0]) if rows else 0
    for c in range(width):
        piv = next((i for i in range(rk, len(rows)) if rows[i][c] != 0), None)
        if piv is None:
            continue
        rows[rk], rows[piv] = rows[piv], rows[rk]
        for i in range(len(rows)):
            if i != rk and rows[i][c] != 0:
                f = rows[i][c] / rows[rk][c]
                rows[i] = [a - f * b for a, b in zip(rows[i], rows[rk], strict=True)]
        rk += 1
    return rk


def determined(matrix: list[list[Fraction]], j: int, base_rank: int | None = None) -> bool:
    """Unit vector e_j in the row space  ⇔  appending it does not raise the rank."""
    unit = [Fraction(int(i == j)) for i in range(len(matrix[0]))]
    return rank(matrix + [unit]) == (rank(matrix) if base_rank is None else base_rank)


def test_audit_catches_a_lonely_hidden_cell():
    """The audit itself can fail: one hidden cell with every total visible is determined."""
    table = [
        [{"value": v, "suppressed": False} for v in row] for row in ([3, 10, 13], [9, 10, 19], [12, 20, 32])
    ]
    table[0][0] = {"value": None, "suppressed": True}
    hidden, matrix, _ = audit_equations(table)
    assert determined(matrix, hidden.index((0, 0)))


@pytest.mark.parametrize("indicator", PEOPLE)
def test_no_hidden_value_is_determined_by_the_published_figures(published, indicator):
    site, _, _ = published
    results = json.loads((site / "data/results.json").read_text(encoding="utf-8"))
    table = published_table(results, indicator)
    hidden, matrix, _ = audit_equations(table)
    assert hidden, "the sample must exercise suppression"
    base = rank(matrix)
    for j, pos in enumerate(hidden):
        assert not determined(matrix, j, base), f"{indicator} {pos} can be worked out"


def published_range(cell: dict, threshold: int) -> tuple[int, int | None]:
    if cell["display"] == f"<{threshold}":
        return 0, threshold - 1
    if cell["value"] is None:
        return threshold, None
    return max(threshold, cell["value"] - 2), cell["value"] + 2


@pytest.mark.parametrize("indicator", PEOPLE)
def test_no_hidden_value_is_pinned_by_the_published_ranges(published, indicator):
    optimize = pytest.importorskip("scipy.optimize")
    site, _, _ = published
    results = json.loads((site / "data/results.json").read_text(encoding="utf-8"))
    threshold = results["disclosure_threshold"]
    table = published_table(results, indicator)
    # every figure of a people indicator is an unknown: hidden ones and rounded ones alike
    unknown = [{"value": None, "suppressed": True} for row in table for _ in row]
    width = len(table[0])
    as_unknown = [unknown[r * width : (r + 1) * width] for r in range(len(table))]
    cells, matrix, rhs = audit_equations(as_unknown)
    bounds = [published_range(table[r][c], threshold) for r, c in cells]
    hidden = [j for j, (r, c) in enumerate(cells) if table[r][c]["value"] is None]
    assert hidden
    a_eq = [[float(v) for v in row] for row in matrix]
    b_eq = [float(v) for v in rhs]
    for j in hidden:
        objective = [1.0 if i == j else 0.0 for i in range(len(cells))]
        lo = optimize.linprog(objective, A_eq=a_eq, b_eq=b_eq, bounds=bounds, method="highs")
        hi = optimize.linprog([-x for x in objective], A_eq=a_eq, b_eq=b_eq, bounds=bounds, method="highs")
        assert lo.status == 0 and hi.status == 0
        assert -hi.fun - lo.fun >= 1 - 1e-9, f"{indicator} {cells[j]} is pinned to {lo.fun}"


def test_every_count_of_people_is_published_from_its_own_value(sample_content):
    """Rule 1: the figure depends on the true count alone, so every release shows the same."""
    from generator.results.disclosure import published_count

    report = compute_results(sample_content, MOMENT.date())
    for indicator in PEOPLE:
        grid = report.grid(indicator)
        raw = raw_counts(sample_content, indicator)
        for row in grid.rows:
            for month, cell in zip(grid.months, row.cells, strict=True):
                value = raw.get((row.station.slug, month), 0)
                assert (cell.value, cell.display) == (
                    published_count(value, 5).value,
                    published_count(value, 5).display,
                )
    assert [published_count(v, 5).display for v in (0, 1, 4, 5, 7, 8, 12, 13, 102)] == [
        "<5",
        "<5",
        "<5",
        "5",
        "5",
        "10",
        "10",
        "15",
        "100",
    ]


# -- the suppression algorithm on small tables ------------------------------------------------------


def test_rounded_figures_meeting_at_their_edges_get_a_total_withheld():
    # two months of 4 under a total of 8: rounded to "10" (8..12) the total would pin both months
    d = disclose([[4, 4], [3, 9]], 2, 5)
    assert [c.display for c in d.cells[0]] == ["<5", "<5", "不公开"]
    assert d.cells[1][2].display == "10" and d.cells[1][1].display == "10"


def test_many_small_cells_under_a_small_total_are_not_each_pinned():
    # four stations with one new case each in one month: total 4. "<5" means 0..4, so not pinned.
    d = disclose([[1], [1], [1], [1], [0]], 1, 5)
    assert {c.display for row in d.cells for c in row} == {"<5"}
    assert not d.withheld


def test_contacts_are_never_hidden_and_a_zero_person_count_reads_below_threshold(sample_content):
    # "<5" means 0..4: were zero shown, four "<5" stations under a "<5" county month would each be 1.
    report = compute_results(sample_content, MOMENT.date())
    for ip in report.station("shicheng"):
        for _, cell in ip.months:
            if not ip.indicator.counts_people:
                assert not cell.suppressed
            elif cell.value is not None:
                assert cell.value >= 5 and cell.value % 5 == 0


# -- raw small values never reach an output ------------------------------------------------------------


def test_hidden_raw_values_appear_in_no_output(sample_content, published):
    site, written, pages = published
    csv_rows = (site / "data/results.csv").read_text(encoding="utf-8-sig").splitlines()
    results = json.loads((site / "data/results.json").read_text(encoding="utf-8"))
    report = compute_results(sample_content, MOMENT.date())
    checked = 0
    for indicator in PEOPLE:
        ind = sample_content.indicator(indicator)
        raw = raw_counts(sample_content, indicator)
        grid = report.grid(indicator)
        for row in grid.rows:
            for month, cell in zip(grid.months, row.cells, strict=True):
                if not cell.suppressed:
                    continue
                value = raw.get((row.station.slug, month), 0)
                prefix = f"{row.station.slug},{row.station.name},{indicator},{ind.name},{ind.unit},{month},"
                line = next(x for x in csv_rows if x.startswith(prefix))
                target = row.target if row.target is not None else ""
                assert line == prefix + f",true,{cell.display},{target},reported,station_month,true"
                assert not line.startswith(prefix + f"{value},")
                j = next(
                    s
                    for i in results["indicators"]
                    if i["id"] == indicator
                    for s in i["stations"]
                    if s["station"] == row.station.slug
                )
                entry = next(m for m in j["months"] if m["month"] == month)
                assert entry == {
                    "month": month,
                    "value": None,
                    "suppressed": True,
                    "display": cell.display,
                    "report_status": "reported",
                }
                # station results page: the month row inside this indicator's section
                block = pages[row.station.slug].split(f"## {ind.name}（", 1)[1].split("\n## ", 1)[0]
                label = f"| {month[:4]}年{int(month[5:7])}月 |"
                assert f"{label} {value} |" not in block
                assert f"{label} {md(cell.display)} |" in block
                checked += 1
    assert checked > 20
    # and the county page's grid: a hidden station total never shows as its number
    for indicator in PEOPLE:
        for row in report.grid(indicator).rows:
            if row.total.suppressed:
                raw_total = sum(
                    v
                    for (slug, _), v in raw_counts(sample_content, indicator).items()
                    if slug == row.station.slug
                )
                name = sample_content.indicator(indicator).name
                for text in [pages["results"], pages[row.station.slug]]:
                    for line in text.splitlines():
                        if f"{name}（人）" in line and (
                            f"stations/{row.station.slug}/" in line or text is pages[row.station.slug]
                        ):
                            assert not re.search(rf"\| {raw_total}( / |\s*\|)", line), line
    assert all(p.exists() for p in written)


def test_small_people_count_shows_as_below_threshold_everywhere(published):
    site, _, pages = published
    csv_text = (site / "data/results.csv").read_text(encoding="utf-8-sig")
    assert "shicheng,周宁县狮城镇民政服务站,casework_cases,个案服务对象,人,2026-03,,true,<5,6" in csv_text
    results = json.loads((site / "data/results.json").read_text(encoding="utf-8"))
    cw = next(i for i in results["indicators"] if i["id"] == "casework_cases")
    shicheng = next(s for s in cw["stations"] if s["station"] == "shicheng")
    assert shicheng["total"] == {
        "value": None,
        "suppressed": True,
        "display": "<5",
        "report_status": "reported",
    }
    assert shicheng["percent"] is None
    assert "| 个案服务对象（人） | &lt;5 / 6 | — |" in pages["shicheng"]


def test_a_month_not_reported_counts_as_known_and_is_never_a_count_to_protect():
    # February not reported: a reader knows it adds 0, so 4 + 4 under "10" would pin both months
    d = disclose([[4, 0, 4], [10, 10, 10]], 3, 5, fixed=frozenset({(0, 1)}))
    assert d.at(0, 3).display == "不公开"
    assert ("x", 0, 1) not in d.withheld and all(v[0] != "x" for v in d.withheld)
