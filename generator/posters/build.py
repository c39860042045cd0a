"""Build every station's posters: plan (cheap, in this process) → render what changed (both cores)
→ copy into the site.

1. Plan: for every poster, its printed data and HTML at the design size, and a cache key over
   everything the PDF depends on (HTML, fonts, PDF-only CSS, fitting ladder, WeasyPrint version).
2. Fonts: one subset per weight for the whole build (see fonts.py), made once and cached.
3. Render: only posters whose key is not in the cache, and the part of ``all.pdf`` holding them
   (see allpdf.py), one task per station, spread over a process pool.
4. Copy PDFs, fitted HTML and thumbnails from the cache into ``<out_dir>/<slug>/``, and the
   ledger of poster codes (see issue.py) into ``<out_dir>/ledger.json``.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import logging
import multiprocessing
import os
import shutil
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from importlib.metadata import version
from pathlib import Path
from typing import Any

from generator.content.model import Content, Station
from generator.posters import fonts as fontmod
from generator.posters import offline
from generator.posters import qr as qrmod
from generator.posters.allpdf import Sheet, bind, part_of
from generator.posters.cache import PosterCache, digest
from generator.posters.issue import LEDGER_NAME, Issue, issue
from generator.posters.ledger import previous_ledger
from generator.posters.pdf import DoesNotFit, hopeless, too_long_problem
from generator.posters.printed import poster_data
from generator.posters.printedcache import PrintedStore
from generator.posters.printedcache import key as printed_key
from generator.posters.render import (
    PLACEHOLDER,
    THEME_DIR,
    WALL_KINDS,
    Fit,
    Stamp,
    default_fit,
    fit_ladder,
    pdf_stylesheet,
    render_html,
    start_pt,
)
from generator.posters.specs import PosterSpec, poster_specs, service_flow_rule
from generator.posters.thumbnail import thumbnail_png
from generator.problems import ContentError, Problem

LOG = logging.getLogger("stationsite.posters")
RENDER_VERSION = "3"  # bump when pdf.py changes how a PDF is made from the same HTML (or its meta)
Progress = Callable[[str], None]
SpecsFor = Callable[[Content, Station], list[PosterSpec]]


@dataclass
class Job:
    """One poster to have: what it prints and the key of its PDF."""

    spec: PosterSpec
    data: dict[str, Any]
    html: str  # at the design size; the fitted HTML comes from the cache
    stamp: Stamp  # its code and issue date
    ladder: list[Fit]
    key: str = ""


@dataclass
class StationTask:
    """Work for one worker: the station's stale posters, the all.pdf parts holding them, all.pdf."""

    slug: str
    title: str
    jobs: list[Job]
    stale: set[str]  # poster ids to render
    part_keys: dict[str, str]  # all.pdf part name → cache key (see allpdf.py)
    all_key: str
    site_url: str
    bind_all: bool = True
    warnings: list[str] = field(default_factory=list)


def default_cache_dir() -> Path:
    return Path(os.environ.get("STATIONSITE_CACHE_DIR") or ".cache") / "posters"


def _source_file(content: Content, station: Station, spec: PosterSpec) -> str:
    """The file a resident-visible text on ``spec`` comes from, for error messages."""
    if spec.kind in ("rule", "flow"):
        rule = next(r for r in content.rules_for(station) if r.name == spec.rule_name)
        return rule.source
    if spec.kind == "week":
        return f"stations/{station.slug}/activities.yml"
    if spec.kind == "results":
        return "content/indicators.yml"
    return f"stations/{station.slug}/station.yml"


def _check_glyphs(content: Content, jobs: list[Job], source: fontmod.SourceFont, chars: set[str]) -> None:
    missing = fontmod.missing_characters(source, chars)
    if not missing:
        return
    problems = []
    for ch in missing:
        job = next(j for j in jobs if ch in j.html)
        station = content.station(job.spec.station)
        problems.append(
            Problem(
                _source_file(content, station, job.spec),
                None,
                None,
                f"字符“{ch}”（U+{ord(ch):04X}）在海报字体中没有，印出来会是方框"
                f"（海报 posters/{station.slug}/{job.spec.pdf_name}）",
                "请改用常用汉字或标点，删除表情符号等特殊字符",
            )
        )
    raise ContentError(problems)


# ---------------------------------------------------------------- worker side (one per process)

