"""Markdown for the results parts of the site: the /results/ page, a station page's results section,
the home page's headline table, the disclosure rule (about page) and the /data/ page.

Plain Markdown text with raw HTML blocks (Python-Markdown with tables, attr_list, md_in_html,
admonition, toc); no MkDocs import. Figures come only from ``Cell.display``; every content string
is escaped. Links are relative: /results/ and /data/ sit one level deep, /stations/<slug>/ two.
"""

from __future__ import annotations

from collections import Counter
from html import escape

from generator.content.model import Content, Indicator, Station
from generator.content.richtext import markdown_text
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
        "## 全县进度 {#county}",
        "",
        *_progress_table(report.county),
        "",
        f'<p class="ss-note" id="status-rule">{escape(report.status_rule_text)}</p>',
        "",
        _small_numbers_note(content, "about.md#disclosure"),
        "",
        # The per-station tables (here and in each indicator's <details>) grow with the number of
        # stations and match nothing a resident types; they stay out of the search index, which
        # every phone downloads on its first visit. The station pages themselves are indexed.
        '## 各站点一览 {#stations data-search-exclude="true"}',
        "",
        *(_station_status_rows(content, report) if _large(content) else _station_rows(content, report)),
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


def _station_rows(content: Content, report: ResultsReport) -> list[str]:
    """Every station's every indicator, one row each."""
    out = [
        "按站点网络顺序（社工总站在前），每个站点内按指标目录顺序排列；点站点名称看该站详情。",
        "",
        "| 站点 | 指标 | 完成 / 目标 | 状态 |",
        "|---|---|--:|---|",
    ]
    for station in content.stations:
        link = f"[{md(short_name(content, station))}](stations/{station.slug}/index.md#results)"
        for ip in report.station(station.slug):
            out.append(f"| {link} | {_indicator_label(ip)} | {_done(ip)} | {_status(ip)} |")
    return out


def _station_status_rows(content: Content, report: ResultsReport) -> list[str]:
    """A large county: one row per station, how many of its indicators are ahead, on track, behind."""
    statuses = (AHEAD, ON_TRACK, BEHIND, None)  # None: no target here, or not rated (see the rule)
    out = [
        f"站点较多（{len(content.stations)} 个），这里每个站点一行，列出各进度状态的指标个数；"
        # data.md: a link to the page as a source file, which MkDocs checks and rewrites.
        "点站点名称看该站每项指标的完成数和逐月数字。全部数字也在[开放数据](data.md)的 results.csv 中。",
        "",
        '<div class="ss-status-counts" markdown="1">',
        "",
        "| 站点 | " + " | ".join(status or "未评" for status in statuses) + " |",
        "|---|" + "--:|" * len(statuses),
    ]
    for station in content.stations:
        counts = Counter(ip.status for ip in report.station(station.slug))
        cells = " | ".join(str(counts[status]) for status in statuses)
        out.append(f"| [{md(short_name(content, station))}](stations/{station.slug}/results.md) | {cells} |")
    return [*out, "", "</div>"]


