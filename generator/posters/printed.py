"""What each poster prints, as plain data for the templates — nothing about layout.

Everything a resident reads on a poster is decided here from the model and the results report;
the templates only arrange it. Rule and step texts go through ``markdown_to_html`` (sanitised);
counts come only from the report's ``Cell.display``, so a suppressed small count prints as "<5".
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any

from generator.clock import week_of
from generator.content.model import Activity, Content, Staff, Station
from generator.content.repeats import closure_text
from generator.content.richtext import markdown_to_html, markdown_to_inline_html
from generator.content.schemas import DOMAINS
from generator.content.textformat import date_text, day_text, days_label, hours_rows  # noqa: F401 (re-exported)
from generator.posters.specs import PosterSpec

EYEBROW = {
    "board": "公示栏",
    "week": "活动公示",
    "rule": "制度上墙",
    "flow": "服务流程",
    "results": "成效公示",
    "card": "二维码卡片",
    "cards": "二维码卡片",
}
UPCOMING_WHEN_EMPTY = 6  # activities listed when this week has none


def _by_day(activities: list[Activity]) -> list[dict[str, Any]]:
    """Activities grouped by date (already sorted in the model): [{day: 11月24日（周二）, items: […]}]."""
    days: dict[dt.date, list[dict[str, str]]] = {}
    for a in activities:
        days.setdefault(a.date, []).append(
            {
                "time": f"{a.start}–{a.end}",
                "title": a.title,
                "kind": a.kind_label,
                "place": a.place,
                "audience": a.audience or "",
                "repeat": a.repeat.label if a.repeat else "",
            }
        )
    return [
        {
            "day": day_text(day),
            "date": f"{day.month}月{day.day}日",
            "weekday": day_text(day)[-3:-1],
            "entries": entries,
        }
        for day, entries in days.items()
    ]


_STEP = re.compile(r"^\s{0,3}\d+[.)、]\s+(.*)$")


def flow_parts(body: str) -> tuple[str, list[dict[str, Any]], str]:
    """Split the service-flow rule into (lead HTML, steps, notes HTML).

    The steps are the first ordered list; an item "受理登记：说明" becomes head 受理登记 and detail.
    """
    lines = body.splitlines()
    first = next((i for i, line in enumerate(lines) if _STEP.match(line)), None)
    if first is None:
        return markdown_to_html(body), [], ""
    items: list[list[str]] = []
    i = first
    while i < len(lines):
        m = _STEP.match(lines[i])
        if m:
            items.append([m.group(1).strip()])
        elif lines[i].strip() and lines[i].startswith((" ", "\t")) and items:
            items[-1].append(lines[i].strip())  # continuation of the item
        elif lines[i].strip():
            break
        i += 1
    steps = []
    for parts in items:
        text = " ".join(parts)
        head, sep, detail = text.partition("：")
        if not sep or len(head) > 14:
            head, detail = text, ""
        steps.append(
            {
                "head": markdown_to_inline_html(head),
                "detail": markdown_to_inline_html(detail) if detail else "",
            }
        )
    lead = "\n".join(lines[:first]).strip()
    notes = "\n".join(lines[i:]).strip()
    return (markdown_to_html(lead) if lead else ""), steps, (markdown_to_html(notes) if notes else "")


# Who to ask at a step: a staff member whose duty shares a keyword with the step's text; these
# words are too common in both to say anything.
_GENERIC = {"服务", "管理", "工作", "社会", "站务", "关爱", "社区"}


def _duty_keywords(duty: str) -> set[str]:
    return {duty[:2], duty[-2:]} - _GENERIC if len(duty) >= 2 else set()


def _person(s: Staff, station: Station) -> dict[str, str]:
    return {"name": s.name, "role": s.role, "phone": s.published_phone or station.phone}


def who_to_ask(station: Station, text: str, first: bool) -> list[dict[str, str]]:
    """The staff to ask at a step of the service flow, from station.yml.

    The first step is whoever receives the resident (首问负责): every staff member on duty, so the
    poster names the station head and the station phone. Later steps name the staff whose duties
    (``duties``) share a keyword with the step ("救助", "个案", "儿童" …), else the station head.
    """
    head = next((s for s in station.staff if s.role == "站长"), station.staff[0] if station.staff else None)
    if first:
        return [_person(head, station)] if head else []
    matched = [s for s in station.staff if any(k in text for d in s.duties for k in _duty_keywords(d))]
    people = matched[:2] or ([head] if head else [])
    return [_person(s, station) for s in people]


def flow_data(content: Content, station: Station, spec: PosterSpec) -> dict[str, Any]:
    rule = next(r for r in content.rules_for(station) if r.name == spec.rule_name)
    lead, steps, notes = flow_parts(rule.body)
    for i, step in enumerate(steps):
        plain = re.sub(r"<[^>]+>", "", step["head"] + step["detail"])
        step["ask"] = who_to_ask(station, plain, i == 0)
    return {
        "flow_title": rule.title,
        "own_version": rule.station == station.slug,
        "lead": lead,
        "steps": steps,
        "notes": notes,
        "address": station.address,
    }


@dataclass(frozen=True)
class ResultRow:
    name: str
    unit: str
    domain: str
    target: str
    total: str
    percent: str
    bar: float | None  # 0..1 share of the target reached, for the drawn bar
    status: str


def _indicator(content: Content, ref: Any) -> Any:
    return content.indicator(ref) if isinstance(ref, str) else ref


def results_rows(content: Content, report: Any, station: Station) -> list[ResultRow]:
    """One row per indicator of the station, from the results report (``Cell.display`` only)."""
    rows = []
    for ip in report.station(station.slug):
        ind = _indicator(content, ip.indicator)
        percent = ip.percent
        rows.append(
            ResultRow(
                name=ind.name,
                unit=ind.unit,
                domain=DOMAINS[ind.domain],
                target="—" if ip.target is None else f"{ip.target}",
                total=ip.total.display,
                percent="—" if percent is None else f"{percent:.0f}%",
                bar=None if percent is None else max(0.0, min(1.0, percent / 100)),
                status=ip.status or "—",
            )
        )
    return rows


def _common(content: Content, station: Station, spec: PosterSpec) -> dict[str, Any]:
    p = content.programme
    return {
        "county": p.county,
        "site_title": p.site_title,
        "programme": p.programme,
        "authority": p.authority,
        "contractor": p.contractor,
        "station_name": station.name,
        "station_kind": station.kind_label,
        "extra_plaques": list(station.extra_plaques),
        "station_phone": station.phone,
        "title": spec.title,
        "kind": spec.kind,
        "eyebrow": EYEBROW[spec.kind],
        "complaints": [
            {"label": c.label, "phone": c.phone or "", "address": c.address or "", "email": c.email or ""}
            for c in p.complaints
        ],
        "hours": hours_rows(station.hours),
        "qr_caption": spec.qr_caption,
    }


def poster_data(
    content: Content, report: Any, station: Station, spec: PosterSpec, today: dt.date
) -> dict[str, Any]:
    """Everything ``spec`` prints except the QR code, its address and the build date."""
    data = _common(content, station, spec)
    if spec.kind in ("board", "week"):
        # Closures under way or within two weeks: a resident at a locked door learns why.
        data["closures"] = [closure_text(c) for c in station.closures_near(today)]
    if spec.kind == "board":
        data.update(
            address=station.address,
            staff=[
                {
                    "name": s.name,
                    "role": s.role,
                    "certified": s.certified,
                    "duties": "、".join(s.duties),
                    "phone": s.published_phone or "",
                }
                for s in station.staff
            ],
            domains=[DOMAINS[d] for d in station.domains],
            signature=(
                {"name": station.signature_project[0], "summary": station.signature_project[1]}
                if station.signature_project
                else None
            ),
            rooms=list(station.rooms),
            volunteers=(
                {"team": station.volunteers[0], "members": station.volunteers[1]}
                if station.volunteers
                else None
            ),
        )
    elif spec.kind == "week":
        monday, sunday = week_of(today + dt.timedelta(weeks=spec.week_offset))
        this_week = station.activities_between(monday, sunday)
        later = [a for a in station.activities if a.date > sunday][:UPCOMING_WHEN_EMPTY]
        data.update(
            week=f"{day_text(monday)} 至 {day_text(sunday)}",
            week_name="下周" if spec.week_offset == 1 else "本周",
            activities=_by_day(this_week),
            upcoming=[] if this_week else _by_day(later),
            longest_place=max((len(a.place) for a in this_week or later), default=0),
        )
    elif spec.kind == "rule":
        rule = next(r for r in content.rules_for(station) if r.name == spec.rule_name)
        data.update(body=markdown_to_html(rule.body), own_version=rule.station == station.slug)
    elif spec.kind == "flow":
        data.update(flow_data(content, station, spec))
    elif spec.kind == "results":
        months = sorted({r.month for r in station.results})
        progress = list(report.station(station.slug))
        data.update(
            rows=[r.__dict__ for r in results_rows(content, report, station)],
            elapsed=progress[0].elapsed if progress else None,
            through=(f"{months[-1][:4]}年{int(months[-1][5:])}月" if months else ""),
            period=f"{date_text(content.programme.period_start)} 至 "
            f"{date_text(content.programme.period_end)}",
            status_rule=getattr(report, "status_rule_text", ""),
            threshold=content.programme.disclosure_threshold,
        )
    elif spec.kind in ("card", "cards"):
        pass
    else:  # pragma: no cover - specs.py decides the kinds
        raise ValueError(spec.kind)
    return data
