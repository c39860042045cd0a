"""Markdown for the results parts of the site: the /results/ page, a station page's results section,
the home page's headline table, the disclosure rule (about page) and the /data/ page.

Plain Markdown text with raw HTML blocks (Python-Markdown with tables, attr_list, md_in_html,
admonition, toc); no MkDocs import. Figures come only from ``Cell.display``; every content string
is escaped. Links are relative: /results/ and /data/ sit one level deep, /stations/<slug>/ two.
"""

from __future__ import annotations

from collections import Counter
from html import escape

from generator.content import naming
from generator.content.model import Content, Indicator, Station
from generator.content.richtext import markdown_text
from generator.results import disclosure
from generator.results.charts import month_bar_chart
from generator.results.progress import (
    AHEAD,
    BEHIND,
    COMPLEMENT_DISPLAY,
    ON_TRACK,
    Cell,
    IndicatorProgress,
    ResultsReport,
)
from generator.site.resultsaudit import county_chart, lagging_grid_markdown, money_markdown

LICENCE = "知识共享署名 4.0 国际许可协议（CC BY 4.0）"
LICENCE_URL = "https://creativecommons.org/licenses/by/4.0/deed.zh-hans"
# Up to this many stations, /results/ lists every station's every indicator and each indicator's
# stations × months grid. Beyond it those tables grow to megabytes (300 stations: 2.4 MB of HTML,
# 131 KB gzipped, for one phone page), so /results/ gives one row per station with its status
# counts and sends readers to the station results pages and results.csv for the figures.
DETAIL_MAX_STATIONS = 40


# --------------------------------------------------------------------------------------------------
# /results/


def results_page_markdown(content: Content, report: ResultsReport) -> str:
    p = content.programme
    out = [
        "# 服务成效",
        "",
        f"{md(p.programme)}：各项合同指标的完成情况。{_as_of(report)}",
        "",
        # An auditor's first question is who lags: the grid comes before the county figures.
        '## 哪些站点落后 {#lagging data-search-exclude="true"}',
        "",
        *lagging_grid_markdown(content, report, short_name),
        "",
        "## 全县进度 {#county}",
        "",
        *_progress_table(report.county),
        "",
        *_others_note(report),
        f'<p class="ss-note" id="status-rule">{escape(report.status_rule_text)}</p>',
        "",
        f'<p class="ss-note" id="county-rule">{escape(report.county_rule_text)}</p>',
        "",
        _small_numbers_note(content, "about.md#disclosure"),
        "",
        "### 累计进度 {#cumulative}",
        "",
        "每张图：实线为累计完成，虚线为目标，斜点线为按时间进度应完成的量，竖点线为时间进度；"
        "图中数字和逐月数字见下方“逐月数据”。",
        "",
        *[
            line
            for ip in report.county
            if ip.target
            for line in (
                f"#### {_indicator_label(ip)}",
                "",
                county_chart(content, report, ip, ip.indicator.name),
                "",
            )
        ],
        "## 项目资金与付款 {#money}",
        "",
        money_markdown(content),
        "",
        # The per-station tables (here and in each indicator's <details>) grow with the number of
        # stations and match nothing a resident types; they stay out of the search index, which
        # every phone downloads on its first visit. The station pages themselves are indexed.
        '## 各站点一览 {#stations data-search-exclude="true"}',
        "",
        *_station_status_rows(content, report),
        "",
        "## 逐月数据 {#monthly}",
        "",
    ]
    for ip in report.county:
        out += _county_month_section(content, report, ip)
    return "\n".join(out) + "\n"


def _large(content: Content) -> bool:
    """Too many stations for every figure of every station on /results/ (see DETAIL_MAX_STATIONS)."""
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
        cells = " | ".join(str(counts[status]) for status in statuses)
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