_RENDERER: dict[tuple[str, ...], Any] = {}


def _renderer(fonts: list[fontmod.SubsetFont], theme_dir: Path) -> Any:
    from generator.posters.pdf import Renderer

    key = tuple(f.key for f in fonts) + (str(theme_dir),)
    if key not in _RENDERER:
        _RENDERER.clear()
        _RENDERER[key] = Renderer(fonts, theme_dir)
    return _RENDERER[key]


def _fit_warning(task: StationTask, spec: PosterSpec, fit: Fit, fits: bool, pages: int) -> str | None:
    where = f"posters/{task.slug}/{spec.pdf_name}"
    what = f"制度《{spec.title}》" if spec.kind == "rule" else f"“{spec.title}”海报"
    if spec.kind in WALL_KINDS:
        floor = f"为了站在墙前看得清，正文不小于 {fit.body_pt:g} 磅"
        if not fits:
            return f"{task.title}{what}内容较多，{floor}，排成了 {pages} 页（{where}）；请全部打印张贴，或精简内容"
        # A cut is no warning: the poster says what it left out and where to read it, and there is
        # nothing for an editor to do (a results poster of a long contract is cut every month).
        return None
    if not fits:
        return f"{task.title}{what}内容太多，A3 纸、12 磅字也排不下一页，已分多页打印（{where}）；请精简内容"
    if fit.paper != spec.paper:
        return (
            f"{task.title}{what}内容太长，A4 纸上 12 磅字也排不下，已改为 {fit.paper} 纸"
            f"（{where}，正文 {fit.body_pt:g} 磅）；请用 A3 纸打印或精简内容"
        )
    return None


def render_station(
    task: StationTask, fonts: list[fontmod.SubsetFont], cache_root: str, theme_dir: str
) -> list[str]:
    """Render ``task`` into the cache; returns warnings. Runs in a worker process."""
    theme = Path(theme_dir)
    renderer = _renderer(fonts, theme)
    cache = PosterCache(Path(cache_root))
    documents = {}  # poster id → laid-out document, for the posters rendered here
    pages = {}  # poster id → its number of pages
    warnings = []
    for job in task.jobs:
        spec = job.spec
        if spec.id in task.stale:
            if spec.kind in ("rule", "flow") and (needed := hopeless(job.data)):
                raise DoesNotFit(task.slug, spec.id, needed)
            fitted = renderer.fit(
                job.ladder,
                lambda fit, job=job: render_html(job.spec, job.data, task.site_url, job.stamp, fit, theme),
            )
            if not fitted.fits and spec.kind in ("rule", "flow"):  # never a multi-page wall poster
                raise DoesNotFit(task.slug, spec.id, len(fitted.document.pages))
            if not fitted.fits and spec.kind in WALL_KINDS:  # spilling: all of it (see WALL_MIN_PT)
                fitted = renderer.fit(
                    [dataclasses.replace(fitted.fit, cut=0, layout="spill")],
                    lambda fit, job=job: render_html(
                        job.spec, job.data, task.site_url, job.stamp, fit, theme
                    ),
                )
            warning = _fit_warning(task, spec, fitted.fit, fitted.fits, len(fitted.document.pages))
            meta = {
                "paper": fitted.fit.paper,
                "body_pt": fitted.fit.body_pt,
                "layout": fitted.fit.layout,
                "footer_lines": fitted.fit.footer_lines,
                "cut": fitted.fit.cut,
                "pages": len(fitted.document.pages),
                "warning": warning,
            }
            entry = cache.put(job.key, renderer.write(fitted.document), fitted.html, meta)
            thumbnail_png(entry.pdf)
            warnings += [warning] if warning else []
            documents[spec.id] = fitted.document
            pages[spec.id] = meta["pages"]
        else:
            pages[spec.id] = _cached(cache, job).meta["pages"]

    if not task.bind_all:
        return warnings
    bound = [j for j in task.jobs if j.spec.in_all]
    parts: dict[str, Any] = {}
    for name, key in task.part_keys.items():
        own = [j for j in bound if part_of(j.spec) == name]
        if len(own) == 1:  # a part of one poster is its own PDF (see allpdf.py)
            parts[name] = _cached(cache, own[0]).pdf.read_bytes()
            continue
        part: Any = cache.get(key, with_html=False)
        if part is None:  # a poster of this part changed: lay out its unchanged posters again
            docs = [
                documents[j.spec.id] if j.spec.id in documents else _relayout(renderer, cache, j) for j in own
            ]
            part = cache.put(
                key,
                renderer.combine(docs, f"{task.title} {name}"),
                None,
                {"posters": [j.spec.id for j in own]},
            )
        parts[name] = part.pdf.read_bytes()
    sheets = [Sheet(part_of(j.spec), pages[j.spec.id], j.spec.title) for j in bound]
    pdf = bind(parts, sheets, f"{task.title} 全部海报")
    cache.put(task.all_key, pdf, None, {"posters": [j.spec.id for j in bound]})
    return warnings


