"""datapackage.json: a Frictionless Data Package (https://specs.frictionlessdata.io/) describing
results.csv with a table schema, so tools can load it with the right types, plus the JSON files."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from generator.content.model import Content
from generator.opendata.jsonfile import write_json
from generator.results.progress import ResultsReport

LICENCE = {
    "name": "CC-BY-4.0",
    "title": "Creative Commons Attribution 4.0",
    "path": "https://creativecommons.org/licenses/by/4.0/",
}


def results_schema(threshold: int) -> dict[str, Any]:
    return {
        "fields": [
            {"name": "station", "type": "string", "title": "站点代号", "constraints": {"required": True}},
            {"name": "station_name", "type": "string", "title": "站点名称"},
            {"name": "indicator", "type": "string", "title": "指标代号", "constraints": {"required": True}},
            {"name": "indicator_name", "type": "string", "title": "指标名称"},
            {"name": "unit", "type": "string", "title": "单位"},
            {"name": "month", "type": "yearmonth", "title": "月份", "constraints": {"required": True}},
            {
                "name": "value",
                "type": "integer",
                "title": "数量",
                "description": "隐藏时为空；“人数”类指标四舍五入到 5 的倍数",
                "constraints": {"minimum": 0},
            },
            {
                "name": "suppressed",
                "type": "boolean",
                "title": "是否隐藏",
                "description": f"人数少于 {threshold} 或为防止推算而隐藏",
                "trueValues": ["true"],
                "falseValues": ["false"],
                "constraints": {"required": True},
            },
            {
                "name": "display",
                "type": "string",
                "title": "显示文字",
                "description": f"网页上显示的文字：数字、“<{threshold}”（0 至 {threshold - 1}）或“不公开”",
            },
            {
                "name": "target",
                "type": "integer",
                "title": "站点全年目标",
                "description": "没有站点目标时为空",
            },
        ],
        "primaryKey": ["station", "indicator", "month"],
        "missingValues": [""],
    }


def write_datapackage(
    content: Content, report: ResultsReport, site_url: str, moment: dt.datetime, path: Path
) -> Path:
    p = content.programme
    package = {
        "profile": "data-package",
        "name": "service-station-results",
        "title": f"{p.programme} 服务成效与站点信息",
        "description": "各站点每月服务成效（人数少的数字按公示规则隐藏）、站点信息。示例县数据均为虚构。",
        "homepage": f"{site_url}data/",
        "created": moment.isoformat(),
        "licenses": [LICENCE],
        "resources": [
            {
                "name": "results",
                "path": "results.csv",
                "profile": "tabular-data-resource",
                "title": "每月服务成效",
                "format": "csv",
                "mediatype": "text/csv",
                "encoding": "utf-8-sig",
                "dialect": {"delimiter": ",", "header": True},
                "schema": results_schema(p.disclosure_threshold),
            },
            {
                "name": "results-summary",
                "path": "results.json",
                "profile": "data-resource",
                "format": "json",
                "mediatype": "application/json",
                "title": "服务成效（含合计、目标、进度）",
            },
            {
                "name": "stations",
                "path": "stations.json",
                "profile": "data-resource",
                "format": "json",
                "mediatype": "application/json",
                "title": "站点信息",
            },
        ],
    }
    return write_json(path, package)
