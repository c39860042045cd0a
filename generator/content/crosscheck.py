"""Checks that span files: references that point nowhere, cycles, periods, sums.

Each file has already passed its own schema; these checks see the converted values and use the
node trees only to name the line.
"""

from __future__ import annotations

import datetime as dt
import difflib
from typing import Any

from generator.content.repeats import dates_of
from generator.content.sourcefile import Loaded, YMap, YNode, YSeq
from generator.problems import Problem


def node_line(node: YNode | None, *path: str | int) -> int | None:
    """Line of the node at ``path`` (keys and list indexes), or of the deepest node that exists."""
    line = node.line if node else None
    for step in path:
        if isinstance(node, YMap) and isinstance(step, str) and step in node.entries:
            line, node = node.entries[step]
        elif isinstance(node, YSeq) and isinstance(step, int) and step < len(node.items):
            node = node.items[step]
            line = node.line
        else:
            break
    return line


def _did_you_mean(value: str, choices: list[str]) -> str | None:
    close = difflib.get_close_matches(value, choices, n=1, cutoff=0.5)
    if close:
        return f"是不是想写 '{close[0]}'？"
    if not choices:
        return None
    # A county may have hundreds of stations: list a few, not a wall of slugs.
    shown = "、".join(choices[:MAX_LISTED])
    return f"可用的有：{shown}" + (f" 等 {len(choices)} 个" if len(choices) > MAX_LISTED else "")


MAX_LISTED = 12


def check_all(
    *,
    county: Loaded | None,
    indicators: Loaded | None,
    stations: dict[str, dict[str, Any]],
    news: list[Loaded],
    county_rules: list[Loaded],
    station_dirs_ok: bool,
    today: dt.date | None = None,
) -> list[Problem]:
    """Every cross-file problem. ``today`` (the build date) decides which months have ended."""
    problems: list[Problem] = []
    slugs = sorted(stations)
    problems += _check_county_sums(county)
    problems += _check_indicators(indicators, slugs)
    problems += _check_targets(indicators)
    problems += _check_due_day(county)
    problems += _check_network(stations)
    indicator_ids = [i["id"] for i in indicators.value] if indicators else None
    period = (county.value["period"]["start"], county.value["period"]["end"]) if county else None
    for _slug, entry in stations.items():
        problems += _check_results(entry["results"], indicator_ids, period)
        problems += _check_months(entry["results"], entry["station"], today, period)
        problems += _duplicate_activities(entry["activities"])
        problems += _check_activities(entry["activities"])
        problems += _check_staff(entry["station"])
        problems += _check_closed_days(entry["station"], entry["activities"])
    for item in news:
        problems += _check_news(item, slugs)
    if station_dirs_ok and not stations:
        problems.append(Problem("stations", None, None, "还没有任何站点", "用 stationsite new station 添加"))
    return problems


def _check_county_sums(county: Loaded | None) -> list[Problem]:
    if not county:
        return []
    v, out = county.value, []
    if "funding" in v and "budget_yuan" in v:
        total = sum(f["yuan"] for f in v["funding"])
        if total != v["budget_yuan"]:
            out.append(
                Problem(
                    county.rel,
                    node_line(county.node, "funding"),
                    "funding",
                    f"各资金来源合计 {total} 元，与预算 budget_yuan {v['budget_yuan']} 元不一致",
                )
            )
    if v.get("payments"):
        total = sum(p["percent"] for p in v["payments"])
        if total != 100:
            out.append(
                Problem(
                    county.rel,
                    node_line(county.node, "payments"),
                    "payments",
                    f"付款比例合计应为 100，实际为 {total}",
                )
            )
    return out


def _check_indicators(indicators: Loaded | None, slugs: list[str]) -> list[Problem]:
    if not indicators:
        return []
    out: list[Problem] = []
    seen: dict[Any, Any] = {}
    for i, ind in enumerate(indicators.value):
        if ind["id"] in seen:
            out.append(
                Problem(
                    indicators.rel,
                    node_line(indicators.node, i, "id"),
                    f"[{i}].id",
                    f"指标代号 '{ind['id']}' 重复（第 {seen[ind['id']]} 行已有）",
                )
            )
        seen.setdefault(ind["id"], node_line(indicators.node, i, "id"))
        for slug in ind["target"].get("stations", {}):
            if slug not in slugs:
                out.append(
                    Problem(
                        indicators.rel,
                        node_line(indicators.node, i, "target", "stations", slug),
                        f"[{i}].target.stations.{slug}",
                        f"没有代号为 '{slug}' 的站点",
                        _did_you_mean(slug, slugs),
                    )
                )
    return out


