"""Which program turns the Markdown pages into HTML: MkDocs (with our plugin) or Zensical.

Everything else is the core's and the same for both: the pages (generator/site/pages), the open data
(a part of the docs tree, generator/site/export.py and the plugin's ``on_files``), the posters and any
step over the finished HTML (generator/site/outputs.py ``after_pages``).

- ``mkdocs``: ``mkdocs build`` with the ``stationsite`` plugin, driven by generator/build.py.
- ``zensical``: Zensical reads ``mkdocs.yml`` but runs no MkDocs plugin, so the pages are exported as a
  plain project first (``export_project``), ``zensical build`` renders it, ``zensicalguard`` does
  what the plugin does per page (docs/ pages sanitised, a Content-Security-Policy on every page),
  and ``after_pages`` adds the posters to its output. Material for MkDocs is maintained until 2027-05-05; Zensical is its
  successor. Pinned to 0.0.73 (``pip install 'stationsite[zensical]'``): 0.1.x needs ``zensical-ui``,
  which the package registry we install from does not carry.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from generator.site import docsguard, zensicalguard
from generator.site.export import ENGINES, ExportError, export_project, hand_written_pages

__all__ = ["ENGINES", "EngineError", "render_pages"]

ZENSICAL_VERSION = "0.0.73"
NO_DIRECTORY_URLS = re.compile(r"(?m)^use_directory_urls:[ \t]*(false|False|no)\b")
CACHE_NAME = "zensical"  # <root>/.cache/zensical: the exported project and Zensical's cache in it


class EngineError(Exception):
    """The engine could not build the site; the message says why, in Chinese."""


def render_pages(
    engine: str,
    root: Path,
    out_dir: Path,
    *,
    content: Any = None,
    posters: bool = True,
    progress: Callable[[str], None] | None = None,
) -> None:
    """Build the whole site of the repository at ``root`` into the empty directory ``out_dir`` with
    an engine that runs no MkDocs plugin (``zensical``). The MkDocs engine is driven by build.py
    through the plugin, since ``mkdocs build`` alone must give the same site."""
    if engine != "zensical":
        raise EngineError(f"未知的生成引擎 {engine!r}：可选 {'、'.join(ENGINES)}。")
    _build_with_zensical(root, out_dir, content=content, posters=posters, progress=progress)


def zensical_command() -> list[str]:
    """How to run Zensical: the module of the Python that runs us (so a virtual environment's own)."""
    try:
        import zensical  # noqa: F401 - only to tell a missing install apart
    except ImportError:
        raise EngineError(
            "没有安装 Zensical：请运行 pip install 'stationsite[zensical]'"
            f"（即 zensical=={ZENSICAL_VERSION}），或改用默认的 --engine mkdocs。"
        ) from None
    return [sys.executable, "-m", "zensical"]


def zensical_templates() -> Path:
    """Zensical's own templates (their partials get the marks zensicalguard.py needs)."""
    import zensical

    return Path(zensical.__file__).resolve().parent / "templates"


def _build_with_zensical(
    root: Path,
    out_dir: Path,
    *,
    content: Any,
    posters: bool,
    progress: Callable[[str], None] | None,
) -> None:
    from generator.clock import build_moment
    from generator.content.load import load_content
    from generator.problems import ContentError, format_text
    from generator.results.progress import compute_results
    from generator.site.export import SITE_URL
    from generator.site.outputs import after_pages

    command = zensical_command()
    templates = zensical_templates()
    if content is None:
        content, problems = load_content(root)
        if problems:
            raise EngineError(f"内容检查未通过，共 {len(problems)} 个问题：\n" + format_text(problems))
    moment = build_moment()  # one moment for pages, data and posters, as in the plugin
    report = compute_results(content, moment.date())
    # The project lives at one place, <root>/.cache/zensical: Zensical keys its cache of rendered
    # pages by their path, so a project in a new temporary folder each time would always be cold.
    # Its files are replaced whole each build (written apart first: a failed export changes nothing).
    project = root / ".cache" / CACHE_NAME
    project.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix=".zensical-", dir=project))
    try:
        try:
            export_project(
                root,
                work / "export",
                content,
                engine="zensical",
                moment=moment,
                report=report,
                posters=posters,
                guard=templates,
            )
        except ExportError as exc:
            raise EngineError(str(exc)) from None
        for name in ("docs", "theme", "mkdocs.yml", "site"):
            _remove(project / name)
            if (work / "export" / name).exists():
                (work / "export" / name).rename(project / name)
        config = (project / "mkdocs.yml").read_text(encoding="utf-8")
        strict = ["--strict"] if _is_strict(config) else []
        run = subprocess.run(
            [*command, "build", "-f", str(project / "mkdocs.yml"), *strict],
            cwd=project,
            capture_output=True,
            text=True,
            env={**os.environ, "NO_COLOR": "1"},
        )
        if run.returncode != 0 or not (project / "site" / "index.html").is_file():
            raise EngineError(
                "Zensical 生成网站失败（以下是它的英文输出）：\n" + (run.stdout + run.stderr).strip()[-3000:]
            )
        # What the plugin does per page under MkDocs: docs/ pages sanitised, a CSP on every page.
        try:
            zensicalguard.harden_site(
                project / "site",
                hand_written_pages(root / "docs"),
                directory_urls=not NO_DIRECTORY_URLS.search(config),
            )
        except zensicalguard.GuardError as exc:
            raise EngineError(str(exc)) from None
        docsguard.strip_images(root / "docs", project / "site")  # as the plugin's on_post_build
        for item in (project / "site").iterdir():
            shutil.move(item, out_dir / item.name)  # a rename when .cache/ and the site share a disk
        found = SITE_URL.search(config)
        assert found is not None  # export_project refuses a configuration without one
        site_url = found["url"] if found["url"].endswith("/") else found["url"] + "/"
        if progress is not None:
            progress("已用 Zensical 生成页面和开放数据")
        try:
            after_pages(
                content,
                report,
                out_dir,
                site_url,
                moment,
                posters=posters,
                progress=progress,
                cache_dir=root / ".cache" / "posters",
            )
        except ContentError as exc:
            raise EngineError(format_text(exc.problems)) from None
        _write_admin(root, content, out_dir, site_url, (root / "mkdocs.yml").read_text(encoding="utf-8"))
    finally:
        shutil.rmtree(work, ignore_errors=True)


def _write_admin(root: Path, content: Any, out_dir: Path, site_url: str, config: str) -> None:
    """The form editor /admin/, as the MkDocs plugin writes it, with the plugin's ``cms`` option
    read from mkdocs.yml (Zensical runs no plugin, so nothing else reads it)."""
    import yaml

    from generator.site.cms import write_admin

    try:
        data = yaml.safe_load(config) or {}
    except yaml.YAMLError:
        data = {}
    options: dict[str, Any] = {}
    for entry in data.get("plugins") or []:
        if isinstance(entry, dict) and isinstance(entry.get("stationsite"), dict):
            options = entry["stationsite"]
    try:
        write_admin(out_dir, content, root, site_url, str(data.get("site_name", "")), options.get("cms"))
    except ValueError as exc:
        raise EngineError(f"mkdocs.yml 的 stationsite 插件设置 cms 有误：{exc}") from None


def _remove(path: Path) -> None:
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path)
    elif path.exists() or path.is_symlink():
        path.unlink()


def _is_strict(config: str) -> bool:
    return any(
        line.split("#", 1)[0].strip() in ("strict: true", "strict: True") for line in config.splitlines()
    )
