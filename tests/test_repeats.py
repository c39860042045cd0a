"""Repeating activities and closures, end to end: the model, the calendars, the pages and the posters.

The sample county has a weekly (qibu 四点半课堂), a fortnightly (siqiao), two monthly-by-weekday
(shicheng, puyuan) activities and one with an exception (xiancun), and closures: shicheng closes
on 2026-11-30, within two weeks of the pinned build date (Sunday 2026-11-22), every station on
New Year's Day.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from dateutil.rrule import rruleset, rrulestr
from icalendar import Calendar

from generator.content.repeats import Closure, Repeat, closure_text, dates_of, occurrences

D = dt.date


def test_dates_of_each_kind_of_repeat() -> None:
    assert dates_of("week", D(2026, 11, 17), D(2026, 12, 8)) == [
        D(2026, 11, 17) + dt.timedelta(weeks=i) for i in range(4)
    ]
    assert dates_of("2 weeks", D(2026, 11, 27), D(2026, 12, 31)) == [
        D(2026, 11, 27),
        D(2026, 12, 11),
        D(2026, 12, 25),
    ]
    # The third Tuesday of every month, across a year end.
    assert dates_of("month", D(2026, 11, 17), D(2027, 2, 28)) == [
        D(2026, 11, 17),
        D(2026, 12, 15),
        D(2027, 1, 19),
        D(2027, 2, 16),
    ]
    r = Repeat("week", D(2026, 12, 23), D(2026, 12, 2), (D(2026, 12, 9),))
    assert occurrences(r) == [D(2026, 12, 2), D(2026, 12, 16), D(2026, 12, 23)]
    assert Repeat("month", D(2027, 1, 1), D(2026, 11, 17)).label == "每月第 3 个周二"
    assert Repeat("2 weeks", D(2027, 1, 1), D(2026, 11, 27)).label == "每两周的周五"


def test_closures_are_shown_while_current_or_within_two_weeks() -> None:
    c = Closure(D(2026, 12, 31), D(2027, 1, 3), "元旦假期闭站")
    assert not c.near(D(2026, 12, 16)) and c.near(D(2026, 12, 17)) and c.near(D(2027, 1, 3))
    assert not c.near(D(2027, 1, 4))
    assert closure_text(c) == "12月31日（周四）至1月3日（周日）：元旦假期闭站"
    assert (
        closure_text(Closure(D(2026, 11, 30), D(2026, 11, 30), "消防检修"))
        == "11月30日（周一）闭站：消防检修"
    )


def _expand(ev) -> list[dt.date]:
    """The dates a calendar program shows for one VEVENT (RRULE minus EXDATE), by dateutil."""
    start = ev.decoded("DTSTART")
    if "RRULE" not in ev:
        return [start.date()]
    rules = rruleset()
    rules.rrule(rrulestr(ev["RRULE"].to_ical().decode(), dtstart=start))
    exdates = ev.get("EXDATE")
    for group in exdates if isinstance(exdates, list) else [exdates] if exdates else []:
        for d in group.dts:
            rules.exdate(d.dt)
    return [x.date() for x in rules]


def test_calendars_write_a_repeat_once_and_expand_to_the_pages_dates(
    sample_content, built_site: Path
) -> None:
    for slug, title, rule in [
        ("qibu", "童伴成长·四点半课堂", "FREQ=WEEKLY"),
        ("siqiao", "独居老人巡访", "INTERVAL=2"),
        ("shicheng", "银龄守护·独居老人巡访", "BYDAY=3TU"),
        ("xiancun", "幸福助餐·送餐上门", "FREQ=WEEKLY"),
    ]:
        cal = Calendar.from_ical((built_site / f"calendar/{slug}.ics").read_bytes())
        events = [e for e in cal.walk("VEVENT") if str(e["SUMMARY"]) == title and "RRULE" in e]
        assert len(events) == 1, (slug, title)
        assert rule in events[0]["RRULE"].to_ical().decode()
        model = [a.date for a in sample_content.station(slug).activities if a.title == title and a.repeat]
        assert _expand(events[0]) == model and len(model) > 20
    xiancun = Calendar.from_ical((built_site / "calendar/xiancun.ics").read_bytes())
    assert "EXDATE;TZID=Asia/Shanghai:20261202T103000" in xiancun.to_ical().decode()
    assert D(2026, 12, 2) not in [a.date for a in sample_content.station("xiancun").activities if a.repeat]


def test_pages_list_each_date_of_a_repeat_and_show_closures(built_site: Path) -> None:
    qibu = (built_site / "stations/qibu/index.html").read_text(encoding="utf-8")
    week = qibu.split('id="activities"', 1)[1].split('id="upcoming"', 1)[0]
    assert "童伴成长·四点半课堂" in week and "每周二" in week and "2026-11-17T16:00" in week
    upcoming = qibu.split('id="upcoming"', 1)[1].split('id="staff"', 1)[0]
    assert all(f"2026-{d}T16:00" in upcoming for d in ("11-24", "12-01", "12-08", "12-15"))
    shicheng = (built_site / "stations/shicheng/index.html").read_text(encoding="utf-8")
    notice = shicheng.split("闭站通知", 1)[1].split("</div>", 1)[0]
    assert "11月30日（周一）闭站" not in notice and "11月30日（周一）：办公场地消防设施检修" in notice
    assert "元旦" not in notice  # six weeks away on 2026-11-22
    assert "闭站通知" not in qibu
    home = (built_site / "index.html").read_text(encoding="utf-8")
    assert "闭站通知" in home and "办公场地消防设施检修" in home.split("闭站通知", 1)[1].split("</div>", 1)[0]


def test_board_and_week_posters_carry_the_closure(built_site: Path) -> None:
    for name in ("board", "week"):
        html = (built_site / f"posters/shicheng/{name}.html").read_text(encoding="utf-8")
        assert "闭站通知" in html and "办公场地消防设施检修" in html, name
        other = (built_site / f"posters/qibu/{name}.html").read_text(encoding="utf-8")
        assert "闭站通知" not in other, name
    week = (built_site / "posters/qibu/week.html").read_text(encoding="utf-8")
    assert "童伴成长·四点半课堂" in week and "每周二" in week
