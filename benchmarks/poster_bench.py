"""How long posters take: our pipeline against a plain WeasyPrint render, side by side, one run.

Run: ``python benchmarks/poster_bench.py [--root .] [--plain N] [--runs N] [--cold-runs N]``.
Reports, for the county at ``--root`` (default: the sample), the median of ``--runs`` runs (the
cold build: of ``--cold-runs``, it is slow) and every run's figure beside it:

- cold: every poster rendered (empty PDF cache; the font subset is made first if this machine has
  never made it — reported separately), in seconds per poster;
- warm: the same build again (everything from the cache);
- one station changed: an activity added this week at the first station, as after an editor's
  pull request (a new title each run, so each run has one station to render); measured in this
  process (WeasyPrint already imported) and in a fresh Python process, as ``stationsite build``
  or ``stationsite posters`` runs it: its wall time from start to exit (interpreter, imports,
  loading and checking the content, results, posters), the posters step alone inside it, and its
  CPU time (user + system, with pdftoppm's) — the figure a loaded machine disturbs least;
- plain: the same HTML rendered by WeasyPrint with the system Noto Sans CJK collection and no
  subset/cache/pool, for ``--plain`` posters only (it is slow), in seconds per poster.

The machine this runs on may be shared: ``os.getloadavg()`` is printed before and after.
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from generator.clock import build_moment  # noqa: E402
from generator.content.load import load_content  # noqa: E402
from generator.posters import build_posters  # noqa: E402
from generator.posters.build import plan  # noqa: E402
from generator.posters.render import Fit, default_fit, pdf_stylesheet  # noqa: E402

SITE_URL = "https://zhouning-mzfwz.example/"


def report_for(content, today: dt.date):
    try:
        from generator.results.progress import compute_results
    except ImportError:  # results module not there yet: the stand-in of the tests
        sys.path.insert(0, str(ROOT / "tests"))
        from test_posters_support import StandInReport

        return StandInReport(content, today)
    return compute_results(content, today)


def mini_county(dest: Path) -> Path:
    import shutil

    sys.path.insert(0, str(ROOT / "tests"))
    from test_posters_support import write_mini_county

    write_mini_county(dest)
    for town in ("qibu", "lidun", "limen", "xiancun", "puyuan", "siqiao", "chunchi", "makeng"):
        shutil.copytree(dest / "stations" / "shicheng", dest / "stations" / town)
        yml = dest / "stations" / town / "station.yml"
        yml.write_text(
            yml.read_text(encoding="utf-8")
            .replace("狮城镇", f"{town}镇")
            .replace('"13900000000", public_phone: true', '"13900000000", public_phone: true'),
            encoding="utf-8",
        )
    return dest


def with_activity_added(content, moment, title: str):
    """``content`` after an editor adds an activity this week at the first station that has any."""
    first = next(s for s in content.stations if s.activities)
    added = dataclasses.replace(first.activities[0], date=moment.date(), title=title)
    edited = dataclasses.replace(
        first, activities=tuple(sorted(first.activities + (added,), key=lambda a: (a.date, a.start)))
    )
    return dataclasses.replace(content, stations=tuple(edited if s is first else s for s in content.stations))


def one_station_child(root: Path, cache: Path, title: str) -> str:
    """In a new interpreter: the one-station rebuild (another edit) against ``cache``; prints the
    posters step's seconds and the process's CPU seconds so far (the parent times the whole)."""
    import resource

    content, problems = load_content(root)
    assert content is not None, problems[:3]
    moment = build_moment()
    report = report_for(content, moment.date())
    changed = with_activity_added(content, moment, title)
    with tempfile.TemporaryDirectory() as out:
        took, _ = timed(lambda: build_posters(changed, report, Path(out), SITE_URL, moment, cache_dir=cache))
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime
    return f"{took} {cpu}"


def fresh_process(root: Path, cache: Path, title: str) -> tuple[float, float, float]:
    """(wall seconds from start to exit, the posters step's seconds, CPU seconds) of a child."""
    start = time.perf_counter()
    out = subprocess.run(
        [sys.executable, __file__, "--root", str(root), "--one-station-child", str(cache), "--title", title],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    wall = time.perf_counter() - start
    step, cpu = (float(x) for x in out.split())
    return wall, step, cpu


def timed(fn, *args, **kwargs):
    start = time.perf_counter()
    value = fn(*args, **kwargs)
    return time.perf_counter() - start, value


def plain_render(html: str, fit: Fit) -> float:
    """WeasyPrint as one would call it without our work: system font collection, no cache, one core."""
    from weasyprint import CSS, HTML

    css = CSS(
        string=pdf_stylesheet(fit) + '\nbody { font-family: "Noto Sans CJK SC", sans-serif !important; }'
    )
    start = time.perf_counter()
    pdf = HTML(string=html).write_pdf(stylesheets=[css])
    took = time.perf_counter() - start

    with tempfile.NamedTemporaryFile(suffix=".pdf") as f:
        f.write(pdf)
        f.flush()
        fonts = subprocess.run(["pdffonts", f.name], capture_output=True, text=True).stdout
    assert "Noto-Sans-CJK-SC" in fonts and "StationSite" not in fonts, fonts
    return took


def _median(values: list[float]) -> float:
    return statistics.median(values)


def _row(label: str, values: list[float], per: int | None = None) -> str:
    med = _median(values)
    each = " ".join(f"{v:.2f}" for v in values)
    per_poster = f"{med / per:>9.3f}" if per else f"{'':>9}"
    return f"{label:<46} {med:>8.2f} {per_poster}   runs: {each}"


def main() -> None:
    import os
    import shutil

    parser = argparse.ArgumentParser()
    parser.add_argument("--root", default=str(ROOT))
    parser.add_argument("--plain", type=int, default=3, help="posters to render the plain way (slow)")
    parser.add_argument("--runs", type=int, default=3, help="runs of warm and one-station (median)")
    parser.add_argument("--cold-runs", type=int, default=1, help="cold builds (each renders everything)")
    parser.add_argument(
        "--mini",
        action="store_true",
        help="the tests' small county with its town copied to 10 stations (no sample needed)",
    )
    parser.add_argument("--one-station-child", metavar="CACHE", help=argparse.SUPPRESS)
    parser.add_argument("--title", default="又一项临时增加的活动", help=argparse.SUPPRESS)
    args = parser.parse_args()
    root = Path(args.root)
    if args.one_station_child:
        print(one_station_child(root, Path(args.one_station_child), args.title))
        return
    if args.mini or not (root / "stations").is_dir() or not any((root / "stations").iterdir()):
        root = mini_county(Path(tempfile.mkdtemp()))
    load_before = os.getloadavg()
    content, problems = load_content(root)
    assert content is not None, problems[:3]
    moment = build_moment()
    report = report_for(content, moment.date())
    with tempfile.TemporaryDirectory() as tmp:
        tmp_path = Path(tmp)
        cache = tmp_path / "cache"
        fonts_took, _ = timed(
            build_posters,
            dataclasses.replace(content, stations=content.stations[:1]),
            report,
            tmp_path / "warmup",
            SITE_URL,
            moment,
            cache_dir=cache,
        )
        n = len(plan(content, report, SITE_URL, moment))
        cold, warm, one, fresh = [], [], [], []
        for run in range(max(args.cold_runs, 1)):
            # keep the font subset (and its character maps), drop the rest: everything renders
            for entry in cache.iterdir():
                if entry.name != "fonts":
                    shutil.rmtree(entry)
            took, _ = timed(
                build_posters, content, report, tmp_path / f"a{run}", SITE_URL, moment, cache_dir=cache
            )
            cold.append(took)
        for run in range(args.runs):
            took, _ = timed(
                build_posters, content, report, tmp_path / f"b{run}", SITE_URL, moment, cache_dir=cache
            )
            warm.append(took)
        for run in range(args.runs):
            changed = with_activity_added(content, moment, f"临时增加的政策宣讲（第 {run + 1} 次）")
            took, _ = timed(
                build_posters, changed, report, tmp_path / f"c{run}", SITE_URL, moment, cache_dir=cache
            )
            one.append(took)
        for run in range(args.runs):
            fresh.append(fresh_process(root, cache, f"又一项临时增加的活动（第 {run + 1} 次）"))
        jobs = plan(content, report, SITE_URL, moment)[: args.plain]
        plain = [plain_render(j.html, default_fit(j.spec)) for j in jobs]
    load_after = os.getloadavg()

    print(f"sample: {len(content.stations)} stations, {n} posters (+ {len(content.stations)} all.pdf)")
    print(f"load average (1, 5, 15 min) before {load_before} after {load_after}; {os.cpu_count()} cores")
    print(f"font subset, first build on a machine (with 1 station): {fonts_took:.1f} s")
    print(f"{'case (median of the runs)':<46} {'total s':>8} {'s/poster':>9}")
    print(_row("ours, cold (all rendered, 2 cores)", cold, n))
    print(_row("ours, warm (nothing changed)", warm, n))
    print(_row("ours, one station's activities changed", one))
    print(_row("  the same, fresh process: start to exit", [w for w, _, _ in fresh]))
    print(_row("  of which the posters step", [s for _, s, _ in fresh]))
    print(_row("  its CPU time (user + system)", [c for _, _, c in fresh]))
    print(_row(f"plain WeasyPrint, system font ({len(plain)} posters)", plain, 1))


if __name__ == "__main__":
    main()
