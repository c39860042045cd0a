"""Which station has reported which month: reported, not yet due (未填报) or overdue (逾期未报).

Stations report a month by ``report_due_day`` of the next month (county.yml, default 25), one by
one. A month is due only once it has ended (Asia/Shanghai, by the build date); the checker refuses
counts for a month that has not ended. A month a station has not reported is never 0: every output
shows its label instead, and progress is computed on what is reported.
"""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass

from generator.content.model import Content, Station

REPORTED, PENDING, OVERDUE, NOT_OPEN = "reported", "pending", "overdue", "not_open"
# What a month's cell shows when the station has not reported it.
LABELS = {PENDING: "未填报", OVERDUE: "逾期未报", NOT_OPEN: "未运行"}
SYMBOLS = {PENDING: "○", OVERDUE: "✕", NOT_OPEN: "—"}


def month_end(month: str) -> dt.date:
    year, mon = int(month[:4]), int(month[5:7])
    return dt.date(year, mon, calendar.monthrange(year, mon)[1])


def due_date(month: str, due_day: int) -> dt.date:
    """The last day a month may be reported on time: ``due_day`` of the next month."""
    nxt = month_end(month) + dt.timedelta(days=1)
    return nxt.replace(day=min(due_day, calendar.monthrange(nxt.year, nxt.month)[1]))


def month_start(month: str) -> dt.date:
    return dt.date(int(month[:4]), int(month[5:7]), 1)


@dataclass(frozen=True)
class Reporting:
    """Reporting status of every station for every ended month of the contract."""

    months: tuple[str, ...]  # contract months that have ended by the build date
    status: dict[str, dict[str, str]]  # slug → month → REPORTED | PENDING | OVERDUE | NOT_OPEN
    latest_month: str | None  # the latest month any station has reported

    def of(self, slug: str, month: str) -> str:
        return self.status[slug][month]

    def last_reported(self, slug: str) -> str | None:
        months = [m for m, s in self.status[slug].items() if s == REPORTED]
        return max(months) if months else None

    def count(self, month: str) -> tuple[int, int]:
        """(stations that reported ``month``, stations expected to)."""
        states = [by_month[month] for by_month in self.status.values() if month in by_month]
        expected = [s for s in states if s != NOT_OPEN]
        return sum(s == REPORTED for s in expected), len(expected)

    def overdue(self, slug: str) -> list[str]:
        return [m for m, s in self.status[slug].items() if s == OVERDUE]


def reporting(content: Content, today: dt.date) -> Reporting:
    p = content.programme
    months = tuple(m for m in p.months() if month_end(m) < today)
    status = {s.slug: {m: _status(s, m, today, p.report_due_day) for m in months} for s in content.stations}
    reported = [m for by_month in status.values() for m, st in by_month.items() if st == REPORTED]
    return Reporting(months, status, max(reported) if reported else None)


def _status(station: Station, month: str, today: dt.date, due_day: int) -> str:
    if station.since is not None and month < station.since:
        return NOT_OPEN
    if any(r.month == month for r in station.results):
        return REPORTED
    return PENDING if today <= due_date(month, due_day) else OVERDUE
