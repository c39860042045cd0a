"""Releases compared side by side give no small count away.

A three-level county (the sample's hub and towns plus community rooms made here with `stationsite
new station`) reports a `counts: people` indicator with values 1–3 every month. The test publishes
one release per month (data/results.json, as the site does), corrects a past month in a later
release and adds a community room mid-year, and then plays the strongest reader: one who has every
release and knows which counts stayed the same between them (a corrected month and a new station's
months are new unknowns, everything else is the same unknown in every release).

The reader's knowledge is the union of all releases' published figures, read by the published rule
only ("<5" is 0..4, "不公开" at least 5, a number n is a count that rounds to n: n-2..n+2, at least 5)
and the equations of every release (months add up to a station's total, stations to the county's
month, both to the grand total). For every count below the threshold — a month, a total, a county
month — the proof is twofold (a month not reported is known to add 0):

- an LP (scipy's HiGHS) gives its range under all of that, which must be wider than one value;
- exact arithmetic: an integer solution of the whole union with another value for that count
  (found by a MILP, then checked with Python integers against every equation and every published
  range), so two possible worlds publish exactly the same releases.
"""

from __future__ import annotations

import datetime as dt
import json
import random
from pathlib import Path

import pytest

from generator.cli import main
from generator.content.load import load_content
from generator.opendata.tables import write_results_json
from generator.publishing.diffparts import results_changes
from generator.results.disclosure import disclose, published_count
from generator.results.progress import compute_results

optimize = pytest.importorskip("scipy.optimize")
np = pytest.importorskip("numpy")

INDICATOR = "volunteers_registered"  # counts: people in the sample catalogue
THRESHOLD = 5
ROOMS = {"shicheng-dongmen": "shicheng", "shicheng-xiyuan": "shicheng", "qibu-qiaotou": "qibu"}
ADDED = "lidun-xincun"  # a community room that opens mid-year
ADDED_FROM = 6  # reports from June; published from the June release
CORRECTED = ("qibu", 3)  # March of 七步镇 is corrected in the August release
CORRECTED_IN = 8
RELEASES = range(1, 11)  # January .. October 2026 (the build date is pinned in November)


def month(m: int) -> str:
    return f"2026-{m:02d}"


# -- the releases --------------------------------------------------------------------------------


def true_counts(release: int, slugs: list[str]) -> dict[str, dict[int, int]]:
    """The county's true counts as known at ``release``: values 1–3, the same seed every time."""
    rng = random.Random(13)
    counts = {s: {m: rng.randint(1, 3) for m in range(1, 13)} for s in slugs + [ADDED]}
    out = {s: {m: v for m, v in c.items() if m <= release} for s, c in counts.items()}
    out[ADDED] = {m: v for m, v in out[ADDED].items() if m >= ADDED_FROM} if release >= ADDED_FROM else {}
    s, m = CORRECTED
    if release >= CORRECTED_IN:
        out[s][m] = 1 if out[s][m] != 1 else 3
    return out


def write_results(root: Path, counts: dict[str, dict[int, int]]) -> None:
    for slug, by_month in counts.items():
        path = root / "stations" / slug / "results.yml"
        if not path.parent.is_dir():
            continue
        lines = [
            f"- month: {month(m)}\n  counts: {{{INDICATOR}: {v}}}\n" for m, v in sorted(by_month.items())
        ]
        path.write_text("".join(lines) or "[]\n", encoding="utf-8")


def new_room(root: Path, slug: str, name: str, parent: str) -> None:
    args = ["new", "--root", str(root), "station", slug, "--name", name, "--kind", "community",
            "--address", f"{name}活动室", "--phone", "0593-0000088", "--staff", "林晓,驻站社工"]  # fmt: skip
    assert main([*args, "--parent", parent]) == 0


