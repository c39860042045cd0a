"""The pieces every results page shares: progress and month tables, charts, the indicator label,
the "as of" sentences and the small-numbers note (generator/site/resultspages.py for /results/ and
its indicator pages, generator/site/stationresults.py for a station's).

Markdown text with raw HTML; figures come only from ``Cell.display``; every content string is
escaped. No MkDocs import.
"""

from __future__ import annotations

from html import escape

from generator.content import naming
from generator.content.model import Content, Indicator, Station
from generator.content.richtext import markdown_text
from generator.results.charts import month_bar_chart
from generator.results.progress import COMPLEMENT_DISPLAY, Cell, IndicatorProgress, ResultsReport

md = markdown_text  # content text inside the Markdown of these pages (one escaper for all pages)


# Front matter of a page kept out of the search index: tables of numbers match nothing a resident
# types (the station page and /results/ itself are indexed).
NOT_SEARCHED = ["---", "search:", "  exclude: true", "---", ""]


def short_name(content: Content, station: Station) -> str:
    """周宁县狮城镇民政服务站 → 狮城镇: the plaque name without the county and the station word."""
    return naming.short_name(content.programme.county, station.name)


def as_of(report: ResultsReport) -> str:
    """截至 X 月，N 个站已填报; the county's time elapsed when every indicator shares it."""
    if report.latest_month is None:
        return report.as_of_text
    shares = {round(ip.elapsed * 100) for ip in report.county if ip.target}
    elapsed = f"时间进度 {shares.pop()}%。" if len(shares) == 1 else "时间进度按各站已填报到的月份计算。"
    return f"{report.as_of_text}{elapsed}"


def station_as_of(report: ResultsReport, station: Station) -> str:
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


def progress_table(progress: list[IndicatorProgress]) -> list[str]:
    # The elapsed share is the same for every row: it is stated once above the table (as_of),
    # which keeps the table narrow enough for a phone.
    out = ["| 指标 | 完成 / 目标 | 状态 |", "|---|--:|---|"]
    for ip in progress:
        out.append(f"| {indicator_label(ip)} | {done(ip)} | {status(ip)} |")
    return out


def month_table(months: list[tuple[str, Cell]], who: str, report: ResultsReport | None) -> list[str]:
    """Month by month; with ``report``, the county's table also says how many stations reported."""
    if not months:
        return ["还没有填报数据。"]
    if report is None:
        out = [f"| 月份 | {who} |", "|---|--:|"]
        return out + [f"| {m[:4]}年{int(m[5:7])}月 | {md(c.display)} |" for m, c in months]
    out = [f"| 月份 | {who} | 已填报站点 |", "|---|--:|--:|"]
    for m, c in months:
        reported, expected = report.reporting.count(m)
        out.append(f"| {m[:4]}年{int(m[5:7])}月 | {md(c.display)} | {reported}/{expected} |")
    return out


def figure(chart_id: str, title: str, ip: IndicatorProgress, unit: str) -> str:
    # One line: a raw HTML block must not contain blank lines for Python-Markdown to keep it whole.
    return f'<div class="ss-chart-box">{month_bar_chart(chart_id, title, ip.months, unit)}</div>'


def indicator_label(ip: IndicatorProgress) -> str:
    """常态化巡访（人次）; 志愿者参与人次, not 志愿者参与人次（人次）."""
    return md(ip.indicator.name) + md(unit_note(ip.indicator))


def unit_note(ind: Indicator) -> str:
    """The unit in brackets after an indicator's name, unless the name already ends with it
    (主题活动参与人次 with unit 人次, 个案服务次数 with 次, 小组活动节数 with 节)."""
    if ind.name.endswith((ind.unit, ind.unit + "数")):
        return ""
    return f"（{ind.unit}）"


def done(ip: IndicatorProgress) -> str:
    """ "3108 / 3500（89%）": count, target and percent in one cell, so the table fits a phone."""
    if ip.target is None:
        return md(ip.total.display)
    percent = "" if ip.percent is None else f"（{ip.percent:.0f}%）"
    return f"{md(ip.total.display)} / {ip.target}{percent}"


def status(ip: IndicatorProgress) -> str:
    if ip.status is None:
        return "—"
    return f'<span class="ss-status">{escape(ip.status)}</span>'


def small_numbers_note(content: Content, about_href: str) -> str:
    t = content.programme.disclosure_threshold
    return (
        f"“<{t}”表示 0 至 {t - 1}，“{COMPLEMENT_DISPLAY}”表示为防止推算而隐藏的数（不小于 {t}）："
        f"人数少的数字不公开，以免认出具体的人；其他人数四舍五入到 {t} 的倍数，合计不一定等于各项相加。"
        f"规则见[小数字的隐藏规则]({about_href})。"
    )
