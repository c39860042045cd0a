"""Open data written next to the site: results as CSV / JSON with a Frictionless Data Package,
station profiles as JSON, activities as iCalendar, news as an Atom feed.

``write_open_data(content, report, site_dir, site_url, moment)`` writes them all and returns the
paths. Every file depends only on its inputs and ``moment`` (the build moment, which honours
SOURCE_DATE_EPOCH), so two builds of the same content are byte-identical.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from generator.content.model import Content
from generator.opendata.calendars import write_calendars
from generator.opendata.feed import write_feed
from generator.opendata.package import write_datapackage
from generator.opendata.programme import write_programme
from generator.opendata.stations import write_stations
from generator.opendata.tables import write_results_csv, write_results_json
from generator.results.progress import ResultsReport


def write_open_data(
    content: Content, report: ResultsReport, site_dir: Path, site_url: str, moment: dt.datetime
) -> list[Path]:
    base = site_url if site_url.endswith("/") else site_url + "/"
    data = site_dir / "data"
    data.mkdir(parents=True, exist_ok=True)
    written = [
        write_results_csv(content, report, data / "results.csv"),
        write_results_json(content, report, data / "results.json"),
        write_stations(content, base, data / "stations.json"),
    ]
    written += write_programme(content, data / "programme.json")
    written.append(write_datapackage(content, report, base, moment, data / "datapackage.json"))
    written += write_calendars(content, base, moment, site_dir / "calendar")
    written.append(write_feed(content, base, moment, site_dir / "feed.xml"))
    return written


def open_data_files(content: Content) -> list[str]:
    """The site-relative paths ``write_open_data`` writes, known before it runs: an engine is told
    about them up front (they are files of its docs tree, so page links to them are checked)."""
    return [
        "data/results.csv",
        "data/results.json",
        "data/stations.json",
        "data/programme.json",
        "data/programme.schema.json",
        "data/datapackage.json",
        *(f"calendar/{s.slug}.ics" for s in content.stations),
        "calendar/all.ics",
        "feed.xml",
    ]


__all__ = ["open_data_files", "write_open_data"]
