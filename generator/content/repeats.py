"""Repeating activities and station closures: dates worked out once, for every renderer.

A repeating activity is written once in activities.yml (``repeat: {every: week, until: …}``).
Pages and posters need its dates one by one; calendars need the rule itself (RRULE and EXDATE,
RFC 5545), so that a subscriber's phone shows one series rather than fifty separate events.
Both come from here, so they cannot disagree.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

EVERY = {"week": "每周", "2 weeks": "每两周", "month": "每月"}
MAX_OCCURRENCES = 400  # a weekly activity over a three-year contract is about 160
_RRULE_DAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
_WEEKDAY_NAMES = ("一", "二", "三", "四", "五", "六", "日")


@dataclass(frozen=True)
class Repeat:
    """How an activity repeats; ``first`` is the date written in the file (the series' start)."""

    every: str  # a key of EVERY
    until: dt.date
    first: dt.date
    except_dates: tuple[dt.date, ...] = ()

    @property
    def label(self) -> str:
        """As residents read it: 每周二、每两周的周四、每月第 2 个周二."""
        day = f"周{_WEEKDAY_NAMES[self.first.weekday()]}"
        if self.every == "month":
            return f"每月第 {week_of_month(self.first)} 个{day}"
        return f"每{day}" if self.every == "week" else f"每两周的{day}"

    def rrule(self) -> dict[str, object]:
        """The RRULE as icalendar's vRecur takes it. UNTIL is the last day, inclusive."""
        rule: dict[str, object] = {"FREQ": "MONTHLY" if self.every == "month" else "WEEKLY"}
        if self.every == "2 weeks":
            rule["INTERVAL"] = 2
        if self.every == "month":
            rule["BYDAY"] = f"{week_of_month(self.first)}{_RRULE_DAYS[self.first.weekday()]}"
        rule["UNTIL"] = self.until
        return rule


@dataclass(frozen=True, order=True)
class Closure:
    """A station closed from ``start`` to ``end`` inclusive (a holiday, repairs)."""

    start: dt.date
    end: dt.date
    reason: str

    def covers(self, day: dt.date) -> bool:
        return self.start <= day <= self.end

    def near(self, today: dt.date, days: int = 14) -> bool:
        """Current, or beginning within ``days``: the closures worth telling residents about."""
        return self.end >= today and self.start <= today + dt.timedelta(days=days)


def closure_text(c: Closure) -> str:
    """11月30日（周一）闭站：办公场地检修 — as the page, the board and the week poster say it."""
    from generator.content.textformat import day_text

    when = day_text(c.start) if c.start == c.end else f"{day_text(c.start)}至{day_text(c.end)}"
    # "元旦假期闭站" says it already; "消防设施检修" needs the word.
    return f"{when}：{c.reason}" if re.search("闭|停|休", c.reason) else f"{when}闭站：{c.reason}"


def week_of_month(day: dt.date) -> int:
    return (day.day - 1) // 7 + 1


def dates_of(every: str, first: dt.date, until: dt.date) -> list[dt.date]:
    """Every date of the series from ``first`` to ``until`` (inclusive), exceptions not removed."""
    out: list[dt.date] = []
    if every in ("week", "2 weeks"):
        step = dt.timedelta(weeks=1 if every == "week" else 2)
        day = first
        while day <= until and len(out) <= MAX_OCCURRENCES:
            out.append(day)
            day += step
        return out
    n, weekday = week_of_month(first), first.weekday()
    y, m = first.year, first.month
    while len(out) <= MAX_OCCURRENCES:
        day = _nth_weekday(y, m, n, weekday)
        if day > until:
            break
        out.append(day)
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return out


def occurrences(repeat: Repeat) -> list[dt.date]:
    skip = set(repeat.except_dates)
    return [d for d in dates_of(repeat.every, repeat.first, repeat.until) if d not in skip]


def _nth_weekday(year: int, month: int, n: int, weekday: int) -> dt.date:
    first = dt.date(year, month, 1)
    return first + dt.timedelta(days=(weekday - first.weekday()) % 7 + 7 * (n - 1))
