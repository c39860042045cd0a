"""Poster codes (海报编号), issue dates and the ledger of every code ever issued.

A poster prints a short code and the date it was issued, so that a resident or an inspector can
tell a current, genuine poster from an old one or a fake: ``/posters/<slug>/`` lists every current
code, and ``/posters/<slug>/<code>/`` says whether that code is current or has been replaced (已更新).

- The code is derived from what the poster prints (station, poster, and its HTML without the code
  and the date): the same content always gives the same code, on any machine, in any build, and
  ``stationsite diff`` can name the codes a change replaces without building anything.
- The issue date is the day a code was first issued. It is not derivable from the content, so the
  build keeps a ledger: ``posters/ledger.json`` in the published site, one list per poster of the
  codes it has had, newest first, each with its issue date. Each build reads the previous ledger
  (ledger.py: ``STATIONSITE_POSTER_LEDGER``, a path or the live site's address, as the publishing
  workflow sets it; else the ledger of the ``site/`` being replaced), keeps the dates of codes already
  issued, adds today's new codes, and publishes the result. Without a previous ledger every code
  is issued on the build date and no earlier code is known.
- Why a published ledger and not git history: the history holds the content, not which build was
  published when; replaying it would render every past version of every poster. The published
  site is exactly what residents saw.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from generator.posters.ledger import LEDGER_ENV, LEDGER_NAME, LEDGER_VERSION, ledger_json
from generator.posters.specs import PosterSpec

__all__ = ["LEDGER_ENV", "LEDGER_NAME", "Issue", "Issued", "code_slug", "issue", "poster_code"]

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"  # Crockford base 32: no I, L, O, U to misread
KEEP_DAYS = 400  # earlier codes older than this are forgotten (their pages go)
KEEP_PER_POSTER = 60  # and at most this many earlier codes per poster (a weekly poster: a year)


def poster_code(spec: PosterSpec, printed_html: str) -> str:
    """The 海报编号 of ``spec`` printing ``printed_html`` (rendered without code and date):
    8 characters of base 32 (40 bits), written XXXX-XXXX."""
    h = hashlib.sha256(f"poster code|{spec.station}|{spec.id}|".encode() + printed_html.encode()).digest()
    n = int.from_bytes(h[:5], "big")
    chars = "".join(ALPHABET[(n >> (5 * i)) & 31] for i in reversed(range(8)))
    return f"{chars[:4]}-{chars[4:]}"


def code_slug(code: str) -> str:
    """The code as a URL path segment: /posters/<slug>/k7q2-m9xd/."""
    return code.lower()


@dataclass(frozen=True)
class Issued:
    """One code of one poster: current (``replaced_by`` None) or earlier."""

    station: str
    poster: str  # poster id
    title: str
    code: str
    issued: dt.date
    replaced_by: str | None = None  # the current code of the same poster; "" when withdrawn

    def as_json(self) -> dict[str, str]:
        return {"code": self.code, "issued": self.issued.isoformat(), "title": self.title}


@dataclass
class Issue:
    """Every poster's code this build: current codes and the earlier codes still remembered."""

    current: dict[tuple[str, str], Issued]  # (station, poster id) → its code now
    earlier: list[Issued]
    printed: list[Any] = field(default_factory=list)  # build.printed()'s output, reused by the build

    def of(self, spec: PosterSpec) -> Issued:
        return self.current[spec.station, spec.id]

    def earlier_of(self, station: str) -> list[Issued]:
        return [e for e in self.earlier if e.station == station]

    def ledger(self) -> dict[str, Any]:
        stations: dict[str, dict[str, list[dict[str, str]]]] = {}
        for (slug, pid), now in self.current.items():
            stations.setdefault(slug, {})[pid] = [now.as_json()]
        for e in self.earlier:
            stations.setdefault(e.station, {}).setdefault(e.poster, []).append(e.as_json())
        return {"version": LEDGER_VERSION, "stations": stations}

    def ledger_json(self) -> str:
        return ledger_json(self.ledger())


def _entries(ledger: dict[str, Any], slug: str, pid: str) -> list[tuple[str, dt.date, str]]:
    out = []
    raw = ledger.get("stations", {}).get(slug, {}).get(pid, [])
    for item in raw if isinstance(raw, list) else []:
        try:
            out.append((str(item["code"]), dt.date.fromisoformat(item["issued"]), str(item.get("title", ""))))
        except (KeyError, TypeError, ValueError):
            continue  # a damaged entry is forgotten, not fatal
    return out


def issue(
    printed: Iterable[tuple[PosterSpec, str]], today: dt.date, ledger: dict[str, Any] | None = None
) -> Issue:
    """Codes for ``printed`` (spec, HTML without code and date), dated from ``ledger``.

    A code the ledger already has keeps its issue date (also when a poster goes back to an earlier
    text: it is that poster again); a new code is issued ``today``. The codes a poster had before
    become its earlier codes, replaced by the current one; posters that are gone (a rule removed,
    a station closed) keep their codes as withdrawn (``replaced_by`` "").
    """
    ledger = ledger or {}
    current: dict[tuple[str, str], Issued] = {}
    earlier: list[Issued] = []
    horizon = today - dt.timedelta(days=KEEP_DAYS)
    for spec, html in printed:
        code = poster_code(spec, html)
        history = _entries(ledger, spec.station, spec.id)
        issued = next((day for c, day, _ in history if c == code), today)
        current[spec.station, spec.id] = Issued(spec.station, spec.id, spec.title, code, min(issued, today))
        seen = {code}
        kept: list[Any] = []
        for c, day, t in history:
            if c not in seen and day >= horizon and len(kept) < KEEP_PER_POSTER:
                kept.append((c, day, t))
            seen.add(c)
        earlier += [Issued(spec.station, spec.id, t or spec.title, c, day, code) for c, day, t in kept]
    for slug, posters in sorted(ledger.get("stations", {}).items()):
        for pid in sorted(posters if isinstance(posters, dict) else {}):
            if (slug, pid) in current:
                continue
            kept = [(c, day, t) for c, day, t in _entries(ledger, slug, pid) if day >= horizon]
            earlier += [Issued(slug, pid, t, c, day, "") for c, day, t in kept[:KEEP_PER_POSTER]]
    return Issue(current, earlier)
