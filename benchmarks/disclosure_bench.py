"""How long publishing counts of people (generator/results/disclosure.py ``disclose``: rounding and
the replay of every monthly release) takes as stations grow.

Three kinds of stations × 10 months tables, threshold 5, each seeded so that runs compare (a larger
table is a smaller one with stations added):

- county: counts as the synthetic county's people counts (0..4 a month), nearly all "<5";
- small: mostly counts below 5 with some zeros and sevens, where rounded figures meet at their
  edges most often and totals get withheld;
- sparse: one count in twenty below 5 among zeros and larger counts.

Run: ``python benchmarks/disclosure_bench.py [--sizes 100,300,1000] [--repeat 3]``. Reports the
median of the runs and the time per station, so a super-linear step shows up as a growing
per-station figure.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from generator.results.disclosure import disclose  # noqa: E402

MONTHS, THRESHOLD = 10, 5


def county(rng: random.Random) -> int:
    return rng.randint(0, 4)


def small(rng: random.Random) -> int:
    return rng.choice([0, 0, 1, 2, 3, 4, 7])


def sparse(rng: random.Random) -> int:
    return rng.randint(1, 4) if rng.random() < 0.05 else rng.choice([0, rng.randint(5, 60)])


KINDS: dict[str, Callable[[random.Random], int]] = {"county": county, "small": small, "sparse": sparse}


def median_seconds(kind: str, stations: int, runs: int) -> tuple[float, int]:
    rng = random.Random(kind)
    cells = [[KINDS[kind](rng) for _ in range(MONTHS)] for _ in range(stations)]
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        published = disclose(cells, MONTHS, THRESHOLD)
        times.append(time.perf_counter() - start)
    return statistics.median(times), len(published.withheld)


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="100,300,1000")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args(argv)
    print(f"{'table':>7} {'stations':>9} {'withheld':>9} {'median s':>9} {'ms/station':>11}")
    for kind in KINDS:
        for stations in map(int, args.sizes.split(",")):
            seconds, withheld = median_seconds(kind, stations, args.repeat)
            print(f"{kind:>7} {stations:>9} {withheld:>9} {seconds:>9.3f} {seconds / stations * 1000:>11.2f}")


if __name__ == "__main__":
    main(sys.argv[1:])
