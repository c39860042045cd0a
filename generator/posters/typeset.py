"""Line breaking decided before layout: balanced titles and tokens that must not break.

Why here and not in CSS: WeasyPrint (checked: 70.0) has no ``text-wrap: balance``, and Chinese text
may break between any two characters, so a title one character too long for its line leaves that
character alone on the next ("工作职责（狮城镇民政服务 / 站）"). We estimate each text's width in
em (a CJK character is 1 em, Latin letters and digits about 0.55 em), split it into as few lines as
fit and make them as even as possible, preferring breaks at punctuation and brackets. Each line is
printed ``nowrap``, so the layout engine cannot re-break it; the estimate keeps a margin so that a
line never overflows its box.
"""

from __future__ import annotations

import math
import re
import unicodedata
from functools import lru_cache

from markupsafe import Markup, escape

# No line may start with these, nor end with the openers.
NO_START = set("，。、；：？！）》」』”’·…—–-%")
NO_END = set("（《「『“‘")
# Breaking next to these reads naturally: before an opening bracket, after punctuation.
GOOD_BEFORE = set("（《「『“")
GOOD_AFTER = set("，。、；：）》」』”·")
# Words that end here: "周宁县狮城镇 / 民政服务站" reads better than a break inside a word.
WORD_ENDS: tuple[str, ...] = (
    "县",
    "镇",
    "乡",
    "街道",
    "社区",
    "村",
    "总站",
    "服务站",
    "工作室",
    "民政",
    "社会工作",
)
WORD_ENDS += ("制度", "流程", "职责", "管理", "守则", "规范", "服务", "办法")
WORD_STARTS = ("及", "和", "与")
BAD_BREAK_EM = 4.0  # a break inside a word costs as much as a line this much longer
FILL = 0.95  # use at most this share of the line: estimates must never overflow
# One token each: a date with its weekday, a number, a time range, a phone number, a Latin word.
_TOKEN = re.compile(r"\d+月\d+日(?:（周[一二三四五六日]）)?|[0-9A-Za-z][0-9A-Za-z:：.\-–/]*")


def em_width(text: str) -> float:
    width = 0.0
    for ch in text:
        if unicodedata.east_asian_width(ch) in ("W", "F"):
            width += 1.0
        elif ch == " ":
            width += 0.3
        else:
            width += 0.58
    return width


def _break_points(text: str) -> list[tuple[int, float]]:
    """Positions where a line may end (index of the next line's first character), with a cost."""
    inside: set[int] = set()
    for m in _TOKEN.finditer(text):
        inside.update(range(m.start() + 1, m.end()))
    points = []
    for i in range(1, len(text)):
        if i in inside or text[i] in NO_START or text[i - 1] in NO_END:
            continue
        if text[i] in GOOD_BEFORE or text[i - 1] in GOOD_AFTER:
            cost = 0.0
        elif text[:i].endswith(WORD_ENDS) or text[i:].startswith(WORD_STARTS):
            cost = 0.5
        else:
            cost = 1.0
        points.append((i, cost))
    return points


@lru_cache(maxsize=4096)
def balanced_lines(text: str, per_line: float) -> tuple[str, ...]:
    """``text`` in the fewest lines of at most ``per_line`` em (times FILL), as even as possible.

    No line is a lone character, no line starts with closing punctuation, and a number or time
    range is never split. A text with no acceptable break stays one line.
    """
    room = per_line * FILL
    total = em_width(text)
    if total <= room or len(text) < 4:
        return (text,)
    points = _break_points(text)
    n = math.ceil(total / room)
    while n <= len(text) // 2:
        best = _best_split(text, points, n, room)
        if best is not None:
            return best
        n += 1
    return (text,)


def _best_split(text: str, points: list[tuple[int, float]], n: int, room: float) -> tuple[str, ...] | None:
    """The split into ``n`` lines minimising (longest line, break costs); None if none fits."""
    # dp over break points: state = (index of line start, lines used) → (score, breaks)
    positions = [0] + [p for p, _ in points] + [len(text)]
    cost = {p: c for p, c in points}
    widths = {}

    def width(a: int, b: int) -> float:
        if (a, b) not in widths:
            widths[a, b] = em_width(text[a:b])
        return widths[a, b]

    # score: (longest line + BAD_BREAK_EM × break costs, longest line) — natural breaks win unless
    # they make a line much longer than an even split would
    best: dict[tuple[int, int], tuple[float, float, tuple[int, ...]]] = {(0, 0): (0.0, 0.0, ())}
    for used in range(n):
        for (start, k), (longest, penalty, breaks) in list(best.items()):
            if k != used:
                continue
            for end in positions:
                if end <= start:
                    continue
                if used < n - 1 and end == len(text):
                    continue
                if used == n - 1 and end != len(text):
                    continue
                w = width(start, end)
                if w > room or end - start < 2:
                    continue
                score = (
                    max(longest, w),
                    penalty + cost.get(end, 0.0),
                    breaks + ((end,) if end < len(text) else ()),
                )
                key = (end, used + 1)
                if key not in best or _rank(score) < _rank(best[key]):
                    best[key] = score
    final = best.get((len(text), n))
    if final is None:
        return None
    cuts = (0, *final[2], len(text))
    return tuple(text[a:b] for a, b in zip(cuts, cuts[1:], strict=False))


def _rank(score: tuple[float, float, tuple[int, ...]]) -> tuple[float, float]:
    return (score[0] + BAD_BREAK_EM * score[1], score[0])


def balanced_html(text: str, per_line: float) -> Markup:
    """The lines of ``balanced_lines`` as HTML: each line one unbreakable span."""
    lines = balanced_lines(text, per_line)
    return Markup("<br>").join(Markup('<span class="ln">{}</span>').format(escape(line)) for line in lines)


def nobreak_html(text: str, short: int = 8) -> Markup:
    """A short text (a place name, at most ``short`` characters) kept on one line; longer ones
    may wrap, but never inside a number or time range."""
    if len(text) <= short:
        return Markup('<span class="ln">{}</span>').format(escape(text))
    out = []
    last = 0
    for m in _TOKEN.finditer(text):
        out.append(escape(text[last : m.start()]))
        out.append(Markup('<span class="ln">{}</span>').format(escape(m.group())))
        last = m.end()
    out.append(escape(text[last:]))
    return Markup("").join(out)


def url_html(url: str) -> Markup:
    """An address that may wrap only after a slash (never inside a word or the host name)."""
    parts = re.split(r"(?<=[^/:]/)", url)  # after a path slash, never inside "https://"
    return Markup("<wbr>").join(Markup('<span class="ln">{}</span>').format(escape(p)) for p in parts if p)