def _county_month_section(content: Content, report: ResultsReport, ip: IndicatorProgress) -> list[str]:
    ind = ip.indicator
    grid = report.grid(ind.id)
    out = [
        f"### {_indicator_label(ip)} {{#ind-{ind.id}}}",
        "",
        md(ind.description) if ind.description else "",
        "",
        # Folded: twelve charts and tables open would make the page many screens long on a phone.
        '<details markdown="1">',
        f"<summary>全县逐月数字和柱状图：{escape(ind.name)}</summary>",
        "",
        _figure(f"chart-{ind.id}", f"全县{ind.name}逐月数量{_unit_note(ind)}", ip, ind.unit),
        "",
        *_month_table(ip.months, "全县", report),
        "",
        "</details>",
        "",
    ]
    if grid.rows and grid.months and _large(content):
        out += ["各站点的逐月数字见各站点的成效页和[开放数据](data.md)的 results.csv。", ""]
    elif grid.rows and grid.months:
        out += [
            '<details markdown="1" data-search-exclude="true">',
            f"<summary>各站点逐月数字：{escape(ind.name)}</summary>",
            "",
            "| 站点 | " + " | ".join(f"{int(m[5:7])}月" for m in grid.months) + " | 合计 |",
            "|---|" + "--:|" * (len(grid.months) + 1),
        ]
        for row in grid.rows:
            cells = " | ".join(md(c.display) for c in row.cells)
            out.append(
                f"| [{md(short_name(content, row.station))}](stations/{row.station.slug}/index.md#results) | {cells} "
                f"| {md(row.total.display)} |"
            )
        out.append(
            "| 全县 | "
            + " | ".join(md(c.display) for c in grid.month_totals)
            + f" | {md(grid.total.display)} |"
        )
        for row in grid.others:
            cells = " | ".join(md(c.display) for c in row.cells)
            out.append(
                f"| [{md(short_name(content, row.station))}](stations/{row.station.slug}/index.md#results)（另计）"
                f" | {cells} | {md(row.total.display)} |"
            )
        if grid.others_total is not None:
            out.append(
                "| 其他站点另计 | "
                + " | ".join(md(c.display) for c in grid.others_month_totals)
                + f" | {md(grid.others_total.display)} |"
            )
        out += ["", "</details>", ""]
    return out


# --------------------------------------------------------------------------------------------------
# a station page's results section (the caller writes "## 服务成效 {#results}")


def station_results_markdown(content: Content, report: ResultsReport, station: Station) -> str:
    """The summary on the station page; month-by-month figures and charts are on its results page
    (``station_results_page_markdown``), which keeps the station page light on a phone."""
    progress = report.station(station.slug)
    if not progress:
        return "本站没有合同指标，也还没有填报成效数据。\n"
    out = [
        f"{_station_as_of(report, station)}状态怎么判断见[服务成效页](../../results.md#status-rule)。",
        "",
        *_progress_table(progress),
        "",
        _small_numbers_note(content, "../../about.md#disclosure"),
        "",
        "[逐月数字和图表](results.md) · [全县各站点对比](../../results.md#stations)",
    ]
    return "\n".join(out) + "\n"


def station_results_page_markdown(content: Content, report: ResultsReport, station: Station) -> str:
    """/stations/<slug>/results/: every indicator month by month, as a chart and as a table."""
    progress = report.station(station.slug)
    # Kept out of the search index: tables of numbers match nothing a resident types, and every
    # phone downloads the index on its first visit (the station page itself is indexed).
    out = [
        "---",
        "search:",
        "  exclude: true",
        "---",
        "",
        f"# {md(station.name)}服务成效",
        "",
        f"[返回{md(station.name)}](index.md#results)",
        "",
    ]
    if not progress:
        return "\n".join(out + ["本站没有合同指标，也还没有填报成效数据。"]) + "\n"
    out += [
        f"{_station_as_of(report, station)}状态怎么判断见[服务成效页](../../results.md#status-rule)。",
        "",
        *_progress_table(progress),
        "",
        _small_numbers_note(content, "../../about.md#disclosure"),
        "",
    ]
    for ip in progress:
        ind = ip.indicator
        out += [
            f"## {_indicator_label(ip)} {{#{ind.id}}}",
            "",
            _figure(
                f"chart-{station.slug}-{ind.id}",
                f"{station.name}{ind.name}逐月数量{_unit_note(ind)}",
                ip,
                ind.unit,
            ),
            "",
            *_month_table(ip.months, "本站", None),
            "",
        ]
    return "\n".join(out) + "\n"


# --------------------------------------------------------------------------------------------------
# home page


def headline_results_markdown(content: Content, report: ResultsReport) -> str:
    """The county's progress, short: indicator, completion, status; the details are one link away."""
    out = [_as_of(report), "", "| 指标 | 已完成 / 目标 | 状态 |", "|---|--:|---|"]
    for ip in report.county:
        target = f" / {ip.target}" if ip.target is not None else ""
        out.append(f"| {_indicator_label(ip)} | {md(ip.total.display)}{target} | {_status(ip)} |")
    out += ["", "[查看各站点和逐月数据](results.md)"]
    return "\n".join(out) + "\n"


# --------------------------------------------------------------------------------------------------
# about page


def disclosure_rule_markdown(content: Content) -> str:
    return disclosure.rule_markdown(content.programme.disclosure_threshold)


# --------------------------------------------------------------------------------------------------
# /data/


