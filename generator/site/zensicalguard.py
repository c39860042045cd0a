"""Hostile content under Zensical: the same sanitising and Content-Security-Policy as under MkDocs.

Zensical runs no MkDocs plugin, so the plugin's hooks (``on_page_content``: sanitise hand-written
pages and escape their front matter; ``on_post_page``: a CSP on every page) have no event to run
in. The same core functions (generator/site/docsguard.py, csp.py) run at the three points the
Zensical path has instead:

- on the exported docs tree, before the build (``prepare_page``): front matter values escaped
  (``docsguard.escape_meta``: templates print them raw) and the mark ``docsguard.SECTIONS_MARK``
  after the hand-written part of every docs/ page (generated sections of the home and about pages
  follow it);
- in the exported theme (``write_partials``): Zensical's own ``partials/content.html`` and
  ``partials/toc-item.html`` with a mark before and after each piece of HTML that comes from a page
  (``page.content``, a heading's HTML in the table of contents, which Zensical prints raw);
- on the built site (``harden_site``): in every page of docs/ (the pages with the sections mark)
  the marked content goes through ``docsguard.sanitise_page`` and the headings of its table of
  contents through the same sanitiser; ``<title>`` holds text only (Material's and Zensical's
  ``page.title | striptags`` decodes ``&lt;`` back into ``<``); every mark is removed; and the CSP
  is made from the page with the marked parts taken out, as the plugin does with ``page.content``:
  a script that ever got into content gets no hash. Zensical's own search index is sanitised too.

The marks carry a random value made at start-up (content cannot forge one). A page of docs/ whose
marks are missing (a county theme that replaced ``content.html`` without printing ``page.content``,
or a page ending inside an unclosed code block) stops the build: nothing is published unchecked.
"""

from __future__ import annotations

import html
import json
import re
import secrets
from pathlib import Path, PurePosixPath
from typing import Any

import nh3
import yaml

from generator.content.richtext import sanitise_docs_html, sanitise_html
from generator.site import csp, docsguard

_TOKEN = secrets.token_hex(16)
CONTENT = (f"<!--ss-content-{_TOKEN}-->", f"<!--/ss-content-{_TOKEN}-->")
TOC = (f"<!--ss-toc-{_TOKEN}-->", f"<!--/ss-toc-{_TOKEN}-->")
# Zensical's partials and the expression in each that prints HTML made from a page.
PARTIALS = {
    "partials/content.html": (CONTENT, "{{ page.content }}"),
    "partials/toc-item.html": (TOC, "{{ toc_item.content }}"),
}
_REGION = re.compile(
    f"{re.escape(CONTENT[0])}(?P<content>.*?){re.escape(CONTENT[1])}"
    f"|{re.escape(TOC[0])}(?P<toc>.*?){re.escape(TOC[1])}",
    re.S,
)
_FRONT = re.compile(r"\A---[ \t]*\n(.*?\n)?(?:---|\.\.\.)[ \t]*\n", re.S)
_TITLE = re.compile(r"<title>(.*)</title>", re.S)  # the first <title> up to the last </title>
_HEAD_END = re.compile(r"</head\s*>", re.I)


class GuardError(Exception):
    """A page could not be checked; the message says which and why (Chinese)."""


# --------------------------------------------------------------------------- before the build


def prepare_page(text: str, with_sections: str) -> str:
    """A docs/ page for the exported tree: ``with_sections`` (``text`` with any generated sections
    appended) with its front matter escaped and the sections mark after the hand-written part."""
    own = text.rstrip()
    if with_sections.startswith(own):
        marked = f"{own}\n\n{docsguard.SECTIONS_MARK}\n{with_sections[len(own) :]}"
    else:  # nothing appended the way mark_sections expects: the whole page is hand-written
        marked = f"{with_sections.rstrip()}\n\n{docsguard.SECTIONS_MARK}\n"
    return escape_front_matter(marked)


def escape_front_matter(text: str) -> str:
    """``text`` with every front matter value HTML-escaped (as docsguard.escape_meta does under
    MkDocs); a page whose values hold no markup character keeps its bytes."""
    found = _FRONT.match(text)
    if not found:
        return text
    try:
        meta = yaml.safe_load(found[1] or "")
    except yaml.YAMLError:
        return text  # Zensical reads no front matter from it either (the checker reports YAML)
    if not isinstance(meta, dict):
        return text
    escaped = docsguard.escape_meta(meta)
    if escaped == meta:
        return text
    front = yaml.safe_dump(escaped, allow_unicode=True, sort_keys=False, default_flow_style=False)
    return f"---\n{front}---\n{text[found.end() :]}"


def write_partials(theme: Path, engine_templates: Path) -> None:
    """Write Zensical's partials that print page HTML into the exported ``theme`` with the marks
    around that HTML (the county's own override of the partial, if it has one, else Zensical's)."""
    for rel, ((start, end), expression) in PARTIALS.items():
        source = theme / rel if (theme / rel).is_file() else engine_templates / rel
        text = source.read_text(encoding="utf-8")
        if text.count(expression) != 1:
            raise GuardError(
                f"主题文件 {rel} 里应当正好有一处 {expression}（Zensical 的写法），现在有 "
                f"{text.count(expression)} 处：无法检查页面内容。请改回 Zensical 自带的写法。"
            )
        (theme / rel).parent.mkdir(parents=True, exist_ok=True)
        (theme / rel).write_text(text.replace(expression, start + expression + end), encoding="utf-8")


