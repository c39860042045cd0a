"""What a county repository must change when a release changes the content format.

Each entry of ``CHANGES`` is one change of the format, with the release that made it and a check
that finds the old form in a repository and says, in Chinese, exactly what to change. ``stationsite
check`` runs them all, so upgrading is: raise the version in ``requirements.txt``, run the check,
do what it says. CHANGELOG.md lists the same changes for people reading ahead.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from generator.problems import Problem
from generator.themefiles import TEMPLATE_DIRS, theme_dir

CUSTOM_DIR = re.compile(r"(?m)^[ \t]+custom_dir:[ \t]*['\"]?(?P<dir>[^'\"#\n]+?)['\"]?[ \t]*(#.*)?$")


@dataclass(frozen=True)
class FormatChange:
    version: str
    what: str
    find: Callable[[Path], list[Problem]]


def _hand_written_guide(root: Path) -> list[Problem]:
    """0.2.0: the editors' guide is generated with the county's own stations as examples."""
    guide = root / "docs" / "guide"
    if not guide.is_dir():
        return []
    old = sorted(p.name for p in guide.glob("*.md"))
    known = {
        "index.md",
        "activities.md",
        "staff.md",
        "results.md",
        "posters.md",
        "pull-request.md",
        "publishing.md",
        "fields.md",
    }
    return [
        Problem(
            f"docs/guide/{name}",
            None,
            None,
            "从 stationsite 0.2.0 起，“如何更新”各页由 stationsite 生成（例子用本县自己的站点），"
            "仓库里的这份旧副本会挡住新版页面",
            "删除这个文件；如果改过其中的文字，把要保留的内容移到 docs/ 下另一个文件名",
        )
        for name in old
        if name in known
    ]


def _copied_theme(root: Path) -> list[Problem]:
    """0.2.0: the theme ships inside the package; a county's theme/ only overrides single files.

    Only a theme that mkdocs.yml names as its ``custom_dir`` is the county's own; the generator never
    reads page or poster templates from it, so such folders there are a stale copy of an old fork.
    """
    config = root / "mkdocs.yml"
    found = (
        CUSTOM_DIR.search(config.read_text(encoding="utf-8", errors="replace")) if config.is_file() else None
    )
    if found is None:
        return []
    theme = root / found["dir"]
    if not theme.is_dir() or theme.resolve() == theme_dir().resolve():
        return []  # this is the generator's own checkout
    return [
        Problem(
            f"{found['dir']}/{name}/",
            None,
            None,
            "从 stationsite 0.2.0 起，页面和海报模板随 stationsite 安装，"
            "这里的旧副本不再使用，升级后也不会得到新版本的修正",
            f"删除 {found['dir']}/{name}/ 目录；只想改某个网站模板时，在 {found['dir']}/ 里只放那一个文件",
        )
        for name in TEMPLATE_DIRS
        if (theme / name).is_dir()
    ]


CHANGES = (
    FormatChange("0.2.0", "如何更新（docs/guide/）由 stationsite 生成", _hand_written_guide),
    FormatChange("0.2.0", "主题和模板随 stationsite 安装，不再复制到仓库", _copied_theme),
)


def check_upgrades(root: Path) -> list[Problem]:
    problems: list[Problem] = []
    for change in CHANGES:
        problems += change.find(root)
    return problems
