"""Where the generator's own theme is: inside the installed package, or beside it in a checkout.

A wheel carries ``theme/`` as ``generator/theme/`` (see ``setup.py``), found here through
``importlib.resources``. In a source checkout (an editable install, or ``PYTHONPATH`` pointing at
one) the package has no such folder and the theme is the top-level ``theme/`` next to it.
A county repository never holds a copy: its own ``theme/`` (MkDocs ``custom_dir``) only overrides
single files.
"""

from __future__ import annotations

from functools import cache
from importlib import resources
from pathlib import Path

# Our page and poster templates live in the theme but are not files of the site.
TEMPLATE_DIRS = ("pages", "posters")


@cache
def theme_dir() -> Path:
    packaged = resources.files("generator") / "theme"
    if packaged.is_dir():
        # A wheel installs plain files, so the traversable is a real path.
        return Path(str(packaged))
    checkout = Path(__file__).resolve().parent.parent / "theme"
    if checkout.is_dir():
        return checkout
    raise RuntimeError("stationsite 安装不完整：找不到主题文件夹 theme/，请重新安装 stationsite。")


def page_templates() -> Path:
    return theme_dir() / "pages"


def poster_templates() -> Path:
    return theme_dir() / "posters"