def _cached(cache: PosterCache, job: Job) -> Any:
    entry = cache.get(job.key)
    assert entry is not None and entry.html is not None, job.spec.id
    return entry


def _relayout(renderer: Any, cache: PosterCache, job: Job) -> Any:
    """An unchanged poster laid out again from its cached, fitted HTML (for an all.pdf part)."""
    entry = _cached(cache, job)
    meta = entry.meta
    fit = Fit(
        meta["paper"],
        meta["body_pt"],
        meta.get("layout", "poster"),
        meta.get("footer_lines", 1),
        meta.get("cut", 0),
    )
    return renderer.layout(entry.html.read_text(encoding="utf-8"), fit)


def _make_subset(args: tuple[fontmod.SourceFont, frozenset[str], Path]) -> fontmod.SubsetFont:
    return fontmod.make_subset(*args)


# ---------------------------------------------------------------- main side


def _pool(workers: int) -> ProcessPoolExecutor:
    # forkserver: safe when the caller has threads (mkdocs serve); WeasyPrint is imported once in
    # the server, so each worker starts without paying for the import again.
    methods = multiprocessing.get_all_start_methods()
    ctx: Any
    if "forkserver" in methods:
        ctx = multiprocessing.get_context("forkserver")
        ctx.set_forkserver_preload(["weasyprint", "generator.posters.pdf", "generator.posters.fetcher"])
    else:
        ctx = multiprocessing.get_context("spawn")
    return ProcessPoolExecutor(max_workers=workers, mp_context=ctx)


def printed(
    content: Content,
    report: Any,
    site_url: str,
    today: dt.date,
    specs_for: SpecsFor = poster_specs,
    theme_dir: Path = THEME_DIR,
    cache_dir: Path | None = None,
) -> list[tuple[PosterSpec, dict[str, Any], str]]:
    """Every poster with its data and its HTML without code and date: what it prints. With
    ``cache_dir`` (the poster cache), HTML whose inputs are unchanged is read back, not rendered
    (see printedcache.py)."""
    store = PrintedStore(cache_dir)
    out = []
    for station in content.stations:
        for spec in specs_for(content, station):
            data = poster_data(content, report, station, spec, today)
            fit = default_fit(spec)
            html = store.get_or_render(
                printed_key(spec, data, site_url, fit, theme_dir) if cache_dir is not None else "",
                functools.partial(render_html, spec, data, site_url, PLACEHOLDER, fit, theme_dir),
            )
            out.append((spec, data, html))
    return out


def poster_issue(
    content: Content,
    report: Any,
    site_url: str,
    moment: dt.datetime | dt.date,
    previous_site: Path | None = None,
    specs_for: SpecsFor = poster_specs,
    cache_dir: Path | None = None,
) -> Issue:
    """This build's poster codes and issue dates, continuing the previous ledger (see issue.py).
    ``cache_dir``: the poster cache, where unchanged posters' printed HTML is kept."""
    today = moment.date() if isinstance(moment, dt.datetime) else moment
    ledger = previous_ledger(previous_site, site_url)
    made = printed(content, report, site_url, today, specs_for, cache_dir=cache_dir)
    out = issue(((spec, html) for spec, _, html in made), today, ledger)
    out.printed = made
    return out


