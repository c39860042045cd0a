"""The auditor's parts of the results pages: who lags (a compact stations × indicators grid), the
county's cumulative progress charts, and what the contract pays for (budget, funding, payments).

The grid is a raw HTML table of one symbol per cell, so twelve indicators and a station name fit a
360 px phone without sideways scrolling: each symbol has its word next to it for screen readers
(.ss-sr) and in the key, so colour is never the only signal.
"""

from __future__ import annotations

from collections.abc import Callable
from html import escape

from generator.content.model import Content, Station
from generator.content.richtext import markdown_text as md
from generator.results.charts import cumulative_chart
from generator.results.progress import AHEAD, BEHIND, ON_TRACK, IndicatorProgress, ResultsReport
from generator.results.reporting import LABELS, NOT_OPEN, OVERDUE, PENDING, REPORTED

STATUS_SYMBOLS = {AHEAD: "▲", ON_TRACK: "●", BEHIND: "▼"}
NOT_RATED = "·"  # applies, but no target here or not rated (see the status rule)
REPORT_SYMBOLS = {REPORTED: "✓", PENDING: "○", OVERDUE: "✕", NOT_OPEN: "—"}
REPORT_WORDS = {REPORTED: "按时填报", PENDING: LABELS[PENDING], OVERDUE: LABELS[OVERDUE], NOT_OPEN: "未运行"}
# Above this many stations the grid lists only the stations that lag or are overdue.
GRID_ALL_STATIONS_MAX = 40


def _symbol(symbol: str, word: str, css: str = "") -> str:
    cls = f' class="{css}"' if css else ""
    return f'<td{cls}><span aria-hidden="true">{symbol}</span><span class="ss-sr">{escape(word)}</span></td>'


def station_report_state(report: ResultsReport, station: Station) -> str:
    """The station's reporting, in one word: overdue if any month is, else pending, else reported."""
    states = set(report.reporting.status[station.slug].values())
    for state in (OVERDUE, PENDING, REPORTED):
        if state in states:
            return state
    return NOT_OPEN


def lagging(report: ResultsReport, station: Station) -> bool:
    return station_report_state(report, station) == OVERDUE or any(
        ip.status == BEHIND for ip in report.station(station.slug)
    )


def lagging_grid_markdown(
    content: Content, report: ResultsReport, short_name: Callable[[Content, Station], str]
) -> list[str]:
    """The grid, its key, and the same facts as sentences (the text equivalent)."""
    stations = list(content.stations)
    if len(stations) > GRID_ALL_STATIONS_MAX:
        stations = [s for s in stations if lagging(report, s)]
    head = "".join(
        f'<th scope="col"><abbr title="{escape(ind.name, quote=True)}">{i}</abbr></th>'
        for i, ind in enumerate(content.indicators, 1)
    )
    rows = []
    for s in stations:
        by_id = {ip.indicator.id: ip for ip in report.station(s.slug)}
        state = station_report_state(report, s)
        cells = [_symbol(REPORT_SYMBOLS[state], REPORT_WORDS[state], f"ss-r-{state}")]
        for ind in content.indicators:
            ip = by_id.get(ind.id)
            if ip is None:
                cells.append('<td><span class="ss-sr">不适用</span></td>')
            elif ip.status in STATUS_SYMBOLS:
                cells.append(
                    _symbol(
                        STATUS_SYMBOLS[ip.status], ip.status, "ss-lag-behind" if ip.status == BEHIND else ""
                    )
                )
            else:
                cells.append(_symbol(NOT_RATED, "未评"))
        name = escape(short_name(content, s))
        rows.append(
            # The name only: the station rows below link each station's results with a Markdown link,
            # which every engine resolves alike (a raw link here would not be, see site/pages).
            f'<tr><th scope="row">{name}</th>{"".join(cells)}</tr>'
        )
    if not rows:
        rows.append(f'<tr><td colspan="{len(content.indicators) + 2}">没有滞后或逾期未报的站点。</td></tr>')
    table = (
        '<div class="ss-lag-box"><table class="ss-lag"><caption>各站点各指标进度（符号说明见表下）</caption>'
        f'<thead><tr><th scope="col">站点</th><th scope="col"><abbr title="填报">报</abbr></th>{head}</tr></thead>'
        f"<tbody>{''.join(rows)}</tbody></table></div>"
    )
    key = (
        f"符号：{STATUS_SYMBOLS[AHEAD]} {AHEAD}　{STATUS_SYMBOLS[ON_TRACK]} {ON_TRACK}　"
        f"{STATUS_SYMBOLS[BEHIND]} {BEHIND}　{NOT_RATED} 未评（无站点目标或不评进度）　空白 不适用；"
        f"“报”列：{REPORT_SYMBOLS[REPORTED]} 按时填报　{REPORT_SYMBOLS[PENDING]} 有月份未填报（未到截止日）　"
        f"{REPORT_SYMBOLS[OVERDUE]} 有月份逾期未报。"
    )
    names = "；".join(f"{i} {escape(ind.name)}" for i, ind in enumerate(content.indicators, 1))
    out = [table, "", f'<p class="ss-note">{key}</p>', "", f'<p class="ss-note">指标：{names}。</p>', ""]
    out += _lagging_sentences(content, report, short_name)
    return out


