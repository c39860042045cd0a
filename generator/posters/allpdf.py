"""A station's ``all.pdf``: one copy of each poster (A4) in one print job, bound from cached parts.

Why parts: WeasyPrint can only combine documents it has laid out in the same process, so an
``all.pdf`` made in one piece must lay out all of a station's posters again whenever any one of
them changes — about 1.2 s of a one-station rebuild, for twelve posters that did not change.
Splitting by how often posters change keeps most of that work in the cache:

- ``week`` and ``week-next``: this week and next week, which change with the activities (and
  every Monday); one part each, because an edit often changes only one of them, and a part of one
  poster is that poster's own PDF, taken from the cache as it is (nothing laid out again);
- ``current``: the information board, results and the sheet of QR cards, which change with the
  monthly results and the station's own details;
- ``standing``: the posted rules and the service flow, which change only when a rule does.

Each part is one WeasyPrint PDF (one font subset for all its pages) cached under the keys of its
posters; ``all.pdf`` is the parts' pages put back into poster order with pypdf. Why not bind the
single posters' PDFs: each embeds its own font subset, which made ``all.pdf`` five times larger;
four parts carry four subsets. The grouping is fixed, so the same posters always give the same bytes,
whichever parts happened to be in the cache.
"""

from __future__ import annotations

import io
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from generator.posters.specs import PosterSpec

STANDING_KINDS = ("rule", "flow")
WEEKLY_KINDS = ("week",)


def part_of(spec: PosterSpec) -> str:
    if spec.kind in STANDING_KINDS:
        return "standing"
    if spec.kind in WEEKLY_KINDS:
        return "week" if spec.week_offset == 0 else "week-next"
    return "current"


@dataclass(frozen=True)
class Sheet:
    """One poster's place in ``all.pdf``: which part holds its pages, how many, its bookmark."""

    part: str
    pages: int
    title: str


def bind(parts: Mapping[str, bytes], sheets: Sequence[Sheet], title: str) -> bytes:
    """``all.pdf`` from ``parts`` (part name → PDF whose pages are its posters' pages in order),
    taking each poster's pages in the order of ``sheets``, with one bookmark per poster.

    Document metadata (author, dates, language) comes from the first part, so the file is a pure
    function of its parts, like the parts are of their HTML.
    """
    from pypdf import PdfReader, PdfWriter
    from pypdf.generic import NameObject

    readers = {name: PdfReader(io.BytesIO(data)) for name, data in parts.items()}
    taken = dict.fromkeys(readers, 0)
    writer = PdfWriter()
    for sheet in sheets:
        first = len(writer.pages)
        for _ in range(sheet.pages):
            writer.add_page(readers[sheet.part].pages[taken[sheet.part]])
            taken[sheet.part] += 1
        writer.add_outline_item(title=sheet.title, page_number=first)
    left = {name: len(r.pages) - taken[name] for name, r in readers.items() if len(r.pages) != taken[name]}
    if left:  # the parts and the sheets disagree: a bug, not a content problem
        raise ValueError(f"pages of all.pdf parts left unbound: {left}")

    model = readers[sheets[0].part]
    writer.add_metadata({**(model.metadata or {}), "/Title": title})
    root: Any = model.trailer["/Root"]
    if "/Lang" in root:
        writer.root_object[NameObject("/Lang")] = root["/Lang"]
    writer.page_mode = "/UseOutlines"  # open with the list of posters beside the pages
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()
