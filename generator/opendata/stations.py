"""stations.json: each station's public profile. A staff member's personal mobile is included only
with ``public_phone: true`` (``Staff.published_phone``), as on the pages and posters."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from generator.content.model import Content, Station
from generator.content.schemas import DOMAINS
from generator.opendata.jsonfile import write_json


def write_stations(content: Content, site_url: str, path: Path) -> Path:
    return write_json(
        path,
        {
            "county": content.programme.county,
            "stations": [station_json(s, site_url) for s in content.stations],
        },
    )


def station_json(s: Station, site_url: str) -> dict[str, Any]:
    return {
        "slug": s.slug,
        "name": s.name,
        "kind": s.kind,
        "kind_label": s.kind_label,
        "parent": s.parent,
        "extra_plaques": list(s.extra_plaques),
        "address": s.address,
        "phone": s.phone,
        "hours": [{"days": list(h.days), "open": h.open, "close": h.close} for h in s.hours],
        "rooms": list(s.rooms),
        "domains": [{"id": d, "label": DOMAINS[d]} for d in s.domains],
        "signature_project": (
            {"name": s.signature_project[0], "summary": s.signature_project[1]}
            if s.signature_project
            else None
        ),
        "volunteers": {"team": s.volunteers[0], "members": s.volunteers[1]} if s.volunteers else None,
        "staff": [
            {
                "name": x.name,
                "role": x.role,
                "certified": x.certified,
                "duties": list(x.duties),
                "phone": x.published_phone,
            }
            for x in s.staff
        ],
        "page": f"{site_url}stations/{s.slug}/",
        "calendar": f"{site_url}calendar/{s.slug}.ics",
    }
