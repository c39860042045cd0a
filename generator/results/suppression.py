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

import bisect
import heapq
import itertools
import math
from collections import defaultdict, deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass

INF = float("inf")
# Hiding a total hides a whole row or column of information: only when no cells will do.
TOTAL_PENALTY = 10_000
# Rectangles tried per exposed entry before settling for the cheapest and looking again (speed).
MAX_TRIES = 12

Pos = tuple[int, int]
# An equation as its hidden terms (entry, coefficient) and its known part: Σ coefficient·entry +
# known = 0.
Equation = tuple[list[tuple[Pos, int]], int]


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
    order = {p: i for i, p in enumerate(positions)}
    primary = {p for p in positions if 0 < table[p[0]][p[1]] < threshold}
    secondary: set[Pos] = set()
    hidden = _Hidden(table, threshold, primary)
    rectangles = _Rectangles(table, primary)
    # Hiding more never makes a safe entry derivable (see _Hidden), so after one full look only the
    # entries found derivable then and those hidden since can be.
    suspects = exposed_entries(table, primary, threshold)
    while True:
        exposed = _first_exposed(hidden, suspects, order)
        if exposed is None:
            break
        choice = _complement(hidden, rectangles, exposed)
        if not choice:  # everything that could help is hidden already
            break
        secondary |= choice
        hidden.add(choice)
        rectangles.hide(choice)
        suspects |= choice
    return Protection(tuple(tuple(row) for row in table), threshold, frozenset(primary), frozenset(secondary))


def _first_exposed(hidden: _Hidden, suspects: set[Pos], order: dict[Pos, int]) -> Pos | None:
    """The first entry in ``order`` that a reader can work out, given that ``suspects`` holds every
    entry that might be; those found safe leave it for good."""
    for p in sorted(suspects, key=order.__getitem__):
        if hidden.exposed(p):
            return p
        suspects.discard(p)
    return None


def _complement(hidden: _Hidden, rectangles: _Rectangles, exposed: Pos) -> set[Pos]:
    """The cheapest rectangle of entries to hide with ``exposed`` so that it can no longer be derived.

    Hiding the other three corners of a rectangle (rows r, r'; columns c, c') leaves every row and
    column equation with two unknowns that can trade value: the classic minimal complement of a
    two-way table. Rectangles are tried cheapest first (the sum of the values newly hidden, so the
    smallest cells go first; a total costs more than any cell, as readers lose more with it).
    """
    cheapest = rectangles.cheapest(exposed, MAX_TRIES)
    for corners in cheapest:
        hidden.add(corners)
        safe = not hidden.exposed(exposed)
        hidden.remove(corners)
        if safe:
            return set(corners)
    # No one rectangle protects it (a reader combines several equations): take the cheapest and
    # look again; each round hides more, so the loop ends.
    return set(cheapest[0]) if cheapest else set()


def _cost(table: list[list[int]], pos: Pos) -> int:
    is_total = pos[0] == len(table) - 1 or pos[1] == len(table[0]) - 1
    return table[pos[0]][pos[1]] + 1 + (TOTAL_PENALTY if is_total else 0)


