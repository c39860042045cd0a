"""generator/suppression.py scales with the number of stations and still hides exactly what the
straightforward method hides.

The reference below is that method, kept deliberately naive: dense rows reduced modulo a prime for
the linear algebra, every equation swept until nothing changes for the bounds, and the whole table
analysed again for every rectangle tried. ``protect`` must choose the same entries on every table,
and the three reader functions must give the same answers on published figures (hidden values None).
"""

from __future__ import annotations

import random

import pytest

from generator.results.suppression import (
    INF,
    MAX_TRIES,
    TOTAL_PENALTY,
    determined_linear,
    exposed_entries,
    extend,
    protect,
    reader_bounds,
)

PRIME = 2_147_483_647  # the reference reduces modulo an odd prime, which gives the rational rank here

# -- the reference ---------------------------------------------------------------------------------


def ref_protect(cells, width, threshold):
    table = extend(cells, width)
    positions = sorted(
        ((r, c) for r in range(len(table)) for c in range(len(table[0]))),
        key=lambda p: (p[0] == len(table) - 1 or p[1] == len(table[0]) - 1, p),
    )
    primary = {p for p in positions if 0 < table[p[0]][p[1]] < threshold}
    secondary = set()
    while True:
        found = ref_exposed(table, primary | secondary, threshold)
        exposed = next((p for p in positions if p in found), None)
        if exposed is None:
            break
        choice = ref_complement(table, primary | secondary, threshold, exposed)
        if not choice:
            break
        secondary |= choice
    return primary, secondary


def ref_complement(table, hidden, threshold, exposed):
    r, c = exposed
    options = []
    for r2 in range(len(table)):
        for c2 in range(len(table[0])):
            corners = {(r, c2), (r2, c), (r2, c2)} - hidden
            if r2 != r and c2 != c and corners:
                options.append((sum(ref_cost(table, p) for p in corners), sorted(corners)))
    options.sort()
    for _, corners in options[:MAX_TRIES]:
        if exposed not in ref_exposed(table, hidden | set(corners), threshold):
            return set(corners)
    return set(options[0][1]) if options else set()


def ref_cost(table, pos):
    is_total = pos[0] == len(table) - 1 or pos[1] == len(table[0]) - 1
    return table[pos[0]][pos[1]] + 1 + (TOTAL_PENALTY if is_total else 0)


def ref_equations(rows, cols):
    eqs = [[((r, c), 1) for c in range(cols - 1)] + [((r, cols - 1), -1)] for r in range(rows)]
    eqs += [[((r, c), 1) for r in range(rows - 1)] + [((rows - 1, c), -1)] for c in range(cols)]
    return eqs


def ref_exposed(table, hidden, threshold):
    below = {p for p in hidden if (v := table[p[0]][p[1]]) is None or v < threshold}
    pinned = {p for p, (lo, hi) in ref_bounds(table, below, hidden, threshold).items() if lo == hi}
    return ref_determined(len(table), len(table[0]), hidden) | pinned


def ref_determined(rows, cols, hidden):
    unknowns = sorted(hidden)
    index = {p: i for i, p in enumerate(unknowns)}
    matrix = []
    for eq in ref_equations(rows, cols):
        row = [0] * len(unknowns)
        for p, coef in eq:
            if p in index:
                row[index[p]] = coef % PRIME
        if any(row):
            matrix.append(row)
    reduced, rank = matrix, 0
    for col in range(len(unknowns)):
        pivot = next((i for i in range(rank, len(reduced)) if reduced[i][col]), None)
        if pivot is None:
            continue
        reduced[rank], reduced[pivot] = reduced[pivot], reduced[rank]
        inverse = pow(reduced[rank][col], -1, PRIME)
        lead = reduced[rank] = [v * inverse % PRIME for v in reduced[rank]]
        for i, row in enumerate(reduced):
            if i != rank and row[col]:
                reduced[i] = [(a - row[col] * b) % PRIME for a, b in zip(row, lead, strict=True)]
        rank += 1
    out = set()
    for row in reduced[:rank]:
        nonzero = [j for j, v in enumerate(row) if v]
        if len(nonzero) == 1:
            out.add(unknowns[nonzero[0]])
    return out


