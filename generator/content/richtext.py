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