# --------------------------------------------------------------------------- after the build


def page_output(src: str, directory_urls: bool = True) -> str:
    """Where an engine writes the page of the docs file ``src`` (MkDocs' rule, which Zensical keeps)."""
    path = PurePosixPath(src)
    if path.stem in ("index", "README"):
        return (path.parent / "index.html").as_posix()
    if directory_urls:
        return (path.parent / path.stem / "index.html").as_posix()
    return path.with_suffix(".html").as_posix()


def harden_site(site: Path, docs_pages: list[str], *, directory_urls: bool = True) -> int:
    """Sanitise the docs/ pages and write a CSP into every page of the Zensical output ``site``;
    ``docs_pages`` are the hand-written pages (paths under docs/) the export prepared. Returns the
    number of pages of docs/ found and sanitised; raises ``GuardError`` for one that is published
    but cannot be checked."""
    found: set[str] = set()
    unchecked: list[str] = []
    for path in sorted(site.rglob("*.html")):
        rel = path.relative_to(site).as_posix()
        page = path.read_text(encoding="utf-8")
        try:
            out, hand_written = harden_page(page)
        except GuardError as exc:
            unchecked.append(f"{rel}：{exc}")
            continue
        if hand_written:
            found.add(rel)
        if out != page:
            path.write_text(out, encoding="utf-8")
    for src in docs_pages:
        out = page_output(src, directory_urls)
        if (site / out).is_file() and out not in found:
            unchecked.append(f"docs/{src}（{out}）：找不到页面内容的标记，可能结尾有没写完的代码块（```）")
    if unchecked:
        raise GuardError("以下页面无法检查内容，为安全起见没有发布：\n" + "\n".join(unchecked))
    search = site / "search.json"
    if search.is_file():
        raw = search.read_text(encoding="utf-8")
        clean = _clean_search_index(raw)
        if clean is not None:
            search.write_text(clean, encoding="utf-8")
    return len(found)


def harden_page(page: str) -> tuple[str, bool]:
    """One built page: (the page sanitised where it came from docs/, marks removed, with its CSP;
    whether it is a page of docs/)."""
    for start, end in (CONTENT, TOC):
        _check_pairs(page, start, end)
    content = _regions(page, CONTENT)
    hand_written = len(content) == 1 and docsguard.SECTIONS_MARK in content[0]
    if len(content) > 1:
        raise GuardError("页面内容出现了不止一次")
    pieces: list[str] = []  # the page in order: theme text and (cleaned) content, alternating
    theme_only: list[str] = []
    pos = 0
    for m in _REGION.finditer(page):
        pieces.append(page[pos : m.start()])
        theme_only.append(page[pos : m.start()])
        inner = m["content"] if m["content"] is not None else m["toc"]
        if hand_written:
            inner = docsguard.sanitise_page(inner) if m["content"] is not None else sanitise_docs_html(inner)
        pieces.append(inner)
        pos = m.end()
    pieces.append(page[pos:])
    theme_only.append(page[pos:])
    out, theme = "".join(pieces), "".join(theme_only)
    if docsguard.SECTIONS_MARK in out:
        raise GuardError("页面内容的标记出现在内容以外")
    out, theme = _text_title(out), _text_title(theme)
    return csp.with_policy_of(out, theme), hand_written


def _regions(page: str, marks: tuple[str, str]) -> list[str]:
    start, end = marks
    return re.findall(f"{re.escape(start)}(.*?){re.escape(end)}", page, re.S)


def _check_pairs(page: str, start: str, end: str) -> None:
    """Marks come in pairs, start before end, never nested (content cannot forge one)."""
    order = [(m.start(), 1) for m in re.finditer(re.escape(start), page)]
    order += [(m.start(), -1) for m in re.finditer(re.escape(end), page)]
    depth = 0
    for _, step in sorted(order):
        depth += step
        if depth not in (0, 1):
            raise GuardError("页面内容的标记不成对")
    if depth:
        raise GuardError("页面内容的标记不成对")


def _text_title(page: str) -> str:
    """``<title>`` as text only: whatever is between the first ``<title>`` and the theme's own
    ``</title>`` (the last one in ``<head>``) is re-escaped, so a ``</title><script>`` decoded by
    ``striptags`` stays text. A title that is already text keeps its bytes."""
    head = _HEAD_END.search(page)
    if head is None:
        return page
    found = _TITLE.search(page, 0, head.start())
    if found is None:
        return page
    text = html.escape(html.unescape(found[1]), quote=True)
    if text == found[1]:
        return page
    return page[: found.start(1)] + text + page[found.end(1) :]


def _clean_search_index(text: str) -> str | None:
    """Zensical's search.json (its dialog shows each entry's text as HTML) through the content
    sanitiser, titles as text; None when nothing changes."""
    data: Any = json.loads(text)
    changed = False
    for item in data.get("items", []) if isinstance(data, dict) else []:
        for key, clean in (("text", sanitise_html), ("title", _as_text)):
            value = item.get(key)
            if isinstance(value, str) and "<" in value and clean(value) != value:
                item[key] = clean(value)
                changed = True
    return json.dumps(data, ensure_ascii=False, separators=(",", ":")) if changed else None


def _as_text(value: str) -> str:
    return nh3.clean(value, tags=set())
