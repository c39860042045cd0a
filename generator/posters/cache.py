"""A directory of rendered posters, each filed under a hash of everything it was made from.

An entry is ``<key>.pdf`` plus, for single posters, ``<key>.html`` (the HTML as fitted: body size
and paper chosen) and ``<key>.json`` (that choice, and any warning, so a cached poster warns again
on every build, and the SHA-256 of the entry's other files: an entry whose file was truncated or
changed is deleted and made again). Writes are atomic (temp file + rename), so an interrupted or
parallel build never leaves half a file under a valid name. Entries unused for ``MAX_AGE_DAYS`` are pruned.
"""

from __future__ import annotations

import hashlib
import json
import os
import time
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

MAX_AGE_DAYS = 14


DIGESTS = "sha256"  # key in an entry's .json: SHA-256 of each of its files, by suffix


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


@lru_cache(maxsize=8192)
def _verified_once(path: str, size: int, expected: str) -> bool:
    with open(path, "rb") as f:
        return _sha256(f.read()) == expected


def _verified(path: Path, expected: str | None) -> bool:
    """Whether ``path`` still has the digest recorded when it was written. Remembered by size (not
    by modification time, which ``get`` renews), so a build asking for an entry again reads it once."""
    if not expected:
        return False
    return _verified_once(str(path), path.stat().st_size, expected)


def digest(*parts: str | bytes) -> str:
    """A stable hash of ``parts`` (length-prefixed, so ("ab", "c") != ("a", "bc"))."""
    h = hashlib.sha256()
    for part in parts:
        data = part.encode() if isinstance(part, str) else part
        h.update(len(data).to_bytes(8, "big"))
        h.update(data)
    return h.hexdigest()[:40]


@dataclass(frozen=True)
class Entry:
    pdf: Path
    html: Path | None
    meta: dict[str, Any]


class PosterCache:
    def __init__(self, root: Path):
        self.root = root

    def _path(self, key: str, suffix: str) -> Path:
        return self.root / key[:2] / f"{key}{suffix}"

    def get(self, key: str, with_html: bool = True) -> Entry | None:
        """The entry, or None when it is missing or damaged (a damaged entry is deleted, so the
        poster is made again instead of a truncated PDF being published on every later build)."""
        pdf = self._path(key, ".pdf")
        html = self._path(key, ".html") if with_html else None
        meta_path = self._path(key, ".json")
        if not pdf.is_file() or (html is not None and not html.is_file()) or not meta_path.is_file():
            return None
        try:
            meta = json.loads(meta_path.read_text(encoding="utf-8"))
            sums = meta.pop(DIGESTS)
            ok = isinstance(sums, dict) and all(
                _verified(path, sums.get(path.suffix)) for path in (pdf, html) if path is not None
            )
        except (OSError, ValueError, KeyError, TypeError, AttributeError):
            ok = False
        if not ok:
            self._drop(key)
            return None
        now = time.time()
        for path in (pdf, html, meta_path):
            if path is not None:
                os.utime(path, (now, now))  # recently used: keep it when pruning
        return Entry(pdf, html, meta)

    def put(self, key: str, pdf: bytes, html: str | None, meta: dict[str, Any]) -> Entry:
        sums = {".pdf": _sha256(pdf)}
        self._write(self._path(key, ".pdf"), pdf)
        if html is not None:
            data = html.encode("utf-8")
            sums[".html"] = _sha256(data)
            self._write(self._path(key, ".html"), data)
        # meta last: an entry counts as present only once all its files are; it holds their digests
        record = {**meta, DIGESTS: sums}
        self._write(self._path(key, ".json"), json.dumps(record, ensure_ascii=False, sort_keys=True).encode())
        return Entry(self._path(key, ".pdf"), self._path(key, ".html") if html is not None else None, meta)

    def _drop(self, key: str) -> None:
        for suffix in (".json", ".pdf", ".html"):
            self._path(key, suffix).unlink(missing_ok=True)

    @staticmethod
    def _write(path: Path, data: bytes) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
        tmp.write_bytes(data)
        os.replace(tmp, path)

    def prune(self, max_age_days: float = MAX_AGE_DAYS) -> int:
        """Delete poster entries not used for ``max_age_days``; returns how many files went."""
        if not self.root.is_dir():
            return 0
        cutoff = time.time() - max_age_days * 86400
        removed = 0
        for path in self.root.glob("??/*"):
            if path.is_file() and path.stat().st_mtime < cutoff:
                path.unlink(missing_ok=True)
                removed += 1
        return removed
