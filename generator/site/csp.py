"""A Content-Security-Policy on every page, made from the page itself.

Defence in depth behind the sanitiser: even if content markup ever got through, the browser runs
only scripts from this site's own files and the inline scripts the theme put there, and loads no
image, font, frame or connection from another host. The inline scripts differ from page to page
(mkdocs-material writes each page's relative base into one) and the theme gains scripts over time,
so the policy is not written by hand: ``with_policy`` hashes every inline ``<script>`` of the
rendered page (SHA-256, CSP level 2) and writes the ``<meta http-equiv>`` as the first element of
``<head>`` after the charset (a policy given by ``<meta>`` governs only what follows it). Scripts are
never allowed ``'unsafe-inline'``; styles are, because the theme and our charts use style
attributes, and CSS cannot run code.

Only the theme's scripts are hashed: the page's own content (``page.content``, the HTML made from
its Markdown) is taken out before hashing, so a script that ever got into content would have no
hash and would not run.
"""

from __future__ import annotations

import base64
import hashlib
import re

# An inline script element as HTML parses it: <script …> up to the first </script (any case).
_SCRIPT = re.compile(r"<script\b([^>]*)>(.*?)</script\s*>", re.I | re.S)
_SRC = re.compile(r"\bsrc\s*=", re.I)
_HEAD_START = re.compile(r"<head\b[^>]*>(\s*<meta\s+charset=[^>]*>)?", re.I)
MARK = 'http-equiv="Content-Security-Policy"'

FIXED = (
    "default-src 'self'",
    "img-src 'self' data:",
    "font-src 'self' data:",
    "style-src 'self' 'unsafe-inline'",
    "connect-src 'self'",
    "worker-src 'self'",
    "object-src 'none'",
    "frame-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
)


def script_hashes(page_html: str) -> list[str]:
    """``'sha256-…'`` of every inline script of the page, in order, without repeats."""
    out: list[str] = []
    for m in _SCRIPT.finditer(page_html):
        if _SRC.search(m[1]):
            continue
        digest = base64.b64encode(hashlib.sha256(m[2].encode("utf-8")).digest()).decode("ascii")
        token = f"'sha256-{digest}'"
        if token not in out:
            out.append(token)
    return out


def policy(theme_html: str) -> str:
    # 'wasm-unsafe-eval' lets the site's own Pagefind script compile its WebAssembly (search); it
    # allows no eval of JavaScript and no script from anywhere else.
    scripts = " ".join(["'self'", "'wasm-unsafe-eval'", *script_hashes(theme_html)])
    return "; ".join([FIXED[0], f"script-src {scripts}", *FIXED[1:]])


def with_policy(page_html: str, content_html: str | None = None) -> str:
    """The page with its Content-Security-Policy ``<meta>`` at the top of ``<head>``; the scripts
    of ``content_html`` (the part of the page made from content) are not allowed."""
    theme_html = page_html.replace(content_html, "", 1) if content_html else page_html
    return with_policy_of(page_html, theme_html)


def with_policy_of(page_html: str, theme_html: str) -> str:
    """The page with the policy that allows the inline scripts of ``theme_html`` (the page with
    every part made from content taken out: generator/site/zensicalguard.py takes out several)."""
    if MARK in page_html:
        return page_html
    head = _HEAD_START.search(page_html)
    if head is None:
        return page_html  # not a page (a fragment): nothing to protect
    meta = f'\n    <meta {MARK} content="{policy(theme_html)}">'
    return page_html[: head.end()] + meta + page_html[head.end() :]
