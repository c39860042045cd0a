"""Page titles and descriptions as front matter that cannot carry markup.

Why: MkDocs takes a page's title from its first ``# heading`` as *unescaped* text, and themes print
``page.title`` and ``page.meta.description`` into ``<title>``, the header, the navigation, the search
index and ``<meta>`` without escaping. A station called ``<script>…`` would run in every resident's
browser. So every generated page states its title in front matter, already HTML-escaped: whatever
engine reads the page (MkDocs with our plugin, an exported docs tree under another engine) prints
the characters the editor typed and never their markup. The YAML scalar is a JSON string, valid
whatever the text contains (quotes, colons, newlines).
"""

from __future__ import annotations

import html
import json
import re

import markdown

_TAG = re.compile(r"<[^>]*>")
_MARKUP = re.compile(r"[<>&\"'\\]")
_ATTR_LIST = re.compile(r"\s*\{[:#.][^}]*\}\s*$")  # `# 开放时间 {#hours}`: attr_list, not text


def safe_scalar(text: object) -> str:
    """One front matter value: HTML-escaped (so no theme can print it as markup), JSON-quoted."""
    return json.dumps(html.escape(" ".join(str(text).split()), quote=True), ensure_ascii=False)


def heading_text(line: str) -> str:
    """The text a reader sees for one Markdown ``# heading`` line (escapes and emphasis resolved)."""
    source = _ATTR_LIST.sub("", line.lstrip("#").strip())
    rendered = markdown.markdown(source)
    return " ".join(html.unescape(_TAG.sub("", rendered)).split())


def with_safe_title(page_markdown: str) -> str:
    """``page_markdown`` with a front matter ``title`` derived from its first ``# heading``, where
    that heading holds a character that could carry markup.

    A page whose front matter already names a title (made with the ``yaml`` template filter,
    which escapes the same way) is returned unchanged; so is a page that does not start with an
    H1 (MkDocs takes no title from it either).
    """
    front, body = "", page_markdown
    if page_markdown.startswith("---\n"):
        end = page_markdown.find("\n---\n", 3)
        if end != -1:
            front, body = page_markdown[4 : end + 1], page_markdown[end + 5 :]
            if re.search(r"(?m)^title\s*:", front):
                return page_markdown
    first = next((ln for ln in body.split("\n") if ln.strip()), "")
    if not first.startswith("# ") or not _MARKUP.search(first):
        # No character that could start markup or an entity: MkDocs' own title is already plain
        # text. (Material prints a little whitespace for any page with front matter, so pages that
        # need none keep their exact bytes.)
        return page_markdown
    return f"---\ntitle: {safe_scalar(heading_text(first))}\n{front}---\n\n{body}"
