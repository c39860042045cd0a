"""Posters render offline and from the generator's own files only.

WeasyPrint's default fetcher follows any URL an ``<img src>`` or a CSS ``url()`` names: a Markdown
image ``![](http://…)`` in a rule would make every build fetch it (a tracking pixel, a hang on a
slow host, a different PDF each time), and ``file:///etc/passwd`` or ``../../..`` would embed a
file of the build machine in a published PDF. ``OfflineFetcher`` serves ``data:`` URIs and regular
files inside the directories it is given (the poster templates and the subset fonts), and refuses
everything else; WeasyPrint only warns about a refused resource, so the fetcher remembers each one
and the renderer raises ``RefusedReference`` after layout. The checker refuses images in rules
before a build gets here (see ``generator.content.pathsafety``); this is the second wall.

The fetcher itself is in fetcher.py, which imports WeasyPrint: this module does not, so a build
with nothing to render never pays for WeasyPrint's import (about a second).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from generator.problems import Problem


class RefusedReference(Exception):
    """A poster named a resource outside its allowed directories. ``args[0]``: the URLs (picklable,
    so it crosses from a worker process to the build)."""

    @property
    def urls(self) -> tuple[str, ...]:
        return tuple(self.args[0])


def refusal_problems(urls: Iterable[str], source: str, root: Path | None, poster: str) -> list[Problem]:
    """One Chinese problem per refused URL, at the line of ``source`` that names it (when found)."""
    lines: list[str] = []
    if root is not None:
        try:
            lines = (root / source).read_text(encoding="utf-8-sig").split("\n")
        except (OSError, UnicodeDecodeError):
            lines = []
    problems = []
    for url in dict.fromkeys(urls):
        shown = url if len(url) <= 80 else url[:77] + "…"
        needle = _needle(url)
        line = next((i for i, text in enumerate(lines, start=1) if needle and needle in text), None)
        problems.append(
            Problem(
                source,
                line,
                None,
                f"海报 {poster} 引用了仓库以外的资源：{shown}",
                "海报离线生成，只能使用生成器自带的文件：请删除这张图片或这个链接",
            )
        )
    return problems


def problems_for(urls: Iterable[str], sources: list[tuple[str, str, Any]], cache_root: Path) -> list[Problem]:
    """Problems for refused URLs: each at the source file of the poster whose HTML names it.

    ``sources``: (poster HTML, source file, job with ``spec.station`` and ``spec.pdf_name``).
    """
    root = _repository_of(cache_root)
    problems: list[Problem] = []
    for url in dict.fromkeys(urls):
        needle = _needle(url)
        html, source, job = next(((h, s, j) for h, s, j in sources if needle and needle in h), sources[0])
        poster = f"posters/{job.spec.station}/{job.spec.pdf_name}"
        problems += refusal_problems([url], source, root, poster)
    return problems


def _repository_of(cache_root: Path) -> Path | None:
    """The repository a poster cache belongs to (``<repo>/.cache/posters``), else the working directory."""
    for candidate in (cache_root.resolve().parent.parent, Path.cwd()):
        if (candidate / "mkdocs.yml").is_file():
            return candidate
    return None


def _needle(url: str) -> str:
    """The part of a resolved URL an editor will have typed (its last path segment, or the host)."""
    parts = urlsplit(url)
    name = unquote(parts.path.rstrip("/").rsplit("/", 1)[-1])
    return name or parts.netloc or re.sub(r"^[a-z]+:", "", url)[:40]
