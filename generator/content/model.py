"""The content model: frozen objects built from validated files.

Renderers (pages, posters, open data) read only these objects, never the files.
Markdown bodies are kept as source text; each renderer sanitises when it converts.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from generator.content.repeats import Closure, Repeat
from generator.content.schemas import ACTIVITY_KINDS, DOMAINS, STATION_KINDS, WEEKDAYS


@dataclass(frozen=True)
class Complaint:
    label: str
    phone: str | None = None
    address: str | None = None
    email: str | None = None


@dataclass(frozen=True)
class Payment:
    """A payment milestone (付款节点): OCDS implementation.milestones in spirit."""

    after: str  # the condition: 合同签订, 中期评估 …
    percent: int
    due: dt.date | None = None  # planned date
    met: dt.date | None = None  # the day it was met; None: not yet

    @property
    def status(self) -> str:
        """OCDS milestone status: met, or scheduled (not yet)."""
        return "met" if self.met is not None else "scheduled"


@dataclass(frozen=True)
class Programme:
    """content/county.yml: the purchased-service programme."""

    county: str
    authority: str
    contractor: str
    programme: str
    period_start: dt.date
    period_end: dt.date
    complaints: tuple[Complaint, ...]
    disclosure_threshold: int = 5
    budget_yuan: int | None = None
    funding: tuple[tuple[str, int], ...] = ()
    payments: tuple[Payment, ...] = ()
    report_due_day: int = 25  # stations report a month by this day of the next month
    # What the county calls its stations (民政服务站, 社会工作服务站, 社工站 …): titles, posters, feeds.
    network_name: str = "社工站"
    # Only the shipped sample county says so: it prints the "fictional data" notice.
    sample: bool = False

    @property
    def site_title(self) -> str:
        """周宁县民政服务站: the name the public cites the site by (licence line, feed, calendars)."""
        return f"{self.county}{self.network_name}"

    def payment_yuan(self, payment: Payment) -> int | None:
        """The milestone's amount: budget × percent (None without a budget)."""
        return None if self.budget_yuan is None else self.budget_yuan * payment.percent // 100

    def months(self) -> list[str]:
        """Every month of the contract period as 'YYYY-MM'."""
        out, y, m = [], self.period_start.year, self.period_start.month
        while (y, m) <= (self.period_end.year, self.period_end.month):
            out.append(f"{y:04d}-{m:02d}")
            y, m = (y + 1, 1) if m == 12 else (y, m + 1)
        return out


@dataclass(frozen=True)
class Target:
    county: int | None = None
    per_station: int | None = None
    stations: tuple[tuple[str, int], ...] = ()
    kinds: tuple[str, ...] = ()  # with per_station / county: the station kinds counted; () = default


@dataclass(frozen=True)
class Indicator:
    id: str
    name: str
    unit: str
    domain: str
    counts: str  # "contacts" | "people"
    target: Target
    description: str = ""

    @property
    def counts_people(self) -> bool:
        return self.counts == "people"

    @property
    def domain_label(self) -> str:
        return DOMAINS[self.domain]


@dataclass(frozen=True)
class OpeningHours:
    days: tuple[str, ...]
    open: str
    close: str

    @property
    def days_label(self) -> str:
        return "、".join(WEEKDAYS[d] for d in self.days)


@dataclass(frozen=True)
class Staff:
    name: str
    role: str
    certified: bool
    duties: tuple[str, ...] = ()
    phone: str | None = None
    public_phone: bool = False

    @property
    def published_phone(self) -> str | None:
        """The personal mobile, only where the staff member agreed to publish it."""
        return self.phone if self.public_phone else None