def _check_network(stations: dict[str, dict[str, Any]]) -> list[Problem]:
    out: list[Problem] = []
    by_lower: dict[str, str] = {}
    for slug in stations:
        if slug.lower() in by_lower:
            out.append(
                Problem(
                    f"stations/{slug}",
                    None,
                    None,
                    f"站点代号与 stations/{by_lower[slug.lower()]} 重复（网址不区分大小写）",
                    "两个站点不能用同一个代号，请改名其中一个目录",
                )
            )
        by_lower.setdefault(slug.lower(), slug)
    parents = {}
    for slug, entry in stations.items():
        loaded = entry["station"]
        if not loaded or "parent" not in loaded.value:
            continue
        parent = loaded.value["parent"]
        line = node_line(loaded.node, "parent")
        if parent not in stations:
            out.append(
                Problem(
                    loaded.rel,
                    line,
                    "parent",
                    f"上级站点 '{parent}' 不存在",
                    _did_you_mean(parent, sorted(stations)),
                )
            )
        elif parent == slug:
            out.append(Problem(loaded.rel, line, "parent", "站点不能以自己为上级"))
        else:
            parents[slug] = parent
    for start in parents:
        chain, cur = [start], parents.get(start)
        while cur is not None and cur not in chain:
            chain.append(cur)
            cur = parents.get(cur)
        # Report on the stations that form the loop, each at its own parent line, not on every
        # station hanging below it (their parent lines are fine).
        if cur == start:
            loop = chain
            loaded = stations[start]["station"]
            out.append(
                Problem(
                    loaded.rel,
                    node_line(loaded.node, "parent"),
                    "parent",
                    "上级关系形成了循环：" + " → ".join(loop + [cur]),
                    "社工总站不写 parent，乡镇站的 parent 写总站代号",
                )
            )
    return out


def _check_results(
    loaded: Loaded | None, indicator_ids: list[str] | None, period: tuple[Any, Any] | None
) -> list[Problem]:
    if not loaded:
        return []
    out: list[Problem] = []
    months: dict[Any, Any] = {}
    for i, row in enumerate(loaded.value):
        month = row["month"]
        line = node_line(loaded.node, i, "month")
        if month in months:
            out.append(
                Problem(
                    loaded.rel,
                    line,
                    f"[{i}].month",
                    f"月份 {month} 重复（第 {months[month]} 行已有）",
                    "每个月只写一条，数量合并填写",
                )
            )
        months.setdefault(month, line)
        if period:
            first, last = f"{period[0]:%Y-%m}", f"{period[1]:%Y-%m}"
            if not first <= month <= last:
                out.append(
                    Problem(
                        loaded.rel, line, f"[{i}].month", f"月份 {month} 不在合同期（{first} 至 {last}）内"
                    )
                )
        if indicator_ids is not None:
            for key in row["counts"]:
                if key not in indicator_ids:
                    out.append(
                        Problem(
                            loaded.rel,
                            node_line(loaded.node, i, "counts", key),
                            f"[{i}].counts.{key}",
                            f"content/indicators.yml 里没有指标 '{key}'",
                            _did_you_mean(key, indicator_ids),
                        )
                    )
    return out


def _check_activities(loaded: Loaded | None) -> list[Problem]:
    if not loaded:
        return []
    out: list[Problem] = []
    ids: dict[Any, Any] = {}
    for i, act in enumerate(loaded.value):
        if "id" in act:
            if act["id"] in ids:
                out.append(
                    Problem(
                        loaded.rel,
                        node_line(loaded.node, i, "id"),
                        f"[{i}].id",
                        f"活动编号 '{act['id']}' 重复（第 {ids[act['id']]} 行已有）",
                    )
                )
            ids.setdefault(act["id"], node_line(loaded.node, i, "id"))
    return out


def _check_closed_days(station: Loaded | None, activities: Loaded | None) -> list[Problem]:
    """An activity (or one date of a repeating one) on a day the station is closed."""
    if not station or not activities or not station.value.get("closures"):
        return []
    closures = station.value["closures"]
    out = []
    for i, act in enumerate(activities.value):
        rep = act.get("repeat")
        days = [act["date"]]
        if rep:
            days = [
                d for d in dates_of(rep["every"], act["date"], rep["until"]) if d not in rep.get("except", [])
            ]
        for day in days:
            for c in closures:
                if c["from"] <= day <= c["to"]:
                    out.append(
                        Problem(
                            activities.rel,
                            node_line(activities.node, i, "date"),
                            f"[{i}].date",
                            f"{day} 站点闭站（{c['reason']}"
                            + (f"，{c['from']} 至 {c['to']}" if c["from"] != c["to"] else "")
                            + "），这天不能安排活动",
                            "把这次活动写进 repeat 的 except 里" if rep else "请改期或删除这项活动",
                        )
                    )
    return out


def _check_staff(loaded: Loaded | None) -> list[Problem]:
    if not loaded:
        return []
    out = []
    for i, person in enumerate(loaded.value.get("staff", [])):
        if person.get("public_phone") and not person.get("phone"):
            out.append(
                Problem(
                    loaded.rel,
                    node_line(loaded.node, "staff", i, "public_phone"),
                    f"staff[{i}].public_phone",
                    "写了 public_phone: true 但没有填写 phone",
                )
            )
    return out


