"""Disclosure control for counts of distinct people that holds across releases.

The site is rebuilt every day and every month, and every release stays public (git history,
readers' downloads). So what one build hides must stay hidden when a reader lays all releases side
by side: this month's total next to last month's, a corrected month next to its first version.

The rule, as statistical offices publish small-area counts (ONS and ABS round counts to a base and
show small values as "<5", deterministically, so that asking again gives the same answer):

1. every published count of people — a station's month, a station's total, the county's month,
   the county's total — is a function of its own true value only: below the threshold it reads
   "<5" (meaning 0 to 4: zero too, see below), otherwise it is rounded to the nearest multiple of
   the base (5), never below the threshold (5, 6 and 7 read "5"). A reader learns an interval of
   at least three values for every count; the same true value gives the same figure in every
   release, so rebuilding, correcting a month or adding a station shows nothing new about the
   counts that did not change, and the difference of two rounded totals (October's and
   November's) leaves a month anywhere in 1..4 or 0..4;
2. rounding alone can still pin a count where rounded figures meet at their edges: two months of 4
   under a total of 8 (published "10", so 8..12) are both exactly 4. So every build replays the
   monthly releases of the contract year from its own content (release k shows the months up to k
   and the totals up to k) and pushes every published interval through every equation a reader
   has (months add up to a station's total, stations to the county's month, both to the grand
   total), release after release. A total whose publication would pin a count below the threshold
   is withheld ("不公开", meaning at least the threshold) in the release where it first appears;
   a figure once published stays published in later releases (withholding it later would hide
   nothing: the reader has it already).

Why zero reads "<5" too: were "<5" to mean 1..4, four stations with one case each under a county
month of 4 ("<5") would each be exactly 1.

Why not the former cell suppression (``protect`` of the removed generator/results/suppression.py, no longer
called): it chose the hidden cells of each build from that build's table alone and published the
others exactly. Next month's table hides other cells, and the union of the two releases gave hidden cells
away (a station's total 11 → 12 with November hidden). A rounded count is the same in every
release, so there is nothing to choose and nothing to compare; only the rare edge cases of point 2
are withheld, and the audit that finds them is the former one's interval propagation, run over the
equations of every release instead of one.
"""

from __future__ import annotations

import math
from collections import defaultdict, deque
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

INF = float("inf")

COMPLEMENT_DISPLAY = "不公开"

# A variable of the replayed releases: ("x", station, month) a station's month (the same in every
# release), ("C", month) the county's month, ("T", station, k) a station's total in release k,
# ("G", k) the grand total in release k.
Var = tuple
Equation = tuple[list[tuple[Var, int]], int]


@dataclass(frozen=True)
class Published:
    """How one count of people is published: ``value`` is the rounded number, or None when only
    ``display`` ("<5", "不公开") is shown."""

    value: int | None
    suppressed: bool
    display: str
    rounded: bool


def extend(cells: Sequence[Sequence[int]], width: int) -> list[list[int]]:
    """Add the station-total column and the county row (with the grand total) to ``cells``.

    ``width`` is the number of months, given so that a table without stations still has them.
    """
    table = [list(row) + [sum(row)] for row in cells]
    table.append([sum(row[c] for row in table) for c in range(width + 1)])
    return table


def round_to_base(value: int, base: int) -> int:
    """Nearest multiple of ``base``, halves up (exact integers: no float rounding)."""
    return (2 * value + base) // (2 * base) * base


def published_count(value: int, threshold: int, base: int | None = None) -> Published:
    """The published figure for a true count of people, from the value alone (rule 1)."""
    base = threshold if base is None else base
    if value < threshold:
        return Published(None, True, f"<{threshold}", False)
    shown = max(threshold, round_to_base(value, base))
    return Published(shown, False, str(shown), shown != value)


def withheld(value: int, threshold: int) -> Published:
    """A total withheld by rule 2: only whether it is below the threshold is shown."""
    if value < threshold:
        return Published(None, True, f"<{threshold}", False)
    return Published(None, True, COMPLEMENT_DISPLAY, False)