def _county_month_section(content: Content, report: ResultsReport, ip: IndicatorProgress) -> list[str]:
    ind = ip.indicator
    grid = report.grid(ind.id)
    out = [
        f"### {_indicator_label(ip)} {{#ind-{ind.id}}}",
        "",
        md(ind.description) if ind.description else "",
        "",
        _figure(f"chart-{ind.id}", f"全县{ind.name}逐月数量{_unit_note(ind)}", ip, ind.unit),
        "",
        *_month_table(ip.months, "全县"),
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
        f"{_as_of(report)}状态怎么判断见[服务成效页](../../results.md#status-rule)。",
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
        f"{_as_of(report)}状态怎么判断见[服务成效页](../../results.md#status-rule)。",
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
            *_month_table(ip.months, "本站"),
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
    t = content.programme.disclosure_threshold
    return (
        "\n".join(
            [
                f"“人数”类指标（如个案服务对象、志愿者团队成员，统计的是不同的人）数值为 1 至 {t - 1} 时，"
                f"在网页、海报、CSV 和 JSON 中一律显示为“<{t}”，以免认出具体的人；0 照常显示。",
                "",
                "只隐藏小数字还不够：各站点全年合计、全县每月合计和全县总计也会公布，"
                "读者可能用合计减去其他数字算出被隐藏的数。所以每次发布前程序会做两项检查：",
                "",
                "1. **方程检查**：把公布的每个数字和“各月之和等于合计”“各站之和等于全县”这些等式放在一起，"
                "任何一个被隐藏的数都不能单独解出来；",
                f"2. **范围检查**：读者知道“<{t}”是 0 至 {t - 1}、“{COMPLEMENT_DISPLAY}”至少是 {t}，"
                "把这些范围代入每一个等式反复推算，任何一个被隐藏的数都不能被推到只剩一个可能的值。",
                "",
                "若有数能被算出，就再多隐藏几个格子：每次选一个矩形的另外三个角（两行两列交叉的格子），"
                "在能起保护作用的组合里选数值之和最小的，尽量不隐藏合计，直到没有任何隐藏的数能被算出。"
                f"这样多隐藏的格子，数值小于 {t}（包括 0）时也显示为“<{t}”，"
                f"所以“<{t}”的意思是 0 至 {t - 1}；数值不小于 {t} 时显示为“{COMPLEMENT_DISPLAY}”。",
                "",
                "合计被隐藏时不显示完成率；只有当所有可能的数值都得出同样的进度结论时才显示进度状态。",
                "“次数”“场次”“人次”类指标统计的是服务量而不是人，照常公布。",
            ]
        )
        + "\n"
    )


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
        f"**许可**：数据文件采用[{LICENCE}]({LICENCE_URL})，使用时请注明来源“{md(content.programme.county)}"
        "民政服务站公示网站”。本站为示例县，**数据均为虚构**，仅供演示。",
        "",
        "每次网站更新时重新生成；人数少于规定值的数字按[小数字的隐藏规则](about.md#disclosure)隐藏，"
        "文件里与网页上显示的一致。",
        "",
        "## 服务成效 {#results}",
        "",
        "| 文件 | 内容 | 格式 |",
        "|---|---|---|",
        "| [results.csv](data/results.csv) | 每个站点、每项指标、每个月的数量：站点代号、站点名称、指标代号、指标名称、"
        "单位、月份、数量、是否隐藏、显示文字、站点目标。只有月度数据行；合计见 results.json | "
        "CSV，UTF-8（带 BOM，Excel 可直接打开） |",
        "| [results.json](data/results.json) | 同样的月度数据，另含各站点合计、全县逐月合计、全县总计、目标、完成率和进度状态 | JSON |",
        "| [datapackage.json](data/datapackage.json) | 上面各文件的说明和字段定义（Frictionless Data Package） | JSON |",
        "",
        "被隐藏的数量在 CSV 中留空，“是否隐藏”列为 true，并在“显示”列写出网页上的显示文字"
        f"（如“<{content.programme.disclosure_threshold}”）。",
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
    if report.latest_month is None:
        return "还没有填报成效数据。"
    m = report.latest_month
    return (
        f"数据截至 {m[:4]} 年 {int(m[5:7])} 月（最近一个已填报月份），时间进度 {report.elapsed * 100:.0f}%。"
    )


def _progress_table(progress: list[IndicatorProgress]) -> list[str]:
    # The elapsed share is the same for every row: it is stated once above the table (_as_of),
    # which keeps the table narrow enough for a phone.
    out = ["| 指标 | 完成 / 目标 | 状态 |", "|---|--:|---|"]
    for ip in progress:
        out.append(f"| {_indicator_label(ip)} | {_done(ip)} | {_status(ip)} |")
    return out


def _month_table(months: list[tuple[str, Cell]], who: str) -> list[str]:
    if not months:
        return ["还没有填报数据。"]
    out = [f"| 月份 | {who} |", "|---|--:|"]
    out += [f"| {m[:4]}年{int(m[5:7])}月 | {md(c.display)} |" for m, c in months]
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
    name = station.name.removeprefix(content.programme.county)
    for suffix in ("民政服务站", "社工站", "服务站"):
        if name.endswith(suffix) and len(name) > len(suffix):
            return name[: -len(suffix)]
    return name


def _status(ip: IndicatorProgress) -> str:
    if ip.status is None:
        return "—"
    return f'<span class="ss-status">{escape(ip.status)}</span>'


def _small_numbers_note(content: Content, about_href: str) -> str:
    t = content.programme.disclosure_threshold
    return (
        f"“<{t}”表示 0 至 {t - 1}，“{COMPLEMENT_DISPLAY}”表示为防止推算而隐藏的数（不小于 {t}）："
        f"人数少的数字不公开，以免认出具体的人，规则见[小数字的隐藏规则]({about_href})。"
    )