def plan(
    content: Content,
    report: Any,
    site_url: str,
    moment: dt.datetime | dt.date,
    theme_dir: Path = THEME_DIR,
    posters: Issue | None = None,
    specs_for: SpecsFor = poster_specs,
    cache_dir: Path | None = None,
) -> list[Job]:
    """Every poster of every station with its data, code, date and design-size HTML (no PDF work)."""
    today = moment.date() if isinstance(moment, dt.datetime) else moment
    if posters is not None and posters.printed and theme_dir == THEME_DIR:
        made = posters.printed
    else:
        made = printed(content, report, site_url, today, specs_for, theme_dir, cache_dir)
    if posters is None:
        posters = issue(((spec, html) for spec, _, html in made), today, {})
    jobs = []
    for spec, data, template in made:
        issued = posters.of(spec)
        stamp = Stamp.of(issued.issued, issued.code)
        html = stamp.fill(template)
        jobs.append(Job(spec, data, html, stamp, fit_ladder(spec, start_pt(spec, data), data)))
    return jobs


def build_posters(
    content: Content,
    report: Any,
    out_dir: Path,
    site_url: str,
    moment: dt.datetime | dt.date,
    progress: Progress | None = None,
    *,
    cache_dir: Path | None = None,
    workers: int | None = None,
    theme_dir: Path = THEME_DIR,
    posters: Issue | None = None,
    specs_for: SpecsFor = poster_specs,
    bind_all: bool = True,
) -> list[Path]:
    """Write ``<out_dir>/<slug>/<id>.pdf|.html`` and ``all.pdf`` for every station; return the paths.

    ``moment`` is the build moment (``generator.clock.build_moment()``): it fixes this week and
    the issue date of new codes. ``posters`` are this build's codes and issue dates
    (``poster_issue``; default: from ``STATIONSITE_POSTER_LEDGER`` if set, else all new);
    ``specs_for`` and ``bind_all`` let ``stationsite posters`` render chosen posters without
    ``all.pdf`` and without a ledger. ``progress`` receives one-line Chinese status messages and
    warnings (warnings are also logged to the ``stationsite.posters`` logger). Raises
    ``ContentError`` when no CJK font is installed or a text uses a character the font lacks.
    """
    say = progress or (lambda message: None)
    cache = PosterCache(cache_dir or default_cache_dir())
    workers = workers or min(2, os.cpu_count() or 1)
    qrmod.use_disk_cache(cache.root / "qr")
    fontmod.use_disk_cache(cache.root / "fonts")
    if posters is None:
        posters = poster_issue(content, report, site_url, moment, None, specs_for, cache.root)
    jobs = plan(content, report, site_url, moment, theme_dir, posters, specs_for, cache.root)

    regular, bold = fontmod.find_cjk_fonts()
    chars = set().union(*(set(j.html) for j in jobs))
    _check_glyphs(content, jobs, regular, chars)
    charset = fontmod.base_characters() | frozenset(chars)
    todo = [(src, charset, cache.root) for src in (regular, bold)]
    fresh = [
        t
        for t in todo
        if not (cache.root / "fonts").is_dir()
        or not any((cache.root / "fonts").glob(f"*-{fontmod.subset_key(t[0], charset)}.otf"))
    ]
    if fresh:
        say(f"海报：正在为本机准备中文字体子集（只需一次，约 {5 * len(fresh) // workers + 5} 秒）……")
    if len(fresh) > 1 and workers > 1:
        with _pool(2) as pool:
            list(pool.map(_make_subset, fresh))
    subsets = [_make_subset(t) for t in todo]

    css_versions = {
        f"{p}-{layout}": pdf_stylesheet(Fit(p, 12.0, layout), theme_dir)
        for p in ("A4", "A3", "A6")
        for layout in ("poster", "spill", "card", "cards")
    }
    fixed = digest(
        RENDER_VERSION,
        version("weasyprint"),
        *(s.key for s in subsets),
        *(css_versions[p] for p in sorted(css_versions)),
    )
    for job in jobs:
        job.key = digest(fixed, repr(job.ladder), job.html)

    tasks: list[StationTask] = []
    for station in content.stations:
        own = [j for j in jobs if j.spec.station == station.slug]
        bound = [j for j in own if j.spec.in_all]
        stale = {j.spec.id for j in own if cache.get(j.key) is None}
        part_keys = {
            name: digest(fixed, "all.pdf part", name, *(j.key for j in bound if part_of(j.spec) == name))
            for name in dict.fromkeys(part_of(j.spec) for j in bound)
        }
        all_key = digest(fixed, "all.pdf", *(j.key for j in bound))
        if stale or (bind_all and cache.get(all_key, with_html=False) is None):
            tasks.append(
                StationTask(station.slug, station.name, own, stale, part_keys, all_key, site_url, bind_all)
            )
    total_stale = sum(len(t.stale) for t in tasks)
    say(
        f"海报：共 {len(jobs)} 张，{len(jobs) - total_stale} 张未变（用缓存），需要生成 {total_stale} 张、"
        f"{len(tasks)} 个站的合订本 all.pdf"
    )

    if tasks:
        args = (subsets, str(cache.root), str(theme_dir))
        tasks.sort(key=lambda t: -len(t.stale))
        try:
            if len(tasks) == 1 or workers == 1:
                for task in tasks:
                    render_station(task, *args)
                    say(f"海报：{task.title} 已生成")
            else:
                with _pool(min(workers, len(tasks))) as pool:
                    futures = [(t, pool.submit(render_station, t, *args)) for t in tasks]
                    for task, future in futures:
                        future.result()
                        say(f"海报：{task.title} 已生成")
        except DoesNotFit as exc:
            job = next(j for j in jobs if (j.spec.station, j.spec.id) == (exc.slug, exc.poster))
            source = _source_file(content, content.station(exc.slug), job.spec)
            raise ContentError([too_long_problem(source, job.spec.title, exc.pages, job.data)]) from None
        except offline.RefusedReference as exc:  # a poster named a file or URL it may not load
            sources = [
                (j.html, _source_file(content, content.station(j.spec.station), j.spec), j) for j in jobs
            ]
            raise ContentError(offline.problems_for(exc.urls, sources, cache.root)) from None

    written: list[Path] = []
    for station in content.stations:
        folder = out_dir / station.slug
        folder.mkdir(parents=True, exist_ok=True)
        own = [j for j in jobs if j.spec.station == station.slug]
        for job in own:
            entry = cache.get(job.key)
            assert entry is not None and entry.html is not None
            if entry.meta.get("warning"):
                LOG.warning(entry.meta["warning"])
                say("警告：" + entry.meta["warning"])
            copies = [(entry.pdf, job.spec.pdf_name), (entry.html, job.spec.html_name)]
            png = thumbnail_png(entry.pdf)  # made with the PDF; again only if the cache lost it
            if png is not None:
                copies.append((png, job.spec.pdf_name[: -len(".pdf")] + ".png"))
            for src, name in copies:
                shutil.copyfile(src, folder / name)
                written.append(folder / name)
        if not bind_all:
            continue
        entry = cache.get(digest(fixed, "all.pdf", *(j.key for j in own if j.spec.in_all)), with_html=False)
        assert entry is not None
        shutil.copyfile(entry.pdf, folder / "all.pdf")
        written.append(folder / "all.pdf")
    if bind_all:
        (out_dir / LEDGER_NAME).write_text(posters.ledger_json(), encoding="utf-8")
        written.append(out_dir / LEDGER_NAME)
    cache.prune()
    return written


