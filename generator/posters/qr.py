"""QR codes for posters: segno symbol → inline SVG sized in millimetres.

The symbol is drawn as one SVG path of whole modules (no anti-aliasing seams, crisp at any dpi).
Error correction is at least M (segno may boost it when the version allows), the quiet zone is
four modules, and the printed symbol — modules only, without the quiet zone — is at least
``MIN_SYMBOL_MM`` wide, so a phone reads it from arm's length off a wall.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import segno

QUIET_ZONE = 4  # modules; ISO/IEC 18004 asks for 4
MIN_SYMBOL_MM = 35.0


@dataclass(frozen=True)
class QrCode:
    url: str
    svg: str  # inline <svg> element, width and height in mm
    width_mm: float  # printed width including the quiet zone
    symbol_mm: float  # printed width of the modules alone
    version: int
    error: str


# Encoding is most of the cost of planning a poster build (segno scores all eight masks), and a
# station's addresses rarely change: module matrices are kept in memory and, once the build names a
# cache folder, on disk, so a rebuild does not encode again.
_disk_cache: Path | None = None


def use_disk_cache(folder: Path | None) -> None:
    global _disk_cache
    _disk_cache = folder


@lru_cache(maxsize=4096)
def _matrix(url: str) -> tuple[tuple[str, ...], int, str]:
    """The module rows ("1"/"0"), version and error level of ``url``'s QR code."""
    key = hashlib.sha256(f"{segno.__version__}|m|boost|{url}".encode()).hexdigest()[:32]
    path = _disk_cache / f"{key}.txt" if _disk_cache else None
    if path is not None and path.is_file():
        cached = _read_verified(path)
        if cached is not None:
            return cached
    code = segno.make(url, error="m", micro=False, boost_error=True)
    rows = tuple("".join("1" if cell else "0" for cell in row) for row in code.matrix)
    if path is not None:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(".tmp")
        text = " ".join([str(code.version), str(code.error), *rows])
        # The text's own SHA-256 last: a damaged file is encoded again, never printed as a wrong code.
        tmp.write_text(f"{text} {hashlib.sha256(text.encode()).hexdigest()}", encoding="ascii")
        tmp.replace(path)  # whole or not at all: a half-written file would be a wrong QR code
    return rows, int(code.version), str(code.error)


def _read_verified(path: Path) -> tuple[tuple[str, ...], int, str] | None:
    try:
        text, _, digest = path.read_text(encoding="ascii").rpartition(" ")
        if hashlib.sha256(text.encode()).hexdigest() != digest:
            return None
        version, error, *rows = text.split()
        return tuple(rows), int(version), error
    except (OSError, UnicodeDecodeError, ValueError):
        return None


def qr_svg(url: str, symbol_mm: float = 36.0) -> QrCode:
    """The QR code of ``url`` as inline SVG whose modules print ``symbol_mm`` wide (the quiet zone
    comes on top, so the image is a little wider: about 44 mm for a 36 mm symbol)."""
    if symbol_mm < MIN_SYMBOL_MM:
        raise ValueError(f"QR code for {url} would print {symbol_mm:.1f} mm wide (< {MIN_SYMBOL_MM} mm)")
    matrix, version, error = _matrix(url)
    size = len(matrix)
    total = size + 2 * QUIET_ZONE
    width_mm = round(symbol_mm * total / size, 2)
    parts = []
    for y, row in enumerate(matrix):
        x = 0
        while x < size:
            if row[x] == "1":
                start = x
                while x < size and row[x] == "1":
                    x += 1
                parts.append(f"M{start + QUIET_ZONE} {y + QUIET_ZONE}h{x - start}v1h-{x - start}z")
            else:
                x += 1
    svg = (
        f'<svg class="qr" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {total} {total}" '
        f'width="{width_mm:g}mm" height="{width_mm:g}mm" shape-rendering="crispEdges" '
        f'role="img" aria-label="二维码：{url}">'
        f'<rect width="{total}" height="{total}" fill="#fff"/>'
        f'<path fill="#000" d="{"".join(parts)}"/></svg>'
    )
    return QrCode(
        url=url,
        svg=svg,
        width_mm=width_mm,
        symbol_mm=symbol_mm,
        version=version,
        error=error,
    )