class _Rectangles:
    """The rectangles through an entry in order of what hiding their corners costs, found without
    pricing every one.

    An option for the exposed entry (r, c) is a row r' and a column c' (r' ≠ r, c' ≠ c); it costs
    the sum of ``_cost`` over those of (r, c'), (r', c) and (r', c') not hidden yet, and options are
    ranked by that cost, then by the sorted list of those corners; one with every corner hidden is
    no option. For each pair of columns, the rows are kept sorted by what hiding their two cells in
    these columns costs; the option (r', c') costs that for row r' and columns c, c', plus the cost
    of (r, c'), so each column c' gives its options in order of cost by walking one such list.
    """

    def __init__(self, table: list[list[int]], hidden: set[Pos]):
        # What hiding each entry costs: nothing for one hidden already (every other costs 1 or more).
        self.open_cost = [
            [0 if (r, c) in hidden else _cost(table, (r, c)) for c in range(len(row))]
            for r, row in enumerate(table)
        ]
        # (column, column) → sorted (cost of the row's two cells, row); made when first needed.
        self.by_columns: dict[tuple[int, int], list[tuple[int, int]]] = {}

    def hide(self, entries: set[Pos]) -> None:
        for r, c in entries:
            line = self.open_cost[r]
            for (a, b), rows in self.by_columns.items():
                if c in (a, b):
                    other = line[b if a == c else a]
                    del rows[bisect.bisect_left(rows, (line[c] + other, r))]
                    bisect.insort(rows, (other, r))
            line[c] = 0

    def cheapest(self, exposed: Pos, count: int) -> list[list[Pos]]:
        """The corners not hidden yet of the ``count`` first options for ``exposed``, in order."""
        r, c = exposed
        across = self.open_cost[r]
        columns = {}  # c' → its rows by cost, and where those with a corner left to hide begin
        for c2 in range(len(across)):
            if c2 != c:
                rows = self._rows(c, c2)
                # With (r, c') hidden, a row with both its cells hidden has nothing left to hide.
                columns[c2] = rows, (0 if across[c2] else bisect.bisect_left(rows, (1, -1)))
        # Every option among the count first costs at most the count-th smallest cost.
        by_cost = [self._costs(r, across[c2], rows, first) for c2, (rows, first) in columns.items()]
        cutoff = max(itertools.islice(heapq.merge(*by_cost), count), default=None)
        if cutoff is None:
            return []
        cheaper, tied = [], []
        for c2, (rows, first) in columns.items():
            level = cutoff - across[c2]  # what row r' adds to an option at the cutoff
            start, end = bisect.bisect_left(rows, (level, -1)), bisect.bisect_left(rows, (level + 1, -1))
            cheaper += self._options(exposed, c2, rows[first:start])
            tied.append(self._options(exposed, c2, rows[start:end]))
        # Within one column, the options of one cost rank by row (r' before r or after it, the
        # corners sort by r' either way), so merging the columns ranks them all.
        ranked = sorted(cheaper) + list(itertools.islice(heapq.merge(*tied), count - len(cheaper)))
        return [corners for _, corners in ranked]

    def _costs(self, r: int, across: int, rows: list[tuple[int, int]], first: int) -> Iterator[int]:
        """The costs of the options in one column, cheapest first: ``across`` is the cost of its
        corner in the exposed entry's row ``r``, ``rows`` the column pair's list."""
        for both, r2 in itertools.islice(rows, first, None):
            if r2 != r:
                yield across + both

    def _rows(self, c: int, c2: int) -> list[tuple[int, int]]:
        pair = (min(c, c2), max(c, c2))
        if pair not in self.by_columns:
            self.by_columns[pair] = sorted((line[c] + line[c2], r2) for r2, line in enumerate(self.open_cost))
        return self.by_columns[pair]

    def _options(self, exposed: Pos, c2: int, rows: list[tuple[int, int]]) -> Iterator[tuple[int, list[Pos]]]:
        """The options (cost, corners) for ``exposed`` in column ``c2`` and these rows."""
        r, c = exposed
        for _, r2 in rows:
            if r2 != r:
                corners = [p for p in sorted([(r, c2), (r2, c), (r2, c2)]) if self.open_cost[p[0]][p[1]]]
                yield sum(self.open_cost[p[0]][p[1]] for p in corners), corners


