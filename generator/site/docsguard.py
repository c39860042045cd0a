"""Hand-written pages (docs/) are content: sanitised, their front matter escaped, images stripped.

MkDocs renders docs/ pages itself, so the plugin hands each rendered page here:
- ``sanitise_page``: the HTML through the same sanitiser as content Markdown. The home and about
  pages get generated sections appended (our own HTML: charts, cards); only the hand-written part
  before ``SECTIONS_MARK`` is sanitised. The mark carries a random value made at start-up and is
  removed from the output, so a page cannot forge it and the published HTML stays deterministic.
- ``escape_meta``: front matter values (title, description …) HTML-escaped, as for generated pages:
  themes print them unescaped.
- ``strip_images``: the published copies of docs/ images without EXIF/XMP metadata.
"""

from __future__ import annotations

import html
import re
import secrets
from pathlib import Path
from typing import Any

from generator.content.docsfiles import BadImage, published_images, strip_metadata
from generator.content.richtext import sanitise_docs_html

SECTIONS_MARK = f"<!-- stationsite-sections-{secrets.token_hex(16)} -->"
_MARKUP = re.compile(r"[<>&\"']")


def mark_sections(docs_markdown: str, with_sections: str) -> str:
    """``with_sections`` (the page with generated sections appended) with the mark between the two."""
    own = docs_markdown.rstrip()
    if with_sections == docs_markdown or not with_sections.startswith(own):
        return with_sections
    return f"{own}\n\n{SECTIONS_MARK}\n{with_sections[len(own) :]}"


def sanitise_page(page_html: str) -> str:
    """A docs/ page's HTML with the hand-written part sanitised and generated sections kept."""
    own, mark, sections = page_html.partition(SECTIONS_MARK)
    if not mark:
        return sanitise_docs_html(page_html)
    # mark_sections put a blank line before the mark and a newline after it; take them out again.
    return sanitise_docs_html(own.rstrip("\n")) + "\n" + sections.lstrip("\n")


def escape_meta(meta: dict[str, Any]) -> dict[str, Any]:
    """Front matter with every text value HTML-escaped (nested lists and mappings too)."""
    return {key: _escaped(value) for key, value in meta.items()}


def _escaped(value: Any) -> Any:
    if isinstance(value, str):
        return html.escape(value, quote=True) if _MARKUP.search(value) else value
    if isinstance(value, list):
        return [_escaped(v) for v in value]
    if isinstance(value, dict):
        return {k: _escaped(v) for k, v in value.items()}
    return value


def strip_images(docs_dir: Path, site_dir: Path) -> int:
    """Rewrite the published copy of every docs/ image without its metadata; returns how many
    changed. The checker has refused images it cannot read; one it missed is not published."""
    changed = 0
    for src in published_images(docs_dir):
        out = site_dir / src.relative_to(docs_dir)
        if not out.is_file():
            continue
        data = out.read_bytes()
        try:
            clean = strip_metadata(data, src.suffix)
        except BadImage:
            out.unlink()
            continue
        if clean != data:
            out.write_bytes(clean)
            changed += 1
    return changed
