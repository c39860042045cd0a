"""Two versions of a content repository, as directories ``load_content`` can read.

``stationsite diff`` compares a git ref (the base, ``origin/main`` by default) with another ref or
with the working tree. A ref is materialised into a temporary directory from git's object store
(``git ls-tree`` + ``git cat-file``): nothing in the working tree is touched, no checkout, no stash.
Only the parts a build reads are copied: ``content/ stations/ docs/ theme/ mkdocs.yml``.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

CONTENT_PATHS = ("content", "stations", "docs", "theme", "mkdocs.yml")
DEFAULT_BASE = "origin/main"
# When the default base does not exist (a clone without a remote, a fresh repository), try these.
FALLBACK_BASES = ("main", "master")


class GitError(Exception):
    """A user-facing problem with git: not a repository, a ref that does not exist. Message in Chinese."""


@dataclass(frozen=True)
class Version:
    """One side of a comparison: how to name it to the editor, and the commit (None = working tree)."""

    label: str
    commit: str | None


def _git(root: Path, *args: str, input_bytes: bytes | None = None) -> subprocess.CompletedProcess[bytes]:
    try:
        return subprocess.run(
            ["git", "-C", str(root), *args], input=input_bytes, capture_output=True, check=False
        )
    except FileNotFoundError as exc:
        raise GitError("找不到 git 命令：请先安装 git") from exc


def repo_toplevel(root: Path) -> Path:
    result = _git(root, "rev-parse", "--show-toplevel")
    if result.returncode != 0:
        raise GitError(f"{root} 不是 git 仓库：stationsite diff 比较的是仓库的两个版本")
    return Path(result.stdout.decode().strip())


def resolve_commit(root: Path, ref: str) -> str | None:
    """The commit id ``ref`` names, or None when it names nothing."""
    if ref.startswith("-"):
        return None  # never let a ref be read as an option
    result = _git(root, "rev-parse", "--verify", "--quiet", "--end-of-options", f"{ref}^{{commit}}")
    return result.stdout.decode().strip() if result.returncode == 0 else None


def resolve_base(root: Path, ref: str, notes: list[str]) -> Version:
    """Resolve the base ref. The default ``origin/main`` falls back to ``main``/``master`` with a note."""
    commit = resolve_commit(root, ref)
    if commit:
        return Version(ref, commit)
    if ref == DEFAULT_BASE:
        for other in FALLBACK_BASES:
            commit = resolve_commit(root, other)
            if commit:
                notes.append(
                    f"找不到 {ref}（仓库没有名为 origin 的远程，或还没有 git fetch），改为与 {other} 比较。"
                )
                return Version(other, commit)
    raise GitError(
        f"找不到版本 '{ref}'：请写分支名、标签或提交号，例如 origin/main、main、HEAD~1"
        + ("；默认的 origin/main 需要先 git fetch origin" if ref == DEFAULT_BASE else "")
    )


def resolve_head(root: Path, ref: str | None) -> Version:
    if ref is None:
        return Version("工作目录", None)
    commit = resolve_commit(root, ref)
    if not commit:
        raise GitError(f"找不到版本 '{ref}'：请写分支名、标签或提交号，或省略它以比较当前工作目录")
    return Version(ref, commit)


def materialise(root: Path, commit: str, dest: Path, paths: tuple[str, ...] = CONTENT_PATHS) -> Path:
    """Write the files under ``paths`` at ``commit`` (relative to the repository top) into ``dest``.

    Symlinks stay symlinks, so the content check still sees (and rejects) one that leaves the tree.
    """
    top = repo_toplevel(root)
    prefix = root.resolve().relative_to(top.resolve()).as_posix()
    prefix = "" if prefix == "." else prefix + "/"
    listing = _git(top, "ls-tree", "-r", "-z", "--full-tree", commit, "--", *(prefix + p for p in paths))
    if listing.returncode != 0:
        detail = listing.stderr.decode(errors="replace").strip()
        raise GitError(f"无法读取版本 {commit[:10]} 的文件：{detail}")
    entries = []
    for record in listing.stdout.split(b"\0"):
        if not record:
            continue
        meta, raw_name = record.split(b"\t", 1)
        mode, kind, sha = meta.decode().split()
        if kind != "blob":
            continue  # submodules are not content
        entries.append((mode, sha, raw_name.decode("utf-8", errors="surrogateescape")))
    dest.mkdir(parents=True, exist_ok=True)
    blobs = _read_blobs(top, [sha for _, sha, _ in entries])
    for mode, sha, name in entries:
        target = dest / name[len(prefix) :]
        target.parent.mkdir(parents=True, exist_ok=True)
        if mode == "120000":
            target.symlink_to(blobs[sha].decode("utf-8", errors="surrogateescape"))
        else:
            target.write_bytes(blobs[sha])
    return dest


def _read_blobs(top: Path, shas: list[str]) -> dict[str, bytes]:
    """Read many blobs with one ``git cat-file --batch`` process."""
    unique = sorted(set(shas))
    if not unique:
        return {}
    result = _git(top, "cat-file", "--batch", input_bytes=("\n".join(unique) + "\n").encode())
    if result.returncode != 0:
        raise GitError("git cat-file 失败：" + result.stderr.decode(errors="replace").strip())
    out, data, pos = {}, result.stdout, 0
    for _ in unique:
        header_end = data.index(b"\n", pos)
        got_sha, _kind, size = data[pos:header_end].decode().split()
        start = header_end + 1
        out[got_sha] = data[start : start + int(size)]
        pos = start + int(size) + 1  # the blob is followed by a newline
    return out


@contextmanager
def checked_out(root: Path, version: Version) -> Iterator[Path]:
    """A directory holding ``version``: the working tree itself, or a temporary copy of a commit."""
    if version.commit is None:
        yield root
        return
    tmp = Path(tempfile.mkdtemp(prefix="stationsite-diff-"))
    try:
        yield materialise(root, version.commit, tmp / "repo")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