def open_data_page_markdown(content: Content, site_url: str) -> str:
    base = site_url if site_url.endswith("/") else site_url + "/"
    host_path = base.split("://", 1)[1] if "://" in base else base
    out = [
        "# 开放数据",
        "",
        f"{md(content.programme.programme)}的服务成效、站点信息和活动日历，可以下载、转载和再利用。",
        "",
        f"**许可**：数据文件采用[{LICENCE}]({LICENCE_URL})，使用时请注明来源“{md(content.programme.site_title)}"
        "公示网站”。" + ("本站为示例县，**数据均为虚构**，仅供演示。" if content.programme.sample else ""),
        "",
        "每次网站更新时重新生成；人数少于规定值的数字按[小数字的隐藏规则](about.md#disclosure)隐藏，"
        "其他人数（包括合计）四舍五入到 5 的倍数，文件里与网页上显示的一致。",
        "",
        "## 服务成效 {#results}",
        "",
        "| 文件 | 内容 | 格式 |",
        "|---|---|---|",
        "| [results.csv](data/results.csv) | 网站上的每一个成效数字各占一行：每个站点每项指标每个月的数量和全年合计，"
        "全县（计入目标的站点）逐月合计和总计，不计入目标的其他站点的合计。列：站点代号、站点名称、指标代号、指标名称、"
        "单位、月份、数量、是否隐藏、显示文字、目标、填报状态、行的类别、是否计入全县进度 | "
        "CSV，UTF-8（带 BOM，Excel 可直接打开） |",
        "| [results.json](data/results.json) | 同样的数字，另含目标、完成率、时间进度、进度状态和各月的填报情况 | JSON |",
        "| [programme.json](data/programme.json) | 项目预算、资金来源（金额和占比）、付款节点（比例、金额、计划日期、是否达成）；"
        "字段定义见 programme.schema.json | JSON |",
        "| [datapackage.json](data/datapackage.json) | 上面各文件的说明和字段定义（Frictionless Data Package） | JSON |",
        "",
        "被隐藏的数量在 CSV 中留空，“是否隐藏”列为 true，并在“显示”列写出网页上的显示文字"
        f"（如“<{content.programme.disclosure_threshold}”）。还没有填报的月份也留空（不是 0），"
        "“填报状态”列为 pending（未填报，未到截止日）或 overdue（逾期未报）。"
        "全县行的数量等于“是否计入全县进度”为 true 的站点行之和，可以用表格软件核对。",
        "",
        "## 站点信息 {#stations}",
        "",
        "| 文件 | 内容 | 格式 |",
        "|---|---|---|",
        "| [stations.json](data/stations.json) | 各站点名称、类型、上级站点、地址、电话、开放时间、服务领域、"
        "工作人员（姓名、岗位、是否持证；个人手机只在本人同意公开时收录） | JSON |",
        "",
        # Out of the search index: one row per station (at 1,000 stations Zensical refuses a section this
        # long, and every station page already carries its name).
        '## 活动日历 {#calendar data-search-exclude="true"}',
        "",
        "日历文件符合 iCalendar（RFC 5545）标准，时间为北京时间。**订阅**后手机日历会自动更新，"
        "活动改期不会出现重复条目；**下载**只导入一次。",
        "",
        "| 站点 | 订阅 | 下载 |",
        "|---|---|---|",
        f"| 全县所有站点 | {_subscribe(host_path, 'all')} | [all.ics](calendar/all.ics) |",
    ]
    for s in content.stations:
        out.append(
            f"| {md(s.name)} | {_subscribe(host_path, s.slug)} | [{s.slug}.ics](calendar/{s.slug}.ics) |"
        )
    out += [
        "",
        "## 新闻订阅 {#feed}",
        "",
        f"[feed.xml](feed.xml)：新闻、月度简报和服务案例的 Atom 订阅源（{escape(base)}feed.xml），"
        "可用任何 RSS/Atom 阅读器订阅。",
        "",
    ]
    # Markdown links to the data files, which are files of the docs tree (generator/site/outputs.py):
    # every engine checks them and rewrites them relative to the page's address (/data/).
    return "\n".join(out) + "\n"


def _subscribe(host_path: str, slug: str) -> str:
    path = f"{host_path}calendar/{slug}.ics"
    return (
        f'<a href="webcal://{escape(path, quote=True)}">订阅</a>'
        f"（或复制 <code>https://{escape(path)}</code>）"
    )


# --------------------------------------------------------------------------------------------------
# shared pieces


md = markdown_text  # content text inside the Markdown of these pages (one escaper for all pages)


def _as_of(report: ResultsReport) -> str:
    """截至 X 月，N 个站已填报; the county's time elapsed when every indicator shares it."""
    if report.latest_month is None:
        return report.as_of_text
    shares = {round(ip.elapsed * 100) for ip in report.county if ip.target}
    elapsed = f"时间进度 {shares.pop()}%。" if len(shares) == 1 else "时间进度按各站已填报到的月份计算。"
    return f"{report.as_of_text}{elapsed}"


