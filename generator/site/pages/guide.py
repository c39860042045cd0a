"""The editors' guide (如何更新): generic text shipped with the generator, with the county's own
stations as its examples, so a county repository needs no copy of it and no example names a
station the county does not have."""

from __future__ import annotations

import re

from generator.content.fieldref import field_reference_markdown
from generator.content.model import Content, Station
from generator.content.naming import short_name
from generator.content.schemas import EXAMPLE_AREA, EXAMPLE_COUNTY, EXAMPLE_NETWORK, EXAMPLE_STATION
from generator.site.pages.templating import render
from generator.themefiles import page_templates

GUIDE_DIR = "guide"


def example_station(content: Content) -> Station:
    """A town or street station if there is one (the guide's examples edit such a station)."""
    return next((s for s in content.stations if s.kind in ("township", "street")), content.stations[0])


def guide_pages(content: Content) -> list[tuple[str, str]]:
    """(src, markdown) of every guide page, plus the field reference."""
    station = example_station(content)
    landline = re.match(r"(0\d{2,3})-", station.phone)
    ex = {
        "slug": station.slug,
        "name": station.name,
        "short": short_name(content.programme.county, station.name),
        "area": landline.group(1) if landline else "0000",
    }
    names = sorted(p.name.removesuffix(".md.j2") for p in (page_templates() / GUIDE_DIR).glob("*.md.j2"))
    pages = [
        (
            f"{GUIDE_DIR}/{name}.md",
            render(f"{GUIDE_DIR}/{name}.md.j2", ex=ex, county=content.programme.county),
        )
        for name in names
    ]
    return pages + [(f"{GUIDE_DIR}/fields.md", county_field_reference(content, station, ex["area"]))]


def county_field_reference(content: Content, station: Station, area: str) -> str:
    """The field reference with the county's own names as its examples."""
    text = field_reference_markdown()
    # Longest first: the station example contains the county example.
    for generic, own in (
        (f"`name: {EXAMPLE_STATION}`", f"`name: {station.name}`"),
        (f"`county: {EXAMPLE_COUNTY}`", f"`county: {content.programme.county}`"),
        (f"`network_name: {EXAMPLE_NETWORK}`", f"`network_name: {content.programme.network_name}`"),
        (f'"{EXAMPLE_AREA}-0000000"', f'"{area}-0000000"'),
    ):
        text = text.replace(generic, own)
    return text
