"""How long loading and validating a county takes: the sample, and the sample copied to many stations.

Run: ``python benchmarks/load_bench.py``. Reports the median of several runs of each size side by
side, and the time per station, so a non-linear check shows up as a growing per-station figure.
"""

from __future__ import annotations

import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from generator.content.load import load_content  # noqa: E402


def copy_with_stations(dest: Path, copies: int) -> Path:
    """The sample with its township stations duplicated ``copies`` times under new slugs."""
    shutil.copytree(ROOT / "content", dest / "content")
    shutil.copytree(ROOT / "stations", dest / "stations")
    towns = [p for p in (ROOT / "stations").iterdir() if p.name != "hub"]
    for i in range(1, copies):
        for town in towns:
            shutil.copytree(town, dest / "stations" / f"{town.name}-{i}")
    return dest


def median_seconds(root: Path, runs: int) -> tuple[float, int]:
    times, count = [], 0
    for _ in range(runs):
        start = time.perf_counter()
        content, problems = load_content(root)
        times.append(time.perf_counter() - start)
        assert not problems, problems[:3]
        count = len(content.stations)
    return statistics.median(times), count


def main() -> None:
    print(f"{'stations':>9} {'median s':>9} {'ms/station':>11}")
    for copies in (1, 10, 100):
        with tempfile.TemporaryDirectory() as tmp:
            root = copy_with_stations(Path(tmp), copies)
            seconds, count = median_seconds(root, runs=5 if copies < 100 else 3)
            print(f"{count:>9} {seconds:>9.3f} {seconds / count * 1000:>11.2f}")


if __name__ == "__main__":
    main()
