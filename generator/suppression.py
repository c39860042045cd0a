"""Small-count suppression for one table of people counts: stations × months plus all its totals.

The published table is "extended": rows are stations plus a county row, columns are months plus a
total column, so ``E[s][M]`` is a station's total, ``E[S][m]`` the county's month and ``E[S][M]`` the
grand total. A reader knows every visible entry, the published rule and these equations:

    for every row r:     E[r][0] + … + E[r][M-1] = E[r][M]
    for every column c:  E[0][c] + … + E[S-1][c] = E[S][c]

Primary suppression hides every entry from 1 to threshold-1 (zero may be shown: it describes
nobody). Secondary suppression then hides more entries until no hidden entry can be worked out,
judged two ways, because a reader can use both:

1. linear algebra: a hidden entry is *determined* when its unit vector lies in the row space of the
   equations restricted to the hidden entries (then some combination of published numbers equals it);
2. bounds: the reader knows a "<5" entry lies in 0..threshold-1 and a "不公开" entry is at least
   the threshold; pushing these bounds through the equations until nothing changes must not pin a
   hidden entry to a single value.

Why a hidden entry below the threshold, even a zero complement, is shown as "<5" (a true statement)
and "<5" therefore means 0..4, not 1..4: the sample's casework has four stations with one new case
each in June and a June total of 4. Were "<5" to mean 1..4, four "<5" cells under a "<5" total would
each be exactly 1, whatever else were hidden. Only entries of at least the threshold show "不公开".

Complements are chosen smallest first: for an exposed entry, the cheapest rectangle of other
entries (by the sum of their values; totals only as a last resort) that protects it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

INF = float("inf")
# Hiding a total hides a whole row or column of information: only when no cells will do.
TOTAL_PENALTY = 10_000
# Rectangles tried per exposed entry before settling for the cheapest and looking again (speed).
MAX_TRIES = 12
# Exact elimination modulo a prime: every minor of these matrices (each unknown sits in exactly one
# row and one column equation, a signed graph) is 0 or ±2^k, so an odd prime gives the rational rank.
PRIME = 2_147_483_647

Pos = tuple[int, int]


@dataclass(frozen=True)
class Protection:
    """Which entries of the extended table are hidden, and why."""

    values: tuple[tuple[int, ...], ...]  # the extended table, totals included (never published raw)
    threshold: int
    primary: frozenset[Pos]
    secondary: frozenset[Pos]

    def hidden(self, pos: Pos) -> bool:
        return pos in self.primary or pos in self.secondary

    def below_threshold(self, pos: Pos) -> bool:
        """A hidden entry published as "<threshold" (else as "不公开", at least the threshold)."""
        return self.hidden(pos) and self.values[pos[0]][pos[1]] < self.threshold


def extend(cells: Sequence[Sequence[int]], width: int) -> list[list[int]]:
    """Add the station-total column and the county row (with the grand total) to ``cells``.

    ``width`` is the number of months, given so that a table without stations still has them.
    """
    table = [list(row) + [sum(row)] for row in cells]
    table.append([sum(row[c] for row in table) for c in range(width + 1)])
    return table


def protect(cells: Sequence[Sequence[int]], width: int, threshold: int) -> Protection:
    """Suppress ``cells`` (stations × ``width`` months) and its totals so that no hidden value can be
    derived."""
    table = extend(cells, width)
    positions = [(r, c) for r in range(len(table)) for c in range(len(table[0]))]
    # Interior cells are checked and offered first, totals last: hiding a total costs readers most.
    positions.sort(key=lambda p: (p[0] == len(table) - 1 or p[1] == len(table[0]) - 1, p))
    primary = {p for p in positions if 0 < table[p[0]][p[1]] < threshold}
    secondary: set[Pos] = set()
    while True:
        found = exposed_entries(table, primary | secondary, threshold)
        exposed = next((p for p in positions if p in found), None)
        if exposed is None:
            break
        choice = _complement(table, primary, secondary, threshold, exposed)
        if not choice:  # everything that could help is hidden already
            break
        secondary |= choice
    return Protection(tuple(tuple(row) for row in table), threshold, frozenset(primary), frozenset(secondary))


def _complement(table: list[list[int]], primary: set[Pos], secondary: set[Pos], threshold: int,
                exposed: Pos) -> set[Pos]:
    """The cheapest rectangle of entries to hide with ``exposed`` so that it can no longer be derived.

    Hiding the other three corners of a rectangle (rows r, r'; columns c, c') leaves every row and
    column equation with two unknowns that can trade value: the classic minimal complement of a
    two-way table. Rectangles are tried cheapest first (the sum of the values newly hidden, so the
    smallest cells go first; a total costs more than any cell, as readers lose more with it).
    """
    rows, cols = len(table), len(table[0])
    hidden = primary | secondary
    r, c = exposed
    options = []
    for r2 in range(rows):
        for c2 in range(cols):
            if r2 == r or c2 == c:
                continue
            corners = {(r, c2), (r2, c), (r2, c2)} - hidden
            if corners:
                options.append((sum(_cost(table, p) for p in corners), sorted(corners)))
    options.sort()
    for _, corners in options[:MAX_TRIES]:
        if exposed not in exposed_entries(table, hidden | set(corners), threshold):
            return set(corners)
    # No one rectangle protects it (a reader combines several equations): take the cheapest and
    # look again; each round hides more, so the loop ends.
    return set(options[0][1]) if options else set()


def _cost(table: list[list[int]], pos: Pos) -> int:
    is_total = pos[0] == len(table) - 1 or pos[1] == len(table[0]) - 1
    return table[pos[0]][pos[1]] + 1 + (TOTAL_PENALTY if is_total else 0)


# --------------------------------------------------------------------------------------------------
# what a reader can work out


def equations(rows: int, cols: int) -> list[list[tuple[Pos, int]]]:
    """The additive equations of an extended table, each as (entry, coefficient) pairs summing to 0."""
    eqs = []
    for r in range(rows):
        eqs.append([((r, c), 1) for c in range(cols - 1)] + [((r, cols - 1), -1)])
    for c in range(cols):
        eqs.append([((r, c), 1) for r in range(rows - 1)] + [((rows - 1, c), -1)])
    return eqs


def exposed_entries(table: Sequence[Sequence[int | None]], hidden: set[Pos] | frozenset[Pos],
                    threshold: int) -> set[Pos]:
    """Hidden entries a reader can work out, by linear algebra or by bounds.

    Only visible entries of ``table`` and, for hidden ones, whether they are below the threshold
    (what "<5" and "不公开" say) are read, so tests can run this on the published figures too.
    """
    below = {p for p in hidden if (v := table[p[0]][p[1]]) is None or v < threshold}
    pinned = {p for p, (lo, hi) in reader_bounds(table, below, hidden, threshold).items() if lo == hi}
    return determined_linear(len(table), len(table[0]), hidden) | pinned


def determined_linear(rows: int, cols: int, hidden: set[Pos] | frozenset[Pos]) -> set[Pos]:
    """Hidden entries that a combination of the equations isolates.

    Entry u is determined iff every vector in the null space of the hidden-entry columns is zero at
    u, i.e. u is a pivot column of the reduced row echelon form whose row has no other non-zero.
    """
    unknowns = sorted(hidden)
    index = {p: i for i, p in enumerate(unknowns)}
    matrix = []
    for eq in equations(rows, cols):
        row = [0] * len(unknowns)
        for p, coef in eq:
            if p in index:
                row[index[p]] = coef % PRIME
        if any(row):
            matrix.append(row)
    out = set()
    for row in _rref(matrix, len(unknowns)):
        nonzero = [j for j, v in enumerate(row) if v]
        if len(nonzero) == 1:
            out.add(unknowns[nonzero[0]])
    return out


def _rref(matrix: list[list[int]], width: int) -> list[list[int]]:
    """The non-zero rows of the reduced row echelon form of ``matrix`` over the integers mod PRIME."""
    rows, r = [list(row) for row in matrix], 0
    for c in range(width):
        pivot = next((i for i in range(r, len(rows)) if rows[i][c]), None)
        if pivot is None:
            continue
        rows[r], rows[pivot] = rows[pivot], rows[r]
        inverse = pow(rows[r][c], -1, PRIME)
        lead = [v * inverse % PRIME for v in rows[r]]
        rows[r] = lead
        for i in range(len(rows)):
            factor = rows[i][c]
            if i != r and factor:
                rows[i] = [(a - factor * b) % PRIME for a, b in zip(rows[i], lead, strict=True)]
        r += 1
    return rows[:r]


def reader_bounds(table: Sequence[Sequence[int | None]], below: set[Pos] | frozenset[Pos],
                  hidden: set[Pos] | frozenset[Pos], threshold: int) -> dict[Pos, tuple[float, float]]:
    """The tightest bounds a reader gets by pushing the published ranges through each equation in
    turn until nothing changes: "<threshold" is 0..threshold-1, "不公开" is threshold or more.

    Only visible entries of ``table`` are read; hidden ones may be None.
    """
    bounds: dict[Pos, tuple[float, float]] = {
        p: ((0, threshold - 1) if p in below else (threshold, INF)) for p in hidden
    }
    system = []
    for eq in equations(len(table), len(table[0])):
        terms = [(p, coef) for p, coef in eq if p in bounds]
        if terms:
            known = sum(coef * table[p[0]][p[1]] for p, coef in eq if p not in bounds)
            system.append((terms, known))
    changed = True
    while changed:
        changed = False
        for terms, known in system:
            for p, coef in terms:
                # coef·x_p = -known - Σ others, and the others' range gives x_p's range.
                lo_rest = sum(_lo(bounds[q], k) for q, k in terms if q != p)
                hi_rest = sum(_hi(bounds[q], k) for q, k in terms if q != p)
                a, b = -known - hi_rest, -known - lo_rest  # the range of coef·x_p
                lo, hi = (a, b) if coef == 1 else (-b, -a)
                old = bounds[p]
                new = (max(old[0], lo), min(old[1], hi))
                if new != old:
                    bounds[p] = new
                    changed = True
    return bounds


def _lo(bound: tuple[float, float], coef: int) -> float:
    return bound[0] * coef if coef > 0 else bound[1] * coef


def _hi(bound: tuple[float, float], coef: int) -> float:
    return bound[1] * coef if coef > 0 else bound[0] * coef
