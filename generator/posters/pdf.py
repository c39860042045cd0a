"""HTML → PDF with WeasyPrint, in the subset CJK font; shrink-to-fit; one file for a whole station.

A ``Renderer`` lives in one worker process: it holds the WeasyPrint font configuration with the
``@font-face`` rules of the build's subset fonts, so that font files are read once per process,
not once per poster. The PDF's dates come from the ``dcterms`` meta tags the HTML carries (the
build date), and WeasyPrint writes no other time or random value, so a PDF is a pure function of
its HTML and fonts.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from generator.posters.fonts import SubsetFont, font_face_css
from generator.posters.offline import RefusedReference
from generator.posters.render import THEME_DIR, Fit, pdf_stylesheet
from generator.problems import Problem

# The poster templates keep all their CSS in one block in <head> (see theme/posters/base.html.j2).
STYLE_OPEN, STYLE_CLOSE = "<style>", "</style>"


def overflow(document: Any) -> float:
    """How many pages' worth of body ``document`` has (1.0 = exactly one page; 1.3 = 30% over)."""
    pages = document.pages
    box = pages[-1]._page_box
    bottom = box.content_box_y()
    for child in box.children:
        if type(child).__name__ != "MarginBox":
            bottom = max(bottom, child.position_y + child.margin_height())
    used = (bottom - box.content_box_y()) / max(box.height, 1)
    return len(pages) - 1 + max(0.0, min(1.0, used))


def _guess(sizes: list[Fit], ratio: float) -> int:
    """Index in ``sizes`` (largest first, 1 pt apart) of the size whose body should just fit.

    Running text grows with the square of the size (wider and more lines), table rows about
    linearly: the exponent between the two is a first guess, corrected by the steps after it.
    """
    target = sizes[0].body_pt / max(ratio, 1.0) ** 0.7
    return min(range(len(sizes)), key=lambda k: (sizes[k].body_pt > target, abs(sizes[k].body_pt - target)))


@dataclass
class Fitted:
    html: str
    fit: Fit
    document: Any  # weasyprint.Document
    fits: bool  # False: even the last layout tried needs more than one page


class DoesNotFit(Exception):
    """A rule needs more than one page even on A3 at the smallest text size. Picklable (it
    crosses from a worker process): args are (station slug, poster id, pages needed)."""

    def __init__(self, slug: str, poster: str, pages: int):
        super().__init__(slug, poster, pages)
        self.slug, self.poster, self.pages = slug, poster, pages


# About what one A3 page holds at the smallest text size (measured: a 60-item rule of 2,900
# characters needs two pages). Text of more than three pages' worth is refused without laying it
# out: a 5,000-line rule would otherwise be laid out four times at a hundred pages each.
A3_PAGE_CHARS = 2000
HOPELESS_PAGES = 3


def text_length(data: dict[str, Any]) -> int:
    """Characters a poster prints from its data (tags and white space not counted)."""
    return len(re.sub(r"<[^>]+>|\s", "", " ".join(_texts(data))))