@pytest.fixture(scope="module")
def releases(tmp_path_factory, repo_root):
    """[(release month, true counts, published indicator entry of results.json, report, content)]."""
    import shutil

    from tests.conftest import COPY_IGNORE

    root = tmp_path_factory.mktemp("county") / "repo"
    shutil.copytree(repo_root, root, ignore=COPY_IGNORE, symlinks=True)
    for slug, parent in ROOMS.items():
        new_room(root, slug, f"周宁县{slug}社区社工室", parent)
    slugs = sorted(p.name for p in (root / "stations").iterdir() if p.is_dir())
    out = []
    for r in RELEASES:
        if r == ADDED_FROM:
            new_room(root, ADDED, "周宁县礼门新村社区社工室", "lidun")
        counts = true_counts(r, slugs)
        write_results(root, counts)
        content, problems = load_content(root)
        assert not problems, "\n".join(map(str, problems[:5]))
        report = compute_results(content, dt.date(2026, r + 1, 1))
        path = root.parent / f"results-{r}.json"
        write_results_json(content, report, path)
        entry = next(
            i for i in json.loads(path.read_text(encoding="utf-8"))["indicators"] if i["id"] == INDICATOR
        )
        out.append((r, counts, entry, report, content))
    return out


# -- the reader -----------------------------------------------------------------------------------


def published_range(figure: dict) -> tuple[int, int | None]:
    """The published rule, read independently of generator/results/disclosure.py."""
    if figure.get("report_status", "reported") != "reported":
        return 0, 0  # a month not reported (or a total of such months) adds 0, and a reader knows it
    if figure["display"] == f"<{THRESHOLD}":
        return 0, THRESHOLD - 1
    if figure["value"] is None:
        return THRESHOLD, None
    n = figure["value"]
    return max(THRESHOLD, n - 2), n + 2


class Union:
    """Every release's figures as unknowns with published ranges, and every release's equations."""

    def __init__(self) -> None:
        self.index: dict[tuple, int] = {}
        self.truth: list[int] = []
        self.low: list[int] = []
        self.high: list[int | None] = []
        self.equations: list[dict[int, int]] = []

    def figure(self, key: tuple, truth: int, figure: dict) -> int:
        lo, hi = published_range(figure)
        if key not in self.index:
            self.index[key] = len(self.truth)
            self.truth.append(truth)
            self.low.append(lo)
            self.high.append(hi)
        i = self.index[key]
        assert self.truth[i] == truth
        self.low[i] = max(self.low[i], lo)
        self.high[i] = hi if self.high[i] is None else (self.high[i] if hi is None else min(self.high[i], hi))
        return i

    def add_release(self, r: int, counts: dict[str, dict[int, int]], entry: dict, versions: dict) -> None:
        # Stations the indicator counts add up to the county's figures; any others (where the
        # results carry a `counted` flag and an `others` block) to theirs.
        groups = [("county", [row for row in entry["stations"] if row.get("counted", True)], entry["county"])]
        if entry.get("others"):
            groups.append(
                (
                    "others",
                    [row for row in entry["stations"] if not row.get("counted", True)],
                    entry["others"],
                )
            )
        for group, rows, summary in groups:
            self._add_table(r, counts, group, rows, summary, versions)

    def _add_table(
        self, r: int, counts: dict, group: str, rows: list[dict], summary: dict, versions: dict
    ) -> None:
        months = [m["month"] for m in summary["months"]]
        columns: dict[str, list[int]] = {m: [] for m in months}
        totals = []
        for row in rows:
            slug = row["station"]
            parts = []
            for fig in row["months"]:
                m = int(fig["month"][5:])
                value = counts.get(slug, {}).get(m, 0)
                # the same unknown in every release until its value changes (a correction)
                key = ("x", slug, m, versions.setdefault((slug, m, value), len(versions)))
                parts.append(self.figure(key, value, fig))
                columns[fig["month"]].append(parts[-1])
            total = sum(counts.get(slug, {}).values())
            totals.append(self.figure(("T", slug, r), total, row["total"]))
            self.equations.append({**{p: 1 for p in parts}, totals[-1]: -1})
        county = []
        for fig, m in zip(summary["months"], months, strict=True):
            # a county month is the same unknown while the same parts make it up
            key = ("C", group, m, tuple(sorted(columns[m])))
            value = sum(self.truth[p] for p in columns[m])
            county.append(self.figure(key, value, fig))
            self.equations.append({**{p: 1 for p in columns[m]}, county[-1]: -1})
        grand = self.figure(("G", group, r), sum(self.truth[c] for c in county), summary["total"])
        self.equations.append({**{t: 1 for t in totals}, grand: -1})
        self.equations.append({**{c: 1 for c in county}, grand: -1})

    def holds(self, values: list[int]) -> bool:
        """Exact arithmetic: every equation and every published range."""
        if any(
            v < lo or (hi is not None and v > hi)
            for v, lo, hi in zip(values, self.low, self.high, strict=True)
        ):
            return False
        return all(sum(k * values[i] for i, k in eq.items()) == 0 for eq in self.equations)

    def matrix(self):
        a = np.zeros((len(self.equations), len(self.truth)))
        for row, eq in enumerate(self.equations):
            for i, k in eq.items():
                a[row, i] = k
        return a

    def bounds(self):
        return list(zip(self.low, [np.inf if h is None else h for h in self.high], strict=True))


