"""results.csv and results.json: the published results, exactly as the pages show them.

Values come from ``Cell`` only: a hidden count is an empty value with ``suppressed`` true and the
page's display text ("<5" or "不公开"), never the number.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any

from generator.content.model import Content
from generator.opendata.formulasafety import csv_text
from generator.opendata.jsonfile import write_json
from generator.results.progress import Cell, IndicatorProgress, ResultsReport

CSV_COLUMNS = (
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
)
# What a row is: a station's month or total, the county's (the stations the target counts) or the
# other stations' (counted apart). Totals have no month. Every figure on the site is one row.
LEVELS = ("station_month", "station_total", "county_month", "county_total", "others_month", "others_total")
COUNTY_NAME = "全县（计入目标的站点）"
OTHERS_NAME = "其他站点（另计）"


def _row(
    station: str,
    name: str,
    ind: Any,
    month: str | None,
    cell: Cell,
    target: int | None,
    level: str,
    counted: bool,
) -> dict[str, Any]:
    return {
        "station": station,
        "station_name": name,
        "indicator": ind.id,
        "indicator_name": ind.name,
        "unit": ind.unit,
        "month": month,
        "value": cell.value,
        "suppressed": cell.suppressed,
        "display": cell.display,
        "target": target,
        "report_status": cell.report,
        "level": level,
        "counted": counted,
    }


def results_rows(content: Content, report: ResultsReport) -> list[dict[str, Any]]:
    """Station rows (network order; each indicator's months, then its total), then the county's and
    the other stations' month rows and totals, indicator by indicator."""
    by_station: dict[str, list[dict[str, Any]]] = {s.slug: [] for s in content.stations}
    tail: list[dict[str, Any]] = []
    for ind in content.indicators:
        grid = report.grid(ind.id)
        for rows, counted in ((grid.rows, True), (grid.others, False)):
            for row in rows:
                out = by_station[row.station.slug]
                slug, name = row.station.slug, row.station.name
                for month, cell in zip(grid.months, row.cells, strict=True):
                    out.append(_row(slug, name, ind, month, cell, row.target, "station_month", counted))
                out.append(_row(slug, name, ind, None, row.total, row.target, "station_total", counted))
        for month, cell in zip(grid.months, grid.month_totals, strict=True):
            tail.append(_row("", COUNTY_NAME, ind, month, cell, grid.target, "county_month", True))
        tail.append(_row("", COUNTY_NAME, ind, None, grid.total, grid.target, "county_total", True))
        if grid.others_total is not None:
            for month, cell in zip(grid.months, grid.others_month_totals, strict=True):
                tail.append(_row("", OTHERS_NAME, ind, month, cell, None, "others_month", False))
            tail.append(_row("", OTHERS_NAME, ind, None, grid.others_total, None, "others_total", False))
    return [r for s in content.stations for r in by_station[s.slug]] + tail


def write_results_csv(content: Content, report: ResultsReport, path: Path) -> Path:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")  # RFC 4180 line ends
    writer.writerow(CSV_COLUMNS)
    for r in results_rows(content, report):
        writer.writerow(
            [
                ""
                if r[c] is None
                else ("true" if r[c] is True else "false" if r[c] is False else csv_text(r[c]))
                for c in CSV_COLUMNS
            ]
        )
    # The BOM makes Excel on Windows read the file as UTF-8 instead of GBK, so Chinese shows.
    path.write_text(buffer.getvalue(), encoding="utf-8-sig", newline="")
    return path


def write_results_json(content: Content, report: ResultsReport, path: Path) -> Path:
    p = content.programme
    data = {
        "county": p.county,
        "programme": p.programme,
        "period": {"start": p.period_start.isoformat(), "end": p.period_end.isoformat()},
        "latest_month": report.latest_month,
        "as_of": report.as_of_text,
        "report_due_day": p.report_due_day,
        "reporting": _reporting(content, report),
        "elapsed": round(report.elapsed, 4),
        "disclosure_threshold": p.disclosure_threshold,
        "status_rule": report.status_rule_text,
        "indicators": [_indicator(content, report, ip) for ip in report.county],
    }
    return write_json(path, data)


def _indicator(content: Content, report: ResultsReport, county: IndicatorProgress) -> dict[str, Any]:
    ind = county.indicator
    grid = report.grid(ind.id)
    stations = []
    for row, counted in [(r, True) for r in grid.rows] + [(r, False) for r in grid.others]:
        ip = next(x for x in report.station(row.station.slug) if x.indicator.id == ind.id)
        stations.append(
            {"station": row.station.slug, "name": row.station.name, "counted": counted, **_progress(ip)}
        )
    t = ind.target
    return {
        "id": ind.id,
        "name": ind.name,
        "unit": ind.unit,
        "domain": ind.domain,
        "counts": ind.counts,
        # Which stations the county figure counts: the target's meaning, spelled out.
        "counted_stations": [row.station.slug for row in grid.rows],
        "target_kind": "stations" if t.stations else "per_station" if t.per_station is not None else "county",
        "target_station_kinds": list(t.kinds),
        "county": _progress(county),
        "others": None
        if grid.others_total is None
        else {
            "stations": [row.station.slug for row in grid.others],
            "total": cell_json(grid.others_total),
            "months": [
                {"month": m, **cell_json(c)}
                for m, c in zip(grid.months, grid.others_month_totals, strict=True)
            ],
        },
        "stations": stations,
    }


def _reporting(content: Content, report: ResultsReport) -> dict[str, Any]:
    """Per month: how many stations reported it; per station: every month's reporting status."""
    status = report.reporting
    return {
        "months": [
            {"month": m, "reported": done, "expected": expected}
            for m in status.months
            for done, expected in [status.count(m)]
        ],
        "stations": {s.slug: status.status[s.slug] for s in content.stations},
    }


def _progress(ip: IndicatorProgress) -> dict[str, Any]:
    return {
        "target": ip.target,
        "total": cell_json(ip.total),
        "percent": None if ip.percent is None else round(ip.percent, 1),
        "status": ip.status,
        "elapsed": round(ip.elapsed, 4),
        "through": ip.through,
        "months": [{"month": m, **cell_json(c)} for m, c in ip.months],
    }


def cell_json(cell: Cell) -> dict[str, Any]:
    """A figure: ``value`` null when hidden (``suppressed``) or not reported (``report_status``)."""
    return {
        "value": cell.value,
        "suppressed": cell.suppressed,
        "display": cell.display,
        "report_status": cell.report,
    }
