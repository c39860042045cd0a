"""Files and paths that must not enter the build: oversized files, links that leave the repository.

A content file may only point at things inside the repository: a symlink or a Markdown link that
escapes it could publish a file from the build machine.
"""

from __future__ import annotations

import os
import re
import stat
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


# File names become URLs and paths on every build machine: plain ASCII, not too long. (Linux allows
# 255 bytes and any character but "/" — a newline in a name would break every log line.)
MAX_NAME_CHARS = 80
_NAME = re.compile(r"\.?[A-Za-z0-9][A-Za-z0-9._-]*")


def symlink_problem(rel: str, outside: bool | None) -> Problem:
    """``outside``: the link leaves the repository (True), stays inside (False), loops (None)."""
    if outside is None:
        return Problem(
            rel,
            None,
            None,
            "这是符号链接，而且链接绕成了循环（永远找不到真正的文件）",
            "请删除这个链接，把文件本身放进仓库",
        )
    if outside:
        return Problem(rel, None, None, "这是指向仓库以外的符号链接", "请把文件本身放进仓库，不要用链接")
    return Problem(
        rel,
        None,
        None,
        "这是符号链接：内容目录里只能放真实的文件和目录",
        "链接会把仓库里别处的文件（甚至 .git 里的配置）发布出去；请把文件本身复制到这里",
    )


def special_problem(rel: str) -> Problem:
    return Problem(
        rel,
        None,
        None,
        "这不是普通文件（可能是管道、设备或套接字）",
        "内容目录里只能放普通文件和目录，请删除它",
    )


def unreadable_problem(rel: str, exc: OSError) -> Problem:
    reason = "没有读取权限" if isinstance(exc, PermissionError) else (exc.strerror or type(exc).__name__)
    return Problem(
        rel, None, None, f"无法读取文件：{reason}", "请检查文件权限（chmod a+r），或删除后重新添加"
    )


def read_bytes_safely(path: Path, rel: str) -> tuple[bytes | None, Problem | None]:
    """A content file's bytes, or the problem that stops it being read.

    Only a regular file that is not a symlink is opened, and never more than the size limit is
    read: a FIFO would block the build forever, ``/dev/zero`` would fill memory, a symlink loop
    raises. A symlink or special file has already been reported by ``check_tree``; the same
    ``Problem`` is returned so the report holds it once.
    """
    try:
        st = os.lstat(path)
    except OSError as exc:
        return None, unreadable_problem(rel, exc)
    if stat.S_ISLNK(st.st_mode):
        return None, symlink_problem(rel, _outside(path))
    if not stat.S_ISREG(st.st_mode):
        return None, special_problem(rel)
    if st.st_size > MAX_FILE_BYTES:
        return None, too_large(rel, st.st_size)
    try:
        with open(path, "rb") as f:
            data = f.read(MAX_FILE_BYTES + 1)
    except OSError as exc:
        return None, unreadable_problem(rel, exc)
    if len(data) > MAX_FILE_BYTES:  # grew while we looked
        return None, too_large(rel, len(data))
    return data, None


def _outside(path: Path, root: Path | None = None) -> bool | None:
    """Whether a symlink's target leaves the repository (default root: the nearest folder with a
    mkdocs.yml); None for a loop."""
    try:
        target = path.resolve(strict=False)
        os.stat(path)  # follows the link: ELOOP for a loop
    except FileNotFoundError:
        pass  # dangling: judged by where it points
    except (OSError, RuntimeError):
        return None
    root = root or next((p for p in path.parents if (p / "mkdocs.yml").is_file()), path.parent)
    return not target.is_relative_to(root.resolve())


def name_problem(rel: str, name: str) -> Problem | None:
    if len(name) > MAX_NAME_CHARS:
        return Problem(
            rel[:60] + "…",
            None,
            None,
            f"文件名过长：{len(name)} 个字符，最多 {MAX_NAME_CHARS} 个",
            "请用简短的英文或拼音命名，如 2026-11-05-chongyang.md",
        )
    if not _NAME.fullmatch(name):
        shown = name.encode("unicode_escape").decode("ascii") if not name.isprintable() else name
        return Problem(
            rel if name.isprintable() else rel.replace(name, shown),
            None,
            None,
            f"文件名 '{shown}' 含有不允许的字符",
            "文件名和目录名就是网址，只能用英文字母、数字、连字符 -、下划线 _ 和点 .（如 2026-11-05-chongyang.md）",
        )
    return None


def check_tree(root: Path) -> list[Problem]:
    problems: list[Problem] = []
    for top in CHECKED_DIRS:
        base = root / top
        if not base.is_dir() or base.is_symlink():
            if base.is_symlink():
                problems.append(symlink_problem(top, _outside(base, root)))
            continue
        for dirpath, dirnames, filenames in os.walk(base, followlinks=False, onerror=None):
            for name in sorted(dirnames + filenames):
                path = Path(dirpath) / name
                rel = path.relative_to(root).as_posix()
                bad_name = name_problem(rel, name)
                if bad_name:
                    problems.append(bad_name)
                try:
                    st = os.lstat(path)
                except OSError as exc:
                    problems.append(unreadable_problem(rel, exc))
                    continue
                if stat.S_ISLNK(st.st_mode):
                    problems.append(symlink_problem(rel, _outside(path, root)))
                    continue
                if stat.S_ISDIR(st.st_mode):
                    if not os.access(path, os.R_OK | os.X_OK):
                        problems.append(unreadable_problem(rel, PermissionError()))
                    continue
                if not stat.S_ISREG(st.st_mode):
                    problems.append(special_problem(rel))
                    continue
                if st.st_size > MAX_FILE_BYTES:
                    problems.append(too_large(rel, st.st_size))
                elif path.suffix == ".md" and not bad_name:
                    problems += _check_links(root, path, rel)
    return problems