def union_of(releases) -> Union:
    union, versions = Union(), {}
    for r, counts, entry, _, _ in releases:
        union.add_release(r, counts, entry, versions)
    return union


def pinned_counts(union: Union) -> list[tuple]:
    """Counts below the threshold that the LP pins, and for the others an exact second world."""
    a, bounds = union.matrix(), union.bounds()
    b = np.zeros(len(union.equations))
    names = {i: k for k, i in union.index.items()}
    lp_bounds = [(lo, None if hi == np.inf else hi) for lo, hi in bounds]
    pinned = []
    assert union.holds(union.truth)
    constraint = optimize.LinearConstraint(a, b, b)
    milp_bounds = optimize.Bounds([lo for lo, _ in bounds], [hi for _, hi in bounds])
    for i, truth in enumerate(union.truth):
        if truth >= THRESHOLD or union.high[i] == 0:
            continue  # not small, or a month not reported: no count was published there
        c = np.zeros(len(union.truth))
        c[i] = 1
        lo = optimize.linprog(c, A_eq=a, b_eq=b, bounds=lp_bounds, method="highs")
        hi = optimize.linprog(-c, A_eq=a, b_eq=b, bounds=lp_bounds, method="highs")
        assert lo.status == 0 and hi.status == 0
        if -hi.fun - lo.fun < 1 - 1e-9:
            pinned.append(names[i])
            continue
        # an integer world with another value for this count: push it up, else down
        other = None
        for sign in (-1, 1):
            res = optimize.milp(
                sign * c, constraints=constraint, bounds=milp_bounds, integrality=np.ones(len(union.truth))
            )
            if res.status == 0:
                world = [round(v) for v in res.x]
                if world[i] != truth and union.holds(world):
                    other = world
                    break
        if other is None:
            pinned.append(names[i])
    return pinned


# -- the proofs -----------------------------------------------------------------------------------


def test_the_county_has_three_levels_and_the_sequence_does_what_it_says(releases):
    _, _, _, _, content = releases[-1]
    kinds = {s.slug: s.kind for s in content.stations}
    assert (
        kinds["hub"] == "hub" and kinds["shicheng"] == "township" and kinds["shicheng-dongmen"] == "community"
    )
    assert {s.slug: s.parent for s in content.stations}["shicheng-dongmen"] == "shicheng"
    # the corrected month changes between the releases, the new room appears when it opens
    s, m = CORRECTED
    assert releases[CORRECTED_IN - 2][1][s][m] != releases[CORRECTED_IN - 1][1][s][m]
    assert ADDED not in [row["station"] for row in releases[ADDED_FROM - 2][2]["stations"]]
    assert ADDED in [row["station"] for row in releases[ADDED_FROM - 1][2]["stations"]]
    # every monthly count is small, and the totals grow past the threshold: there is something to hide
    last = releases[-1][2]
    reported = [f for row in last["stations"] for f in row["months"] if published_range(f) != (0, 0)]
    assert len(reported) > 100 and all(f["display"] == "<5" for f in reported)
    assert any(row["total"]["value"] for row in last["stations"])


