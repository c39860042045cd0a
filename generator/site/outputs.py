"""The files of a site that are not pages, written the same way whatever engine rendered the pages.

Open data is part of the docs tree given to the engine (``generator.opendata.open_data_files`` lists
it before it is written, so pages link it with Markdown links the engine checks and rewrites);
``after_pages`` runs on the engine's finished output: the posters. An engine-independent step over
the built HTML (a search index such as Pagefind's, issue 15) belongs here too, so that the MkDocs
plugin and the Zensical path (generator/site/engines.py) both run it.
"""

from __future__ import annotations

import datetime as dt
import logging
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from generator.content.model import Content

LOG = logging.getLogger("stationsite.site")


def after_pages(
    content: Content,
    report: Any,
    site_dir: Path,
    site_url: str,
    moment: dt.datetime,
    *,
    posters: bool = True,
    progress: Callable[[str], None] | None = None,
    cache_dir: Path | None = None,
    issue: Any = None,
    carried_ledger: dict[str, Any] | None = None,
) -> list[Path]:
    """Write the posters into ``site_dir/posters`` (unless ``posters`` is off); return what was made.
    ``issue`` is the build's poster codes (posters/issue.py), worked out with the pages. Without
    posters, the previous ledger of codes (``carried_ledger``, else the one ``STATIONSITE_POSTER_LEDGER``
    names) is published unchanged, so the next build with posters still knows the earlier codes.

    Poster problems raise ``ContentError`` (the caller turns them into its engine's error); poster
    warnings (a rule moved to A3) go to the posters' own logger, and ``progress`` gets one line per
    station.
    """
    if not posters:
        from generator.posters.ledger import LEDGER_NAME, ledger_json, previous_ledger

        ledger = carried_ledger if carried_ledger is not None else previous_ledger(None, site_url)
        if ledger:
            (site_dir / "posters").mkdir(parents=True, exist_ok=True)
            (site_dir / "posters" / LEDGER_NAME).write_text(ledger_json(ledger), encoding="utf-8")
            return [site_dir / "posters" / LEDGER_NAME]
        return []
    from generator.posters import build_posters

    started = time.perf_counter()
    made = build_posters(
        content,
        report,
        site_dir / "posters",
        site_url,
        moment,
        progress=progress,
        cache_dir=cache_dir,
        posters=issue,
    )
    message = f"已生成海报：{len(made)} 个文件（{time.perf_counter() - started:.1f} 秒）"
    if progress is not None:
        progress(message)
    else:
        LOG.info("%s", message)
    return made