def _lagging_sentences(
    content: Content, report: ResultsReport, short_name: Callable[[Content, Station], str]
) -> list[str]:
    lines = []
    for s in content.stations:
        behind = [ip.indicator.name for ip in report.station(s.slug) if ip.status == BEHIND]
        overdue = report.reporting.overdue(s.slug)
        parts = []
        if overdue:
            parts.append("逾期未报 " + "、".join(f"{m[:4]} 年 {int(m[5:7])} 月" for m in overdue))
        if behind:
            parts.append("滞后：" + "、".join(md(b) for b in behind))
        if parts:
            lines.append(
                f"- [{escape(short_name(content, s))}](stations/{s.slug}/results.md)：" + "；".join(parts)
            )
    if not lines:
        return ["没有滞后或逾期未报的站点。"]
    return ["需要关注：", "", *lines]


# --------------------------------------------------------------------------------------------------
# county progress charts


def county_chart(content: Content, report: ResultsReport, ip: IndicatorProgress, label: str) -> str:
    ind = ip.indicator
    chart = cumulative_chart(
        f"cum-{ind.id}",
        f"全县{label}累计完成、目标与时间进度",
        content.programme.months(),
        ip.months,
        ip.target,
        ip.elapsed,
        ind.unit,
    )
    # One line: a raw HTML block must not contain blank lines for Python-Markdown to keep it whole.
    return f'<div class="ss-chart-box">{chart}</div>'


# --------------------------------------------------------------------------------------------------
# money


def money_markdown(content: Content) -> str:
    """Budget, funding sources with amounts and shares, payment milestones with their state."""
    p = content.programme
    if p.budget_yuan is None and not p.funding and not p.payments:
        return "合同未公布预算和付款安排。\n"
    out = []
    if p.budget_yuan is not None:
        out += [
            f"项目预算 **{p.budget_yuan:,} 元**（{escape(p.authority)}向{escape(p.contractor)}购买服务）。",
            "",
        ]
    if p.funding:
        out += ["| 资金来源 | 金额（元） | 占预算 |", "|---|--:|--:|"]
        for source, amount in p.funding:
            share = f"{100 * amount / p.budget_yuan:.1f}%" if p.budget_yuan else "—"
            out.append(f"| {md(source)} | {amount:,} | {share} |")
        out.append("")
    if p.payments:
        # Three columns, so the table fits a phone: the amount under the percent, the plan under the state.
        out += ["| 付款条件 | 比例（元） | 完成情况 |", "|---|--:|---|"]
        for pay in p.payments:
            yuan = p.payment_yuan(pay)
            share = f"{pay.percent}%" + ("" if yuan is None else f"<br>{yuan:,}")
            state = f"已达成<br>{pay.met.isoformat()}" if pay.met else "尚未达成"
            if pay.due and not pay.met:
                state += f"<br>计划 {pay.due.isoformat()}"
            out.append(f"| {md(pay.after)} | {share} | {state} |")
        out.append("")
    out.append("同样的内容在开放数据的 [programme.json](data/programme.json) 中。")
    return "\n".join(out) + "\n"
