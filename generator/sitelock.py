"""The build's hold on its output folder: one build at a time, and what an interrupted one left.

- ``locked``: an exclusive lock file beside ``site/`` (``.site.lock``). A second build into the same
  folder stops at once with a message naming the first one's process; the operating system drops
  the lock when a build ends, even by ``kill -9``, so a stale lock can never block a later build.
- ``recover``: a build killed between the two renames of its swap leaves no ``site/`` but the old
  tree as ``.site.old-*``: it is put back. Every other ``.site.new-*`` / ``.site.old-*`` folder is a
  leftover of an interrupted build (while we hold the lock no other build owns one) and is removed.
- ``os_error_message``: disk full, read-only or permission errors said in Chinese for the clerk
  running the build, instead of a traceback.
"""

from __future__ import annotations

import errno
import os
import shutil
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

try:
    import fcntl
except ImportError:  # pragma: no cover - Windows: no lock (builds there are one person's)
    fcntl = None  # type: ignore[assignment]


class Busy(Exception):
    """Another build holds the lock of this output folder."""


def lock_path(target: Path) -> Path:
    return target.parent / f".{target.name}.lock"


@contextmanager
def locked(target: Path) -> Iterator[None]:
    target.parent.mkdir(parents=True, exist_ok=True)
    path = lock_path(target)
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        if fcntl is not None:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                other = os.pread(fd, 32, 0).decode("ascii", "replace").strip() or "未知"
                raise Busy(
                    f"另一个 stationsite build 正在生成 {target.name}/（进程号 {other}），"
                    "两个生成过程不能同时写同一个目录：请等它完成后再运行（原有的网站保持不变）。"
                ) from None
        os.ftruncate(fd, 0)
        os.pwrite(fd, str(os.getpid()).encode("ascii"), 0)
        yield
    finally:
        os.close(fd)  # releases the lock


def leftovers(target: Path) -> tuple[list[Path], list[Path]]:
    """(old trees newest first, staging trees) that interrupted builds left beside ``target``."""

    def mtime(p: Path) -> float:
        try:
            return p.lstat().st_mtime
        except OSError:
            return 0.0

    olds = sorted(target.parent.glob(f".{target.name}.old-*"), key=mtime, reverse=True)
    news = sorted(target.parent.glob(f".{target.name}.new-*"))
    return olds, news


def recover(target: Path) -> None:
    """Restore a ``site/`` lost between the renames, then remove every leftover. Call under the lock."""
    olds, news = leftovers(target)
    if not target.exists() and olds and olds[0].is_dir() and not olds[0].is_symlink():
        olds[0].rename(target)
        print(
            f"上次生成在替换网站时被中断，{target.name}/ 不见了：已用原来的网站恢复 {target.name}/。",
            file=sys.stderr,
        )
        olds = olds[1:]
    stale = [p for p in (*olds, *news) if not p.is_symlink()]
    for path in stale:
        shutil.rmtree(path, ignore_errors=True) if path.is_dir() else path.unlink(missing_ok=True)
    if stale:
        print(f"已清理上次中断的生成留下的 {len(stale)} 个临时目录。", file=sys.stderr)


_DISK_FULL = {errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC), errno.EFBIG}
_READ_ONLY = {errno.EROFS}
_DENIED = {errno.EACCES, errno.EPERM}


def os_error_message(exc: OSError, target: Path) -> str | None:
    """A Chinese message for a machine condition the clerk can fix, or None (then it is a bug)."""
    # A copy names its source first (a theme file): say where it was writing instead.
    where = next(
        (Path(f) for f in (exc.filename2, exc.filename) if f and Path(f).is_relative_to(target.parent)),
        target,
    )
    kept = f"原有的 {target.name}/ 保持不变。"
    if exc.errno in _DISK_FULL:
        return (
            f"磁盘空间不足，无法写入 {where}：请清理磁盘（可以删除仓库里的 .cache/ 目录，"
            f"下次生成会重新建立）后再生成。{kept}"
        )
    if exc.errno in _READ_ONLY:
        return f"{where} 所在的磁盘是只读的，无法写入：请换一个可写的目录（--site-dir）或请管理员处理。{kept}"
    if exc.errno in _DENIED:
        return f"没有权限写入 {where}：请检查这个目录的权限，或换一个目录（--site-dir）。{kept}"
    return None
