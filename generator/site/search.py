"""The site's search: a names index of stations and policy guides, and Pagefind over the built HTML,
written as a step after the pages (by any engine) are written.

Two parts, because of what residents type and what the engines do with it (figures in
benchmarks/search_bench.py):

- ``names.json``: every station's plaque name, short forms (狮城镇, 狮城), extra plaques, community
  name and staff names, every policy guide's title, aliases (低保) and domain (社会救助), made from the
  content model. The browser matches the query against these as whole strings (equal, begins with,
  contains, or is contained in the query: 低保怎么申请 holds 低保), so Chinese needs no word
  segmentation and a name is never matched by one of its characters. It is small (1.6 KB gzipped for
  the sample county, a few dozen bytes more per station) and fetched only when a search is made.
- Pagefind, for the words in the pages' text (news, rules, activities). Its browser side splits a
  Chinese query into single characters, so its hits are kept only when the page's text contains
  the query itself (theme/assets/search.js checks each candidate's text).

Why Pagefind for the text rather than mkdocs-material's search: it splits its index into chunks
that a phone fetches only when a search is made, for the query's words only (Material's worker
fetches the whole index on every first visit, 261 KB gzipped at 1,000 stations), and it reads any
engine's HTML, so the same step serves MkDocs and an engine that runs no MkDocs plugin
(``stationsite search-index`` after ``stationsite export``). What it indexes is marked in the theme
(theme/main.html): ``data-pagefind-body`` on every resident page (not the editors' guide, the search
page or 404), a ``tier`` filter on station pages and policy guides, searched first, and sections marked
``data-search-exclude`` left out.

The binary comes from PyPI (``pagefind[extended]`` bundles it); nothing is downloaded at build time.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import json
import re
from collections.abc import Coroutine
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from generator.content.model import Content, Station
from generator.content.schemas import DOMAINS

# The sections every station page repeats or that change weekly (upcoming weeks, results, posters,
# complaint channels) carry this attribute (theme/pages/*.md.j2); Pagefind skips them.
EXCLUDE_SELECTORS = "[data-search-exclude]"
BUNDLE_DIR = "pagefind"
# Pagefind writes its ready-made search interfaces beside the index; our search page has its own
# (theme/assets/search.js, which loads pagefind.js and, through it, pagefind-worker.js), so they
# are removed: about 420 KB per build that no page loads.
UNUSED_UI_FILES = (
    "pagefind-ui.js",
    "pagefind-ui.css",
    "pagefind-modular-ui.js",
    "pagefind-modular-ui.css",
    "pagefind-component-ui.js",
    "pagefind-component-ui.css",
    "pagefind-highlight.js",
)


NAMES_FILE = "search/names.json"
_TOWN_SUFFIXES = ("街道", "镇", "乡")


class SearchIndexError(Exception):
    """The index could not be written; the message is Chinese and says what to do."""


@dataclass(frozen=True)
class SearchIndex:
    pages: int
    bundle: Path


def pagefind_binary() -> Path:
    """The extended Pagefind binary (the one that segments Chinese), from the pagefind-bin-extended wheel."""
    try:
        from pagefind_bin_extended import get_executable  # type: ignore[import-untyped]
    except ImportError:
        raise SearchIndexError(
            "找不到 Pagefind：请安装 pip install 'pagefind[extended]'（网站搜索要用它）。"
        ) from None
    return Path(get_executable())


def station_names(content: Content, station: Station) -> list[str]:
    """What a resident may call a station besides its plaque name: 狮城镇, 狮城, 东门社区, the extra
    plaques, and its staff's names."""
    from generator.site.resultspages import short_name

    names: list[str] = []
    short = short_name(content, station)
    names.append(short)
    for suffix in _TOWN_SUFFIXES:
        if short.endswith(suffix) and len(short) > len(suffix) + 1:
            names.append(short[: -len(suffix)])
    community = re.search(r"([^县镇乡道]{2,4}社区)", station.name)
    if community:
        names.append(community[1])
    names += list(station.extra_plaques)
    if station.signature_project:
        names.append(station.signature_project[0])  # 一站一品, e.g. 银龄守护
    names += [p.name for p in station.staff]
    return [n for n in dict.fromkeys(names) if n and n != station.name]