class _Hidden:
    """The entries hidden so far in a table being protected, and for each the answer of
    ``exposed_entries``, mostly found by a short search instead of the whole analysis.

    A hidden entry is safe when values can trade around a cycle through it: a chain of hidden
    entries, each sharing a row or a column with the next, back to where it started, along which
    moving every value by one (up and down in turn, a total moving with its parts) keeps each
    equation true and each value in its published range ("<5": 0..4, "不公开": 5 or more). The table
    and the traded table are then both solutions: the equations cannot tell them apart, so the entry
    is not determined, and neither can the bounds, as pushing ranges that hold both solutions
    through an equation gives ranges that hold both again; ``reader_bounds`` starts from the
    published ranges, which hold both, and only narrows, so it never narrows below both. Hiding more
    keeps the cycle, so an entry shown safe stays safe.

    A hidden entry is derivable when some of the equations pin it (all of them pin it at least as
    tightly) or when it lies on no cycle at all (a bridge, ``determined_linear``). Only entries that
    are none of these take the whole analysis, on the entries linked to them.
    """

    def __init__(self, table: list[list[int]], threshold: int, entries: set[Pos]):
        self.table, self.threshold = table, threshold
        self.last_row, self.last_col = len(table) - 1, len(table[0]) - 1
        self.entries: set[Pos] = set()
        self.by_row: dict[int, list[Pos]] = defaultdict(list)
        self.by_col: dict[int, list[Pos]] = defaultdict(list)
        self.add(entries)

    def add(self, entries: Iterable[Pos]) -> None:
        for r, c in entries:
            if (r, c) not in self.entries:
                self.entries.add((r, c))
                self.by_row[r].append((r, c))
                self.by_col[c].append((r, c))

    def remove(self, entries: Iterable[Pos]) -> None:
        for r, c in entries:
            self.entries.remove((r, c))
            self.by_row[r].remove((r, c))
            self.by_col[c].remove((r, c))

    def exposed(self, p: Pos) -> bool:
        """Whether a reader can work out the hidden entry ``p``: whether it is in
        ``exposed_entries(table, hidden, threshold)``."""
        if self._pinned(p, [self._row(p[0])]):
            return True
        if any(self._can_move(p, step) and self._on_cycle(p, step) for step in (1, -1)):
            return False
        if not self._on_cycle(p, None) or self._pinned(p, [self._row(p[0]), self._column(p[1])]):
            return True
        return p in self._exposed_linked(p)

    def _pinned(self, p: Pos, system: list[Equation]) -> bool:
        """Whether these equations alone pin ``p``."""
        bounds = _propagate(system, self._published_ranges({q for terms, _ in system for q, _ in terms}))
        return bounds[p][0] == bounds[p][1]

    def _on_cycle(self, p: Pos, step: int | None) -> bool:
        """Whether a chain of other hidden entries leads from p's column back to p's row, so that
        ``p`` lies on a cycle. With ``step``, a chain that values can trade along when ``p`` moves
        by ``step``: entries leaving a column move by -step, those leaving a row by step (before
        the turn round in ``_can_move``), and each must stay in its range.
        """
        r, c = p
        # The columns from which an entry of p's row leads back to it.
        home = {q[1] for q in self.by_row[r] if q != p and (step is None or self._can_move(q, -step))}
        seen_rows, seen_cols, todo = {r}, {c}, [c]
        while todo and home:
            for down in self.by_col[todo.pop()]:
                if down[0] in seen_rows or (step is not None and not self._can_move(down, -step)):
                    continue
                seen_rows.add(down[0])
                for across in self.by_row[down[0]]:
                    if across[1] not in seen_cols and (step is None or self._can_move(across, step)):
                        if across[1] in home:
                            return True
                        seen_cols.add(across[1])
                        todo.append(across[1])
        return False

    def _can_move(self, p: Pos, step: int) -> bool:
        """Whether ``p`` can move by ``step`` in a trade and stay within its published range.

        Around a cycle, two entries that are parts of the line they share move oppositely, and a
        part and the line's total move alike. A station's total is its row's total but a part of
        the total column, and a county month its column's total but a part of the county row, so
        they turn the alternation round; the grand total is the total of both its lines and does
        not.
        """
        r, c = p
        value = self.table[r][c]
        moved = value + (-step if (r == self.last_row) != (c == self.last_col) else step)
        return 0 <= moved < self.threshold if value < self.threshold else moved >= self.threshold

    def _exposed_linked(self, p: Pos) -> set[Pos]:
        """``exposed_entries`` for the entries linked to ``p``, which is the whole table's answer for
        them (see _linked)."""
        linked = self._linked(p)
        system = [self._row(r) for r in {r for r, _ in linked}] + [
            self._column(c) for c in {c for _, c in linked}
        ]
        bounds = _propagate(system, self._published_ranges(linked))
        pinned = {q for q, (lo, hi) in bounds.items() if lo == hi}
        return determined_linear(self.last_row + 1, self.last_col + 1, linked) | pinned

    def _linked(self, p: Pos) -> set[Pos]:
        """The hidden entries joined to ``p`` by a chain of hidden entries, each sharing a row or a
        column with the next.

        Every equation is one row or column, and the hidden entries it ties together are all linked,
        so the equations about linked entries involve no other hidden entry: what a reader can work
        out about them is the same whether the other hidden entries are hidden or shown.
        """
        linked, todo = {p}, [p]
        seen_rows, seen_cols = set(), set()
        while todo:
            r, c = todo.pop()
            for line, seen, index in ((self.by_row, seen_rows, r), (self.by_col, seen_cols, c)):
                if index not in seen:
                    seen.add(index)
                    todo += [q for q in line[index] if q not in linked]
                    linked.update(line[index])
        return linked

    def _row(self, r: int) -> Equation:
        return self._equation(self.by_row[r], lambda p: p[1] == self.last_col)

    def _column(self, c: int) -> Equation:
        return self._equation(self.by_col[c], lambda p: p[0] == self.last_row)

    def _equation(self, entries: list[Pos], is_total: Callable[[Pos], bool]) -> Equation:
        """A line's equation from its hidden entries alone: the known part is minus the hidden
        part, as every line of the extended table adds up to zero (its parts less its total)."""
        terms = [(p, -1 if is_total(p) else 1) for p in entries]
        return terms, -sum(coef * self.table[p[0]][p[1]] for p, coef in terms)

    def _published_ranges(self, entries: set[Pos]) -> dict[Pos, tuple[float, float]]:
        return {p: _published_range(self.table[p[0]][p[1]] < self.threshold, self.threshold) for p in entries}