@dataclass(frozen=True)
class Activity:
    station: str
    date: dt.date
    start: str
    end: str
    title: str
    kind: str
    domain: str
    place: str
    audience: str | None = None
    id: str | None = None
    # Set on every date of a repeating activity: the rule as written (calendars write it as RRULE).
    repeat: Repeat | None = None

    @property
    def kind_label(self) -> str:
        return ACTIVITY_KINDS[self.kind]

    @property
    def series_uid(self) -> str:
        """One identity for all dates of a repeating activity (its calendar event), else ``uid``."""
        import hashlib

        if self.repeat is None:
            return self.uid
        if self.id:
            return f"{self.station}-{self.id}"
        digest = hashlib.sha1(f"{self.repeat.first}|{self.start}|{self.title}|repeat".encode()).hexdigest()[
            :12
        ]
        return f"{self.station}-{self.repeat.first:%Y%m%d}-{digest}"

    @property
    def uid(self) -> str:
        """Stable identity for calendars: the explicit id, else station + date + start + title."""
        import hashlib

        if self.id and self.repeat is None:
            return f"{self.station}-{self.id}"
        if self.id:  # one date of a series with a fixed id
            return f"{self.station}-{self.id}-{self.date:%Y%m%d}"
        digest = hashlib.sha1(f"{self.date}|{self.start}|{self.title}".encode()).hexdigest()[:12]
        return f"{self.station}-{self.date:%Y%m%d}-{digest}"


@dataclass(frozen=True)
class MonthResult:
    station: str
    month: str  # YYYY-MM
    counts: tuple[tuple[str, int], ...]
    note: str | None = None


@dataclass(frozen=True)
class Rule:
    """A posted rule (制度上墙). ``station`` is set for a station's own version."""

    name: str  # file stem, the rule's identity; a station file of the same name overrides
    title: str
    order: int
    body: str
    source: str  # relative path of the file
    station: str | None = None
    poster: str | None = None  # front matter ``poster``: "flow" for the 服务流程 poster


@dataclass(frozen=True)
class Policy:
    name: str
    title: str
    domain: str
    who: str
    what: str
    how: tuple[str, ...]
    documents: tuple[str, ...]
    contact: str
    body: str
    source: str
    aliases: tuple[str, ...] = ()  # short names residents search for (低保 for 最低生活保障)


@dataclass(frozen=True)
class NewsItem:
    name: str
    title: str
    date: dt.date
    kind: str  # news | brief | case
    body: str
    source: str
    station: str | None = None
    summary: str | None = None


@dataclass(frozen=True)
class Station:
    slug: str
    name: str
    kind: str
    address: str
    phone: str
    hours: tuple[OpeningHours, ...]
    domains: tuple[str, ...]
    staff: tuple[Staff, ...]
    parent: str | None = None
    extra_plaques: tuple[str, ...] = ()
    rooms: tuple[str, ...] = ()
    signature_project: tuple[str, str] | None = None  # (name, summary)
    volunteers: tuple[str, int] | None = None  # (team, members)
    activities: tuple[Activity, ...] = ()
    results: tuple[MonthResult, ...] = ()
    own_rules: tuple[Rule, ...] = ()
    order: int | None = None  # position among its parent's stations (the county's official order)
    since: str | None = None  # YYYY-MM: a station opened during the contract reports from this month
    closures: tuple[Closure, ...] = ()

    @property
    def kind_label(self) -> str:
        return STATION_KINDS[self.kind]

    def closures_near(self, today: dt.date) -> list[Closure]:
        """Closures under way or beginning within two weeks: shown on the page, board and posters."""
        return [c for c in self.closures if c.near(today)]

    def activities_between(self, first: dt.date, last: dt.date) -> list[Activity]:
        return [a for a in self.activities if first <= a.date <= last]


@dataclass(frozen=True)
class Content:
    """Everything the build renders from. ``stations`` is in network order (hub first, then tree)."""

    programme: Programme
    indicators: tuple[Indicator, ...]
    stations: tuple[Station, ...]
    rules: tuple[Rule, ...]
    policies: tuple[Policy, ...]
    news: tuple[NewsItem, ...]
    allowed_values: frozenset[str] = field(default=frozenset())

    def station(self, slug: str) -> Station:
        for s in self.stations:
            if s.slug == slug:
                return s
        raise KeyError(slug)

    def indicator(self, ident: str) -> Indicator:
        for i in self.indicators:
            if i.id == ident:
                return i
        raise KeyError(ident)

    def children(self, slug: str | None) -> list[Station]:
        return [s for s in self.stations if s.parent == slug]

    def rules_for(self, station: Station) -> list[Rule]:
        """The county rules, each replaced by the station's own version where it has one."""
        own = {r.name: r for r in station.own_rules}
        merged = [own.pop(r.name, r) for r in self.rules]
        return sorted(merged + list(own.values()), key=lambda r: (r.order, r.name))