def _check_news(item: Loaded, slugs: list[str]) -> list[Problem]:
    out = []
    station = item.value.get("station")
    if station and station not in slugs:
        out.append(
            Problem(
                item.rel,
                node_line(item.node, "station"),
                "station",
                f"没有代号为 '{station}' 的站点",
                _did_you_mean(station, slugs),
            )
        )
    if item.value["kind"] == "case" and item.value.get("anonymised") is not True:
        out.append(
            Problem(
                item.rel,
                node_line(item.node, "anonymised") or node_line(item.node, "kind"),
                "anonymised",
                "服务案例（kind: case）必须写 anonymised: true 才能发布",
                "先删去姓名、村名、确切年龄、照片等能认出本人的信息，再加上 anonymised: true",
            )
        )
    return out


# --------------------------------------------------------------------------------------------------
# results and activities across time (issue 14)

MAX_DUE_DAY = 28  # every month has a 28th


def _check_due_day(county: Loaded | None) -> list[Problem]:
    day = county.value.get("report_due_day") if county else None
    if county is None or day is None or day <= MAX_DUE_DAY:
        return []
    return [
        Problem(
            county.rel,
            node_line(county.node, "report_due_day"),
            "report_due_day",
            f"填报截止日应为 1 至 {MAX_DUE_DAY}，实际为 {day}",
            "截止日是次月的第几天；写 29 以上时二月没有这一天",
        )
    ]


def _check_targets(indicators: Loaded | None) -> list[Problem]:
    out: list[Problem] = []
    for i, ind in enumerate(indicators.value if indicators else []):
        target = ind["target"]
        if "kinds" in target and "stations" in target:
            out.append(
                Problem(
                    indicators.rel,  # type: ignore[union-attr]
                    node_line(indicators.node, i, "target", "kinds"),  # type: ignore[union-attr]
                    f"[{i}].target.kinds",
                    "kinds 只能与 per_station 或 county 同用；stations 目标只计入列出的站点",
                    "删去 kinds，或把 stations 改成 per_station",
                )
            )
    return out


def _month_end(month: str) -> dt.date:
    year, mon = int(month[:4]), int(month[5:7])
    first_of_next = dt.date(year + mon // 12, mon % 12 + 1, 1)
    return first_of_next - dt.timedelta(days=1)


def _check_months(
    loaded: Loaded | None, station: Loaded | None, today: dt.date | None, period: tuple[Any, Any] | None
) -> list[Problem]:
    """A month is accepted once it has ended (Asia/Shanghai), and not before the station opened."""
    out: list[Problem] = []
    since = station.value.get("since") if station else None
    if station and since and period and not f"{period[0]:%Y-%m}" <= since <= f"{period[1]:%Y-%m}":
        out.append(
            Problem(
                station.rel,
                node_line(station.node, "since"),
                "since",
                f"开始运行月份 {since} 不在合同期（{period[0]:%Y-%m} 至 {period[1]:%Y-%m}）内",
            )
        )
    for i, row in enumerate(loaded.value if loaded else []):
        month, line = row["month"], node_line(loaded.node, i, "month")  # type: ignore[union-attr]
        if today is not None and _month_end(month) >= today:
            out.append(
                Problem(
                    loaded.rel,  # type: ignore[union-attr]
                    line,
                    f"[{i}].month",
                    f"{month[:4]} 年 {int(month[5:7])} 月还没有结束（今天是 {today:%Y-%m-%d}），不能填报",
                    f"月底之后再填报：最早 {_month_end(month) + dt.timedelta(days=1):%Y-%m-%d}",
                )
            )
        if since and month < since:
            out.append(
                Problem(
                    loaded.rel,  # type: ignore[union-attr]
                    line,
                    f"[{i}].month",
                    f"月份 {month} 早于本站开始运行的月份 {since}（station.yml 的 since）",
                    "改正月份，或改正 station.yml 的 since",
                )
            )
    return out


def _duplicate_activities(loaded: Loaded | None) -> list[Problem]:
    """Two identical activities (date, start, title) would be two calendar events with one UID."""
    out: list[Problem] = []
    seen: dict[tuple[Any, str, str], int | None] = {}
    for i, act in enumerate(loaded.value if loaded else []):
        key = (act["date"], act["start"], act["title"])
        line = node_line(loaded.node, i)  # type: ignore[union-attr]
        if key in seen:
            out.append(
                Problem(
                    loaded.rel,  # type: ignore[union-attr]
                    line,
                    f"[{i}]",
                    f"与第 {seen[key]} 行的活动重复（同一天 {act['date']}、同一开始时间 {act['start']}、"
                    f"同一名称 '{act['title']}'）",
                    "删去重复的一条；确实是两场活动时请改开始时间或名称",
                )
            )
        else:
            seen[key] = line
    return out
