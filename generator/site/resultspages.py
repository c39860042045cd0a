"""Markdown for the county's results: the /results/ page, one page per indicator
(/results/<indicator>/, its month-by-month figures), the home page's headline table and the
disclosure rule (about page).

A station's results are in generator/site/stationresults.py, the /data/ page in
generator/site/datapage.py, the pieces they share in generator/site/resultstables.py; their public
names are importable from here too, the one place the page maker imports results pages from.

Plain Markdown text with raw HTML blocks (Python-Markdown with tables, attr_list, md_in_html,
admonition, toc); no MkDocs import. Figures come only from ``Cell.display``; every content string
is escaped. Links are relative: /results/ and /data/ sit one level deep, the indicator pages two.

/results/ is a phone page: who lags, the county's progress and cumulative charts, the money and
one row per station. Each indicator's month-by-month chart, its county table and its stations ×
months table are on the indicator's own page, one link away: on /results/ they were 3,000 of the
page's 4,400 HTML elements (folded, but still parsed, laid out and processed by the theme's
script), which cost a phone more than a second of main-thread work.
"""

from __future__ import annotations

from collections import Counter
from html import escape

from generator.content.model import Content, Indicator
from generator.results import disclosure
from generator.results.progress import AHEAD, BEHIND, ON_TRACK, IndicatorProgress, ResultsReport
from generator.site.datapage import open_data_page_markdown
from generator.site.resultsaudit import county_chart, lagging_grid_markdown, money_markdown
from generator.site.resultstables import (
    NOT_SEARCHED,
    as_of,
    figure,
    indicator_label,
    md,
    month_table,
    progress_table,
    short_name,
    small_numbers_note,
    status,
    unit_note,
)
from generator.site.stationresults import station_results_markdown, station_results_page_markdown

__all__ = [
    "DETAIL_MAX_STATIONS",
    "disclosure_rule_markdown",
    "headline_results_markdown",
    "indicator_page_markdown",
    "indicator_src",
    "md",
    "open_data_page_markdown",
    "results_page_markdown",
    "short_name",
    "station_results_markdown",
    "station_results_page_markdown",
]

# Up to this many stations, each indicator's page lists every station's months. Beyond it that
# table grows to megabytes (300 stations × 12 indicators: 2.4 MB of HTML, 131 KB gzipped), so the
# indicator page gives the county's figures and sends readers to the station results pages and
# results.csv for the stations'.
DETAIL_MAX_STATIONS = 40


def indicator_src(ind: Indicator) -> str:
    """The indicator page's source path (/results/<id>/); ids are lower-case ASCII (schemas.INDICATOR_ID)."""
    return f"results/{ind.id}.md"


# --------------------------------------------------------------------------------------------------
# /results/


def results_page_markdown(content: Content, report: ResultsReport) -> str:
    p = content.programme
    out = [
        "# 服务成效",
        "",
        f"{md(p.programme)}：各项合同指标的完成情况。{as_of(report)}",
        "",
        # An auditor's first question is who lags: the grid comes before the county figures.
        '## 哪些站点落后 {#lagging data-search-exclude="true"}',
        "",
        *lagging_grid_markdown(content, report, short_name),
        "",
        "## 全县进度 {#county}",
        "",
        *progress_table(report.county),
        "",
        *_others_note(report),
        f'<p class="ss-note" id="status-rule">{escape(report.status_rule_text)}</p>',
        "",
        f'<p class="ss-note" id="county-rule">{escape(report.county_rule_text)}</p>',
        "",
        small_numbers_note(content, "about.md#disclosure"),
        "",
        "### 累计进度 {#cumulative}",
        "",
        "每张图：实线为累计完成，虚线为目标，斜点线为按时间进度应完成的量，竖点线为时间进度；"
        "图中数字和逐月数字见下方“逐月数据”中各指标的页面。",
        "",
        *[
            line
            for ip in report.county
            if ip.target
            for line in (
                f"#### {indicator_label(ip)}",
                "",
                county_chart(content, report, ip, ip.indicator.name),
                "",
            )
        ],
        "## 项目资金与付款 {#money}",
        "",
        money_markdown(content),
        "",
        # The per-station tables grow with the number of stations and match nothing a resident
        # types; they stay out of the search index. The station pages themselves are indexed.
        '## 各站点一览 {#stations data-search-exclude="true"}',
        "",
        *_station_status_rows(content, report),
        "",
        "## 逐月数据 {#monthly}",
        "",
        *_indicator_links(content, report),
    ]
    return "\n".join(out) + "\n"


def _large(content: Content) -> bool:
    """Too many stations for every station's months on an indicator page (see DETAIL_MAX_STATIONS)."""
    return len(content.stations) > DETAIL_MAX_STATIONS


