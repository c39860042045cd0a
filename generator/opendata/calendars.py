"""calendar/<slug>.ics and calendar/all.ics: RFC 5545 calendars of every station's activities.

Times are local to Asia/Shanghai with its VTIMEZONE included (phones need it to place events).
UIDs come from ``Activity.series_uid`` (explicit id, else station + date + start + title), so a
subscribed calendar updates an event instead of adding a duplicate. A repeating activity is one
event with RRULE (and EXDATE for the dates it skips), as written in activities.yml, not one event
per date. DTSTAMP is the build moment, not "now",
so the same content and SOURCE_DATE_EPOCH give the same bytes.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from urllib.parse import urlsplit

from icalendar import Calendar, Event, Timezone, TimezoneStandard

from generator.clock import SHANGHAI
from generator.content.model import Activity, Content, Station

TZID = "Asia/Shanghai"


def write_calendars(content: Content, site_url: str, moment: dt.datetime, folder: Path) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    host = urlsplit(site_url).hostname or "localhost"
    stamp = moment.astimezone(dt.UTC)
    # Every event goes into its station's calendar and into all.ics. Serialising with icalendar is
    # most of the time of writing the open data, so each VEVENT is serialised once and the calendars
    # are assembled from those bytes — the same bytes icalendar would write for the whole calendar.
    events: dict[tuple[str, str], bytes] = {}
    for station in content.stations:
        for a in _series(station):
            events[_key(a)] = _event(a, station, site_url, host, stamp).to_ical()
    written = []
    for station in content.stations:
        cal = _calendar(f"{station.name}活动安排", [events[_key(a)] for a in _series(station)])
        written.append(_write(folder / f"{station.slug}.ics", cal))
    everything = sorted(
        (a for s in content.stations for a in _series(s)),
        key=lambda a: (_first(a), a.start, a.station, a.title),
    )
    cal = _calendar(f"{content.programme.site_title}活动安排", [events[_key(a)] for a in everything])
    written.append(_write(folder / "all.ics", cal))
    return written


def _key(a: Activity) -> tuple[str, str]:
    return (a.station, a.series_uid)


def _series(station: Station) -> list[Activity]:
    """One activity per calendar event: a repeating one by its first listed date."""
    seen: set[str] = set()
    out = []
    for a in station.activities:
        if a.series_uid not in seen:
            seen.add(a.series_uid)
            out.append(a)
    return out


def _first(a: Activity) -> dt.date:
    return a.repeat.first if a.repeat else a.date


_END = b"END:VCALENDAR\r\n"


def _calendar(name: str, events: list[bytes]) -> bytes:
    """The calendar's own lines and time zone, then the events, then its END line."""
    cal = Calendar()
    cal.add("prodid", "-//stationsite//公示网站//ZH")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", name)
    cal.add("x-wr-timezone", TZID)
    cal.add_component(_shanghai())
    head = cal.to_ical()
    assert head.endswith(_END)
    return head[: -len(_END)] + b"".join(events) + _END


def _shanghai() -> Timezone:
    """Asia/Shanghai has been UTC+8 without daylight saving since 1991. Written out by hand rather
    than from the system's tz database, whose version would otherwise change the bytes."""
    tz = Timezone()
    tz.add("tzid", TZID)
    std = TimezoneStandard()
    std.add("dtstart", dt.datetime(1970, 1, 1))
    std.add("tzoffsetfrom", dt.timedelta(hours=8))
    std.add("tzoffsetto", dt.timedelta(hours=8))
    std.add("tzname", "CST")
    tz.add_component(std)
    return tz


def _event(a: Activity, station: Station, site_url: str, host: str, stamp: dt.datetime) -> Event:
    ev = Event()
    ev.add("uid", f"{a.series_uid}@{host}")
    ev.add("dtstamp", stamp)
    ev.add("dtstart", _local(_first(a), a.start))
    ev.add("dtend", _local(_first(a), a.end))
    if a.repeat:
        rule = dict(a.repeat.rrule())
        # With a local DTSTART, UNTIL must be in UTC (RFC 5545 3.3.10): the end of the last day.
        until = dt.datetime.combine(a.repeat.until, dt.time(23, 59, 59), tzinfo=SHANGHAI)
        rule["UNTIL"] = until.astimezone(dt.UTC)
        ev.add("rrule", rule)
        if a.repeat.except_dates:
            ev.add("exdate", [_local(d, a.start) for d in a.repeat.except_dates])
    ev.add("summary", a.title)
    ev.add("location", f"{station.name} {a.place}（{station.address}）")
    lines = [f"{a.kind_label}｜{station.name}"]
    if a.repeat:
        lines.append(f"{a.repeat.label}，至 {a.repeat.until:%Y-%m-%d}")
    if a.audience:
        lines.append(f"对象：{a.audience}")
    lines.append(f"咨询电话：{station.phone}")
    ev.add("description", "\n".join(lines))
    ev.add("url", f"{site_url}stations/{station.slug}/#activities")
    return ev


def _local(day: dt.date, hhmm: str) -> dt.datetime:
    hour, minute = (int(x) for x in hhmm.split(":"))
    return dt.datetime(day.year, day.month, day.day, hour, minute, tzinfo=SHANGHAI)


def _write(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path
