"""Month-by-month bar charts as inline SVG, drawn at build time: no JavaScript, no outside host.

Readable on a 360 px phone: the viewBox is 360 units wide and the SVG scales to the column width,
so one unit is about one CSS pixel there and the 13-unit labels stay legible. Each chart has
role="img" with <title> and <desc> (the figures in words); the page also carries the same figures
as a table, the text equivalent.

A hidden month ("<5" or "不公开") is drawn as a hatched box of a fixed height with its label, and
the scale is taken from the visible months only, so no length on the chart encodes a hidden value.
"""

from __future__ import annotations

from html import escape

from generator.results.progress import Cell

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
        if cell.value is None:
            y, h = base - PLACEHOLDER, PLACEHOLDER
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
            f'fill="{INK}">{escape(cell.display)}</text>'
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