# --------------------------------------------------------------------------------------------------
# what a reader can work out


def exposed_entries(
    table: Sequence[Sequence[int | None]], hidden: set[Pos] | frozenset[Pos], threshold: int
) -> set[Pos]:
    """Hidden entries a reader can work out, by linear algebra or by bounds.

    Only visible entries of ``table`` and, for hidden ones, whether they are below the threshold
    (what "<5" and "不公开" say) are read, so tests can run this on the published figures too.
    """
    below = {p for p in hidden if (v := table[p[0]][p[1]]) is None or v < threshold}
    pinned = {p for p, (lo, hi) in reader_bounds(table, below, hidden, threshold).items() if lo == hi}
    return determined_linear(len(table), len(table[0]), hidden) | pinned


def determined_linear(rows: int, cols: int, hidden: set[Pos] | frozenset[Pos]) -> set[Pos]:
    """Hidden entries that a combination of the equations isolates.

    Each hidden entry sits in exactly two equations, its row's and its column's, with coefficient
    ±1. Up to signs, which change neither which unit vectors lie in the row space nor whether they
    do (negate the county row's and the total column's equations, then the station totals and the
    county months, then every column's equation), the system is the incidence matrix of a directed
    graph: rows and columns are the nodes, hidden entries the edges. Hidden entries can trade value
    around any cycle of that graph (a rectangle is the smallest), and these trades span the null
    space; so an entry is determined iff it lies on no cycle, i.e. it is a bridge of the graph. This
    holds over any field, so it is the exact answer the row reduction would give, found by one
    depth-first search instead. ``rows`` and ``cols`` are the extended table's size.
    """
    # Node r is row r, node rows + c is column c.
    neighbours: dict[int, list[tuple[int, Pos]]] = defaultdict(list)
    for r, c in hidden:
        neighbours[r].append((rows + c, (r, c)))
        neighbours[rows + c].append((r, (r, c)))
    # Tarjan's bridges, iteratively (a column can hold a thousand hidden entries: no recursion).
    # ``reach`` is the earliest visit order reachable from a node's subtree by one edge not in the
    # tree; the tree edge into a node is a bridge when its subtree reaches nothing visited earlier.
    order: dict[int, int] = {}
    reach: dict[int, int] = {}
    bridges = set()
    for root in neighbours:
        if root in order:
            continue
        order[root] = reach[root] = len(order)
        stack = [(root, None, iter(neighbours[root]))]
        while stack:
            node, tree_edge, untried = stack[-1]
            for other, entry in untried:
                if entry == tree_edge:
                    continue
                if other in order:
                    reach[node] = min(reach[node], order[other])
                else:
                    order[other] = reach[other] = len(order)
                    stack.append((other, entry, iter(neighbours[other])))
                    break
            else:
                stack.pop()
                if stack:
                    parent = stack[-1][0]
                    reach[parent] = min(reach[parent], reach[node])
                    if reach[node] > order[parent]:
                        bridges.add(tree_edge)
    return bridges


