"""The first screen of the pull-request comment: what changes for residents, what to reprint.

A reviewer reads this part and decides; the details (every changed activity, figure and rule line)
follow folded in ``<details>``. The summary is built from the same lines the details show, one
line per kind of change, naming at most a few stations, so it stays short however large the
change is (a month's results for 200 stations is still one line).
"""

from __future__ import annotations

import re
from typing import Any

from generator.publishing.diffparts import inline_text

MAX_NAMED = 3  # stations named on one summary line; the rest are counted
_TITLE = re.compile(r"^- \*\*(.+?)\*\*(?:（`([^`]+)`）)?")


def _short(name: str, county: str) -> str:
    # Names are content: text in the comment, never markup.
    return inline_text(name.removeprefix(county) or name)


def _named(names: list[str]) -> str:
    shown = "；".join(names[:MAX_NAMED])
    return shown + (f" 等 {len(names)} 个站点" if len(names) > MAX_NAMED else "")


def _by_poster(pairs: list[tuple[str, str]]) -> str:
    """[(poster title, station)] → 服务成效：10 个站点；公示栏：狮城镇、李墩镇 (a poster, then who)."""
    who: dict[str, list[str]] = {}
    for title, station in pairs:
        who.setdefault(title, []).append(station)
    return "；".join(
        f"{title}：" + ("、".join(names) if len(names) <= MAX_NAMED else f"{len(names)} 个站点")
        for title, names in who.items()
    )


def reprint_summary(reprints: list[Any], county: str) -> list[str]:
    out = []
    printing = [(inline_text(t), _short(r.station.name, county)) for r in reprints for _, t, _ in r.posters]
    if printing:
        out.append(f"- 🖨️ **重新打印 {len(printing)} 张海报**：" + _by_poster(printing))
    removing = [(inline_text(t), _short(r.station.name, county)) for r in reprints for _, t in r.withdrawn]
    if removing:
        out.append(f"- 🗑️ **撤下 {len(removing)} 张海报**：" + _by_poster(removing))
    if not reprints:
        out.append("- 🖨️ 没有海报需要重新打印")
    return out


def _verb(sub: str) -> str:
    """'  - 新增：…' → 新增; '  - 开放时间 周一至周五：…' → 开放时间; '  - **更正已公布的 2026-08**：…' → 更正 2026-08."""
    text = sub.strip()[2:].replace("**", "")
    head = re.split(r"[：:]", text, maxsplit=1)[0]
    if head.startswith("更正已公布的"):
        return "⚠️更正 " + head.removeprefix("更正已公布的").strip()
    if head.startswith("填报 "):
        return head
    return head.split(" ", 1)[0]


def section_summary(title: str, lines: list[str], county: str) -> str:
    """One line for a section of the details: per station the kinds of change, or a count."""
    entries: list[tuple[str, list[str]]] = []
    for line in lines:
        if line.startswith("- "):
            m = _TITLE.match(line)
            entries.append((_short(m[1], county) if m else "", [] if m else [line]))
        elif entries and line.startswith("  - "):
            entries[-1][1].append(line)
    per_station = [(name, subs) for name, subs in entries if name]
    others = sum(1 for name, _ in entries if not name)
    parts = []
    for name, subs in per_station:
        counts: dict[str, int] = {}
        for sub in subs:
            counts[_verb(sub)] = counts.get(_verb(sub), 0) + 1
        said = "、".join(v if n == 1 else f"{v} {n} 项" for v, n in counts.items()) or "有改动"
        if any("【本周】" in sub for sub in subs):
            said += "（含本周）"
        parts.append(f"{name} {said}")
    text = _named(parts) if parts else ""
    if others:
        text += ("；" if text else "") + f"{others} 项改动"
    return f"- {title}：{text}"


def corrections_summary(result_lines: list[str], county: str) -> list[str]:
    """Corrections of months already published, named apart: a reviewer must check those."""
    found, station = [], ""
    for line in result_lines:
        m = _TITLE.match(line)
        if m:
            station = _short(m[1], county)
        elif "更正已公布的" in line:
            month = re.search(r"更正已公布的 (\d{4}-\d{2})", line)
            found.append(f"{station} {month[1] if month else ''}".strip())
    return ["- ⚠️ **更正了已公布的月份**：" + _named(found)] if found else []
