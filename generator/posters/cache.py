"""A directory of rendered posters, each filed under a hash of everything it was made from.

An entry is ``<key>.pdf`` plus, for single posters, ``<key>.html`` (the HTML as fitted: body size
and paper chosen) and ``<key>.json`` (that choice, and any warning, so a cached poster warns again
on every build). Writes are atomic (temp file + rename), so an interrupted or parallel build never
leaves half a file under a valid name. Entries unused for ``MAX_AGE_DAYS`` are pruned.
"""

from __future__ import annotations

import hashlib
import json
import os
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

MAX_AGE_DAYS = 14


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
        pdf = self._path(key, ".pdf")
        html = self._path(key, ".html") if with_html else None
        meta = self._path(key, ".json")
        if not pdf.is_file() or (html is not None and not html.is_file()) or not meta.is_file():
            return None
        now = time.time()
        for path in (pdf, html, meta):
            if path is not None:
                os.utime(path, (now, now))  # recently used: keep it when pruning
        return Entry(pdf, html, json.loads(meta.read_text(encoding="utf-8")))

    def put(self, key: str, pdf: bytes, html: str | None, meta: dict[str, Any]) -> Entry:
        self._write(self._path(key, ".pdf"), pdf)
        if html is not None:
            self._write(self._path(key, ".html"), html.encode("utf-8"))
        # meta last: an entry counts as present only once all its files are
        self._write(self._path(key, ".json"), json.dumps(meta, ensure_ascii=False, sort_keys=True).encode())
        return Entry(self._path(key, ".pdf"), self._path(key, ".html") if html is not None else None, meta)

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
