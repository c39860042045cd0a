"""QR codes for posters: segno symbol → inline SVG sized in millimetres.

The symbol is drawn as one SVG path of whole modules (no anti-aliasing seams, crisp at any dpi).
Error correction is at least M (segno may boost it when the version allows), the quiet zone is
four modules, and the printed symbol — modules only, without the quiet zone — is at least
``MIN_SYMBOL_MM`` wide, so a phone reads it from arm's length off a wall.
"""

from __future__ import annotations

from dataclasses import dataclass

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


def qr_svg(url: str, symbol_mm: float = 36.0) -> QrCode:
    """The QR code of ``url`` as inline SVG whose modules print ``symbol_mm`` wide (the quiet zone
    comes on top, so the image is a little wider: about 44 mm for a 36 mm symbol)."""
    if symbol_mm < MIN_SYMBOL_MM:
        raise ValueError(f"QR code for {url} would print {symbol_mm:.1f} mm wide (< {MIN_SYMBOL_MM} mm)")
    code = segno.make(url, error="m", micro=False, boost_error=True)
    size = code.symbol_size(border=0)[0]
    total = size + 2 * QUIET_ZONE
    width_mm = round(symbol_mm * total / size, 2)
    parts = []
    for y, row in enumerate(code.matrix):
        x = 0
        while x < size:
            if row[x]:
                start = x
                while x < size and row[x]:
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
        version=int(code.version),
        error=str(code.error),
    )
