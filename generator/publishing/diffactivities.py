"""The activities part of ``stationsite diff``: single activities paired across versions, and a
repeating activity compared as one series (its rule, end date and exceptions), however many dates.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from generator.clock import week_of
from generator.content.model import Activity, Content
from generator.content.schemas import DOMAINS
from generator.publishing.diffparts import WEEKDAY_NAMES, _inline, _station_title


def _same_event(a: Activity, b: Activity) -> bool:
    return (a.date, a.start, a.end, a.title, a.kind, a.domain, a.place, a.audience) == (
        b.date,
        b.start,
        b.end,
        b.title,
        b.kind,
        b.domain,
        b.place,
        b.audience,
    )


def match_activities(old: list[Activity], new: list[Activity]) -> dict[str, list[Any]]:
    """Pair the activities of two versions of one station.

    Identity is the explicit ``id`` where both have one; otherwise an unchanged activity pairs with
    its equal, then one of the same title on the same day (a changed time or place), then one of the
    same title on the nearest other day (moved). What is left was added or cancelled.
    """
    left_old, left_new = list(old), list(new)
    pairs: list[tuple[Activity, Activity]] = []

    def take(match: Callable[[Activity, Activity], bool], nearest: bool = False) -> None:
        for a in list(left_old):
            candidates = [b for b in left_new if match(a, b)]
            if not candidates:
                continue
            b = candidates[0]
            if nearest:
                b = min(candidates, key=lambda b: (abs((b.date - a.date).days), b.start))
            left_old.remove(a)
            left_new.remove(b)
            pairs.append((a, b))

    take(lambda a, b: a.id is not None and a.id == b.id)
    take(lambda a, b: a.id is None and b.id is None and _same_event(a, b))
    take(lambda a, b: a.id is None and b.id is None and a.title == b.title and a.date == b.date)
    take(lambda a, b: a.id is None and b.id is None and a.title == b.title, nearest=True)
    result: dict[str, list[Any]] = {"added": left_new, "cancelled": left_old, "moved": [], "changed": []}
    for a, b in pairs:
        if (a.date, a.start, a.end) != (b.date, b.start, b.end):
            result["moved"].append((a, b))
        elif not _same_event(a, b):
            result["changed"].append((a, b))
    return result


def _when(a: Activity) -> str:
    return f"{a.date:%Y-%m-%d}（{WEEKDAY_NAMES[a.date.weekday()]}）{a.start}–{a.end}"


def _activity_text(a: Activity) -> str:
    return f"{_when(a)} {_inline(a.title)}，{_inline(a.place)}"


def _series_of(acts: list[Activity]) -> dict[str, list[Activity]]:
    out: dict[str, list[Activity]] = {}
    for a in acts:
        if a.repeat is not None:
            out.setdefault(a.series_uid, []).append(a)
    return out


def _series_text(dates: list[Activity]) -> str:
    a = dates[0]
    r = a.repeat
    assert r is not None
    return (
        f"{r.label} {a.start}–{a.end} {_inline(a.title)}，{_inline(a.place)}，"
        f"{r.first:%Y-%m-%d} 起至 {r.until:%Y-%m-%d}（共 {len(dates)} 次）"
    )


def series_changes(old: list[Activity], new: list[Activity], flag: Callable[..., str]) -> list[str]:
    """A repeating activity as one line, however many dates it has: new, cancelled or changed
    (its rule, end date, exceptions, time or place), with the dates that come or go counted."""
    before, after = _series_of(old), _series_of(new)
    unmatched_old = {k: v for k, v in before.items() if k not in after}
    out = []
    for key, dates in after.items():
        prev = before.get(key)
        if prev is None:  # the same title and time may have been restarted on another first date
            prev_key = next(
                (
                    k
                    for k, v in unmatched_old.items()
                    if (v[0].title, v[0].start) == (dates[0].title, dates[0].start)
                ),
                None,
            )
            prev = unmatched_old.pop(prev_key) if prev_key else None
        if prev is None:
            out.append(f"- 新增重复活动：{_series_text(dates)}{flag(*dates)}")
            continue
        a, b = prev[0], dates[0]
        ra, rb = a.repeat, b.repeat
        assert ra is not None and rb is not None
        diffs = [
            f"{label} {_inline(x)} → {_inline(y)}"
            for label, x, y in (
                ("重复", ra.label, rb.label),
                ("开始", f"{ra.first:%Y-%m-%d}", f"{rb.first:%Y-%m-%d}"),
                ("截止", f"{ra.until:%Y-%m-%d}", f"{rb.until:%Y-%m-%d}"),
                ("时间", f"{a.start}–{a.end}", f"{b.start}–{b.end}"),
                ("名称", a.title, b.title),
                ("地点", a.place, b.place),
                ("服务对象", a.audience, b.audience),
            )
            if x != y
        ]
        old_days, new_days = {x.date for x in prev}, {x.date for x in dates}
        skipped = sorted(set(rb.except_dates) - set(ra.except_dates))
        resumed = sorted(set(ra.except_dates) - set(rb.except_dates))
        if skipped:
            diffs.append("不办 " + "、".join(f"{d:%m-%d}" for d in skipped))
        if resumed:
            diffs.append("恢复 " + "、".join(f"{d:%m-%d}" for d in resumed))
        if not diffs:
            continue
        fewer, more = len(old_days - new_days), len(new_days - old_days)
        counted = "；".join(
            x for x in (f"少 {fewer} 次" if fewer else "", f"多 {more} 次" if more else "") if x
        )
        touched = [x for x in prev + dates if x.date in (old_days ^ new_days)] or dates
        out.append(
            f"- 修改重复活动：{_inline(b.title)}（{rb.label}）：{'；'.join(diffs)}"
            + (f"（{counted}）" if counted else "")
            + flag(*touched)
        )
    for dates in unmatched_old.values():
        out.append(f"- 取消重复活动：{_series_text(dates)}{flag(*dates)}")
    return out


def activity_changes(old: Content, new: Content, today: dt.date) -> list[str]:
    monday, sunday = week_of(today)

    def flag(*acts: Activity) -> str:
        if any(monday <= a.date <= sunday for a in acts):
            return " **【本周】**"
        return "（已过去）" if all(a.date < today for a in acts) else ""

    before = {s.slug: s for s in old.stations}
    out: list[str] = []
    for s in new.stations:
        old_all = list(before[s.slug].activities) if s.slug in before else []
        old_acts = [a for a in old_all if a.repeat is None]
        m = match_activities(old_acts, [a for a in s.activities if a.repeat is None])
        lines = series_changes(old_all, list(s.activities), flag)
        lines += [f"- 新增：{_activity_text(a)}{flag(a)}" for a in m["added"]]
        lines += [
            f"- 改期：{_inline(a.title)}：{_when(a)} → {_when(b)}"
            + (f"，地点 {_inline(b.place)}" if a.place != b.place else "")
            + flag(a, b)
            for a, b in m["moved"]
        ]
        for a, b in m["changed"]:
            diffs = [
                f"{label} {_inline(x)} → {_inline(y)}"
                for label, x, y in (
                    ("名称", a.title, b.title),
                    ("地点", a.place, b.place),
                    ("服务对象", a.audience, b.audience),
                    ("类型", a.kind_label, b.kind_label),
                    ("领域", DOMAINS[a.domain], DOMAINS[b.domain]),
                )
                if x != y
            ]
            lines.append(f"- 修改：{_when(b)} {_inline(b.title)}：{'；'.join(diffs)}{flag(a, b)}")
        lines += [f"- 取消：{_activity_text(a)}{flag(a)}" for a in m["cancelled"]]
        if lines and s.slug in before:
            out.append(f"- {_station_title(s)}")
            out += ["  " + ln for ln in lines]
        elif lines:
            out.append(f"- {_station_title(s)}（新站点）：{len(s.activities)} 项活动")
    return out
