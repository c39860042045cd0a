"""A station's results: the summary section of its page (the caller writes "## 服务成效 {#results}")
and its month-by-month page /stations/<slug>/results/. Links are relative to
stations/<slug>/index.md and stations/<slug>/results.md, two levels deep.
"""

from __future__ import annotations

from generator.content.model import Content, Station
from generator.results.progress import ResultsReport
from generator.site.resultstables import (
    NOT_SEARCHED,
    figure,
    indicator_label,
    md,
    month_table,
    progress_table,
    small_numbers_note,
    station_as_of,
    unit_note,
)


def station_results_markdown(content: Content, report: ResultsReport, station: Station) -> str:
    """The summary on the station page; month-by-month figures and charts are on its results page
    (``station_results_page_markdown``), which keeps the station page light on a phone."""
    progress = report.station(station.slug)
    if not progress:
        return "本站没有合同指标，也还没有填报成效数据。\n"
    out = [
        f"{station_as_of(report, station)}状态怎么判断见[服务成效页](../../results.md#status-rule)。",
        "",
        *progress_table(progress),
        "",
        small_numbers_note(content, "../../about.md#disclosure"),
        "",
        "[逐月数字和图表](results.md) · [全县各站点对比](../../results.md#stations)",
    ]
    return "\n".join(out) + "\n"


def station_results_page_markdown(content: Content, report: ResultsReport, station: Station) -> str:
    """/stations/<slug>/results/: every indicator month by month, as a chart and as a table."""
    progress = report.station(station.slug)
    out = [
        *NOT_SEARCHED,
        f"# {md(station.name)}服务成效",
        "",
        f"[返回{md(station.name)}](index.md#results)",
        "",
    ]
    if not progress:
        return "\n".join(out + ["本站没有合同指标，也还没有填报成效数据。"]) + "\n"
    out += [
        f"{station_as_of(report, station)}状态怎么判断见[服务成效页](../../results.md#status-rule)。",
        "",
        *progress_table(progress),
        "",
        small_numbers_note(content, "../../about.md#disclosure"),
        "",
    ]
    for ip in progress:
        ind = ip.indicator
        out += [
            f"## {indicator_label(ip)} {{#{ind.id}}}",
            "",
            figure(
                f"chart-{station.slug}-{ind.id}",
                f"{station.name}{ind.name}逐月数量{unit_note(ind)}",
                ip,
                ind.unit,
            ),
            "",
            *month_table(ip.months, "本站", None),
            "",
        ]
    return "\n".join(out) + "\n"
