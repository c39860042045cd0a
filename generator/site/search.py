"""The site's search index: Pagefind run over the built HTML, as a step after the pages are written.

Why Pagefind rather than mkdocs-material's search (see benchmarks/search_bench.py for the figures):
its extended binary segments Chinese at indexing time, so 咸村 does not match every page with 咸 and
周 of a staff name does not match every page through 周宁县; it splits the index into chunks that a
phone fetches only when a search is made, for the query's words only (Material's worker fetches the
whole index on every first visit, 261 KB gzipped at 1,000 stations); and it reads any engine's
output, so the same step serves MkDocs and an engine that runs no MkDocs plugin (``stationsite
export``). What it indexes is marked in the theme (theme/main.html): ``data-pagefind-body`` on every
resident page (not the editors' guide, the search page or 404), a ``tier`` filter that puts station
pages and policy guides first, and sections marked ``data-search-exclude`` left out.

The binary comes from PyPI (``pagefind[extended]`` bundles it); nothing is downloaded at build time.
"""

from __future__ import annotations

import json
import subprocess
from dataclasses import dataclass
from pathlib import Path

# The sections every station page repeats or that change weekly (upcoming weeks, results, posters,
# complaint channels) carry this attribute (theme/pages/*.md.j2); Pagefind skips them.
EXCLUDE_SELECTORS = "[data-search-exclude]"
BUNDLE_DIR = "pagefind"


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


def build_search_index(site_dir: Path) -> SearchIndex:
    """Index ``site_dir`` in place (writes ``site_dir/pagefind/``); raises SearchIndexError on failure."""
    cmd = [
        str(pagefind_binary()),
        "--site",
        str(site_dir),
        "--output-subdir",
        BUNDLE_DIR,
        "--exclude-selectors",
        EXCLUDE_SELECTORS,
        "--force-language",
        "zh",
        "--silent",
    ]
    done = subprocess.run(cmd, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        detail = (done.stderr or done.stdout).strip().splitlines()[-3:]
        raise SearchIndexError("生成搜索索引失败（Pagefind）：" + " / ".join(detail))
    entry = site_dir / BUNDLE_DIR / "pagefind-entry.json"
    if not entry.is_file():
        raise SearchIndexError("生成搜索索引失败：Pagefind 没有写出 pagefind-entry.json。")
    languages = json.loads(entry.read_text(encoding="utf-8")).get("languages", {})
    pages = sum(int(lang.get("page_count", 0)) for lang in languages.values())
    return SearchIndex(pages, site_dir / BUNDLE_DIR)


def cmd_search_index(args: object) -> int:
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
