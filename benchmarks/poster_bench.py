"""How long posters take: our pipeline against a plain WeasyPrint render, side by side, one run.

Run: ``python benchmarks/poster_bench.py [--root .] [--plain N]``. Reports, for the county at
``--root`` (default: the sample):

- cold: every poster rendered (empty PDF cache; the font subset is made first if this machine has
  never made it — reported separately), in seconds per poster;
- warm: the same build again (everything from the cache);
- one station changed: an activity added this week at the first station, as after an editor's
  pull request; measured twice: in this process (WeasyPrint already imported by the warm-up) and
  in a fresh Python process, as ``stationsite build`` runs it (WeasyPrint's import included);
- plain: the same HTML rendered by WeasyPrint with the system Noto Sans CJK collection and no
  subset/cache/pool, for ``--plain`` posters only (it is slow), in seconds per poster.
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


def one_station_child(root: Path, cache: Path) -> float:
    """In a new interpreter: the one-station rebuild (another edit) against ``cache``; its seconds."""
    content, problems = load_content(root)
    assert content is not None, problems[:3]
    moment = build_moment()
    report = report_for(content, moment.date())
    changed = with_activity_added(content, moment, "又一项临时增加的活动")
    with tempfile.TemporaryDirectory() as out:
        took, _ = timed(lambda: build_posters(changed, report, Path(out), SITE_URL, moment, cache_dir=cache))
    return took


def timed(fn):
    start = time.perf_counter()
    value = fn()
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


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--root", default=str(ROOT))
    parser.add_argument("--plain", type=int, default=3, help="posters to render the plain way (slow)")
    parser.add_argument(
        "--mini",
        action="store_true",
        help="the tests' small county with its town copied to 10 stations (no sample needed)",
    )
    parser.add_argument("--one-station-child", metavar="CACHE", help=argparse.SUPPRESS)
    args = parser.parse_args()
    root = Path(args.root)
    if args.one_station_child:
        print(one_station_child(root, Path(args.one_station_child)))
        return
    if args.mini or not (root / "stations").is_dir() or not any((root / "stations").iterdir()):
        root = mini_county(Path(tempfile.mkdtemp()))
    content, problems = load_content(root)
    assert content is not None, problems[:3]
    moment = build_moment()
    report = report_for(content, moment.date())
    with tempfile.TemporaryDirectory() as tmp:
        tmp_path = Path(tmp)
        cache = tmp_path / "cache"
        fonts_took, _ = timed(
            lambda: build_posters(
                dataclasses.replace(content, stations=content.stations[:1]),
                report,
                tmp_path / "warmup",
                SITE_URL,
                moment,
                cache_dir=cache,
            )
        )
        # keep the font subset, drop the rendered posters: the cold build below renders everything
        for entry in cache.iterdir():
            if entry.name != "fonts":
                import shutil

                shutil.rmtree(entry)
        n = len(plan(content, report, SITE_URL, moment))
        cold, _ = timed(
            lambda: build_posters(content, report, tmp_path / "a", SITE_URL, moment, cache_dir=cache)
        )
        warm, _ = timed(
            lambda: build_posters(content, report, tmp_path / "b", SITE_URL, moment, cache_dir=cache)
        )
        changed = with_activity_added(content, moment, "临时增加的政策宣讲")
        one, _ = timed(
            lambda: build_posters(changed, report, tmp_path / "c", SITE_URL, moment, cache_dir=cache)
        )
        one_fresh = float(
            subprocess.run(
                [sys.executable, __file__, "--root", str(root), "--one-station-child", str(cache)],
                check=True,
                capture_output=True,
                text=True,
            ).stdout
        )
        jobs = plan(content, report, SITE_URL, moment)[: args.plain]
        plain = [plain_render(j.html, default_fit(j.spec)) for j in jobs]

    print(f"sample: {len(content.stations)} stations, {n} posters (+ {len(content.stations)} all.pdf)")
    print(f"font subset, first build on a machine (with 1 station): {fonts_took:.1f} s")
    print(f"{'case':<44} {'total s':>8} {'s/poster':>9}")
    print(f"{'ours, cold (all rendered, 2 cores)':<44} {cold:>8.2f} {cold / n:>9.3f}")
    print(f"{'ours, warm (nothing changed)':<44} {warm:>8.2f} {warm / n:>9.3f}")
    print(f"{'ours, one station activities changed':<44} {one:>8.2f} {'':>9}")
    print(f"{'  the same, in a fresh process':<44} {one_fresh:>8.2f} {'':>9}")
    print(
        f"{f'plain WeasyPrint, system font ({len(plain)} posters)':<44} {sum(plain):>8.2f} "
        f"{statistics.mean(plain):>9.3f}"
    )


if __name__ == "__main__":
    main()
