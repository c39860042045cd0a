"""The Jinja environment that writes our pages as Markdown text.

Every ``{{ value }}`` is escaped for Markdown by default (``finalize``): content comes from county
staff, so a title with ``<`` or ``|`` or ``*`` must print as those characters, not become HTML, a
table column or emphasis. Inside raw HTML blocks, where Markdown escapes would show as backslashes,
templates use ``|h`` (HTML escaping only). Values already rendered by us (sanitised content HTML,
links we built) are ``Markup`` and pass through untouched.
"""

from __future__ import annotations

import html
import re
from functools import lru_cache
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined
from markupsafe import Markup

from generator.content.richtext import markdown_text
from generator.content.textformat import date_text, day_text
from generator.site.pages.frontmatter import safe_scalar
from generator.themefiles import page_templates

THEME_PAGES = page_templates()


def md_escape(value: object) -> str:
    """Jinja ``finalize``: our own Markup passes through, everything else is content text."""
    return str(value) if isinstance(value, Markup) else markdown_text(value)


def html_escape(value: object) -> Markup:
    return Markup(html.escape("" if value is None else str(value), quote=True))


_PHONE = re.compile(r"(?<![\d-])(0\d{2,3}-\d{7,8}|1[3-9]\d{9}|12345|110|120|119)(?![\d-])")


def tel_href(phone: str) -> str:
    return "tel:" + re.sub(r"[^\d+]", "", phone)


def link_phones(text: str) -> Markup:
    """Plain text → HTML with every phone number a ``tel:`` link (residents tap to call)."""
    escaped = html.escape(text, quote=True)
    return Markup(_PHONE.sub(lambda m: f'<a class="ss-tel" href="{tel_href(m[1])}">{m[1]}</a>', escaped))


@lru_cache(maxsize=4)
def environment(template_dir: Path = THEME_PAGES) -> Environment:
    env = Environment(
        loader=FileSystemLoader(str(template_dir)),
        undefined=StrictUndefined,
        autoescape=False,  # escaping is done by finalize (Markdown) and |h (HTML), see above
        finalize=md_escape,
        keep_trailing_newline=True,
        # Markdown heading ids are written {#hours}: Jinja's default comment marker {# would eat them.
        comment_start_string="{##",
        comment_end_string="##}",
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["h"] = html_escape
    env.filters["tel"] = tel_href
    env.filters["phones"] = link_phones
    env.filters["date"] = date_text
    env.filters["day"] = day_text
    # Front matter values: HTML-escaped (themes print titles and descriptions unescaped) and
    # JSON-quoted (a valid YAML scalar whatever the text contains). See frontmatter.py.
    env.filters["yaml"] = lambda s: Markup(safe_scalar(s))
    return env


def render(template: str, **context: object) -> str:
    text = environment().get_template(template).render(**context)
    # Collapse runs of blank lines left by template logic: identical output, tidier source.
    return re.sub(r"\n{3,}", "\n\n", text).strip() + "\n"