def ref_bounds(table, below, hidden, threshold):
    bounds = {p: ((0, threshold - 1) if p in below else (threshold, INF)) for p in hidden}
    system = []
    for eq in ref_equations(len(table), len(table[0])):
        terms = [(p, coef) for p, coef in eq if p in bounds]
        if terms:
            system.append((terms, sum(coef * table[p[0]][p[1]] for p, coef in eq if p not in bounds)))

    def lo_of(p, k):
        return bounds[p][0] * k if k > 0 else bounds[p][1] * k

    def hi_of(p, k):
        return bounds[p][1] * k if k > 0 else bounds[p][0] * k

    changed = True
    while changed:
        changed = False
        for terms, known in system:
            for p, coef in terms:
                lo_rest = sum(lo_of(q, k) for q, k in terms if q != p)
                hi_rest = sum(hi_of(q, k) for q, k in terms if q != p)
                a, b = -known - hi_rest, -known - lo_rest
                lo, hi = (a, b) if coef == 1 else (-b, -a)
                new = (max(bounds[p][0], lo), min(bounds[p][1], hi))
                if new != bounds[p]:
                    bounds[p] = new
                    changed = True
    return bounds


# -- random tables ---------------------------------------------------------------------------------


def random_cells(rng: random.Random, stations: int, months: int, threshold: int) -> list[list[int]]:
    """Counts with a table-wide mix of zeros, small counts and larger ones."""
    zeros, small = rng.random() * 0.6, rng.random() * 0.6

    def count() -> int:
        x = rng.random()
        if x < zeros:
            return 0
        if x < zeros + small:
            return rng.randint(1, threshold - 1)
        return rng.randint(threshold, threshold + rng.choice([3, 40]))

    return [[count() for _ in range(months)] for _ in range(stations)]


def small_tables(count: int, seed: int):
    """(cells, months, threshold): up to nine stations and seven months, either possibly none."""
    rng = random.Random(seed)
    for _ in range(count):
        threshold, months = rng.randint(3, 10), rng.randint(0, 7)
        yield random_cells(rng, rng.randint(0, 9), months, threshold), months, threshold


def hide(table: list[list[int]], hidden: set[tuple[int, int]]) -> list[list[int | None]]:
    """The table as published: hidden values are None."""
    return [[None if (r, c) in hidden else v for c, v in enumerate(row)] for r, row in enumerate(table)]


@pytest.mark.parametrize("seed", range(4))
def test_protect_hides_what_the_reference_hides(seed):
    secondary_seen = 0
    for cells, months, threshold in small_tables(150, seed):
        got = protect(cells, months, threshold)
        primary, secondary = ref_protect(cells, months, threshold)
        assert (got.primary, got.secondary) == (primary, secondary), (cells, threshold)
        assert got.values == tuple(map(tuple, extend(cells, months)))
        secondary_seen += bool(secondary)
    assert secondary_seen > 30  # the tables exercise secondary suppression, not just primary


@pytest.mark.parametrize("seed", range(3))
def test_protect_hides_what_the_reference_hides_on_larger_tables(seed):
    rng = random.Random(100 + seed)
    threshold = rng.randint(3, 10)
    cells = random_cells(rng, rng.randint(25, 45), rng.randint(8, 12), threshold)
    got = protect(cells, len(cells[0]), threshold)
    assert (got.primary, got.secondary) == ref_protect(cells, len(cells[0]), threshold)


@pytest.mark.parametrize("seed", range(3))
def test_reader_functions_match_the_reference_on_published_figures(seed):
    rng = random.Random(200 + seed)
    for _ in range(120):
        threshold, months = rng.randint(3, 10), rng.randint(0, 6)
        table = extend(random_cells(rng, rng.randint(0, 8), months, threshold), months)
        entries = [(r, c) for r in range(len(table)) for c in range(len(table[0]))]
        hidden = set(rng.sample(entries, rng.randint(0, len(entries))))
        below = {p for p in hidden if table[p[0]][p[1]] < threshold}
        published = hide(table, hidden)
        assert reader_bounds(published, below, hidden, threshold) == ref_bounds(
            published, below, hidden, threshold
        )
        assert determined_linear(len(table), len(table[0]), hidden) == ref_determined(
            len(table), len(table[0]), hidden
        )
        assert exposed_entries(table, hidden, threshold) == ref_exposed(table, hidden, threshold)
        # Without values, exposed_entries takes every hidden entry for a "<threshold" one.
        published = hide(table, below)
        assert exposed_entries(published, below, threshold) == ref_exposed(published, below, threshold)


def test_a_thousand_stations_of_mostly_small_counts_leave_nothing_derivable():
    """Hundreds of rounds of secondary suppression, one entry alone taking over two hundred (its row
    pins it until a rectangle through its row is cheapest). Speed is measured by
    benchmarks/suppression_bench.py, not here: a test on a shared machine must not time itself."""
    rng = random.Random("small")
    cells = [[rng.choice([0, 0, 1, 2, 3, 4, 7]) for _ in range(10)] for _ in range(1000)]
    result = protect(cells, 10, 5)
    assert len(result.secondary) > 300
    assert not exposed_entries(result.values, result.primary | result.secondary, 5)
