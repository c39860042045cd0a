"""One piece of work run on the other core while this process goes on: a forked child process.

The site build is one process, and MkDocs renders pages on one core; the open data (calendars,
results tables) need nothing MkDocs makes, so they can be written at the same time on the second
core. At a thousand stations that is about five seconds off the build.

Why fork: the child starts with the loaded content and results already in memory, where a fresh
process would need them pickled and sent over. Fork is only safe while this process has no other
thread (a thread holding a lock at the moment of the fork leaves it held in the child for ever), so
under ``mkdocs serve``, which runs a web-server thread, or where fork does not exist, the work runs
in this process when its result is asked for, as it would without this module.
"""

from __future__ import annotations

import multiprocessing
import threading
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from typing import Any

# Work handed to the child by the fork itself (its memory is a copy of ours): only this key is sent.
_WORK: dict[int, tuple[Callable[..., Any], tuple[Any, ...]]] = {}


def _run(key: int) -> Any:
    fn, args = _WORK[key]
    return fn(*args)


def can_fork() -> bool:
    return threading.active_count() == 1 and "fork" in multiprocessing.get_all_start_methods()


class SideJob:
    """``fn(*args)`` started now in a forked child where that is safe, else run by ``result()``."""

    def __init__(self, fn: Callable[..., Any], *args: Any, background: bool | None = None):
        self._fn, self._args = fn, args
        self._pool: ProcessPoolExecutor | None = None
        self._future: Any = None
        if background if background is not None else can_fork():
            key = id(self)
            _WORK[key] = (fn, args)
            try:
                # With the fork method the executor forks its worker inside submit(), before it
                # starts its own helper thread, so the child sees _WORK as it is now.
                self._pool = ProcessPoolExecutor(
                    max_workers=1, mp_context=multiprocessing.get_context("fork")
                )
                self._future = self._pool.submit(_run, key)
            finally:
                del _WORK[key]

    @property
    def in_background(self) -> bool:
        return self._future is not None

    def result(self) -> Any:
        """The work's return value (waiting for the child if needed); its exception if it failed."""
        if self._future is None:
            return self._fn(*self._args)
        try:
            return self._future.result()
        finally:
            self._close()

    def discard(self) -> None:
        """The build failed: wait for the child to end, so nothing writes after the caller cleans up,
        and ignore what it did."""
        if self._future is not None:
            try:
                self._future.result()
            except Exception:  # noqa: BLE001 - the build has failed already; this is clean-up
                pass
            self._close()

    def _close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown()
            self._pool = None