def names_index(content: Content) -> dict[str, Any]:
    """The names index: ``[site path, title, kind, [other names], note]`` for each station and policy
    guide, then the county's rules and the news by title."""
    entries: list[list[Any]] = []
    for s in content.stations:
        entries.append(
            [
                f"stations/{s.slug}/",
                s.name,
                "station",
                station_names(content, s),
                s.kind_label + " · " + s.phone,
            ]
        )
    for p in content.policies:
        entries.append(
            [
                f"policies/{p.name}/",
                p.title,
                "policy",
                [*p.aliases, DOMAINS[p.domain]],
                "办事指南 · " + DOMAINS[p.domain],
            ]
        )
    for r in content.rules:
        entries.append([f"rules/{r.name}/", r.title, "rule", [], "制度上墙"])
    for n in sorted(content.news, key=lambda n: (n.date, n.name), reverse=True):
        entries.append([f"news/{n.name}/", n.title, "news", [], f"新闻动态 · {n.date.isoformat()}"])
    return {"version": 1, "entries": entries}


def write_names_index(content: Content, site_dir: Path) -> Path:
    path = site_dir / NAMES_FILE
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(
        json.dumps(names_index(content), ensure_ascii=False, separators=(",", ":")), encoding="utf-8"
    )
    return path


def build_search_index(site_dir: Path, content: Content | None = None) -> SearchIndex:
    """Index ``site_dir`` in place (``site_dir/pagefind/``, and with ``content`` the names index
    ``site_dir/search/names.json``); raises SearchIndexError on failure."""
    if content is not None:
        write_names_index(content, site_dir)
    pagefind_binary()  # a clear message when the wheel is missing
    try:
        pages = _run_outside_any_event_loop(_index_pages(site_dir))
    except (OSError, AssertionError, RuntimeError) as exc:
        raise SearchIndexError(f"生成搜索索引失败（Pagefind）：{exc}") from None
    if not (site_dir / BUNDLE_DIR / "pagefind-entry.json").is_file():
        raise SearchIndexError("生成搜索索引失败：Pagefind 没有写出 pagefind-entry.json。")
    for name in UNUSED_UI_FILES:
        (site_dir / BUNDLE_DIR / name).unlink(missing_ok=True)
    return SearchIndex(pages, site_dir / BUNDLE_DIR)


def _run_outside_any_event_loop(coroutine: Coroutine[Any, Any, int]) -> int:
    """``asyncio.run`` refuses to start inside a thread whose event loop is running, which is the
    case when the build is called from async code (a Playwright session in the same process, a
    notebook, an async server). There the coroutine runs on a short-lived thread of its own."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.run(coroutine)
    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, coroutine).result()


async def _index_pages(site_dir: Path) -> int:
    """Hand Pagefind the resident pages one by one in path order, so that two builds of the same
    content write the same index files (its own directory walk follows the file system's order,
    which differs between two freshly written trees)."""
    from pagefind.index import IndexConfig, PagefindIndex

    config = IndexConfig(
        exclude_selectors=[EXCLUDE_SELECTORS],
        force_language="zh",
        output_path=str(site_dir / BUNDLE_DIR),
    )
    pages = 0
    async with PagefindIndex(config=config) as index:
        for path in sorted(site_dir.rglob("*.html")):
            rel = path.relative_to(site_dir).as_posix()
            if rel.startswith(BUNDLE_DIR + "/"):
                continue
            html = path.read_text(encoding="utf-8")
            if "data-pagefind-body" not in html:
                continue  # the editors' guide, the search page, 404, posters: not for residents
            url = "/" + (rel[: -len("index.html")] if rel.endswith("index.html") else rel)
            await index.add_html_file(content=html, url=url)
            pages += 1
    return pages


def cmd_search_index(args: Any) -> int:
    """``stationsite search-index SITE_DIR``: the same step for a site another engine built
    (``stationsite export`` then ``mkdocs build`` or Zensical)."""
    import sys

    site = Path(args.site_dir).resolve()
    if not (site / "index.html").is_file():
        print(f"{site} 里没有 index.html：请先生成网站，再建立搜索索引。", file=sys.stderr)
        return 1
    try:
        index = build_search_index(site)
    except SearchIndexError as exc:
        print(exc, file=sys.stderr)
        return 1
    print(f"已生成搜索索引：{index.pages} 个页面，写在 {index.bundle}。", file=sys.stderr)
    return 0