def test_no_combination_of_releases_pins_a_small_count(releases):
    union = union_of(releases)
    assert len(union.truth) > 300
    assert pinned_counts(union) == []


def test_a_station_total_that_grows_by_one_gives_nothing_away(releases):
    """The issue's example: a total 11 → 12 while the month shows "<5"."""
    e1, e2 = releases[-2][2], releases[-1][2]
    rows2 = {row["station"]: row for row in e2["stations"]}
    for row1 in e1["stations"]:
        row2 = rows2[row1["station"]]
        lo1, hi1 = published_range(row1["total"])
        lo2, hi2 = published_range(row2["total"])
        # the month is the difference of the totals: the published ranges leave at least two values
        month_low = max(0, lo2 - (hi1 if hi1 is not None else 10**9))
        month_high = min(THRESHOLD - 1, (hi2 if hi2 is not None else 10**9) - lo1)
        assert month_high > month_low, row1["station"]


def test_the_audit_catches_rounding_alone(tmp_path):
    """The reader can fail a method: two months of 4 under a total of 8 published as "10" by
    rounding alone pin both months. The disclosure rule withholds that total."""
    entry_of = lambda figures: {  # noqa: E731
        "county": {
            "months": [{"month": month(m + 1), **f} for m, f in enumerate(figures[0])],
            "total": figures[1],
        },
        "stations": [
            {
                "station": "a",
                "months": [{"month": month(m + 1), **f} for m, f in enumerate(figures[0])],
                "total": figures[1],
            }
        ],
    }

    def as_json(p) -> dict:
        return {"value": p.value, "suppressed": p.suppressed, "display": p.display}

    rounded_only = ([as_json(published_count(4, THRESHOLD))] * 2, as_json(published_count(8, THRESHOLD)))
    union = Union()
    union.add_release(2, {"a": {1: 4, 2: 4}}, entry_of(rounded_only), {})
    assert pinned_counts(union)
    d = disclose([[4, 4]], 2, THRESHOLD)
    protected = ([as_json(d.at(0, 0)), as_json(d.at(0, 1))], as_json(d.at(0, 2)))
    assert protected[1]["display"] == "不公开"
    union = Union()
    union.add_release(2, {"a": {1: 4, 2: 4}}, entry_of(protected), {})
    assert pinned_counts(union) == []


def test_the_pull_request_comment_shows_only_what_the_public_sees(releases):
    import re

    for (_, _, _, old_report, old), (r, _, _, new_report, new) in zip(releases, releases[1:], strict=False):
        name = new.indicator(INDICATOR).name
        lines = [ln for ln in results_changes(old, new, old_report, new_report) if name in ln]
        assert lines, r
        for ln in lines:
            assert "0 → <5" not in ln
            # a newly reported month lists its figures: counts of people are "<5" or multiples of 5
            assert all(int(n) % 5 == 0 for n in re.findall(r"(?<![\d-])(\d+) 人(?!次)", ln)), ln
            for before, after in re.findall(r"：([^：；→ ]+) → ([^；]+)", ln):
                for shown in (before, after):
                    # "<5", withheld, not yet reported, or a count rounded to 5: never a small number
                    number = re.fullmatch(r"\d+", shown.strip())
                    assert number is None or int(number[0]) % 5 == 0, ln  # words (<5, 不公开, 正常) pass
        if r == CORRECTED_IN:
            # the corrected month stays "<5": the comment does not even say that it changed
            assert not any(f"{month(CORRECTED[1])}：" in ln for ln in lines)