_IMAGE = re.compile(r"!\[[^\]]*\]\(\s*<?([^)\s>]+)|<img\b[^>]*\bsrc\s*=\s*[\"']?([^\"'\s>]+)", re.I)
_RULE_FILE = re.compile(r"(?:content|stations/[^/]+)/rules/[^/]+\.md")
_IMAGE_REF = re.compile(r"!\[[^\]]*\]\[([^\]]*)\]")


def _check_links(root: Path, path: Path, rel: str) -> list[Problem]:
    problems: list[Problem] = []
    raw, _ = read_bytes_safely(path, rel)
    if raw is None:
        return problems  # reported where the file is read
    text = raw.decode("utf-8", errors="replace")
    lines = text.split("\n")
    image_refs = {label.lower() for line in lines for label in _IMAGE_REF.findall(line)}
    problems += _bounded_markdown(rel, lines)
    for lineno, line in enumerate(lines, start=1):
        targets = [m[1] or m[2] for m in _LINK.finditer(line)]
        images = [m[1] or m[2] for m in _IMAGE.finditer(line)]
        ref = _ref_def(line)
        if ref:
            targets.append(ref[1])
            if ref[0].strip().lower() in image_refs:
                images.append(ref[1])
        for target in images:
            if _RULE_FILE.fullmatch(rel):
                problems.append(
                    Problem(
                        rel,
                        lineno,
                        None,
                        f"制度里插入了图片：{target[:80]}",
                        "制度全文会印成上墙海报，海报离线生成、不插图片；请删除图片，"
                        "需要配图的内容请写在新闻、办事指南或 docs/ 的页面里",
                    )
                )
                continue
            if re.match(r"^[a-zA-Z][a-zA-Z0-9+.-]*:|^//", target) and not re.match(
                r"^[a-zA-Z]:[\\/]", target
            ):
                problems.append(
                    Problem(
                        rel,
                        lineno,
                        None,
                        f"图片来自仓库以外：{target[:80]}",
                        "网页和海报只显示仓库里的图片（不连外网）：请把图片文件放进仓库，用相对路径引用",
                    )
                )
        for target in targets:
            problems += _check_target(root, path, rel, lineno, target)
    return problems


# Python-Markdown recurses once per nesting level of a list (about 150 levels exhaust the stack)
# and takes cubic time over a run of unmatched "[" (3,000 of them: eight seconds). No page needs
# either: bound them so one small file cannot crash or stall the build.
MAX_INDENT = 64
MAX_BRACKETS_PER_LINE = 100
MAX_BRACKETS = 2000


def _bounded_markdown(rel: str, lines: list[str]) -> list[Problem]:
    problems: list[Problem] = []
    total, deep = 0, False
    for lineno, line in enumerate(lines, start=1):
        indent = len(line) - len(line.lstrip(" \t>"))
        if indent > MAX_INDENT and line.strip() and not deep:  # the first such line says it all
            deep = True
            problems.append(
                Problem(
                    rel,
                    lineno,
                    None,
                    f"这一行缩进或嵌套过深（{indent} 个空格或“>”，最多 {MAX_INDENT} 个）",
                    "列表和引用只需要嵌套几层；请减少行首的空格",
                )
            )
        brackets = line.count("[")
        total += brackets
        if brackets > MAX_BRACKETS_PER_LINE:
            problems.append(
                Problem(
                    rel,
                    lineno,
                    None,
                    f"这一行有 {brackets} 个方括号“[”（最多 {MAX_BRACKETS_PER_LINE} 个）",
                    "方括号用于链接；大量的方括号会让网站生成非常慢，请删去多余的",
                )
            )
    if total > MAX_BRACKETS:
        problems.append(
            Problem(
                rel,
                None,
                None,
                f"文件里有 {total} 个方括号“[”（最多 {MAX_BRACKETS} 个）",
                "方括号用于链接；大量的方括号会让网站生成非常慢，请删去多余的",
            )
        )
    return problems


def _ref_def(line: str) -> tuple[str, str] | None:
    """A reference definition ("[pic]: /etc/hosts") points just as far as an inline link does."""
    m = re.match(r"^\s{0,3}\[([^\]]+)\]:\s*<?([^\s>]+)>?", line)
    return (m[1], m[2]) if m else None


def _check_target(root: Path, path: Path, rel: str, lineno: int, target: str) -> list[Problem]:
    if re.match(r"^[a-zA-Z][a-zA-Z0-9+.-]*:", target) and not re.match(r"^[a-zA-Z]:[\\/]", target):
        if target.lower().startswith("file:"):
            return [
                Problem(rel, lineno, None, f"链接指向本机文件：{target}", "请把文件放进仓库并用相对路径链接")
            ]
        return []  # http:, https:, mailto:, tel: (the sanitiser drops any other scheme)
    if target.startswith("#"):
        return []
    if target.startswith(("/", "\\")) or re.match(r"^[a-zA-Z]:[\\/]", target):
        return [
            Problem(
                rel,
                lineno,
                None,
                f"链接使用了绝对路径：{target}",
                "请用相对路径（如 ../stations/shicheng/）或完整网址",
            )
        ]
    try:
        resolved = (path.parent / target.split("#")[0].split("?")[0]).resolve()
    except (OSError, RuntimeError, ValueError):
        resolved = root.parent  # a loop or a NUL byte: treat as leaving
    if not resolved.is_relative_to(root):
        return [Problem(rel, lineno, None, f"链接指向仓库以外：{target}", "内容只能引用仓库里的文件")]
    return []
