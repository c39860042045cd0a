"""A site that works when opened from disk: the pull-request preview people download and unzip.

Pages link to folders (``stations/qibu/``), which a web server answers with ``index.html`` but a
browser opening ``file://`` shows as a folder listing, or not at all. The preview build rewrites
every relative link to a folder into a link to its ``index.html``; the published site keeps its
clean addresses.
"""

from __future__ import annotations

import re
from pathlib import Path

HREF = re.compile(r'(?P<attr>\bhref=)(?P<q>["\'])(?P<url>[^"\'<>]*)(?P=q)')
EXTERNAL = re.compile(r"^(?:[a-zA-Z][a-zA-Z0-9+.-]*:|//|#)")


def folder_link_to_file(url: str) -> str:
    """``../stations/qibu/#hours`` → ``../stations/qibu/index.html#hours``; other links unchanged."""
    if not url or EXTERNAL.match(url):
        return url
    cut = min((i for i in (url.find("#"), url.find("?")) if i >= 0), default=len(url))
    path, rest = url[:cut], url[cut:]
    if path in ("", "."):
        return url if not path else "index.html" + rest
    if path == "..":
        return "../index.html" + rest
    if path.endswith("/"):
        return path + "index.html" + rest
    return url


def make_browsable_from_disk(site: Path) -> int:
    """Rewrite the links of every HTML page under ``site``; return how many pages changed."""
    changed = 0
    for page in sorted(site.rglob("*.html")):
        text = page.read_text(encoding="utf-8")
        new = HREF.sub(lambda m: f"{m['attr']}{m['q']}{folder_link_to_file(m['url'])}{m['q']}", text)
        if new != text:
            page.write_text(new, encoding="utf-8")
            changed += 1
    return changed
