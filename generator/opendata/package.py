"""datapackage.json: a Frictionless Data Package (https://specs.frictionlessdata.io/) describing
results.csv with a table schema, so tools can load it with the right types, plus the JSON files."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from generator.content.model import Content
from generator.opendata.jsonfile import write_json
from generator.opendata.programme import PROGRAMME_SCHEMA_PATH
from generator.opendata.tables import LEVELS
from generator.results.progress import ResultsReport
from generator.results.reporting import NOT_OPEN, OVERDUE, PENDING, REPORTED

LICENCE = {
    "name": "CC-BY-4.0",
    "title": "Creative Commons Attribution 4.0",
    "path": "https://creativecommons.org/licenses/by/4.0/",
}


def results_schema(threshold: int) -> dict[str, Any]:
    return {
        "fields": [
            {
                "name": "station",
                "type": "string",
                "title": "站点代号",
                "description": "全县和其他站点合计行为空",
            },
            {"name": "station_name", "type": "string", "title": "站点名称"},
            {"name": "indicator", "type": "string", "title": "指标代号", "constraints": {"required": True}},
            {"name": "indicator_name", "type": "string", "title": "指标名称"},
            {"name": "unit", "type": "string", "title": "单位"},
            {
                "name": "month",
                "type": "yearmonth",
                "title": "月份",
                "description": "合计行（level 以 _total 结尾）为空",
            },
            {
                "name": "value",
                "type": "integer",
                "title": "数量",
                "description": "隐藏或未填报时为空（见 suppressed、report_status）；“人数”类指标四舍五入到 5 的倍数",
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
                "title": "目标",
                "description": "站点行为站点全年目标，全县行为全县目标；没有目标时为空",
            },
            {
                "name": "report_status",
                "type": "string",
                "title": "填报状态",
                "description": "reported 已填报；pending 未填报（未到截止日）；overdue 逾期未报；"
                "not_open 站点尚未运行。未填报的月份不是 0：value 为空",
                "constraints": {"required": True, "enum": [REPORTED, PENDING, OVERDUE, NOT_OPEN]},
            },
            {
                "name": "level",
                "type": "string",
                "title": "行的类别",
                "description": "station_month 站点月度；station_total 站点合计；county_month、county_total "
                "全县（计入目标的站点）月度和合计；others_month、others_total 不计入目标的其他站点（另计）",
                "constraints": {"required": True, "enum": list(LEVELS)},
            },
            {
                "name": "counted",
                "type": "boolean",
                "title": "计入全县进度",
                "description": "true：该站点计入本指标的目标，全县行的数量正是这些站点的合计；"
                "false：不计入目标的其他站点（另计）",
                "trueValues": ["true"],
                "falseValues": ["false"],
                "constraints": {"required": True},
            },
        ],
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
        "description": "各站点每月服务成效及合计（人数少的数字按公示规则隐藏，未填报的月份为空并注明状态）、"
        "项目资金与付款节点、站点信息。" + ("示例县数据均为虚构。" if p.sample else ""),
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
                "name": "programme",
                "path": "programme.json",
                "profile": "data-resource",
                "format": "json",
                "mediatype": "application/json",
                "title": "项目、预算、资金来源与付款节点",
                # A Table Schema is for tables only: this JSON file's schema is a JSON Schema.
                "jsonSchema": PROGRAMME_SCHEMA_PATH,
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
