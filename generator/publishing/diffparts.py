"""The parts of ``stationsite diff``: what changed in each kind of content, as Markdown bullet lines.

Each function takes the two validated models and returns Chinese Markdown lines (empty when nothing
the public sees changed). Only what is published is compared: a staff mobile that is not public is
never shown, and results are compared as their public ``Cell.display`` ("<5"), never raw counts.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable, Iterable
from typing import Any

from generator.content.model import Content, Policy, Rule, Staff, Station
from generator.content.repeats import closure_text
from generator.content.schemas import DOMAINS, STATION_KINDS, WEEKDAYS
from generator.content.textformat import days_label
from generator.results.reporting import LABELS

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
        lines += hours_changes(before[s.slug], s)
        lines += closure_changes(before[s.slug], s)
        lines += _staff_changes(before[s.slug].staff, s.staff)
        if lines:
            out.append(f"- {_station_title(s)}")
            out += ["  " + ln for ln in lines]
    return out


def _slots(s: Station) -> dict[str, set[tuple[str, str]]]:
    out: dict[str, set[tuple[str, str]]] = {d: set() for d in WEEKDAYS}
    for h in s.hours:
        for d in h.days:
            out[d].add((h.open, h.close))
    return out


def hours_changes(old: Station, new: Station) -> list[str]:
    """Only the opening-hour slots that change, days with the same change together:
    "开放时间 周一至周五：14:30–17:30 改为 15:00–18:00", not the whole old and new week."""
    before, after = _slots(old), _slots(new)
    by_change: dict[tuple[tuple[tuple[str, str], ...], tuple[tuple[str, str], ...]], list[str]] = {}
    for d in WEEKDAYS:
        gone, came = sorted(before[d] - after[d]), sorted(after[d] - before[d])
        if gone or came:
            by_change.setdefault((tuple(gone), tuple(came)), []).append(d)
    out = []
    for (removed, added), days in by_change.items():
        spans = lambda xs: "、".join(f"{a}–{b}" for a, b in xs)  # noqa: E731
        if removed and added:
            what = f"{spans(removed)} 改为 {spans(added)}"
        elif added:
            what = f"新增 {spans(added)}" if any(before[d] for d in days) else f"新增开放 {spans(added)}"
        else:
            what = f"不再开放 {spans(removed)}"
        out.append(f"- 开放时间 {days_label(tuple(days))}：{what}")
    return out


def closure_changes(old: Station, new: Station) -> list[str]:
    gone = [c for c in old.closures if c not in new.closures]
    came = [c for c in new.closures if c not in old.closures]
    return [f"- 新增闭站：{_inline(closure_text(c))}" for c in came] + [
        f"- 取消闭站：{_inline(closure_text(c))}" for c in gone
    ]


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
# results (always as the public sees them: Cell.display)


def _progress_table(report: Any, slug: str | None) -> dict[str, Any]:
    progress = report.county if slug is None else report.station(slug)
    return {getattr(p.indicator, "id", p.indicator): p for p in progress}


def _month_cells(progress: Any) -> dict[str, str]:
    return {month: cell.display for month, cell in progress.months}


# What a month's cell shows when no figure was published for it (generator/results/reporting.py).
UNREPORTED = {"—", *LABELS.values()}


def results_changes(old: Content, new: Content, old_report: Any, new_report: Any) -> list[str]:
    """Per station: each newly reported month on one line (only its non-zero figures: a month's
    unreported indicators count 0, and "— → 0" a dozen times says nothing), then corrections of
    months already published, marked as such; targets and progress. The county total follows the
    stations' figures, so only its progress and targets are listed."""
    before_station = {s.slug: s for s in old.stations}
    out: list[str] = []
    groups: list[tuple[str, str | None]] = [("**全县合计**", None)]
    groups += [(_station_title(s), s.slug) for s in new.stations if s.slug in before_station]
    new_station = {s.slug: s for s in new.stations}
    for title, slug in groups:
        before, after = _progress_table(old_report, slug), _progress_table(new_report, slug)
        old_months = {r.month for r in before_station[slug].results} if slug else set()
        new_months = {r.month for r in new_station[slug].results} if slug else set()
        reported: dict[str, list[str]] = {}
        corrected: dict[str, list[str]] = {}
        meta: list[str] = []
        for ind in new.indicators:
            if ind.id not in after:
                continue
            a, b = after[ind.id], before.get(ind.id)
            old_cells = _month_cells(b) if b is not None else {}
            new_cells = _month_cells(a)
            if slug is not None:
                for m in sorted(old_cells.keys() | new_cells.keys()):
                    x, y = old_cells.get(m, "—"), new_cells.get(m, "—")
                    if x == y:
                        continue
                    if m in old_months and m not in new_months:
                        continue  # withdrawn: one line below
                    if {x, y} <= UNREPORTED:
                        # Reported by neither version: a month entering the report's range, or
                        # 未填报 turning 逾期未报 with the date. Not a change of content.
                        continue
                    if m in new_months and m not in old_months:
                        if y not in ("0", "—"):
                            reported.setdefault(m, []).append(f"{_inline(ind.name)} {y} {ind.unit}")
                        else:
                            reported.setdefault(m, [])
                    else:
                        corrected.setdefault(m, []).append(f"{_inline(ind.name)} {x} → {y}")
            if b is not None and b.status != a.status and a.status:
                meta.append(f"进度 {_inline(ind.name)}（{ind.unit}）：{b.status or '—'} → {a.status}")
            if b is not None and b.target != a.target:
                meta.append(
                    f"目标 {_inline(ind.name)}（{ind.unit}）：{b.target if b.target is not None else '—'} → "
                    f"{a.target if a.target is not None else '—'}"
                )
        lines = [
            f"- 填报 {m}：" + ("、".join(items) + "（其余指标为 0）" if items else "各项指标均为 0")
            for m, items in sorted(reported.items())
        ]
        lines += [f"- **更正已公布的 {m}**：" + "；".join(items) for m, items in sorted(corrected.items())]
        lines += [f"- 撤回 {m} 的填报" for m in sorted(old_months - new_months)]
        lines += [f"- {x}" for x in meta]
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