def published_range(figure: Published, threshold: int, base: int | None = None) -> tuple[float, float]:
    """What a reader knows of the true value behind a published figure."""
    base = threshold if base is None else base
    if figure.value is None:
        return (0, threshold - 1) if figure.display.startswith("<") else (threshold, INF)
    r = figure.value
    # the integers that round to r: r - base/2 (halves up) .. r + base/2 (exclusive), ≥ threshold
    low = max(threshold, r - base // 2)
    high = r + (base - 1) // 2
    return (low, high)


@dataclass(frozen=True)
class Disclosure:
    """The current release of one people indicator's extended table (stations × months plus the
    station totals column and the county row), as published."""

    cells: tuple[tuple[Published, ...], ...]  # rows: stations then the county; columns: months then total
    withheld: frozenset[Var]  # replayed figures withheld by rule 2 (for tests and the about page)

    def at(self, r: int, c: int) -> Published:
        return self.cells[r][c]


def disclose(
    raw: list[list[int]],
    months: int,
    threshold: int,
    fixed: frozenset[tuple[int, int]] = frozenset(),
    base: int | None = None,
) -> Disclosure:
    """Publish ``raw`` (stations × ``months``) and its totals under rules 1 and 2.

    ``fixed`` are (station, month) cells a reader knows exactly without them being published as a
    count (a month not reported adds 0): they narrow what the reader can work out, and they are
    not counts to protect (the caller shows them as not reported, whatever is returned there).
    """
    base = threshold if base is None else base
    stations = len(raw)
    values = _replayed_values(raw, months)
    exact = {("x", s, m) for s, m in fixed}
    by_release: dict[int, list[Equation]] = defaultdict(list)
    for eq in _equations(stations, months):
        by_release[max(_release_of(v) for v, _ in eq[0])].append(eq)
    withheld_vars: set[Var] = set()
    known: dict[Var, tuple[float, float]] = {}  # what a reader has after the releases so far
    system: list[Equation] = []
    equations_of: dict[Var, list[int]] = defaultdict(list)
    for k in range(months):
        new = [v for v in values if _release_of(v) == k]
        totals = [v for v in new if v[0] != "x"]
        first = len(system)
        for eq in by_release[k]:
            for v, _ in eq[0]:
                equations_of[v].append(len(system))
            system.append(eq)
        while True:
            # Release k adds its figures and equations to what the reader knows; only the new
            # equations need a look at first, the old ones are settled unless a bound changes.
            bounds = dict(known)
            for v in new:
                fig = _figure(v, values, withheld_vars, threshold, base)
                bounds[v] = (values[v], values[v]) if v in exact else published_range(fig, threshold, base)
            bounds = propagate_from(system, equations_of, bounds, range(first, len(system)))
            pinned = sorted(
                v for v in bounds if values[v] < threshold and bounds[v][0] == bounds[v][1] and v not in exact
            )
            choices = {
                c for p in pinned if (c := _withhold_choice(p, totals, values, withheld_vars, threshold, k))
            }
            if not pinned or not choices:
                break  # no choice left cannot happen with rule 1's widths; tests/test_releases.py checks
            withheld_vars |= choices
        known = bounds

    def figure(v: Var) -> Published:
        return _figure(v, values, withheld_vars, threshold, base)

    if not months:
        empty = (published_count(0, threshold, base),)
        return Disclosure(tuple(empty for _ in range(stations + 1)), frozenset())
    last = months - 1
    rows = [
        tuple(figure(("x", s, m)) for m in range(months)) + (figure(("T", s, last)),) for s in range(stations)
    ]
    county = tuple(figure(("C", m)) for m in range(months)) + (figure(("G", last)),)
    return Disclosure(tuple(rows) + (county,), frozenset(withheld_vars))


def _figure(v: Var, values: dict[Var, int], withheld_vars: set[Var], threshold: int, base: int) -> Published:
    if v in withheld_vars:
        return withheld(values[v], threshold)
    return published_count(values[v], threshold, base)


def propagate_from(
    system: list[Equation],
    equations_of: dict[Var, list[int]],
    bounds: dict[Var, tuple[float, float]],
    start: Iterable[int],
) -> dict[Var, tuple[float, float]]:
    """Narrow ``bounds`` through ``system`` until nothing narrows, looking first at the equations
    ``start`` (the others are known to narrow nothing with the bounds as they are).
    ``equations_of`` lists the equations each unknown is in."""
    waiting = deque(start)
    queued = set(waiting)
    while waiting:
        i = waiting.popleft()
        queued.discard(i)
        terms, known = system[i]
        for v, narrower in narrowed(terms, known, bounds):
            bounds[v] = narrower
            for j in equations_of[v]:
                if j not in queued:
                    queued.add(j)
                    waiting.append(j)
    return bounds


def _release_of(v: Var) -> int:
    """The first replayed release that shows ``v``."""
    return v[2] if v[0] in ("x", "T") else v[1]


def _replayed_values(raw: list[list[int]], months: int) -> dict[Var, int]:
    values: dict[Var, int] = {}
    for s, row in enumerate(raw):
        running = 0
        for m in range(months):
            values[("x", s, m)] = row[m]
            running += row[m]
            values[("T", s, m)] = running
    grand = 0
    for m in range(months):
        values[("C", m)] = sum(row[m] for row in raw)
        grand += values[("C", m)]
        values[("G", m)] = grand
    return values


def _equations(stations: int, months: int) -> list[Equation]:
    """Every equation a reader of all replayed releases has, as (terms, known part 0).

    A station's total in release k is its total in release k-1 plus month k (the same for the
    grand total and the county's months): the differences of releases, which is where releases
    meet, and interval propagation takes one equation at a time. A sum over all months follows
    from these, and is no tighter.
    """
    eqs: list[Equation] = []
    for k in range(months):
        for s in range(stations):
            before: list[tuple[Var, int]] = [(("T", s, k - 1), 1)] if k else []
            eqs.append((before + [(("x", s, k), 1), (("T", s, k), -1)], 0))
        grand_before: list[tuple[Var, int]] = [(("G", k - 1), 1)] if k else []
        eqs.append((grand_before + [(("C", k), 1), (("G", k), -1)], 0))
        eqs.append(([(("T", s, k), 1) for s in range(stations)] + [(("G", k), -1)], 0))
        eqs.append(([(("x", s, k), 1) for s in range(stations)] + [(("C", k), -1)], 0))
    return eqs


def _withhold_choice(
    p: Var, totals: list[Var], values: dict[Var, int], withheld_vars: set[Var], threshold: int, k: int
) -> Var | None:
    """The total of release ``k`` to withhold for the pinned count ``p``: the nearest one first
    (its station's total, its month's county count, the grand total), then any other of
    ``totals`` (release k's)."""
    near: list[Var] = []
    if p[0] in ("x", "T"):
        near.append(("T", p[1], k))
    if (p[0] == "x" and p[2] == k) or p == ("C", k):
        near.append(("C", k))
    near.append(("G", k))
    for v in near + totals:
        # withholding a total below the threshold changes nothing: it reads "<5" either way
        if v in values and v not in withheld_vars and values[v] >= threshold:
            return v
    return None


# --------------------------------------------------------------------------------------------------
# one equation's narrowing step


def narrowed(
    terms: list[tuple[Var, int]], known: int, bounds: dict[Var, tuple[float, float]]
) -> list[tuple[Var, tuple[float, float]]]:
    """The entries whose bounds one equation narrows, with their new bounds.

    coef·x_p = -known - Σ others, and the others' range gives x_p's range. Each end of that range is
    the equation's whole sum less x_p's own part, the sum taken once with its infinite parts counted
    apart (lower ends can only be -∞ and upper ends +∞), so a long equation costs its length, not
    its length squared.
    """
    lows = [_lo(bounds[p], k) for p, k in terms]
    highs = [_hi(bounds[p], k) for p, k in terms]
    low_sum, low_infinite = _finite_sum(lows)
    high_sum, high_infinite = _finite_sum(highs)
    narrowed = []
    for (p, coef), low, high in zip(terms, lows, highs, strict=True):
        lo_rest = _sum_without(low_sum, low_infinite, low, -INF)
        hi_rest = _sum_without(high_sum, high_infinite, high, INF)
        a, b = -known - hi_rest, -known - lo_rest  # the range of coef·x_p
        lo, hi = (a, b) if coef == 1 else (-b, -a)
        old = bounds[p]
        new = (max(old[0], lo), min(old[1], hi))
        if new != old:
            narrowed.append((p, new))
    return narrowed


def _finite_sum(parts: list[float]) -> tuple[int, int]:
    """The sum of the finite parts and the number of infinite ones."""
    finite = [v for v in parts if not math.isinf(v)]
    return int(sum(finite)), len(parts) - len(finite)


def _sum_without(finite_sum: int, infinite: int, own: float, infinity: float) -> float:
    """The sum of all parts but ``own``, from ``_finite_sum``; infinite parts all equal ``infinity``."""
    if math.isinf(own):
        return infinity if infinite > 1 else finite_sum
    return infinity if infinite else finite_sum - own


def _lo(bound: tuple[float, float], coef: int) -> float:
    return bound[0] * coef if coef > 0 else bound[1] * coef


def _hi(bound: tuple[float, float], coef: int) -> float:
    return bound[1] * coef if coef > 0 else bound[0] * coef


def rule_markdown(threshold: int, base: int | None = None) -> str:
    """The rule in plain Chinese for the about page (resultspages.disclosure_rule_markdown)."""
    t, b = threshold, threshold if base is None else base
    return (
        "\n".join(
            [
                f"“人数”类指标（如个案服务对象、志愿者团队成员，统计的是不同的人）的每一个数字——"
                f"站点的每月数、站点合计、全县每月数和全县总计——都按同一条规则公布："
                f"小于 {t} 时显示为“<{t}”（包括 0），"
                f"不小于 {t} 时四舍五入到 {b} 的倍数（例如 {t}、{t + 1}、{t + 2} 显示为 {t}，"
                f"8 至 12 显示为 10）。网页、海报、CSV 和 JSON 都一样。",
                "",
                "为什么这样做：网站每天、每月都会重新生成，旧版本一直可以查到。"
                "如果本月公布的合计是准确数，读者拿本月和上月的合计一减，就能算出本月被隐藏的人数。"
                "按规则取整后，同一个真实数字在任何一次发布里都显示成同一个数，"
                "两次发布的合计相减，最多只能知道某月在 0 至 4 人之间，仍有几种可能，认不出具体的人；"
                "改正以前月份的数据、年中新增站点，也不会多透露什么。这是英国国家统计局（ONS）、"
                "澳大利亚统计局（ABS）公布小区域人数时常用的做法。",
                "",
                "取整以后的数字之间仍有等式（各月之和约等于合计，各站之和约等于全县），"
                "极少数情况下几个数字凑在一起仍可能推出一个小数字（例如两个月各 4 人、合计 8 人公布为 10，"
                "就能推出两个月都是 4 人）。所以每次生成网站时，程序会把合同期内每个月的发布都重新推算一遍，"
                f"把所有公布的范围代入所有等式检查；会推出小于 {t} 的人数时，"
                f"就不公布那一期的有关合计，显示为“{COMPLEMENT_DISPLAY}”（表示至少 {t}）。",
                "",
                "所以合计不一定等于各月相加，是正常的。合计不公布时不显示完成率；"
                "只有当所有可能的数值都得出同样的进度结论时才显示进度状态。",
                "“次数”“场次”“人次”类指标统计的是服务量而不是人，照常公布准确数。",
            ]
        )
        + "\n"
    )
