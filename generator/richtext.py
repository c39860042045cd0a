"""Markdown from content files → safe HTML.

Content is written by county staff and merged by pull request, so it is treated as untrusted:
Python-Markdown converts it and nh3 (the Rust ``ammonia`` sanitiser) keeps only harmless tags —
no script, no inline event handlers, no iframes, no ``javascript:`` links.
"""

from __future__ import annotations

import markdown
import nh3

ALLOWED_TAGS = {
    "p", "br", "hr", "strong", "em", "b", "i", "u", "s", "del", "sup", "sub", "small", "mark",
    "h2", "h3", "h4", "h5", "h6", "ul", "ol", "li", "dl", "dt", "dd", "blockquote", "code", "pre",
    "table", "thead", "tbody", "tr", "th", "td", "caption", "a", "img", "span", "div", "figure",
    "figcaption", "abbr",
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
        html, tags=ALLOWED_TAGS, attributes=ALLOWED_ATTRIBUTES, url_schemes=URL_SCHEMES,
        link_rel="noopener noreferrer",
    )


def markdown_to_html(text: str) -> str:
    """Convert content Markdown to sanitised HTML (tables and lists as staff write them)."""
    html = markdown.markdown(text, extensions=["tables", "sane_lists"], output_format="html")
    return sanitise_html(html)