def _station_as_of(report: ResultsReport, station: Station) -> str:
    """A station's own reporting: its latest month, its time elapsed, and any month overdue."""
    progress = report.station(station.slug)
    through = progress[0].through if progress else report.reporting.last_reported(station.slug)
    if through is None:
        text = "本站还没有填报成效数据。"
    else:
        share = progress[0].elapsed if progress else 0.0
        text = f"本站数据截至 {through[:4]} 年 {int(through[5:7])} 月，时间进度 {share * 100:.0f}%。"
    overdue = report.reporting.overdue(station.slug)
    if overdue:
        text += "逾期未报：" + "、".join(f"{m[:4]} 年 {int(m[5:7])} 月" for m in overdue) + "。"
    return text


def _others_note(report: ResultsReport) -> list[str]:
    """Counts of stations outside an indicator's target, shown apart (其他站点另计 N)."""
    lines = [
        f"- {_indicator_label(ip)}：其他站点另计 {md(ip.others.display)}" for ip in report.county if ip.others
    ]
    if not lines:
        return []
    return ["全县进度只计入目标所指的站点；其他站点填报的数量另行列出，不计入完成率：", "", *lines, ""]


def _progress_table(progress: list[IndicatorProgress]) -> list[str]:
    # The elapsed share is the same for every row: it is stated once above the table (_as_of),
    # which keeps the table narrow enough for a phone.
    out = ["| 指标 | 完成 / 目标 | 状态 |", "|---|--:|---|"]
    for ip in progress:
        out.append(f"| {_indicator_label(ip)} | {_done(ip)} | {_status(ip)} |")
    return out


def _month_table(months: list[tuple[str, Cell]], who: str, report: ResultsReport | None) -> list[str]:
    """Month by month; with ``report``, the county's table also says how many stations reported."""
    if not months:
        return ["还没有填报数据。"]
    if report is None:
        out = [f"| 月份 | {who} |", "|---|--:|"]
        return out + [f"| {m[:4]}年{int(m[5:7])}月 | {md(c.display)} |" for m, c in months]
    out = [f"| 月份 | {who} | 已填报站点 |", "|---|--:|--:|"]
    for m, c in months:
        done, expected = report.reporting.count(m)
        out.append(f"| {m[:4]}年{int(m[5:7])}月 | {md(c.display)} | {done}/{expected} |")
    return out


def _figure(chart_id: str, title: str, ip: IndicatorProgress, unit: str) -> str:
    # One line: a raw HTML block must not contain blank lines for Python-Markdown to keep it whole.
    return f'<div class="ss-chart-box">{month_bar_chart(chart_id, title, ip.months, unit)}</div>'


def _indicator_label(ip: IndicatorProgress) -> str:
    """常态化巡访（人次）; 志愿者参与人次, not 志愿者参与人次（人次）."""
    return md(ip.indicator.name) + md(_unit_note(ip.indicator))


def _unit_note(ind: Indicator) -> str:
    """The unit in brackets after an indicator's name, unless the name already ends with it
    (主题活动参与人次 with unit 人次, 个案服务次数 with 次, 小组活动节数 with 节)."""
    if ind.name.endswith((ind.unit, ind.unit + "数")):
        return ""
    return f"（{ind.unit}）"


def _done(ip: IndicatorProgress) -> str:
    """ "3108 / 3500（89%）": count, target and percent in one cell, so the table fits a phone."""
    if ip.target is None:
        return md(ip.total.display)
    percent = "" if ip.percent is None else f"（{ip.percent:.0f}%）"
    return f"{md(ip.total.display)} / {ip.target}{percent}"


def short_name(content: Content, station: Station) -> str:
    """周宁县狮城镇民政服务站 → 狮城镇: the plaque name without the county and the station word."""
    return naming.short_name(content.programme.county, station.name)


def _status(ip: IndicatorProgress) -> str:
    if ip.status is None:
        return "—"
    return f'<span class="ss-status">{escape(ip.status)}</span>'


def _small_numbers_note(content: Content, about_href: str) -> str:
    t = content.programme.disclosure_threshold
    return (
        f"“<{t}”表示 0 至 {t - 1}，“{COMPLEMENT_DISPLAY}”表示为防止推算而隐藏的数（不小于 {t}）："
        f"人数少的数字不公开，以免认出具体的人；其他人数四舍五入到 {t} 的倍数，合计不一定等于各项相加。"
        f"规则见[小数字的隐藏规则]({about_href})。"
    )
