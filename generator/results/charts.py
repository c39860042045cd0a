"""Month-by-month bar charts as inline SVG, drawn at build time: no JavaScript, no outside host.

Readable on a 360 px phone: the viewBox is 360 units wide and the SVG scales to the column width,
so one unit is about one CSS pixel there and the 13-unit labels stay legible. Each chart has
role="img" with <title> and <desc> (the figures in words); the page also carries the same figures
as a table, the text equivalent.

A month not reported is an empty dashed box with ○ (未填报) or ✕ (逾期未报), never a bar of 0.
A hidden month ("<5" or "不公开") is drawn as a hatched box of a fixed height with its label, and
the scale is taken from the visible months only, so no length on the chart encodes a hidden value.
"""

from __future__ import annotations

from html import escape

from generator.results.progress import Cell
from generator.results.reporting import SYMBOLS

WIDTH = 360
HEIGHT = 200
LEFT, RIGHT, TOP, BOTTOM = 8, 8, 22, 26  # margins: value labels above, month labels below
PLACEHOLDER = 28  # height of a hidden month's box, unrelated to its value
BAR = "#1f5f99"  # 7.0:1 on white
INK = "#1a1a1a"
HATCH = "#6b6b6b"


def month_bar_chart(chart_id: str, title: str, months: list[tuple[str, Cell]], unit: str) -> str:
    """An SVG bar chart of ``months`` ("YYYY-MM", Cell). ``chart_id`` must be unique on the page."""
    cid = escape(chart_id, quote=True)
    plot_h = HEIGHT - TOP - BOTTOM
    base = TOP + plot_h
    visible = [c.value for _, c in months if c.value is not None]
    top_value = max(visible, default=0) or 1
    n = max(len(months), 1)
    slot = (WIDTH - LEFT - RIGHT) / n
    bar_w = slot * 0.64
    label_size = 13 if n <= 12 else 10
    parts = [
        f'<svg class="ss-chart" id="{cid}" viewBox="0 0 {WIDTH} {HEIGHT}" width="100%" '
        f'preserveAspectRatio="xMidYMid meet" role="img" aria-labelledby="{cid}-t {cid}-d" '
        f'xmlns="http://www.w3.org/2000/svg" font-family="sans-serif">',
        f'<title id="{cid}-t">{escape(title)}</title>',
        f'<desc id="{cid}-d">{escape(describe(months, unit))}</desc>',
        f'<defs><pattern id="{cid}-h" width="6" height="6" patternUnits="userSpaceOnUse" '
        f'patternTransform="rotate(45)"><line x1="0" y1="0" x2="0" y2="6" stroke="{HATCH}" '
        f'stroke-width="2"/></pattern></defs>',
        f'<line x1="{LEFT}" y1="{base}" x2="{WIDTH - RIGHT}" y2="{base}" stroke="{INK}" stroke-width="1"/>',
    ]
    for i, (month, cell) in enumerate(months):
        x = LEFT + slot * i + (slot - bar_w) / 2
        mid = LEFT + slot * i + slot / 2
        label = cell.display
        if not cell.reported:
            # Not reported is not 0: an empty dashed box and the status symbol (the words are in
            # <desc> and in the table under the chart), narrow enough for twelve months at 360 px.
            y, h, label = float(base - PLACEHOLDER), float(PLACEHOLDER), SYMBOLS.get(cell.report, "?")
            parts.append(
                f'<rect x="{_n(x)}" y="{_n(y)}" width="{_n(bar_w)}" height="{h}" fill="none" '
                f'stroke="{HATCH}" stroke-width="1" stroke-dasharray="3 2"/>'
            )
        elif cell.value is None:
            y, h = float(base - PLACEHOLDER), float(PLACEHOLDER)
            parts.append(
                f'<rect x="{_n(x)}" y="{_n(y)}" width="{_n(bar_w)}" height="{h}" '
                f'fill="url(#{cid}-h)" stroke="{HATCH}" stroke-width="1"/>'
            )
        else:
            h = plot_h * cell.value / top_value
            y = base - h
            parts.append(f'<rect x="{_n(x)}" y="{_n(y)}" width="{_n(bar_w)}" height="{_n(h)}" fill="{BAR}"/>')
        parts.append(
            f'<text x="{_n(mid)}" y="{_n(y - 5)}" font-size="{label_size}" text-anchor="middle" '
            f'fill="{INK}">{escape(label)}</text>'
        )
        parts.append(
            f'<text x="{_n(mid)}" y="{HEIGHT - 8}" font-size="{label_size}" text-anchor="middle" '
            f'fill="{INK}">{int(month[5:7])}月</text>'
        )
    parts.append("</svg>")
    return "".join(parts)


def describe(months: list[tuple[str, Cell]], unit: str) -> str:
    """The chart in words, for screen readers: every month and its published figure."""
    if not months:
        return "还没有填报数据。"
    first, last = months[0][0], months[-1][0]
    figures = "，".join(f"{int(m[5:7])}月 {c.display}" for m, c in months)
    return f"{_month(first)}至{_month(last)}每月数量（{unit}）：{figures}。"


def _month(month: str) -> str:
    return f"{month[:4]}年{int(month[5:7])}月"


def _n(value: float) -> str:
    """Coordinates with two decimals at most, the same text on every machine."""
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return text if text != "-0" else "0"


# --------------------------------------------------------------------------------------------------
# county progress: the cumulative count against the target and the pace the time elapsed asks for