def printed_fingerprints(
    content: Content, report: Any, station: Station, site_url: str, today: dt.date | None = None
) -> dict[str, str]:
    """poster id → hash of what the poster prints, build date excluded (for ``stationsite diff``).

    Two versions of the content whose fingerprints for a poster differ need that poster reprinted.
    "This week" is the week of ``today`` (default: the build date), so compare both versions with
    the same day.
    """
    return {
        spec.id: digest("printed", html)
        for spec, html in _printed_html(content, report, station, site_url, today)
    }


def printed_codes(
    content: Content, report: Any, station: Station, site_url: str, today: dt.date | None = None
) -> dict[str, str]:
    """poster id → 海报编号 (the code printed on it), for ``stationsite diff``: a poster whose code
    changes is taken down under its old code."""
    from generator.posters.issue import poster_code

    return {
        spec.id: poster_code(spec, html)
        for spec, html in _printed_html(content, report, station, site_url, today)
    }


def _printed_html(
    content: Content, report: Any, station: Station, site_url: str, today: dt.date | None
) -> list[tuple[PosterSpec, str]]:
    from generator.clock import build_date

    day = today or build_date()
    out = []
    for spec in poster_specs(content, station):
        data = poster_data(content, report, station, spec, day)
        out.append((spec, render_html(spec, data, site_url, PLACEHOLDER, default_fit(spec))))
    return out


__all__ = [
    "build_posters",
    "plan",
    "poster_issue",
    "printed_codes",
    "printed_fingerprints",
    "service_flow_rule",
]
