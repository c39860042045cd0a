"""Markdown from content files → safe HTML.

Content is written by county staff and merged by pull request, so it is treated as untrusted:
Python-Markdown converts it and nh3 (the Rust ``ammonia`` sanitiser) keeps only harmless tags —
no script, no inline event handlers, no iframes, no ``javascript:`` links.
"""

from __future__ import annotations

import re
from functools import lru_cache

import markdown
import nh3

ALLOWED_TAGS = {
    "p",
    "br",
    "hr",
    "strong",
    "em",
    "b",
    "i",
    "u",
    "s",
    "del",
    "sup",
    "sub",
    "small",
    "mark",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "ul",
    "ol",
    "li",
    "dl",
    "dt",
    "dd",
    "blockquote",
    "code",
    "pre",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
    "caption",
    "a",
    "img",
    "span",
    "div",
    "figure",
    "figcaption",
    "abbr",
}
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "img": {"src", "alt", "title", "width", "height"},
    "th": {"align", "colspan", "rowspan"},
    "td": {"align", "colspan", "rowspan"},
    "ol": {"start"},
    "abbr": {"title"},
}
URL_SCHEMES = {"http", "https", "mailto", "tel"}


def sanitise_html(html: str) -> str:
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="noopener noreferrer",
    )


# Hand-written pages (docs/) are written with MkDocs' Markdown extensions: headings carry ids (the
# table of contents links to them), admonitions and attr_list use classes, the page has its own H1.
DOCS_TAGS = ALLOWED_TAGS | {"h1", "details", "summary", "kbd", "section"}
DOCS_ATTRIBUTES = {tag: set(attrs) for tag, attrs in ALLOWED_ATTRIBUTES.items()} | {
    "*": {"id", "class", "title", "lang"}
}
_VOID = re.compile(r"<(hr|br)>")


def sanitise_docs_html(html: str) -> str:
    """HTML rendered from a page in docs/, with the same rules as content (no script, no event
    handlers, no iframes, no ``javascript:`` or other schemes), ids and classes kept.

    Written back in MkDocs' own XHTML style (``<hr />``), so a page with nothing to remove is
    published byte for byte as before.
    """
    clean = nh3.clean(
        html,
        tags=DOCS_TAGS,
        attributes=DOCS_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel=None,
    )
    return _CODE.sub(_quote_code_text, _VOID.sub(r"<\1 />", clean))


# Python-Markdown writes quotes inside code as &quot;, the sanitiser as ". Only text between tags
# is touched (a tag's attribute quotes are syntax); nh3 writes every attribute value in double
# quotes with any " inside escaped, so the tag pattern below cannot end inside a value.
_CODE = re.compile(r"(<pre><code\b[^>]*>)(.*?)(</code></pre>)", re.S)
_TAG_OR_TEXT = re.compile(r"(<[^>\"]*(?:\"[^\"]*\"[^>\"]*)*>)")


def _quote_code_text(m: re.Match[str]) -> str:
    parts = _TAG_OR_TEXT.split(m[2])
    inner = "".join(p if i % 2 else p.replace('"', "&quot;") for i, p in enumerate(parts))
    return m[1] + inner + m[3]


# Remembered: the county's rules are the same text on every station's page and posters, and
# converting one costs about a millisecond — seconds for a county of a thousand stations.
@lru_cache(maxsize=2048)
def markdown_to_html(text: str) -> str:
    """Convert content Markdown to sanitised HTML (tables and lists as staff write them)."""
    html = markdown.markdown(text, extensions=["tables", "sane_lists"], output_format="html")
    return sanitise_html(html)


def markdown_to_inline_html(text: str) -> str:
    """One line of content Markdown (a list item, a step) as inline HTML: the wrapping <p> removed."""
    html = markdown_to_html(text).strip()
    if html.startswith("<p>") and html.endswith("</p>") and html.count("<p>") == 1:
        html = html[3:-4]
    return html


# Characters that start Markdown syntax inside a line: escaping them is always safe in Markdown text.
# (``<``, ``>`` and ``&`` are not Markdown-escapable, so they become entities instead.)
_MD_SPECIAL = re.compile(r"([\\`*_\[\]{}#|!])")


def markdown_text(value: object) -> str:
    """Plain content text to put inside Markdown we generate (also inside a table cell): one line,
    no HTML and no Markdown syntax taking effect."""
    if value is None:
        return ""
    text = " ".join(str(value).split())
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return _MD_SPECIAL.sub(r"\\\1", text)