LINE_H = 190
TARGET_INK = "#8a3b00"  # 7.6:1 on white; the lines also differ by dash pattern, never by colour alone
PACE_INK = "#4d4d4d"


def cumulative_points(months: list[tuple[str, Cell]]) -> list[tuple[str, int]]:
    """Running totals up to the first month whose county figure is hidden or reported by nobody.

    A running total after a hidden month would publish a new sum of hidden cells (a new equation
    for the disclosure control), so the line stops there; the text says so.
    """
    out, running = [], 0
    for month, cell in months:
        if cell.value is None:
            break
        running += cell.value
        out.append((month, running))
    return out


def cumulative_chart(
    chart_id: str,
    title: str,
    contract_months: list[str],
    months: list[tuple[str, Cell]],
    target: int | None,
    elapsed: float,
    unit: str,
) -> str:
    """Inline SVG: the cumulative line (solid, with dots), the target (dashed, across) and the pace
    (dotted, from 0 at the contract start to the target at its end). ``contract_months`` spans the
    x axis, so the line stops where reporting has got to."""
    cid = escape(chart_id, quote=True)
    points = cumulative_points(months)
    top = (max([target or 0, *(v for _, v in points)]) or 1) * 1.08
    left, right, up, down = 10, 10, 24, 26
    plot_w, plot_h = WIDTH - left - right, LINE_H - up - down
    n = max(len(contract_months), 1)
    index = {m: i for i, m in enumerate(contract_months)}

    def x(i: float) -> float:  # the end of month i (0-based); -1 is the contract start
        return left + plot_w * (i + 1) / n

    def y(v: float) -> float:
        return up + plot_h * (1 - v / top)

    parts = [
        f'<svg class="ss-chart ss-cumulative" id="{cid}" viewBox="0 0 {WIDTH} {LINE_H}" width="100%" '
        f'preserveAspectRatio="xMidYMid meet" role="img" aria-labelledby="{cid}-t {cid}-d" '
        f'xmlns="http://www.w3.org/2000/svg" font-family="sans-serif">',
        f'<title id="{cid}-t">{escape(title)}</title>',
        f'<desc id="{cid}-d">{escape(describe_cumulative(months, target, elapsed, unit))}</desc>',
        f'<line x1="{left}" y1="{_n(y(0))}" x2="{WIDTH - right}" y2="{_n(y(0))}" stroke="{INK}" stroke-width="1"/>',
    ]
    if target:
        parts += [
            f'<line x1="{left}" y1="{_n(y(target))}" x2="{WIDTH - right}" y2="{_n(y(target))}" '
            f'stroke="{TARGET_INK}" stroke-width="2" stroke-dasharray="8 4"/>',
            f'<text x="{left + 2}" y="{_n(y(target) - 5)}" font-size="12" fill="{TARGET_INK}">'
            f"目标 {target}</text>",
            f'<line x1="{left}" y1="{_n(y(0))}" x2="{WIDTH - right}" y2="{_n(y(target))}" '
            f'stroke="{PACE_INK}" stroke-width="1.5" stroke-dasharray="2 3"/>',
        ]
        now = left + plot_w * elapsed
        parts.append(
            f'<line x1="{_n(now)}" y1="{up}" x2="{_n(now)}" y2="{_n(y(0))}" stroke="{PACE_INK}" '
            f'stroke-width="1" stroke-dasharray="2 3"/>'
        )
    if points:
        coords = [(left, y(0))] + [(x(index[m]), y(v)) for m, v in points]
        path = " ".join(f"{_n(a)},{_n(b)}" for a, b in coords)
        parts.append(f'<polyline points="{path}" fill="none" stroke="{BAR}" stroke-width="2.5"/>')
        parts += [f'<circle cx="{_n(a)}" cy="{_n(b)}" r="2.5" fill="{BAR}"/>' for a, b in coords[1:]]
        last_x, last_y = coords[-1]
        anchor = "end" if last_x > WIDTH / 2 else "start"
        parts.append(
            f'<text x="{_n(last_x)}" y="{_n(last_y + 16)}" font-size="13" text-anchor="{anchor}" '
            f'fill="{INK}">{points[-1][1]}</text>'
        )
    step = max(1, n // 6)
    for i, month in enumerate(contract_months):
        if i % step == step - 1 or i == n - 1:
            parts.append(
                f'<text x="{_n(x(i))}" y="{LINE_H - 8}" font-size="11" text-anchor="middle" '
                f'fill="{INK}">{_short(month, contract_months)}</text>'
            )
    parts.append("</svg>")
    return "".join(parts)


def describe_cumulative(months: list[tuple[str, Cell]], target: int | None, elapsed: float, unit: str) -> str:
    """The cumulative chart in words: the running totals, the target and what the pace asks for."""
    points = cumulative_points(months)
    if not points:
        return "还没有可以累计的数据。"
    text = "累计完成（" + unit + "）：" + "，".join(f"{_month(m)} {v}" for m, v in points) + "。"
    if len(points) < len(months):
        text += f"{_month(months[len(points)][0])}起含不公开或未填报的数，累计线在此中断。"
    if target:
        text += f"目标 {target}；按时间进度（{elapsed * 100:.0f}%）应完成约 {round(target * elapsed)}。"
    return text


def _short(month: str, contract_months: list[str]) -> str:
    """1月 within one year; 27年1月 across years, so a three-year contract's axis stays readable."""
    if contract_months[0][:4] == contract_months[-1][:4]:
        return f"{int(month[5:7])}月"
    return f"{month[2:4]}年{int(month[5:7])}月"
