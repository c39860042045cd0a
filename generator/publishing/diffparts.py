"""The parts of ``stationsite diff``: what changed in each kind of content, as Markdown bullet lines.

Each function takes the two validated models and returns Chinese Markdown lines (empty when nothing
the public sees changed). Only what is published is compared: a staff mobile that is not public is
never shown, and results are compared as their public ``Cell.display`` ("<5"), never raw counts.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from collections.abc import Callable, Iterable
from typing import Any

from generator.clock import week_of
from generator.content.model import Activity, Content, Policy, Rule, Staff, Station
from generator.content.schemas import DOMAINS, STATION_KINDS, WEEKDAYS

WEEKDAY_NAMES = list(WEEKDAYS.values())
MAX_TEXT_DIFF_LINES = 30


def fence_for(text: str) -> str:
    """A code fence longer than any backtick run in ``text``, so content cannot close it early."""
    longest = max((len(m) for m in re.findall(r"`+", text)), default=0)
    return "`" * max(3, longest + 1)


def _inline(text: str | None) -> str:
    """A value shown inside a Markdown line: one line, no Markdown markup or HTML taking effect."""
    if text is None or text == "":
        return "（无）"
    text = re.sub(r"\s+", " ", str(text)).strip()
    return re.sub(r"([\\`*_\[\]<>|#])", r"\\\1", text)


inline_text = _inline  # for contentdiff's reprint list


def _arrow(label: str, before: Any, after: Any) -> str:
    return f"- {label}：{_inline(before)} → {_inline(after)}"


def _station_title(s: Station) -> str:
    return f"**{_inline(s.name)}**（`{s.slug}`）"


# --------------------------------------------------------------------------------------------------
# stations


def _hours(s: Station) -> str:
    return "；".join(f"{h.days_label} {h.open}–{h.close}" for h in s.hours)


def _staff_text(p: Staff) -> str:
    parts = [p.role, "持证社工" if p.certified else "未持证"]
    if p.duties:
        parts.append("分工：" + "、".join(p.duties))
    if p.published_phone:
        parts.append("电话 " + p.published_phone)
    return f"{p.name}（{'，'.join(parts)}）"


STATION_FIELDS: list[tuple[str, Callable[[Station], Any]]] = [
    ("标牌名称", lambda s: s.name),
    ("站点类型", lambda s: STATION_KINDS[s.kind]),
    ("上级站点", lambda s: s.parent),
    ("加挂牌子", lambda s: "、".join(s.extra_plaques)),
    ("地址", lambda s: s.address),
    ("电话", lambda s: s.phone),
    ("开放时间", _hours),
    ("功能室", lambda s: "、".join(s.rooms)),
    ("服务领域", lambda s: "、".join(DOMAINS[d] for d in s.domains)),
    ("一站一品", lambda s: "：".join(s.signature_project) if s.signature_project else None),
    ("志愿者队伍", lambda s: f"{s.volunteers[0]}（{s.volunteers[1]} 人）" if s.volunteers else None),
]


def station_changes(old: Content, new: Content) -> list[str]:
    out: list[str] = []
    before = {s.slug: s for s in old.stations}
    after = {s.slug: s for s in new.stations}
    for s in new.stations:
        if s.slug in before:
            continue
        out.append(
            f"- 新增站点 {_station_title(s)}：{STATION_KINDS[s.kind]}，电话 {_inline(s.phone)}，"
            f"{len(s.staff)} 名工作人员"
        )
    for slug in sorted(before.keys() - after.keys()):
        out.append(f"- 撤销站点 {_station_title(before[slug])}：它的页面、海报和日历将不再发布")
    for s in new.stations:
        if s.slug not in before:
            continue
        lines = [
            _arrow(label, get(before[s.slug]), get(s))
            for label, get in STATION_FIELDS
            if get(before[s.slug]) != get(s)
        ]
        lines += _staff_changes(before[s.slug].staff, s.staff)
        if lines:
            out.append(f"- {_station_title(s)}")
            out += ["  " + ln for ln in lines]
    return out


def _staff_changes(old: Iterable[Staff], new: Iterable[Staff]) -> list[str]:
    before = {p.name: p for p in old}
    after = {p.name: p for p in new}
    out = [f"- 新增工作人员：{_inline(_staff_text(p))}" for n, p in after.items() if n not in before]
    out += [f"- 不再列出工作人员：{_inline(p.name)}" for n, p in before.items() if n not in after]
    for name, p in after.items():
        if name in before and _staff_text(before[name]) != _staff_text(p):
            out.append(_arrow(f"工作人员 {name}", _staff_text(before[name]), _staff_text(p)))
    return out


# --------------------------------------------------------------------------------------------------
# activities


def _same_event(a: Activity, b: Activity) -> bool:
    return (a.date, a.start, a.end, a.title, a.kind, a.domain, a.place, a.audience) == (
        b.date,
        b.start,
        b.end,
        b.title,
        b.kind,
        b.domain,
        b.place,
        b.audience,
    )


def match_activities(old: list[Activity], new: list[Activity]) -> dict[str, list[Any]]:
    """Pair the activities of two versions of one station.

    Identity is the explicit ``id`` where both have one; otherwise an unchanged activity pairs with
    its equal, then one of the same title on the same day (a changed time or place), then one of the
    same title on the nearest other day (moved). What is left was added or cancelled.
    """
    left_old, left_new = list(old), list(new)
    pairs: list[tuple[Activity, Activity]] = []

    def take(match: Callable[[Activity, Activity], bool], nearest: bool = False) -> None:
        for a in list(left_old):
            candidates = [b for b in left_new if match(a, b)]
            if not candidates:
                continue
            b = candidates[0]
            if nearest:
                b = min(candidates, key=lambda b: (abs((b.date - a.date).days), b.start))
            left_old.remove(a)
            left_new.remove(b)
            pairs.append((a, b))

    take(lambda a, b: a.id is not None and a.id == b.id)
    take(lambda a, b: a.id is None and b.id is None and _same_event(a, b))
    take(lambda a, b: a.id is None and b.id is None and a.title == b.title and a.date == b.date)
    take(lambda a, b: a.id is None and b.id is None and a.title == b.title, nearest=True)
    result: dict[str, list[Any]] = {"added": left_new, "cancelled": left_old, "moved": [], "changed": []}
    for a, b in pairs:
        if (a.date, a.start, a.end) != (b.date, b.start, b.end):
            result["moved"].append((a, b))
        elif not _same_event(a, b):
            result["changed"].append((a, b))
    return result


def _when(a: Activity) -> str:
    return f"{a.date:%Y-%m-%d}（{WEEKDAY_NAMES[a.date.weekday()]}）{a.start}–{a.end}"


def _activity_text(a: Activity) -> str:
    return f"{_when(a)} {_inline(a.title)}，{_inline(a.place)}"


def activity_changes(old: Content, new: Content, today: dt.date) -> list[str]:
    monday, sunday = week_of(today)

    def flag(*acts: Activity) -> str:
        if any(monday <= a.date <= sunday for a in acts):
            return " **【本周】**"
        return "（已过去）" if all(a.date < today for a in acts) else ""

    before = {s.slug: s for s in old.stations}
    out: list[str] = []
    for s in new.stations:
        old_acts = list(before[s.slug].activities) if s.slug in before else []
        m = match_activities(old_acts, list(s.activities))
        lines = [f"- 新增：{_activity_text(a)}{flag(a)}" for a in m["added"]]
        lines += [
            f"- 改期：{_inline(a.title)}：{_when(a)} → {_when(b)}"
            + (f"，地点 {_inline(b.place)}" if a.place != b.place else "")
            + flag(a, b)
            for a, b in m["moved"]
        ]
        for a, b in m["changed"]:
            diffs = [
                f"{label} {_inline(x)} → {_inline(y)}"
                for label, x, y in (
                    ("名称", a.title, b.title),
                    ("地点", a.place, b.place),
                    ("服务对象", a.audience, b.audience),
                    ("类型", a.kind_label, b.kind_label),
                    ("领域", DOMAINS[a.domain], DOMAINS[b.domain]),
                )
                if x != y
            ]
            lines.append(f"- 修改：{_when(b)} {_inline(b.title)}：{'；'.join(diffs)}{flag(a, b)}")
        lines += [f"- 取消：{_activity_text(a)}{flag(a)}" for a in m["cancelled"]]
        if lines and s.slug in before:
            out.append(f"- {_station_title(s)}")
            out += ["  " + ln for ln in lines]
        elif lines:
            out.append(f"- {_station_title(s)}（新站点）：{len(s.activities)} 项活动")
    return out


# --------------------------------------------------------------------------------------------------
# results (always as the public sees them: Cell.display)


def _progress_table(report: Any, slug: str | None) -> dict[str, Any]:
    progress = report.county if slug is None else report.station(slug)
    return {getattr(p.indicator, "id", p.indicator): p for p in progress}


def _month_cells(progress: Any) -> dict[str, str]:
    return {month: cell.display for month, cell in progress.months}


def results_changes(old: Content, new: Content, old_report: Any, new_report: Any) -> list[str]:
    before_slugs = {s.slug for s in old.stations}
    out: list[str] = []
    groups: list[tuple[str, str | None]] = [("**全县合计**", None)]
    groups += [(_station_title(s), s.slug) for s in new.stations if s.slug in before_slugs]
    for title, slug in groups:
        before, after = _progress_table(old_report, slug), _progress_table(new_report, slug)
        lines = []
        for ind in new.indicators:
            if ind.id not in after:
                continue
            a = after[ind.id]
            b = before.get(ind.id)
            old_cells = _month_cells(b) if b is not None else {}
            new_cells = _month_cells(a)
            changed = [
                f"{m}：{old_cells.get(m, '—')} → {new_cells.get(m, '—')}"
                for m in sorted(old_cells.keys() | new_cells.keys())
                if old_cells.get(m, "—") != new_cells.get(m, "—")
            ]
            if b is not None and b.status != a.status and a.status:
                changed.append(f"进度 {b.status or '—'} → {a.status}")
            if b is not None and b.target != a.target:
                changed.append(
                    f"目标 {b.target if b.target is not None else '—'} → "
                    f"{a.target if a.target is not None else '—'}"
                )
            if changed:
                lines.append(f"- {_inline(ind.name)}（{ind.unit}）：" + "；".join(changed))
        if lines:
            out.append(f"- {title}")
            out += ["  " + ln for ln in lines]
    return out


# --------------------------------------------------------------------------------------------------
# rules, policies, news, programme


def text_diff(before: str, after: str) -> list[str]:
    """A short line diff inside a collapsed block, for reviewers who want the exact wording."""
    lines = [
        ln
        for ln in difflib.unified_diff(before.splitlines(), after.splitlines(), lineterm="", n=0)
        if not ln.startswith(("---", "+++", "@@"))
    ]
    if not lines:
        return []
    more = len(lines) - MAX_TEXT_DIFF_LINES
    lines = lines[:MAX_TEXT_DIFF_LINES] + ([f"…… 另有 {more} 行改动"] if more > 0 else [])
    fence = fence_for("\n".join(lines))
    return [
        "  <details><summary>改动的文字</summary>",
        "",
        f"  {fence}diff",
        *("  " + ln for ln in lines),
        f"  {fence}",
        "",
        "  </details>",
    ]


def _rule_lines(before: dict[str, Rule], after: dict[str, Rule], where: str) -> list[str]:
    out = [f"- 新增{where}制度：{_inline(r.title)}" for n, r in sorted(after.items()) if n not in before]
    out += [f"- 删除{where}制度：{_inline(r.title)}" for n, r in sorted(before.items()) if n not in after]
    for name, r in sorted(after.items()):
        if name not in before:
            continue
        b = before[name]
        if b.title != r.title:
            out.append(_arrow(f"{where}制度名称", b.title, r.title))
        if b.order != r.order:
            out.append(f"- {where}制度“{_inline(r.title)}”的排列顺序改变")
        if b.body != r.body:
            out.append(f"- 修改{where}制度正文：{_inline(r.title)}")
            out += text_diff(b.body, r.body)
    return out


def rule_changes(old: Content, new: Content) -> list[str]:
    out = _rule_lines({r.name: r for r in old.rules}, {r.name: r for r in new.rules}, "全县")
    before = {s.slug: s for s in old.stations}
    for s in new.stations:
        old_own = {r.name: r for r in before[s.slug].own_rules} if s.slug in before else {}
        lines = _rule_lines(old_own, {r.name: r for r in s.own_rules}, "本站")
        if lines:
            out.append(f"- {_station_title(s)}")
            out += ["  " + ln for ln in lines]
    return out


POLICY_PARTS: list[tuple[str, Callable[[Policy], Any]]] = [
    ("名称", lambda p: p.title),
    ("服务领域", lambda p: DOMAINS[p.domain]),
    ("适用对象", lambda p: p.who),
    ("内容及标准", lambda p: p.what),
    ("申请流程", lambda p: p.how),
    ("所需材料", lambda p: p.documents),
    ("咨询电话", lambda p: p.contact),
    ("补充说明", lambda p: p.body),
]


def policy_changes(old: Content, new: Content) -> list[str]:
    before = {p.name: p for p in old.policies}
    after = {p.name: p for p in new.policies}
    out = [f"- 新增办事指南：{_inline(p.title)}" for n, p in sorted(after.items()) if n not in before]
    out += [f"- 删除办事指南：{_inline(p.title)}" for n, p in sorted(before.items()) if n not in after]
    for name, p in sorted(after.items()):
        if name in before:
            parts = [label for label, get in POLICY_PARTS if get(before[name]) != get(p)]
            if parts:
                out.append(f"- 修改办事指南“{_inline(p.title)}”：" + "、".join(parts))
                if "咨询电话" in parts:
                    out.append("  " + _arrow("咨询电话", before[name].contact, p.contact))
    return out


def news_changes(old: Content, new: Content) -> list[str]:
    before = {n.name: n for n in old.news}
    after = {n.name: n for n in new.news}
    out = [
        f"- 发布：{n.date:%Y-%m-%d} {_inline(n.title)}" for k, n in sorted(after.items()) if k not in before
    ]
    out += [f"- 撤下：{_inline(n.title)}" for k, n in sorted(before.items()) if k not in after]
    out += [f"- 修改：{_inline(n.title)}" for k, n in sorted(after.items()) if k in before and before[k] != n]
    return out


def programme_changes(old: Content, new: Content) -> list[str]:
    a, b = old.programme, new.programme
    fields = [
        ("县（区）", a.county, b.county),
        ("购买主体", a.authority, b.authority),
        ("承接机构", a.contractor, b.contractor),
        ("项目名称", a.programme, b.programme),
        ("合同期", f"{a.period_start} 至 {a.period_end}", f"{b.period_start} 至 {b.period_end}"),
        ("预算（元）", a.budget_yuan, b.budget_yuan),
        ("投诉建议方式（每个站点页面和公示栏都显示）", _complaints(a.complaints), _complaints(b.complaints)),
        ("小数字隐藏门槛", a.disclosure_threshold, b.disclosure_threshold),
    ]
    out = [_arrow(label, x, y) for label, x, y in fields if x != y]
    if (a.funding, a.payments) != (b.funding, b.payments):
        out.append("- 资金来源或付款节点改变")
    before = {i.id: i for i in old.indicators}
    after = {i.id: i for i in new.indicators}
    out += [f"- 新增指标：{_inline(i.name)}" for k, i in after.items() if k not in before]
    out += [f"- 删除指标：{_inline(i.name)}" for k, i in before.items() if k not in after]
    for k, i in after.items():
        if k in before and before[k] != i:
            o = before[k]
            compared = (
                ("名称", o.name, i.name),
                ("单位", o.unit, i.unit),
                ("领域", o.domain, i.domain),
                ("计数方式", o.counts, i.counts),
                ("合同目标", o.target, i.target),
                ("说明", o.description, i.description),
            )
            parts = [label for label, x, y in compared if x != y]
            out.append(f"- 修改指标“{_inline(i.name)}”：" + "、".join(parts))
    return out


def _complaints(items: Iterable[Any]) -> str:
    return "；".join(c.label + "".join(f" {v}" for v in (c.phone, c.address, c.email) if v) for c in items)
