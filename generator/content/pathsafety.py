"""Files and paths that must not enter the build: oversized files, links that leave the repository.

A content file may only point at things inside the repository: a symlink or a Markdown link that
escapes it could publish a file from the build machine.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

from generator.problems import Problem

MAX_FILE_BYTES = 1024 * 1024
CHECKED_DIRS = ("content", "stations", "docs")
_LINK = re.compile(r"\]\(\s*<?([^)\s>]+)>?(?:\s+\"[^\"]*\")?\s*\)|\b(?:src|href)\s*=\s*[\"']([^\"']+)[\"']")


def too_large(rel: str, size: int) -> Problem:
    return Problem(
        rel,
        None,
        None,
        f"文件过大：{size / 1024 / 1024:.1f} MB，内容文件不得超过 1 MB",
        "图片、扫描件等大文件请压缩，或放到网站以外的存储",
    )


def check_tree(root: Path) -> list[Problem]:
    problems: list[Problem] = []
    for top in CHECKED_DIRS:
        base = root / top
        if not base.is_dir():
            continue
        for dirpath, dirnames, filenames in os.walk(base, followlinks=False):
            for name in sorted(dirnames + filenames):
                path = Path(dirpath) / name
                rel = path.relative_to(root).as_posix()
                if path.is_symlink():
                    target = path.resolve()
                    if not target.is_relative_to(root):
                        problems.append(
                            Problem(
                                rel,
                                None,
                                None,
                                "这是指向仓库以外的符号链接",
                                "请把文件本身放进仓库，不要用链接",
                            )
                        )
                    continue
                if path.is_file():
                    size = path.stat().st_size
                    if size > MAX_FILE_BYTES:
                        problems.append(too_large(rel, size))
                    elif path.suffix == ".md":
                        problems += _check_links(root, path, rel)
    return problems


def _check_links(root: Path, path: Path, rel: str) -> list[Problem]:
    problems = []
    text = path.read_bytes().decode("utf-8", errors="replace")
    for lineno, line in enumerate(text.split("\n"), start=1):
        for m in _LINK.finditer(line):
            target = m[1] or m[2]
            if re.match(r"^[a-zA-Z][a-zA-Z0-9+.-]*:", target) and not re.match(r"^[a-zA-Z]:[\\/]", target):
                if target.lower().startswith("file:"):
                    problems.append(
                        Problem(
                            rel,
                            lineno,
                            None,
                            f"链接指向本机文件：{target}",
                            "请把文件放进仓库并用相对路径链接",
                        )
                    )
                continue  # http:, https:, mailto:, tel:
            if target.startswith("#"):
                continue
            if target.startswith(("/", "\\")) or re.match(r"^[a-zA-Z]:[\\/]", target):
                problems.append(
                    Problem(
                        rel,
                        lineno,
                        None,
                        f"链接使用了绝对路径：{target}",
                        "请用相对路径（如 ../stations/shicheng/）或完整网址",
                    )
                )
                continue
            resolved = (path.parent / target.split("#")[0].split("?")[0]).resolve()
            if not resolved.is_relative_to(root):
                problems.append(
                    Problem(rel, lineno, None, f"链接指向仓库以外：{target}", "内容只能引用仓库里的文件")
                )
    return problems
