"""``stationsite build``: check, then build site + posters + open data into a temporary directory
and swap it in, so a failed build (bad content, a missing font, Ctrl-C) never leaves a half-written
site: the previous ``site/`` stays exactly as it was.
"""

from __future__ import annotations

import argparse
import logging
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from generator import sitelock
from generator.content.load import load_content
from generator.problems import format_text
from generator.site.engines import EngineError, render_pages


class _ChineseOnly(logging.Filter):
    """MkDocs' own info lines are English and noisy; show ours, and every warning or error."""

    def filter(self, record: logging.LogRecord) -> bool:
        return record.levelno >= logging.WARNING or record.name.startswith("mkdocs.plugins.stationsite")


class _Formatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        message = record.getMessage()
        if record.levelno >= logging.ERROR:
            return f"错误：{message}"
        return f"警告：{message}" if record.levelno >= logging.WARNING else message


def _configure_logging() -> None:
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(_Formatter())
    handler.addFilter(_ChineseOnly())
    mkdocs_log = logging.getLogger("mkdocs")
    mkdocs_log.handlers[:] = [handler]
    mkdocs_log.setLevel(logging.INFO)
    mkdocs_log.propagate = False
    # Our own warnings (a poster moved to A3) come through the stationsite loggers; they are
    # printed here once, and the progress lines below skip them.
    ours = logging.getLogger("stationsite")
    ours.handlers[:] = [handler]
    ours.setLevel(logging.INFO)
    try:  # jieba sets its own logger to DEBUG when imported, so tell jieba itself
        import jieba

        jieba.setLogLevel(logging.WARNING)
    except ImportError:  # jieba is only there for Material's own search (the engine comparison in tests)
        pass


def cmd_build(args: argparse.Namespace) -> int:
    root = Path(args.root).resolve()
    config_file = root / "mkdocs.yml"
    if not config_file.is_file():
        print(f"找不到 {config_file}：请在内容仓库的根目录运行，或用 --root 指定目录。", file=sys.stderr)
        return 1
    # Check first, without MkDocs: the messages are exactly those of `stationsite check`.
    content, problems = load_content(root)
    if problems:
        print(format_text(problems))
        print(f"\n共发现 {len(problems)} 个问题，网站没有生成，原有的 site/ 保持不变。", file=sys.stderr)
        return 1
    site_dir = Path(args.site_dir).resolve() if args.site_dir else None
    engine = getattr(args, "engine", "mkdocs")
    return build_site(
        root, site_dir, posters=not args.no_posters, content=content, preview=args.preview, engine=engine
    )


def build_site(
    root: Path,
    site_dir: Path | None = None,
    *,
    posters: bool = True,
    content: Any = None,
    preview: bool = False,
    engine: str = "mkdocs",
) -> int:
    """Build into a staging directory and swap; ``content`` already loaded is reused, not read twice.
    ``engine`` renders the pages (generator/site/engines.py); the rest is the same for every engine.

    One build at a time per ``site/`` (a lock beside it); leftovers of an interrupted build are
    cleaned up first, and a ``site/`` lost between the two renames of the swap is restored.
    """
    from mkdocs.config import load_config
    from mkdocs.exceptions import MkDocsException

    _configure_logging()
    started = time.perf_counter()
    config_file = root / "mkdocs.yml"
    try:
        config = load_config(str(config_file))
    except MkDocsException as exc:
        print(f"mkdocs.yml 有错误：{exc}", file=sys.stderr)
        return 1
    if "stationsite" not in config.plugins:
        print(
            "mkdocs.yml 的 plugins 里缺少 stationsite：请加上“- stationsite”（见 README）。", file=sys.stderr
        )
        return 1
    target = site_dir or Path(config.site_dir).resolve()
    try:
        with sitelock.locked(target):
            sitelock.recover(target)
            return _build_locked(config, target, posters, content, started, preview, engine, root)
    except sitelock.Busy as busy:
        print(str(busy), file=sys.stderr)
        return 1
    except OSError as exc:
        message = sitelock.os_error_message(exc, target)
        if message is None:
            raise  # not a condition of the machine we can explain: a bug
        print(message, file=sys.stderr)
        return 1


def _build_locked(
    config: Any,
    target: Path,
    posters: bool,
    content: Any,
    started: float,
    preview: bool,
    engine: str,
    root: Path,
) -> int:
    from mkdocs.commands.build import build
    from mkdocs.exceptions import Abort, MkDocsException

    # The new site is built next to the old one (same file system, so the swap is a rename).
    staging = Path(tempfile.mkdtemp(prefix=f".{target.name}.new-", dir=target.parent))
    try:
        config.site_dir = str(staging)  # loading the configuration twice costs ~0.2 s of plugin setup
        plugin = config.plugins["stationsite"]
        plugin.config.posters = posters
        plugin.config.search_index = False  # indexed below, after the engine, as any engine's output
        plugin.preloaded = content
        plugin.progress = _print_progress
        plugin.previous_site = target  # its posters/ledger.json dates the poster codes
        print("正在生成网站……", file=sys.stderr, flush=True)
        if engine == "mkdocs":
            build(config)
        else:
            render_pages(engine, root, staging, content=content, posters=posters, progress=_print_progress)
        # The same core step after any engine's pages (generator/site/search.py).
        _index_for_search(staging, content if content is not None else plugin.content)
    except (Abort, MkDocsException, EngineError) as exc:
        shutil.rmtree(staging, ignore_errors=True)
        print(f"生成失败：{exc}\n原有的 {target.name}/ 保持不变。", file=sys.stderr)
        return 1
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    if preview:
        from generator.site.preview import make_browsable_from_disk

        make_browsable_from_disk(staging)
    _swap(staging, target)
    took = time.perf_counter() - started
    print(f"完成：网站已生成到 {target}（{took:.1f} 秒）。", file=sys.stderr)
    return 0


def _index_for_search(site: Path, content: Any) -> None:
    """The search index is a step of the core after the pages are written (generator/site/search.py)."""
    from mkdocs.exceptions import Abort

    from generator.site.search import SearchIndexError, build_search_index

    try:
        index = build_search_index(site, content)
    except SearchIndexError as exc:
        raise Abort(str(exc)) from None
    print(f"已生成搜索索引：{index.pages} 个页面", file=sys.stderr, flush=True)


def _print_progress(message: str) -> None:
    if not message.startswith("警告："):  # the stationsite.posters logger prints warnings
        print(message, file=sys.stderr, flush=True)


def _swap(new: Path, target: Path) -> None:
    """Replace ``target`` by ``new`` with two renames; the old tree is deleted only afterwards.

    Killed between the renames, no ``site/`` exists, but the old tree does (``.site.old-*``): the
    next build restores it before anything else (``sitelock.recover``).
    """
    os.chmod(new, 0o755)  # mkdtemp makes it private; a published site must be readable
    old = None
    if target.exists():
        old = Path(tempfile.mkdtemp(prefix=f".{target.name}.old-", dir=target.parent))
        os.rmdir(old)
        target.rename(old)
    new.rename(target)
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)
