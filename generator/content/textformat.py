"""Dates, weekdays and opening hours written the way Chinese notices write them.

Shared by the pages and the posters, so a station's hours read the same on the wall and on the phone.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from generator.content.model import OpeningHours
from generator.content.schemas import WEEKDAYS

WEEKDAY_NAMES = ["周一", "周二", "周三", "周四", "周五", "周六", "周日"]


def date_text(day: dt.date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def day_text(day: dt.date) -> str:
    return f"{day.month}月{day.day}日（{WEEKDAY_NAMES[day.weekday()]}）"


def days_label(days: tuple[str, ...]) -> str:
    """mon..fri → 周一至周五; a run of three or more days is written as a range."""
    order = list(WEEKDAYS)
    idx = sorted(order.index(d) for d in days)
    runs: list[list[int]] = []
    for i in idx:
        if runs and i == runs[-1][-1] + 1:
            runs[-1].append(i)
        else:
            runs.append([i])
    parts = []
    for run in runs:
        names = [WEEKDAYS[order[i]] for i in run]
        parts.append(f"{names[0]}至{names[-1]}" if len(run) >= 3 else "、".join(names))
    return "、".join(parts)


def hours_rows(hours: tuple[OpeningHours, ...]) -> list[dict[str, Any]]:
    """Opening hours grouped by the same set of days: [{days: 周一至周五, spans: [08:30–12:00, …]}]."""
    rows: dict[tuple[str, ...], list[str]] = {}
    for h in hours:
        rows.setdefault(tuple(sorted(h.days, key=list(WEEKDAYS).index)), []).append(f"{h.open}–{h.close}")
    return [{"days": days_label(days), "spans": spans} for days, spans in rows.items()]
