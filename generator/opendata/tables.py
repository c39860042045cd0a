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
)


def results_rows(content: Content, report: ResultsReport) -> list[dict[str, Any]]:
    """One row per station, indicator and month: network order, then catalogue order, then month."""
    rows = []
    for ind in content.indicators:
        grid = report.grid(ind.id)
        for row in grid.rows:
            for month, cell in zip(grid.months, row.cells, strict=True):
                rows.append(
                    {
                        "station": row.station.slug,
                        "station_name": row.station.name,
                        "indicator": ind.id,
                        "indicator_name": ind.name,
                        "unit": ind.unit,
                        "month": month,
                        "value": cell.value,
                        "suppressed": cell.suppressed,
                        "display": cell.display,
                        "target": row.target,
                    }
                )
    order = {s.slug: i for i, s in enumerate(content.stations)}
    rows.sort(key=lambda r: order[r["station"]])  # stable sort: indicators and months keep their order
    return rows


def write_results_csv(content: Content, report: ResultsReport, path: Path) -> Path:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")  # RFC 4180 line ends
    writer.writerow(CSV_COLUMNS)
    for r in results_rows(content, report):
        writer.writerow(
            [
                "" if r[c] is None else ("true" if r[c] is True else "false" if r[c] is False else r[c])
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
    for row in grid.rows:
        ip = next(x for x in report.station(row.station.slug) if x.indicator.id == ind.id)
        stations.append({"station": row.station.slug, "name": row.station.name, **_progress(ip)})
    return {
        "id": ind.id,
        "name": ind.name,
        "unit": ind.unit,
        "domain": ind.domain,
        "counts": ind.counts,
        "county": _progress(county),
        "stations": stations,
    }


def _progress(ip: IndicatorProgress) -> dict[str, Any]:
    return {
        "target": ip.target,
        "total": cell_json(ip.total),
        "percent": None if ip.percent is None else round(ip.percent, 1),
        "status": ip.status,
        "months": [{"month": m, **cell_json(c)} for m, c in ip.months],
    }


def cell_json(cell: Cell) -> dict[str, Any]:
    return {"value": cell.value, "suppressed": cell.suppressed, "display": cell.display}
