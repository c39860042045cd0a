"""A small PNG of a poster's first page, for the station's posters page (poppler's pdftoppm).

Made once per cached PDF and kept beside it (``<key>.png``), so a warm build makes none. Without
pdftoppm (poppler-utils) the build makes no thumbnails and the posters page shows none; the PDFs
are unaffected.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

WIDTH_PX = 240  # the posters page shows it 120 px wide: sharp on a phone's 2× screen


def thumbnail_png(pdf: Path) -> Path | None:
    """``pdf`` with ``.png``: its first page scaled to ``WIDTH_PX`` wide; None without pdftoppm."""
    png = pdf.with_suffix(".png")
    if png.is_file():
        return png
    tool = shutil.which("pdftoppm")
    if tool is None:
        return None
    stem = png.with_name(f".{png.stem}.tmp")
    subprocess.run(
        [
            tool,
            "-png",
            "-singlefile",
            "-f",
            "1",
            "-l",
            "1",
            "-scale-to-x",
            str(WIDTH_PX),
            "-scale-to-y",
            "-1",
            str(pdf),
            str(stem),
        ],
        check=True,
        capture_output=True,
    )
    stem.with_suffix(".tmp.png").replace(png)  # whole or not at all
    return png
