"""Site build time by engine: ``stationsite build --engine mkdocs`` against ``--engine zensical``,
cold and warm, side by side in one run.

For each size N (default 10, 100, 1000 stations) a synthetic county (benchmarks/synthetic.py) is
built by both engines, each build a fresh process (imports included), without posters (the same core
code for both engines: benchmarks/poster_bench.py measures them):

- cold: no cache of either engine (``<repo>/.cache/zensical`` removed; MkDocs keeps none);
- warm: the same build again, nothing changed: Zensical reuses its cache of rendered pages,
  MkDocs has none to reuse (the row shows what a county's daily rebuild costs).

Runs alternate between the engines (both cold builds, then both warm ones) so machine noise hits
both alike; the figure is the median. Each build's time is also printed to stderr as it ends.
Both builds must give the same set of pages, or the comparison is not of like with like.

Run: ``python benchmarks/engine_bench.py [--sizes 10,100,1000] [--repeat 3]`` (needs
``pip install 'stationsite[zensical]'``).
"""

from __future__ import annotations

import argparse
import shutil
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

ENGINES = ("mkdocs", "zensical")


def build(repo: Path, engine: str, site: Path) -> float:
    cmd = [sys.executable, "-m", "generator", "build", "--root", str(repo), "--no-posters"]
    cmd += ["--engine", engine, "--site-dir", str(site)]
    started = time.perf_counter()
    run = subprocess.run(cmd, capture_output=True, text=True)
    took = time.perf_counter() - started
    if run.returncode != 0:
        raise SystemExit(f"failed: {' '.join(cmd)}\n{run.stdout[-2000:]}\n{run.stderr[-2000:]}")
    return took


def measure(n: int, repeat: int, work: Path) -> dict[str, object]:
    repo = make_county(work / f"county{n}", n)
    times: dict[tuple[str, str], list[float]] = {(e, k): [] for e in ENGINES for k in ("cold", "warm")}
    for _ in range(repeat):
        shutil.rmtree(repo / ".cache" / "zensical", ignore_errors=True)
        # Both cold builds first, then both warm ones: a run cut short still has both cold figures.
        for kind in ("cold", "warm"):
            for engine in ENGINES:
                took = build(repo, engine, work / f"site-{engine}{n}")
                times[engine, kind].append(took)
                # Each build as it ends: a 1,000-station row takes hours on a loaded machine.
                print(f"… {n} 个站点 {engine} {kind}: {took:.1f}s", file=sys.stderr, flush=True)
    pages = {e: sum(1 for _ in (work / f"site-{e}{n}").rglob("index.html")) for e in ENGINES}
    assert len(set(pages.values())) == 1, f"{n} stations: the engines made different pages {pages}"
    return {"pages": pages["mkdocs"], **{f"{e} {k}": statistics.median(v) for (e, k), v in times.items()}}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10,100,1000")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    print(
        f"{'stations':>8} {'pages':>6} {'mkdocs cold':>12} {'zensical cold':>14} {'ratio':>6} "
        f"{'mkdocs warm':>12} {'zensical warm':>14} {'ratio':>6}",
        flush=True,
    )
    with tempfile.TemporaryDirectory(prefix="engine-bench-") as tmp:
        for n in (int(s) for s in args.sizes.split(",")):
            print(f"… {n} 个站点", file=sys.stderr, flush=True)
            r = measure(n, args.repeat, Path(tmp))
            mc, zc, mw, zw = (
                float(r[k]) for k in ("mkdocs cold", "zensical cold", "mkdocs warm", "zensical warm")
            )  # type: ignore[arg-type]
            print(
                f"{n:>8} {r['pages']:>6} {mc:>11.2f}s {zc:>13.2f}s {zc / mc:>6.2f} {mw:>11.2f}s {zw:>13.2f}s {zw / mw:>6.2f}",
                flush=True,
            )
    print(
        f"(median of {args.repeat} runs each, engines alternating; each a fresh `stationsite build --no-posters`"
        " process including imports, load, check and open data;\n"
        " ratio = zensical / mkdocs; warm = the same build again with nothing changed)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