def reader_bounds(
    table: Sequence[Sequence[int | None]],
    below: set[Pos] | frozenset[Pos],
    hidden: set[Pos] | frozenset[Pos],
    threshold: int,
) -> dict[Pos, tuple[float, float]]:
    """The tightest bounds a reader gets by pushing the published ranges through each equation in
    turn until nothing changes: "<threshold" is 0..threshold-1, "不公开" is threshold or more.

    Only visible entries of ``table`` are read; hidden ones may be None.
    """
    bounds = {p: _published_range(p in below, threshold) for p in hidden}
    return _propagate(_hidden_equations(table, hidden), bounds)


def _published_range(below: bool, threshold: int) -> tuple[float, float]:
    return (0, threshold - 1) if below else (threshold, INF)


def _hidden_equations(
    table: Sequence[Sequence[int | None]], hidden: set[Pos] | frozenset[Pos]
) -> list[Equation]:
    """The equations of the rows and columns holding hidden entries. A line's last entry is its
    total: its parts, with coefficient 1, less the total make 0."""
    rows, cols = len(table), len(table[0])
    lines = [[(r, c) for c in range(cols)] for r in sorted({r for r, _ in hidden})]
    lines += [[(r, c) for r in range(rows)] for c in sorted({c for _, c in hidden})]
    system = []
    for line in lines:
        terms, known = [], 0
        for i, (r, c) in enumerate(line):
            coef = -1 if i == len(line) - 1 else 1
            if (r, c) in hidden:
                terms.append(((r, c), coef))
            else:
                known += coef * table[r][c]
        system.append((terms, known))
    return system


def _propagate(
    system: list[Equation], bounds: dict[Pos, tuple[float, float]]
) -> dict[Pos, tuple[float, float]]:
    """Narrow ``bounds`` through the equations of ``system`` until none narrows any further."""
    equations_of: dict[Pos, list[int]] = defaultdict(list)
    for i, (terms, _) in enumerate(system):
        for p, _ in terms:
            equations_of[p].append(i)
    # A step only narrows bounds, and from narrower bounds it gives narrower ones; so every order of
    # steps that stops when no equation narrows anything ends at the same bounds, the widest that
    # no equation narrows. An equation needs another look only when one of its entries has changed.
    waiting = deque(range(len(system)))
    queued = set(waiting)
    while waiting:
        i = waiting.popleft()
        queued.remove(i)
        terms, known = system[i]
        for p, narrowed in _narrowed(terms, known, bounds):
            bounds[p] = narrowed
            for j in equations_of[p]:
                if j not in queued:
                    queued.add(j)
                    waiting.append(j)
    return bounds


def _narrowed(
    terms: list[tuple[Pos, int]], known: int, bounds: dict[Pos, tuple[float, float]]
) -> list[tuple[Pos, tuple[float, float]]]:
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
    return sum(finite), len(parts) - len(finite)


def _sum_without(finite_sum: int, infinite: int, own: float, infinity: float) -> float:
    """The sum of all parts but ``own``, from ``_finite_sum``; infinite parts all equal ``infinity``."""
    if math.isinf(own):
        return infinity if infinite > 1 else finite_sum
    return infinity if infinite else finite_sum - own


def _lo(bound: tuple[float, float], coef: int) -> float:
    return bound[0] * coef if coef > 0 else bound[1] * coef


def _hi(bound: tuple[float, float], coef: int) -> float:
    return bound[1] * coef if coef > 0 else bound[0] * coef