def _station_status_rows(content: Content, report: ResultsReport) -> list[str]:
    """One row per station: how far it has reported, and how many of its indicators are ahead, on
    track, behind. The figures are on each station's results page (one link away), so /results/
    stays a few screens long on a phone however many stations there are."""
    statuses = (AHEAD, ON_TRACK, BEHIND)  # not rated (no target here): the grid above shows them
    many = f"站点较多（{len(content.stations)} 个），" if _large(content) else ""
    out = [
        f"{many}每个站点一行：填报到哪个月（✕ 表示有月份逾期未报），以及各进度状态的指标个数。"
        # data.md: a link to the page as a source file, which MkDocs checks and rewrites.
        "点站点名称看该站每项指标的完成数和逐月数字。全部数字也在[开放数据](data.md)的 results.csv 中。",
        "",
        '<div class="ss-status-counts" markdown="1">',
        "",
        "| 站点 | 截至 | " + " | ".join(statuses) + " |",
        "|---|---|" + "--:|" * len(statuses),
    ]
    for station in content.stations:
        counts = Counter(ip.status for ip in report.station(station.slug))
        cells = " | ".join(str(counts[s]) for s in statuses)
        last = report.reporting.last_reported(station.slug)
        through = (
            "未填报"
            if last is None
            else f"{int(last[5:7])}月"
            if last[:4] == (report.latest_month or "")[:4]
            else last
        )
        if report.reporting.overdue(station.slug):
            through += " ✕"
        out.append(
            f"| [{md(short_name(content, station))}](stations/{station.slug}/results.md) | {through} | {cells} |"
        )
    return [*out, "", "</div>"]


def _indicator_links(content: Content, report: ResultsReport) -> list[str]:
    """One line per indicator, linking its page of month-by-month figures."""
    whose = "全县" if _large(content) else "全县和各站点"
    out = [f"每项指标一页：{whose}的逐月数字和柱状图。", ""]
    for ip in report.county:
        out.append(f"- [{indicator_label(ip)}]({indicator_src(ip.indicator)})")
    return out


# --------------------------------------------------------------------------------------------------
# /results/<indicator>/


def indicator_page_markdown(content: Content, report: ResultsReport, ip: IndicatorProgress) -> str:
    """One indicator month by month: the county's chart and table, then every station's months."""
    ind = ip.indicator
    grid = report.grid(ind.id)
    out = [
        *NOT_SEARCHED,
        f"# {indicator_label(ip)} {{#ind-{ind.id}}}",
        "",
        "[返回服务成效](../results.md#monthly)",
        "",
        md(ind.description) if ind.description else "",
        "",
        f"{as_of(report)}全县完成 {md(ip.total.display)}"
        + (f"，目标 {ip.target}" if ip.target is not None else "")
        + (f"，{status(ip)}" if ip.status else "")
        + "。",
        "",
        small_numbers_note(content, "../about.md#disclosure"),
        "",
        "## 全县逐月 {#county}",
        "",
        figure(f"chart-{ind.id}", f"全县{ind.name}逐月数量{unit_note(ind)}", ip, ind.unit),
        "",
        *month_table(ip.months, "全县", report),
        "",
        "## 各站点逐月 {#stations}",
        "",
    ]
    if grid.rows and grid.months and _large(content):
        return "\n".join(
            out + ["各站点的逐月数字见各站点的成效页和[开放数据](../data.md)的 results.csv。", ""]
        )
    if not (grid.rows and grid.months):
        return "\n".join(out + ["还没有填报数据。", ""])
    out += [
        "| 站点 | " + " | ".join(f"{int(m[5:7])}月" for m in grid.months) + " | 合计 |",
        "|---|" + "--:|" * (len(grid.months) + 1),
    ]
    for row in grid.rows:
        cells = " | ".join(md(c.display) for c in row.cells)
        out.append(
            f"| [{md(short_name(content, row.station))}](../stations/{row.station.slug}/results.md#{ind.id}) "
            f"| {cells} | {md(row.total.display)} |"
        )
    out.append(
        "| 全县 | " + " | ".join(md(c.display) for c in grid.month_totals) + f" | {md(grid.total.display)} |"
    )
    for row in grid.others:
        cells = " | ".join(md(c.display) for c in row.cells)
        out.append(
            f"| [{md(short_name(content, row.station))}](../stations/{row.station.slug}/results.md#{ind.id})（另计）"
            f" | {cells} | {md(row.total.display)} |"
        )
    if grid.others_total is not None:
        out.append(
            "| 其他站点另计 | "
            + " | ".join(md(c.display) for c in grid.others_month_totals)
            + f" | {md(grid.others_total.display)} |"
        )
    return "\n".join([*out, ""]) + "\n"


# --------------------------------------------------------------------------------------------------
# home page


def headline_results_markdown(content: Content, report: ResultsReport) -> str:
    """The county's progress, short: indicator, completion, status; the details are one link away."""
    out = [as_of(report), "", "| 指标 | 已完成 / 目标 | 状态 |", "|---|--:|---|"]
    for ip in report.county:
        target = f" / {ip.target}" if ip.target is not None else ""
        out.append(f"| {indicator_label(ip)} | {md(ip.total.display)}{target} | {status(ip)} |")
    out += ["", "[查看各站点和逐月数据](results.md)"]
    return "\n".join(out) + "\n"


# --------------------------------------------------------------------------------------------------
# about page


def disclosure_rule_markdown(content: Content) -> str:
    return disclosure.rule_markdown(content.programme.disclosure_threshold)


def _others_note(report: ResultsReport) -> list[str]:
    """Counts of stations outside an indicator's target, shown apart (其他站点另计 N)."""
    lines = [
        f"- {indicator_label(ip)}：其他站点另计 {md(ip.others.display)}" for ip in report.county if ip.others
    ]
    if not lines:
        return []
    return ["全县进度只计入目标所指的站点；其他站点填报的数量另行列出，不计入完成率：", "", *lines, ""]