def hopeless(data: dict[str, Any]) -> int | None:
    """Pages a rule would need, when it is certain without a layout that it cannot fit one A3 page."""
    pages = -(-text_length(data) // A3_PAGE_CHARS)
    return pages if pages > HOPELESS_PAGES else None


def too_long_problem(source: str, title: str, pages: int, data: dict[str, Any]) -> Problem:
    """A rule too long for one A3 page, saying how much to cut or how to split it."""
    chars = text_length(data)
    cut = chars - chars // pages
    parts = "、".join(f"{Path(source).stem}-{i}.md" for i in range(1, pages + 1))
    return Problem(
        source,
        None,
        None,
        f"制度《{title}》太长：A3 纸、12 磅字也要排 {pages} 页，上墙海报只能是一页",
        f"请删减约 {cut} 字（约 {100 * (pages - 1) // pages}%），或拆成 {pages} 个制度文件（如 {parts}）",
    )


def _texts(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [t for v in value.values() for t in _texts(v)]
    if isinstance(value, (list, tuple)):
        return [t for v in value for t in _texts(v)]
    return []


class Renderer:
    def __init__(self, fonts: Sequence[SubsetFont], theme_dir: Path = THEME_DIR):
        from weasyprint import CSS  # type: ignore[import-untyped]
        from weasyprint.text.fonts import FontConfiguration  # type: ignore[import-untyped]

        from generator.posters.fetcher import OfflineFetcher

        self.theme_dir = theme_dir
        # Offline: the templates' own files and the subset fonts, nothing else (see offline.py).
        self.fetcher = OfflineFetcher([theme_dir, *(f.path.parent for f in fonts)])
        self.font_config = FontConfiguration()
        self.font_css = CSS(
            string=font_face_css(list(fonts)), font_config=self.font_config, url_fetcher=self.fetcher
        )
        self._sheets: dict[str, Any] = {}  # CSS text → parsed stylesheet

    def layout(self, html: str, fit: Fit) -> Any:
        """Lay out a poster's HTML. Its ``<style>`` block goes to WeasyPrint as a parsed stylesheet.

        Why: the block is the same few kilobytes of poster.css in every poster, and parsing it was
        a quarter of each layout. Parsed once per distinct text and handed over as a user
        stylesheet, in the same order as before (poster CSS, then the PDF-only CSS), it cascades
        exactly as the inline block did: nothing else in the HTML styles it.
        """
        from weasyprint import HTML  # type: ignore[import-untyped]

        start = html.index(STYLE_OPEN)
        end = html.index(STYLE_CLOSE, start)
        own_css = html[start + len(STYLE_OPEN) : end]
        unstyled = html[:start] + html[end + len(STYLE_CLOSE) :]
        sheets = [self.font_css, self._parsed(own_css), self._parsed(pdf_stylesheet(fit, self.theme_dir))]
        document = HTML(string=unstyled, base_url=str(self.theme_dir), url_fetcher=self.fetcher).render(
            font_config=self.font_config, stylesheets=sheets
        )
        refused = self.fetcher.take_refused()
        if refused:
            raise RefusedReference(tuple(refused))
        return document

    def _parsed(self, css: str) -> Any:
        from weasyprint import CSS  # type: ignore[import-untyped]

        if css not in self._sheets:
            self._sheets[css] = CSS(
                string=css,
                base_url=str(self.theme_dir),
                font_config=self.font_config,
                url_fetcher=self.fetcher,
            )
        return self._sheets[css]

    def fit(self, ladder: list[Fit], html_for: Callable[[Fit], str]) -> Fitted:
        """The first layout of ``ladder`` (largest first) that fits on one page.

        Text size shrinks monotonically within one paper size. A poster that fits at its design
        size costs one layout. One that overflows is measured — how much taller than the page its
        body came out — and the size that should just fit is tried next, then one step up or down
        until the boundary is found: about three layouts where bisection of the ladder took five.
        """
        tried: dict[Fit, Fitted] = {}

        def attempt(fit: Fit) -> Fitted:
            if fit not in tried:
                html = html_for(fit)
                doc = self.layout(html, fit)
                tried[fit] = Fitted(html, fit, doc, len(doc.pages) == 1)
            return tried[fit]

        papers: list[list[Fit]] = []
        for fit in ladder:
            if not papers or papers[-1][0].paper != fit.paper:
                papers.append([])
            papers[-1].append(fit)
        last: Fitted | None = None
        for sizes in papers:
            first = attempt(sizes[0])
            if first.fits:
                return first
            i = _guess(sizes, overflow(first.document))
            if attempt(sizes[i]).fits:
                while i > 0 and attempt(sizes[i - 1]).fits:  # fits: one step larger?
                    i -= 1
                return tried[sizes[i]]
            while i + 1 < len(sizes):  # overflows: smaller until it fits
                i += 1
                if attempt(sizes[i]).fits:
                    return tried[sizes[i]]
            last = tried[sizes[-1]]
        assert last is not None
        return last

    @staticmethod
    def write(document: Any) -> bytes:
        return document.write_pdf()

    @staticmethod
    def combine(documents: Sequence[Any], title: str) -> bytes:
        """One PDF of all pages of ``documents`` in order (each page keeps its own paper size)."""
        pages = [page for doc in documents for page in doc.pages]
        combined = documents[0].copy(pages)
        combined.metadata.title = title
        return combined.write_pdf()
