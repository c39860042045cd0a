"""What each poster prints, kept between builds: its HTML without code and date, by a digest of
everything the template render reads.

Why: the codes of every poster (``build.printed``) are worked out on every build, pages included,
and rendering 170 templates with their QR codes is most of a one-station rebuild's planning. The
HTML is a pure function of the poster's data (``printed.poster_data``, plain str/Markup/number/
list/dict values, so its ``repr`` is all of it), its spec, the site address, the design fit, the
template folder's files, and the code that renders (render.py, typeset.py, qr.py, Jinja2's and
segno's versions): the key digests all of them, so an edit to any of them misses the cache instead
of reusing a stale text. The data itself is computed every time (cheap, and it is what the key
is made from).

An entry is ``<key>.printed`` in the poster cache's shards (pruned with them when unused): the
SHA-256 of the HTML on the first line, then the HTML; a damaged entry is rendered again.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable
from functools import lru_cache
from importlib.metadata import version
from pathlib import Path
from typing import Any

from generator.posters.cache import digest
from generator.posters.specs import PosterSpec

VERSION = "1"  # bump when what the key covers changes
_CODE = ("render.py", "typeset.py", "qr.py", "printedcache.py")


@lru_cache(maxsize=4)
def _code_and_templates(theme_dir: Path) -> str:
    here = Path(__file__).parent
    parts: list[str | bytes] = [VERSION, version("jinja2"), version("segno"), version("markupsafe")]
    for name in _CODE:
        parts += [name, (here / name).read_bytes()]
    for path in sorted(p for p in theme_dir.rglob("*") if p.is_file()):
        parts += [path.relative_to(theme_dir).as_posix(), path.read_bytes()]
    return digest(*parts)


def key(spec: PosterSpec, data: dict[str, Any], site_url: str, fit: Any, theme_dir: Path) -> str:
    return digest("printed", _code_and_templates(theme_dir), repr(spec), repr(data), site_url, repr(fit))


class PrintedStore:
    """Printed HTML by key in ``root`` (the poster cache's folder); None root: nothing kept."""

    def __init__(self, root: Path | None):
        self.root = root

    def _path(self, k: str) -> Path:
        assert self.root is not None
        return self.root / k[:2] / f"{k}.printed"

    def get_or_render(self, k: str, render: Callable[[], str]) -> str:
        if self.root is None:
            return render()
        path = self._path(k)
        try:
            raw = path.read_bytes()
            check, _, body = raw.partition(b"\n")
            if hashlib.sha256(body).hexdigest().encode() == check:
                os.utime(path)  # recently used: kept when the cache is pruned
                return body.decode("utf-8")
        except (OSError, UnicodeDecodeError):
            pass  # missing or damaged: render again
        html = render()
        body = html.encode("utf-8")
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
        tmp.write_bytes(hashlib.sha256(body).hexdigest().encode() + b"\n" + body)
        os.replace(tmp, path)  # whole or not at all
        return html
