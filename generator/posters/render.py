"""Posters as HTML: Jinja2 templates in theme/posters/ + print CSS, one self-contained file each.

The HTML is what is printed — from a browser or through WeasyPrint — so it holds everything:
inline CSS, the QR code as inline SVG, the address under it and the build date. It names fonts by
family only (no file paths), so the published HTML never points into a build machine's cache.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import jinja2

from generator.posters.qr import qr_svg
from generator.posters.specs import PosterSpec
from generator.themefiles import poster_templates

THEME_DIR = poster_templates()

# Paper: (height mm, page margin (top/bottom, sides), room for the footer: QR + address + date).
PAPER = {"A4": (297, (10, 14), 64), "A3": (420, (14, 20), 82), "A6": (148, (7, 7), 0)}
QR_SYMBOL_MM = {"A4": 36.0, "A3": 46.0, "A6": 40.0}  # modules only; the quiet zone adds 8 modules
BODY_PT = {"board": 16.0, "week": 18.0, "rule": 18.0, "flow": 18.0, "results": 14.0, "card": 10.0}
MIN_BODY_PT = 12.0


@dataclass(frozen=True)
class Fit:
    """How a poster is laid out: paper size and body text size (chosen by shrink-to-fit)."""

    paper: str
    body_pt: float

    @property
    def margin_mm(self) -> tuple[int, int]:
        return PAPER[self.paper][1]

    @property
    def margin(self) -> str:
        top, side = self.margin_mm
        return f"{top}mm {side}mm"

    @property
    def sheet_mm(self) -> float:
        """Height of the page box: the browser layout pins the footer to its bottom."""
        height, (top, _), _ = PAPER[self.paper]
        return height - 2 * top - 1  # 1 mm slack against rounding onto a second page

    @property
    def footer_reserve_mm(self) -> int:
        """Bottom page margin in the PDF layout, holding the footer (see pdf.css.j2)."""
        _, (top, _), footer = PAPER[self.paper]
        return top + footer


def default_fit(spec: PosterSpec) -> Fit:
    return Fit(spec.paper, BODY_PT[spec.kind])


def fit_ladder(spec: PosterSpec) -> list[Fit]:
    """Layouts to try, largest first: the design size down to 12 pt on the design paper, then A3.

    The A6 card has no fallback: its content is fixed and short.
    """
    start = BODY_PT[spec.kind]
    sizes = [start - i for i in range(max(0, int(start - MIN_BODY_PT)) + 1)]
    papers = [spec.paper] + (["A3"] if spec.paper == "A4" else [])
    return [Fit(paper, size) for paper in papers for size in sizes]


@dataclass(frozen=True)
class Stamp:
    """The build date as printed (text) and as PDF metadata (iso). Empty when fingerprinting."""

    text: str
    iso: str

    @classmethod
    def of(cls, moment: dt.datetime | dt.date) -> Stamp:
        day = moment.date() if isinstance(moment, dt.datetime) else moment
        # Day precision on purpose: the poster prints a date, and every build of the same day
        # can reuse the cached PDFs.
        return cls(f"{day.year}年{day.month}月{day.day}日", f"{day.isoformat()}T00:00:00+08:00")


UNSTAMPED = Stamp("", "")


@lru_cache(maxsize=4)
def environment(theme_dir: Path = THEME_DIR) -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(theme_dir)),
        undefined=jinja2.StrictUndefined,
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )


@lru_cache(maxsize=4)
def stylesheet(theme_dir: Path = THEME_DIR) -> str:
    return (theme_dir / "poster.css").read_text(encoding="utf-8")


@lru_cache(maxsize=16)
def pdf_stylesheet(fit: Fit, theme_dir: Path = THEME_DIR) -> str:
    """The CSS the PDF renderer adds for ``fit`` (part of every PDF's cache key)."""
    return environment(theme_dir).get_template("pdf.css.j2").render(fit=fit)


def poster_url(site_url: str, spec: PosterSpec) -> str:
    return site_url.rstrip("/") + "/" + spec.page_url_path


def render_html(
    spec: PosterSpec,
    data: dict[str, Any],
    site_url: str,
    stamp: Stamp,
    fit: Fit | None = None,
    theme_dir: Path = THEME_DIR,
) -> str:
    """The poster's complete HTML document."""
    fit = fit or default_fit(spec)
    url = poster_url(site_url, spec)
    template = environment(theme_dir).get_template(f"{spec.kind}.html.j2")
    return template.render(
        d=data,
        url=url,
        qr=qr_svg(url, QR_SYMBOL_MM[fit.paper]),
        stamp=stamp,
        fit=fit,
        css=stylesheet(theme_dir),
    )
