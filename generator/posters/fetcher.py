"""The offline URL fetcher posters are laid out with (see offline.py for why and what it allows).

Kept apart from offline.py because it subclasses WeasyPrint's fetcher, and importing WeasyPrint
costs about a second: only the renderer (pdf.py, in the process that lays out) imports this.
"""

from __future__ import annotations

import stat
from collections.abc import Iterable
from pathlib import Path
from urllib.parse import unquote, urlsplit

from weasyprint.urls import URLFetcher  # type: ignore[import-untyped]


class OfflineFetcher(URLFetcher):  # type: ignore[misc]
    def __init__(self, allowed_dirs: Iterable[Path]):
        super().__init__(timeout=1, allowed_protocols={"data", "file"}, allow_redirects=False)
        self.allowed = tuple(Path(d).resolve() for d in allowed_dirs)
        self.refused: list[str] = []

    def fetch(self, url: str, headers: dict[str, str] | None = None):  # type: ignore[no-untyped-def]
        scheme = url.split(":", 1)[0].lower()
        if scheme == "data":
            return super().fetch(url, headers)
        if scheme == "file" and self._allowed_file(url):
            return super().fetch(url, headers)
        self.refused.append(url)
        raise ValueError(f"海报不加载仓库以外的资源：{url[:120]}")

    def _allowed_file(self, url: str) -> bool:
        parts = urlsplit(url)
        if parts.netloc not in ("", "localhost"):
            return False
        path = Path(unquote(parts.path))
        try:
            if stat.S_ISLNK(path.lstat().st_mode):
                return False
            resolved = path.resolve(strict=True)
            if not stat.S_ISREG(resolved.stat().st_mode):
                return False
        except (OSError, RuntimeError):
            return False
        return any(resolved.is_relative_to(d) for d in self.allowed)

    def take_refused(self) -> list[str]:
        refused, self.refused = self.refused, []
        return refused
