"""Open data files written from the sample county: valid, parseable, reproducible, no private mobiles."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import xml.etree.ElementTree as ET

import pytest
from icalendar import Calendar

from generator.opendata import write_open_data
from generator.results.progress import compute_results

MOMENT = dt.datetime(2026, 11, 22, 12, 0, tzinfo=dt.timezone(dt.timedelta(hours=8)))
SITE = "https://zhouning-mzfwz.example/"
ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.fixture(scope="module")
def site(sample_content, tmp_path_factory):
    out = tmp_path_factory.mktemp("site")
    write_open_data(sample_content, compute_results(sample_content, MOMENT.date()), out, SITE, MOMENT)
    return out


def test_same_inputs_give_byte_identical_files(sample_content, site, tmp_path):
    again = write_open_data(
        sample_content, compute_results(sample_content, MOMENT.date()), tmp_path, SITE, MOMENT
    )
    # data files (results.csv/json, stations, programme + its schema, datapackage), calendars, all.ics, feed
    assert len(again) == 6 + len(sample_content.stations) + 1 + 1
    for path in again:
        assert path.read_bytes() == (site / path.relative_to(tmp_path)).read_bytes(), path


def test_results_csv_opens_in_excel_and_hides_small_counts(site):
    raw = (site / "data/results.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf") and b"\r\n" in raw
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))
    assert list(rows[0]) == [
        "station",
        "station_name",
        "indicator",
        "indicator_name",
        "unit",
        "month",
        "value",
        "suppressed",
        "display",
        "target",
        "report_status",
        "level",
        "counted",
    ]
    hidden = [r for r in rows if r["suppressed"] == "true"]
    assert hidden and all(r["value"] == "" and r["display"] in ("<5", "不公开") for r in hidden)
    assert all(
        r["value"] == r["display"]
        for r in rows
        if r["suppressed"] == "false" and r["report_status"] == "reported"
    )
    assert rows[0]["station"] == "hub"


def test_datapackage_validates_with_frictionless(site):
    frictionless = pytest.importorskip("frictionless")
    report = frictionless.validate(str(site / "data/datapackage.json"))
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])
    package = json.loads((site / "data/datapackage.json").read_text(encoding="utf-8"))
    assert package["licenses"][0]["name"] == "CC-BY-4.0"
    assert [f["name"] for f in package["resources"][0]["schema"]["fields"]][:3] == [
        "station",
        "station_name",
        "indicator",
    ]


def test_results_json_has_totals_targets_and_status(site):
    data = json.loads((site / "data/results.json").read_text(encoding="utf-8"))
    visits = next(i for i in data["indicators"] if i["id"] == "home_visits")
    assert visits["county"]["target"] == 10500 and visits["county"]["status"] == "正常"
    assert visits["county"]["total"]["value"] == sum(m["value"] for m in visits["county"]["months"])
    assert data["latest_month"] == "2026-10"


def test_stations_json_publishes_only_agreed_mobiles(sample_content, site):
    text = (site / "data/stations.json").read_text(encoding="utf-8")
    data = json.loads(text)
    assert [s["slug"] for s in data["stations"]] == [s.slug for s in sample_content.stations]
    private = [x.phone for s in sample_content.stations for x in s.staff if x.phone and not x.public_phone]
    public = [x.phone for s in sample_content.stations for x in s.staff if x.phone and x.public_phone]
    assert all(p not in text for p in private)
    assert all(p in text for p in public)


def test_calendars_parse_with_timezone_and_stable_uids(sample_content, site):
    uids = []
    for station in sample_content.stations:
        cal = Calendar.from_ical((site / f"calendar/{station.slug}.ics").read_bytes())
        assert [tz["TZID"] for tz in cal.walk("VTIMEZONE")] == ["Asia/Shanghai"]
        events = cal.walk("VEVENT")
        # One event per activity as written: a repeating one is one event (with RRULE), by its first date.
        firsts: dict[str, object] = {}
        for a in station.activities:
            firsts.setdefault(a.series_uid, a)
        series = list(firsts.values())
        assert len(events) == len(series)
        for ev, a in zip(events, series, strict=True):
            assert str(ev["UID"]) == f"{a.series_uid}@zhouning-mzfwz.example"
            start = ev.decoded("DTSTART")
            first = a.repeat.first if a.repeat else a.date
            assert start.utcoffset() == dt.timedelta(hours=8) and start.date() == first
            assert ("RRULE" in ev) == (a.repeat is not None)
            assert f"{start:%H:%M}" == a.start
            assert ev.decoded("DTSTAMP") == MOMENT
            assert ev.get("DTSTART").params["TZID"] == "Asia/Shanghai"
        uids += [str(ev["UID"]) for ev in events]
    assert len(uids) == len(set(uids))
    everything = Calendar.from_ical((site / "calendar/all.ics").read_bytes())
    assert sorted(str(e["UID"]) for e in everything.walk("VEVENT")) == sorted(uids)


def test_atom_feed_parses_newest_first_with_absolute_links(sample_content, site):
    root = ET.fromstring((site / "feed.xml").read_bytes())
    assert root.tag == f"{ATOM}feed"
    assert root.find(f"{ATOM}updated").text == "2026-11-22T12:00:00+08:00"
    entries = root.findall(f"{ATOM}entry")
    assert len(entries) == len(sample_content.news)
    dates = [e.find(f"{ATOM}published").text for e in entries]
    assert dates == sorted(dates, reverse=True)
    newest = max(sample_content.news, key=lambda n: (n.date, n.name))
    assert entries[0].find(f"{ATOM}id").text == f"{SITE}news/{newest.name}/"
    for e in entries:
        href = e.find(f"{ATOM}link").get("href")
        assert href.startswith(f"{SITE}news/") and href.endswith("/")
        assert e.find(f"{ATOM}title").text


def test_programme_json_publishes_the_money_and_meets_its_schema(sample_content, site):
    jsonschema = pytest.importorskip("jsonschema")
    data = json.loads((site / "data/programme.json").read_text(encoding="utf-8"))
    schema = json.loads((site / "data/programme.schema.json").read_text(encoding="utf-8"))
    jsonschema.validate(data, schema)
    p = sample_content.programme
    assert data["budget_yuan"] == p.budget_yuan == sum(f["yuan"] for f in data["funding"])
    assert [f["share"] for f in data["funding"]] == [0.6667, 0.2222, 0.1111]
    assert [(m["title"], m["percent"], m["yuan"], m["status"]) for m in data["milestones"]] == [
        ("合同签订", 60, 3_240_000, "met"),  # of a three-year budget of 5.4 million
        ("中期评估", 30, 1_620_000, "scheduled"),
        ("末期评估", 10, 540_000, "scheduled"),
    ]
    package = json.loads((site / "data/datapackage.json").read_text(encoding="utf-8"))
    programme = next(r for r in package["resources"] if r["name"] == "programme")
    assert programme["path"] == "programme.json" and programme["jsonSchema"] == "programme.schema.json"


HOSTILE_NAME = '=HYPERLINK("https://evil.example/","点此")纯池镇民政服务站'


def _with_hostile_station_name(root):
    path = root / "stations/chunchi/station.yml"
    text = path.read_text(encoding="utf-8")
    path.write_text(
        text.replace("name: 周宁县纯池镇民政服务站", "name: '" + HOSTILE_NAME.replace("'", "''") + "'", 1),
        encoding="utf-8",
    )


def test_a_name_written_as_a_formula_stays_text_in_results_csv(sample_copy, tmp_path):
    from generator.content.load import load_content
    from generator.opendata.tables import write_results_csv

    _with_hostile_station_name(sample_copy)
    content, problems = load_content(sample_copy, MOMENT.date())
    assert content is not None, problems
    assert any(s.name == HOSTILE_NAME for s in content.stations)
    path = write_results_csv(content, compute_results(content, MOMENT.date()), tmp_path / "results.csv")
    rows = list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8-sig"))))
    names = {r["station_name"] for r in rows}
    assert "'" + HOSTILE_NAME in names
    assert not any(v.startswith(("=", "+", "@")) for r in rows for v in r.values()), (
        "a cell a spreadsheet runs"
    )
