"""Site build time: ours against a plain ``mkdocs build`` of the same pages, side by side in one run.

For each size N (default 10, 100, 1000 stations), a synthetic county (benchmarks/synthetic.py) is
built two ways, each in a fresh process, alternating so machine noise hits both alike:

- ours:  ``stationsite build --no-posters`` — load, validate, results, pages, MkDocs, open data;
- plain: ``mkdocs build`` of the very same pages written out beforehand as ordinary Markdown files
  (``stationsite export``, generator/export.py), with the same theme, search and Markdown settings and the
  same navigation (station pages out of the nav), but no stationsite plugin.

The difference is our overhead. Posters are measured by benchmarks/poster_bench.py.

Run: ``python benchmarks/site_bench.py [--sizes 10,100,1000] [--repeat 3]``.
"""

from __future__ import annotations

import argparse
import gzip
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE))

from synthetic import make_county  # noqa: E402


def write_plain_twin(repo: Path, dest: Path) -> Path:
    """The same site as hand-written Markdown: a docs tree and a mkdocs.yml without our plugin."""
    from generator.site.export import export_project

    export_project(repo, dest)
    return dest


def timed(cmd: list[str]) -> float:
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1")
    started = time.perf_counter()
    run = subprocess.run(cmd, capture_output=True, text=True, env=env)
    took = time.perf_counter() - started
    if run.returncode != 0:
        raise SystemExit(f"failed: {' '.join(cmd)}\n{run.stdout[-2000:]}\n{run.stderr[-2000:]}")
    return took


def measure(n: int, repeat: int, work: Path) -> tuple[float, float]:
    repo = make_county(work / f"county{n}", n)
    plain = write_plain_twin(repo, work / f"plain{n}")
    ours_times, plain_times = [], []
    for _ in range(repeat):
        ours_times.append(
            timed(
                [
                    sys.executable,
                    "-m",
                    "generator",
                    "build",
                    "--root",
                    str(repo),
                    "--no-posters",
                    "--site-dir",
                    str(work / f"site-ours{n}"),
                ]
            )
        )
        plain_times.append(
            timed(
                [
                    sys.executable,
                    "-m",
                    "mkdocs",
                    "build",
                    "-q",
                    "-f",
                    str(plain / "mkdocs.yml"),
                    "-d",
                    str(work / f"site-plain{n}"),
                ]
            )
        )
    # The search index is fetched by every first visit (the theme loads it on page load), so its
    # size grows every resident's download with the county: report it with the times.
    index = (work / f"site-ours{n}" / "search" / "search_index.json").read_bytes()
    index_kb = len(gzip.compress(index, mtime=0)) / 1024
    pages = sum(1 for _ in (work / f"site-ours{n}").rglob("index.html"))
    plain_pages = sum(1 for _ in (work / f"site-plain{n}").rglob("index.html"))
    # The two builds must make the same site, or the comparison is not of like with like.
    assert pages == plain_pages, f"{n} stations: ours made {pages} pages, the plain build {plain_pages}"
    return pages, index_kb, statistics.median(ours_times), statistics.median(plain_times)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10,100,1000")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    rows = []
    with tempfile.TemporaryDirectory(prefix="site-bench-") as tmp:
        for n in sizes:
            print(f"… {n} 个站点", file=sys.stderr, flush=True)
            rows.append((n, *measure(n, args.repeat, Path(tmp))))
    print(
        f"{'stations':>8} {'pages':>6} {'ours s':>8} {'plain s':>8} {'overhead':>9} {'ours ms/st':>11} "
        f"{'plain ms/st':>12} {'ours Δms/st':>12} {'plain Δms/st':>13} {'index gz':>9}"
    )
    previous = None
    for n, pages, index_kb, ours, plain in rows:
        # Δ: the cost of each station added since the previous size, without the fixed start-up cost
        # (imports, theme assets, the hand-written pages) that dominates small counties.
        if previous and n > previous[0]:
            d_ours = f"{1000 * (ours - previous[2]) / (n - previous[0]):>12.1f}"
            d_plain = f"{1000 * (plain - previous[3]) / (n - previous[0]):>13.1f}"
        else:
            d_ours, d_plain = f"{'':>12}", f"{'':>13}"
        print(
            f"{n:>8} {pages:>6} {ours:>8.2f} {plain:>8.2f} {100 * (ours / plain - 1):>8.0f}% "
            f"{1000 * ours / n:>11.1f} {1000 * plain / n:>12.1f} {d_ours} {d_plain} {index_kb:>7.0f}KB"
        )
        previous = (n, pages, ours, plain)
    print(
        f"(median of {args.repeat} runs each, alternating; each a fresh process including imports; "
        "pages = HTML pages in the built site;\n"
        " Δ = per station added since the previous size; index gz = search/search_index.json gzipped)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
