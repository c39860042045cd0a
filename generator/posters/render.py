"""Posters as HTML: Jinja2 templates in theme/posters/ + print CSS, one self-contained file each.

The HTML is what is printed — from a browser or through WeasyPrint — so it holds everything:
inline CSS, the QR code as inline SVG, the address under it and the build date. It names fonts by
family only (no file paths), so the published HTML never points into a build machine's cache.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import jinja2

from generator.posters.qr import qr_svg
from generator.posters.specs import PosterSpec
from generator.posters.typeset import balanced_html, em_width, nobreak_html, url_html
from generator.themefiles import poster_templates

THEME_DIR = poster_templates()

# Paper: (height mm, page margin (top/bottom, sides)).
PAPER = {"A4": (297, (10, 14)), "A3": (420, (14, 20)), "A6": (148, (7, 7))}
# Height of the footer (mm): the QR column (code, caption, address, code and date), or the text
# column (call to action, phone, verification, programme) plus each line of complaint channels,
# whichever is taller, with slack. Measured on rendered posters (footer laid out in the flow):
# A4 69–70 mm and A3 90–100 mm of content with two lines of complaint channels.
FOOTER_MM = {"A4": (70.0, 54.0, 6.5), "A3": (95.0, 74.0, 9.5), "A6": (0.0, 0.0, 0.0)}
FOOTER_SLACK_MM = 3.5  # the rule and padding above the footer, and rounding
COMPLAINT_EM_PER_LINE = {"A4": 27.0, "A3": 32.0, "A6": 1e9}  # the text column at 13 / 16 pt
WIDTH_MM = {"A4": 210, "A3": 297, "A6": 105}
QR_SYMBOL_MM = {"A4": 36.0, "A3": 46.0, "A6": 40.0}  # modules only; the quiet zone adds 8 modules
CARDS_QR_MM = 48.0  # a card on the A4 sheet (95 × 138.5 mm) has room for a larger code
# Design (largest) body size per kind and paper; shrink-to-fit goes down from here to MIN_BODY_PT.
# Starting large is how a poster with few rows fills its page: it is printed at the largest size
# that still fits on one page.
BODY_PT = {
    ("board", "A4"): 20.0,
    ("board", "A3"): 28.0,
    ("week", "A4"): 24.0,
    ("week", "A3"): 34.0,
    ("rule", "A4"): 22.0,
    ("flow", "A4"): 20.0,
    ("results", "A4"): 18.0,
    ("card", "A6"): 10.0,
    ("cards", "A4"): 10.0,
}
MIN_BODY_PT = 12.0
# The wall posters read standing (board, week, results) never go below these body sizes. Why 14 pt
# on A4: a resident reads a notice board from about a metre away, often an older resident; 14 pt
# (四号) prints a hanzi about 4.9 mm tall, legible at a metre for reduced acuity, where 12 pt's
# 4.2 mm (小四, the size of a letter read in the hand) is not; the national standard for official
# documents that get posted (GB/T 9704) sets their body at 16 pt (三号). A3 is hung where people stand
# further back, so its floor is √2 × 14 pt. Below the floor a poster prints less, with a pointer
# to its web page (the results poster's last rows; the board's volunteers, then its 一站一品), and only
# what cannot be left out (the board's staff) spills onto a second page. Rules keep 12 pt and A3.
WALL_MIN_PT = {"A4": 14.0, "A3": 20.0}
WALL_KINDS = ("board", "week", "results")
PT_MM = 25.4 / 72
# Headline sizes (pt) and letter spacing (em) per paper, as in poster.css: for balancing lines.
HEADLINES = {
    "title": ({"A4": 36, "A3": 56}, 0.18),
    "station": ({"A4": 28, "A3": 42}, 0.04),
    "board-station": ({"A4": 36, "A3": 48}, 0.04),
    "plaque": ({"A4": 14, "A3": 20}, 0.0),
    "card-station": ({"A6": 17, "A4": 16}, 0.0),
    "cta": ({"A4": 16, "A3": 22}, 0.0),
}
FOOT_QR_MM = {"A4": 62 + 6, "A3": 80 + 6}  # the footer's QR column and the gap before it
CARD_WIDTH_MM = {"A6": 91, "A4": 85}  # text width of the A6 card and of a card on the A4 sheet


@dataclass(frozen=True)
class Fit:
    """How a poster is laid out: paper size and body text size (chosen by shrink-to-fit), and the
    layout: ``poster`` (header, body, footer), ``card`` (the A6 card) or ``cards`` (four on A4)."""

    paper: str
    body_pt: float
    layout: str = "poster"  # or "spill": a wall poster that flows over pages (see pdf.css.j2)
    footer_lines: int = 1  # lines the complaint channels take in the footer
    cut: int = 0  # what a wall poster leaves out at its floor size (see WALL_MIN_PT), with a pointer

    @property
    def margin_mm(self) -> tuple[int, int]:
        return (0, 0) if self.layout == "cards" else PAPER[self.paper][1]

    @property
    def margin(self) -> str:
        top, side = self.margin_mm
        return f"{top}mm {side}mm"

    @property
    def sheet_mm(self) -> float:
        """Height of the page box: the browser layout pins the footer to its bottom."""
        height, (top, _) = PAPER[self.paper]
        return height - 2 * top - 1  # 1 mm slack against rounding onto a second page

    @property
    def footer_reserve_mm(self) -> int:
        """Bottom page margin in the PDF layout, holding the footer (see pdf.css.j2)."""
        _, (top, _) = PAPER[self.paper]
        qr_column, text_column, per_line = FOOTER_MM[self.paper]
        height = max(qr_column, text_column + per_line * self.footer_lines) + FOOTER_SLACK_MM
        return int(top + height + 0.999)

    @property
    def running_footer(self) -> bool:
        return self.layout == "poster"

    def per_line(self, role: str) -> float:
        """How many em of a headline ``role`` fit on one line of this paper."""
        if role == "visit":  # body text inside the flow poster's bordered strip
            return (WIDTH_MM[self.paper] - 2 * self.margin_mm[1] - 8) / (self.body_pt * PT_MM)
        sizes, spacing = HEADLINES[role]
        if role == "card-station":
            width = CARD_WIDTH_MM[self.paper]
        elif role == "cta":
            width = WIDTH_MM[self.paper] - 2 * self.margin_mm[1] - FOOT_QR_MM[self.paper]
        else:
            width = WIDTH_MM[self.paper] - 2 * self.margin_mm[1]
        return width / (sizes[self.paper] * PT_MM * (1 + spacing))


def _layout(spec: PosterSpec) -> str:
    return {"card": "card", "cards": "cards"}.get(spec.kind, "poster")


def default_fit(spec: PosterSpec) -> Fit:
    return Fit(spec.paper, BODY_PT[spec.kind, spec.paper], _layout(spec))


def start_pt(spec: PosterSpec, data: dict[str, Any]) -> float | None:
    """A cap on the design size from the content, where the largest size would squeeze a table.

    The week table keeps its time range and a short place name on one line each; at 24 pt on A4
    they would leave the activity column too narrow, so the size is capped for the time and place
    columns to take at most 55% of the width (and the title column the rest).
    """
    if spec.kind in ("rule", "flow"):
        return _text_start_pt(spec, data)
    if spec.kind != "week":
        return None
    width_pt = (WIDTH_MM[spec.paper] - 2 * PAPER[spec.paper][1][1]) / PT_MM
    place = min(max(int(data.get("longest_place", 0)), 2), 8)
    ems = 6.0 + place + 2.6  # "09:00–11:30", the place, cell padding (about 1.3 em per cell)
    return float(int(0.55 * width_pt / ems))


# Body area of an A4 poster (mm², below the title, above the footer) and the area one character
# takes per pt² of body size (line height 1.5, indents and paragraph gaps): for a first guess.
BODY_AREA_MM2 = 182 * 150
CHAR_AREA = 1.65 * PT_MM**2


def _text_start_pt(spec: PosterSpec, data: dict[str, Any]) -> float:
    """For a rule: one size above the size its length would fill the page at. Why: shrink-to-fit
    from the design size costs a layout per try; starting near the answer costs one or two."""
    text = "".join(str(data.get(k, "")) for k in ("body", "lead", "notes"))
    text += "".join(
        str(s.get("head", "")) + str(s.get("detail", "")) + "12345678901234567890"
        for s in data.get("steps", [])
    )
    chars = len(re.sub(r"<[^>]+>", "", text)) or 1
    return float(max(int(MIN_BODY_PT), int((BODY_AREA_MM2 / (chars * CHAR_AREA)) ** 0.5) + 1))


def complaint_lines(data: dict[str, Any], paper: str) -> int:
    """Lines the complaint channels take in the footer on ``paper`` (an estimate, rounded up)."""
    text = "；".join(
        " ".join(part for part in (c["label"], c["phone"], c["address"], c["email"]) if part)
        for c in data["complaints"]
    )
    return max(1, math.ceil(em_width("投诉建议：" + text) / COMPLAINT_EM_PER_LINE[paper] - 0.05))


def fit_ladder(
    spec: PosterSpec, start_pt: float | None = None, data: dict[str, Any] | None = None
) -> list[Fit]:
    """Layouts to try, largest first: the design size (or ``start_pt``, when the content caps it)
    down to 12 pt on the design paper, then A3 for an A4 poster.

    The cards have no fallback: their content is fixed and short.
    """
    start = min(BODY_PT[spec.kind, spec.paper], start_pt or 1e9)
    if spec.kind in ("card", "cards"):
        return [default_fit(spec)]
    if spec.kind in WALL_KINDS:
        return _wall_ladder(spec, start, data)
    sizes = [start - i for i in range(max(0, int(start - MIN_BODY_PT)) + 1)]
    papers = [spec.paper] + (["A3"] if spec.paper == "A4" else [])
    out = []
    for paper in papers:
        top = start if paper == spec.paper else min(sizes[0], BODY_PT.get((spec.kind, "A3"), sizes[0]))
        lines = complaint_lines(data, paper) if data else 1
        out += [Fit(paper, size, "poster", lines) for size in sizes if size <= top]
    return out


def cuts(spec: PosterSpec, data: dict[str, Any] | None) -> int:
    """How many steps of leaving out a wall poster has: the results poster's rows but its first
    three, one by one from the last; the board's volunteers, then its 一站一品 (the station's own
    project is the likelier to fit and the more telling); none for a week (a week's activities are
    all printed, on a second page if need be)."""
    if data is None:
        return 0
    if spec.kind == "results":
        return max(0, len(data.get("rows", [])) - 3)
    if spec.kind == "board":
        return bool(data.get("signature")) + bool(data.get("volunteers"))
    return 0


def _wall_ladder(spec: PosterSpec, start: float, data: dict[str, Any] | None) -> list[Fit]:
    """The design size down to the floor on the design paper (an A4 file stays A4), then the floor
    size printing less and less (``Fit.cut``). Past the last step the poster spills onto a second page."""
    floor = WALL_MIN_PT[spec.paper]
    start = max(start, floor)
    lines = complaint_lines(data, spec.paper) if data else 1
    sizes = [start - i for i in range(int(start - floor) + 1)]
    out = [Fit(spec.paper, size, "poster", lines) for size in sizes]
    return out + [Fit(spec.paper, floor, "poster", lines, cut) for cut in range(1, cuts(spec, data) + 1)]


@dataclass(frozen=True)
class Stamp:
    """The build date as printed (text) and as PDF metadata (iso). Empty when fingerprinting."""

    text: str
    iso: str
    code: str = ""  # the poster's 海报编号 (see codes.py)

    def fill(self, html: str) -> str:
        """``html`` rendered with ``PLACEHOLDER``, with this stamp in its place."""
        return (
            html.replace(PLACEHOLDER.code, self.code)
            .replace(PLACEHOLDER.text, self.text)
            .replace(PLACEHOLDER.iso, self.iso)
        )

    @classmethod
    def of(cls, moment: dt.datetime | dt.date, code: str = "") -> Stamp:
        day = moment.date() if isinstance(moment, dt.datetime) else moment
        # Day precision on purpose: the poster prints a date, and every build of the same day
        # can reuse the cached PDFs.
        return cls(f"{day.year}年{day.month}月{day.day}日", f"{day.isoformat()}T00:00:00+08:00", code)


UNSTAMPED = Stamp("", "")
# What a poster prints without its code and date: rendered once with these stand-ins, hashed for
# the code, then the stand-ins are replaced (``Stamp.fill``) — one template render per poster.
PLACEHOLDER = Stamp("@@STAMP-DATE@@", "@@STAMP-ISO@@", "@@STAMP-CODE@@")


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
        spec=spec,
        url=url,
        qr=qr_svg(url, CARDS_QR_MM if fit.layout == "cards" else QR_SYMBOL_MM[fit.paper]),
        stamp=stamp,
        fit=fit,
        css=stylesheet(theme_dir),
        balance=lambda text, role: balanced_html(text, fit.per_line(role)),
        nobreak=nobreak_html,
        url_html=url_html(url),
        verify_url=url_html(site_url.rstrip("/") + f"/posters/{spec.station}/"),
    )
