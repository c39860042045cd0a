"""``stationsite new station`` and ``stationsite new activity``: commented files that pass the check.

County staff are not programmers: the files written here explain every field in Chinese comments,
and they pass ``stationsite check`` as written. ``new activity`` appends text to activities.yml
(never re-dumps the YAML), so the editor's comments and layout stay exactly as they were; the
result is checked again and the file restored if it would not pass.
"""

from __future__ import annotations

import argparse
import datetime as dt
import difflib
import json
import re
import shutil
import sys
from pathlib import Path

import yaml

from generator.clock import build_date, week_of
from generator.content.load import load_content
from generator.content.schema_types import Checker
from generator.content.schemas import (
    ACTIVITIES,
    ACTIVITY_KINDS,
    DOMAINS,
    PHONE,
    ROLES,
    SLUG,
    STATION_KINDS,
    WEEKDAYS,
)
from generator.content.sourcefile import YMap, YScalar, parse_yaml, read_text
from generator.problems import Problem

_RESOLVER = yaml.resolver.Resolver()
DEFAULT_DOMAINS = ("social_assistance", "elderly", "children", "social_affairs", "community")
FLAG_OF = {
    "date": "--date",
    "start": "--start",
    "end": "--end",
    "title": "--title",
    "kind": "--kind",
    "domain": "--domain",
    "place": "--place",
    "audience": "--audience",
}


class ScaffoldError(Exception):
    """A user error in the command's arguments; the message is Chinese and printed as is."""


def cmd_new(args: argparse.Namespace) -> int:
    root = Path(args.root).resolve()
    try:
        if args.what == "station":
            return new_station(
                root,
                args.slug,
                name=args.name,
                kind=args.kind,
                parent=args.parent,
                address=getattr(args, "address", None),
                phone=getattr(args, "phone", None),
                staff=getattr(args, "staff", None),
            )
        return new_activity(
            root,
            args.slug,
            date=args.date,
            start=args.start,
            end=args.end,
            title=args.title,
            kind=args.kind,
            domain=args.domain,
            place=args.place,
            audience=args.audience,
        )
    except ScaffoldError as exc:
        print(f"错误：{exc}", file=sys.stderr)
        return 1


def yaml_scalar(text: str) -> str:
    """``text`` as a YAML scalar that reads back as exactly this string: plain if safe, else quoted."""
    text = text.strip()
    plain_ok = (
        text
        and "\n" not in text
        and not re.search(r":(\s|$)|\s#|^[-?:,\[\]{}#&*!|>'\"%@`]", text)
        and text == text.strip()
    )
    # Plain only when YAML's resolver reads it as a string (not a number, date, bool or null).
    if plain_ok and _RESOLVER.resolve(yaml.ScalarNode, text, (True, False)) == "tag:yaml.org,2002:str":
        return text
    return json.dumps(text, ensure_ascii=False)  # a JSON string is a valid YAML double-quoted scalar


# ---------------------------------------------------------------------------------------------------
# new station


def check_slug(slug: str) -> None:
    if SLUG.regex.fullmatch(slug) and len(slug) <= 40:
        return
    hint = "站点代号用乡镇名称的拼音小写（字母、数字、连字符），它就是网址路径，如 shicheng"
    if re.search(r"[\u4e00-\u9fff]", slug):
        from pypinyin import lazy_pinyin

        guess = re.sub(r"[^a-z0-9-]", "", "".join(lazy_pinyin(slug)).lower())
        if guess:
            hint += f"；“{slug}”可以写成 {guess}"
    elif slug.lower() != slug and SLUG.regex.fullmatch(slug.lower()):
        hint += f"；请写成小写 {slug.lower()}"
    raise ScaffoldError(f"站点代号 '{slug}' 不合规：{hint}")


def _station_values(root: Path) -> dict[str, dict[str, str]]:
    """Top-level scalar values of every existing station.yml (kind, phone, name), read leniently."""
    out: dict[str, dict[str, str]] = {}
    sdir = root / "stations"
    for path in sorted(sdir.glob("*/station.yml")) if sdir.is_dir() else []:
        text, _ = read_text(path, path.name)
        node, _ = parse_yaml(text or "", path.name)
        if isinstance(node, YMap):
            out[path.parent.name] = {
                k: v.text for k, (_, v) in node.entries.items() if isinstance(v, YScalar)
            }
    return out


def new_station(
    root: Path,
    slug: str,
    *,
    name: str,
    kind: str = "township",
    parent: str | None = None,
    address: str | None = None,
    phone: str | None = None,
    staff: list[str] | None = None,
) -> int:
    check_slug(slug)
    if kind not in STATION_KINDS:
        kinds = "、".join(f"{k}（{v}）" for k, v in STATION_KINDS.items())
        raise ScaffoldError(f"站点类型 '{kind}' 不存在，可用：{kinds}")
    if not name.strip():
        raise ScaffoldError("--name 不能为空：请写门口标牌上的站点名称")
    if not (root / "stations").is_dir() and not (root / "content").is_dir():
        raise ScaffoldError(
            f"{root} 不是内容仓库（没有 stations/ 和 content/ 目录）：请在仓库根目录运行，或用 --root 指定"
        )
    target = root / "stations" / slug
    if target.exists():
        raise ScaffoldError(f"stations/{slug} 已经存在，不会覆盖：如要修改请直接编辑其中的文件")
    existing = _station_values(root)
    hubs = sorted(s for s, v in existing.items() if v.get("kind") == "hub")
    if parent is not None:
        if parent not in existing:
            close = difflib.get_close_matches(parent, sorted(existing), n=1)
            guess = f"，是不是想写 '{close[0]}'？" if close else ""
            raise ScaffoldError(f"上级站点 '{parent}' 不存在{guess}")
    elif kind != "hub" and hubs:
        parent = hubs[0]
    address, phone, people = _facts(address, phone, staff)
    files = {
        "station.yml": station_yml(
            slug,
            name=name,
            kind=kind,
            parent=parent,
            address=address,
            phone=phone,
            staff=people,
        ),
        "activities.yml": activities_header(slug),
        "results.yml": results_header(slug, _indicator_lines(root)),
    }
    target.mkdir(parents=True)
    for fname, text in files.items():
        (target / fname).write_text(text, encoding="utf-8")
    content, problems = load_content(root)
    own = [p for p in problems if p.file.startswith(f"stations/{slug}/") or p.file == f"stations/{slug}"]
    if own:  # a bug or an argument the schema refuses: leave nothing half-made behind
        shutil.rmtree(target)
        raise ScaffoldError("新站点文件未通过检查，已撤销：\n" + "\n".join(str(p) for p in own))
    print(f"已新建站点 {slug}：")
    for fname in files:
        print(f"  stations/{slug}/{fname}")
    print(
        "请打开 station.yml 核对开放时间和服务领域（已按常见安排写好），补充功能室等可选项，再运行 stationsite check。"
    )
    _report_others(problems)
    return 0


def _facts(
    address: str | None, phone: str | None, staff: list[str] | None
) -> tuple[str, str, list[tuple[str, str, bool]]]:
    """The facts a station page cannot do without: asked for at a terminal, else taken as options.

    Nothing is filled in with a placeholder (a 待填写 address would pass for a real one and be
    printed on the board); what is missing is asked for, or refused with the option to give it.
    """
    ask = sys.stdin.isatty()
    if not address and ask:
        address = input("站点地址（居民按这个地址找到站点）：").strip()
    if not phone and ask:
        phone = input("站点电话（座机写成 0593-1234567）：").strip()
    if not staff and ask:
        line = input("站长姓名：").strip()
        staff = [f"{line},站长"] if line else []
    missing = [
        flag
        for flag, value in (
            ("--address 地址", address),
            ("--phone 电话", phone),
            ("--staff 姓名,岗位", staff),
        )
        if not value
    ]
    if missing:
        raise ScaffoldError(
            "新站点还缺这些信息：" + "、".join(missing) + "。例如：stationsite new station xinzhen "
            "--name 周宁县新镇民政服务站 --address 周宁县新镇人民政府一楼 --phone 0593-1234567 "
            "--staff 林晓,站长,持证 --staff 陈静,驻站社工"
        )
    assert address and phone and staff
    if not PHONE.regex.fullmatch(phone.strip()):
        raise ScaffoldError(f"电话 '{phone}' 不合规：{PHONE.hint}")
    people = []
    for entry in staff:
        parts = [p.strip() for p in re.split(r"[,，、]", entry) if p.strip()]
        if len(parts) < 2 or parts[1] not in ROLES:
            raise ScaffoldError(
                f"--staff '{entry}' 应写成 姓名,岗位[,持证]，岗位为 "
                + "、".join(ROLES)
                + "，例如 林晓,站长,持证"
            )
        people.append((parts[0], parts[1], len(parts) > 2 and parts[2] in ("持证", "true", "是")))
    return address.strip(), phone.strip(), people


def _report_others(problems: list[Problem]) -> None:
    if problems:
        print(
            f"注意：仓库里其他文件还有 {len(problems)} 个问题（与本次改动无关），"
            "运行 stationsite check 查看。",
            file=sys.stderr,
        )


def _choices(table: dict[str, str]) -> str:
    return " | ".join(f"{k} {v}" if k != v else k for k, v in table.items())


def station_yml(
    slug: str,
    *,
    name: str,
    kind: str,
    parent: str | None,
    address: str,
    phone: str,
    staff: list[tuple[str, str, bool]],
) -> str:
    domains = list(DEFAULT_DOMAINS) + (["capacity"] if kind == "hub" else [])
    people = "".join(
        f"  - name: {yaml_scalar(n)}\n    role: {r}\n    certified: {'true' if c else 'false'}\n"
        for n, r, c in staff
    )
    parent_line = (
        f"parent: {parent}\n"
        if parent
        else "# parent: hub                 # 社工总站不写；乡镇站写总站的代号\n"
    )
    return f"""\
# 站点信息：stations/{slug}/station.yml（由 stationsite new station 生成）
# “#”后面是注释，不会发布。请核对每一项，确认是真实信息后再提交。
# 键（冒号左边）是英文，不要改；值（冒号右边）写中文。缩进只用空格。
# 所有键的写法见网站“如何更新 → 字段说明”。

# 标牌名称：与门口挂牌的文字完全一致
name: {yaml_scalar(name)}
# 站点类型：{_choices(STATION_KINDS)}
kind: {kind}
# 上级站点的代号（二级、三级网络）
{parent_line}# 在同一上级下的排列顺序（可选，小的在前；不写则排在后面，按代号排列），例如：
# order: 10
# 合同期中新开的站点（可选）：从哪个月开始运行，之前的月份不要求填报成效，例如：
# since: 2026-06
# 加挂的牌子（可选），例如：
# extra_plaques: [某某镇未成年人保护工作站]
# 地址：居民按这个地址找到站点
address: {yaml_scalar(address)}
# 站点电话：座机写成 "0593-1234567"，必须加英文引号
phone: {json.dumps(phone)}
# 开放时间：每行一段；days 写星期几（{_choices(WEEKDAYS)}），
# open 开门、close 关门，时间写成 "08:30" 并加英文引号
hours:
  - {{days: [mon, tue, wed, thu, fri], open: "08:30", close: "12:00"}}
  - {{days: [mon, tue, wed, thu, fri], open: "14:30", close: "17:30"}}
# 功能室（可选），例如：
# rooms: [个案咨询室, 小组活动室]
# 服务领域（至少一项）：{_choices(DOMAINS)}
domains: [{", ".join(domains)}]
# 一站一品特色项目（可选），例如：
# signature_project:
#   name: 项目名称
#   summary: 一句话介绍
# 工作人员：每人一项，以“- name:”开头，下面几行对齐缩进。每人可写：
#   name: 姓名
#   role: 岗位（{" | ".join(ROLES)}）
#   certified: 持有社会工作者职业资格证书写 true，否则 false
#   duties: [社会救助, 养老服务]   （分工，可选）
#   phone: "本人手机号"            （本人手机，可选，11 位数字，加引号）
#   public_phone: true            （只有写 true，手机号才会在网站和公示栏上公开）
staff:
{people}# 志愿者队伍（可选），例如：
# volunteers: {{team: 新镇志愿服务队, members: 12}}
# 闭站（可选）：节假日或临时闭站，闭站前两周起在网站、公示栏和本周活动海报上提示；
# from 第一天、to 最后一天、reason 原因，例如：
# closures:
#   - {{from: 2027-01-01, to: 2027-01-03, reason: 元旦假期闭站}}
"""


def activities_header(slug: str) -> str:
    return f"""\
# 活动安排：stations/{slug}/activities.yml
# 每项活动以“- date:”开头，照下面的例子写（去掉行首的“# ”）；网站、日历和
# “本周活动安排”海报按日期自动生成，本周以外的活动不会出现在本周海报上。
# 也可以用命令添加一项：
#   stationsite new activity {slug} --date 2026-11-24 --start 09:00 --end 11:00 --title 活动名称 --place 地点
#
# - date: 2026-11-24          # 日期：年-月-日
#   start: "09:00"            # 开始时间，加英文引号
#   end: "11:00"              # 结束时间，要晚于开始时间
#   title: 重阳节敬老文艺表演   # 活动名称，最多 60 个字
#   kind: event               # 活动类型：{_choices(ACTIVITY_KINDS)}
#   domain: elderly           # 服务领域：{_choices(DOMAINS)}
#   place: 小组活动室          # 地点
#   audience: 辖区老年人        # 服务对象（可选）
#   id: chongyang-2026        # 固定编号（可选）：改期后，订阅了日历的居民看到的仍是同一项活动
#   repeat: {{every: week, until: 2027-06-30, except: [2027-01-26]}}
#                             # 重复（可选）：每周（week）、每两周（2 weeks）或每月同一个第几个星期几
#                             # （month）办的活动只写一次；until 截止日期，except 不办的日期
"""


def results_header(slug: str, indicator_lines: list[str]) -> str:
    listed = "".join(f"#   {line}\n" for line in indicator_lines) or "#   （见 content/indicators.yml）\n"
    return f"""\
# 月度成效：stations/{slug}/results.yml
# 每月一项，以“- month:”开头；只填本站当月的汇总数量，不得填写任何个人信息。
# 人数类指标（按不同的人计数）小于 5 时，网站和海报只显示“<5”。
#
# - month: 2026-10                                  # 月份：年-月，须在合同期内
#   counts: {{home_visits: 312, theme_events: 1}}     # 指标代号: 本月数量（整数）
#   note: 本月开展重阳节系列活动                      # 说明（可选）
#
# 可用的指标代号：
{listed}"""


def _indicator_lines(root: Path) -> list[str]:
    path = root / "content" / "indicators.yml"
    if not path.is_file():
        return []
    text, _ = read_text(path, "content/indicators.yml")
    node, _ = parse_yaml(text or "", "content/indicators.yml")
    lines = []
    for item in getattr(node, "items", []):
        if isinstance(item, YMap):
            vals = {k: v.text for k, (_, v) in item.entries.items() if isinstance(v, YScalar)}
            if "id" in vals:
                lines.append(f"{vals['id']}：{vals.get('name', '')}（{vals.get('unit', '')}）")
    return lines


# ---------------------------------------------------------------------------------------------------
# new activity


def activity_block(fields: dict[str, str | None], indent: str = "") -> str:
    """The YAML text of one activity; dates and times written the way the guide shows them."""
    order = ["date", "start", "end", "title", "kind", "domain", "place", "audience"]
    lines = []
    for i, key in enumerate(k for k in order if fields.get(k) is not None):
        value = str(fields[key]).strip()
        if key == "date" and re.fullmatch(r"\d{4}-\d{1,2}-\d{1,2}", value):
            text = _padded_date(value)  # plain, as in the sample; the schema judges whether it exists
        elif key in ("start", "end"):
            text = json.dumps(_padded_time(value), ensure_ascii=False)
        else:
            text = yaml_scalar(value)
        lead = f"{indent}- " if i == 0 else f"{indent}  "
        lines.append(f"{lead}{key}: {text}")
    return "\n".join(lines) + "\n"


def _validate_block(block: str) -> list[str]:
    """The schema's own messages for the new entry, named by the command's flags."""
    node, problems = parse_yaml(block, "activity")
    if problems or node is None:
        return [p.message for p in problems]
    ck = Checker("activity")
    ACTIVITIES.convert(node, "", ck)
    out = []
    for p in ck.problems:
        key = re.sub(r"^\[0\]\.?", "", p.key or "")
        flag = FLAG_OF.get(key, key)
        out.append(f"{flag}: {p.message}" + (f"（提示：{p.hint}）" if p.hint else ""))
    return out


def new_activity(
    root: Path,
    slug: str,
    *,
    date: str,
    start: str,
    end: str,
    title: str,
    kind: str,
    domain: str,
    place: str,
    audience: str | None = None,
) -> int:
    sdir = root / "stations" / slug
    if not (sdir / "station.yml").is_file():
        known = sorted(p.parent.name for p in (root / "stations").glob("*/station.yml"))
        close = difflib.get_close_matches(slug, known, n=1)
        raise ScaffoldError(
            f"没有代号为 '{slug}' 的站点"
            + (f"，是不是想写 '{close[0]}'？" if close else "")
            + ("（已有：" + "、".join(known) + "）" if known and not close else "")
        )
    fields = {
        "date": date,
        "start": start,
        "end": end,
        "title": title,
        "kind": kind,
        "domain": domain,
        "place": place,
        "audience": audience,
    }
    errors = _validate_block(activity_block(fields))
    if errors:
        raise ScaffoldError("活动信息有误，没有写入：\n" + "\n".join(f"  {e}" for e in errors))
    path = sdir / "activities.yml"
    rel = f"stations/{slug}/activities.yml"
    original = path.read_bytes() if path.is_file() else None
    text = activities_header(slug) if original is None else _decoded(original, rel)
    _refuse_duplicate(text, rel, fields)
    newline = "\r\n" if "\r\n" in text else "\n"
    body = text.replace("\r\n", "\n")
    indent = _item_indent(body)
    block = activity_block(fields, indent)
    if _is_empty_flow_list(body):
        body = re.sub(r"(?m)^\s*\[\s*\]\s*(#.*)?$", "", body, count=1)
    elif re.search(r"(?m)^\s*\[", _without_comments(body)):
        raise ScaffoldError(f"{rel} 用的是 [ ] 写法，无法追加：请改成每项以“- date:”开头的写法")
    if body and not body.endswith("\n"):
        body += "\n"
    first_line = body.count("\n") + 1
    new_text = (body + block).replace("\n", newline)
    bom = b"\xef\xbb\xbf" if original and original.startswith(b"\xef\xbb\xbf") else b""
    path.write_bytes(bom + new_text.encode("utf-8"))
    _, problems = load_content(root)
    own = [p for p in problems if p.file == rel]
    if own:
        if original is None:
            path.unlink()
        else:
            path.write_bytes(original)
        raise ScaffoldError(f"添加后 {rel} 未通过检查，已恢复原文件：\n" + "\n".join(str(p) for p in own))
    when = f"{_iso(date)} {_padded_time(start)}–{_padded_time(end)}"
    print(f"已添加到 {rel} 第 {first_line} 行：{when} {title}")
    monday, sunday = week_of(build_date())
    if monday <= dt.date.fromisoformat(_iso(date)) <= sunday:
        print(f"这项活动在本周（{monday:%m-%d} 至 {sunday:%m-%d}）：合并发布后请重新打印“本周活动安排”海报。")
    _report_others(problems)
    return 0


def _padded_date(date: str) -> str:
    y, m, d = date.split("-")
    return f"{int(y):04d}-{int(m):02d}-{int(d):02d}"


def _padded_time(time: str) -> str:
    m = re.fullmatch(r"(\d{1,2})[:：](\d{2})", time.strip())
    return f"{int(m[1]):02d}:{m[2]}" if m else time.strip()


def _iso(date: str) -> str:
    y, m, d = (int(x) for x in date.strip().split("-"))
    return f"{y:04d}-{m:02d}-{d:02d}"


def _decoded(raw: bytes, rel: str) -> str:
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ScaffoldError(
            f"{rel} 不是 UTF-8 编码，无法追加：请先用 UTF-8 重新保存（运行 stationsite check 查看详情）"
        ) from exc


def _without_comments(text: str) -> str:
    return "\n".join(ln for ln in text.split("\n") if ln.strip() and not ln.lstrip().startswith("#"))


def _is_empty_flow_list(text: str) -> bool:
    return re.fullmatch(r"\[\s*\]\s*(#.*)?", _without_comments(text).strip()) is not None


def _item_indent(text: str) -> str:
    m = re.search(r"(?m)^( *)- ", _without_comments(text))
    return m.group(1) if m else ""


def _refuse_duplicate(text: str, rel: str, fields: dict[str, str | None]) -> None:
    node, problems = parse_yaml(text.replace("\r\n", "\n"), rel)
    if problems:
        raise ScaffoldError(
            f"{rel} 现在就有格式错误，请先改正（运行 stationsite check 查看）：\n"
            + "\n".join(str(p) for p in problems)
        )
    for item in getattr(node, "items", []):
        if not isinstance(item, YMap):
            continue
        vals = {k: v.text.strip() for k, (_, v) in item.entries.items() if isinstance(v, YScalar)}
        same_start = _padded_time(vals.get("start", "")) == _padded_time(str(fields["start"]))
        if (
            _iso_or_none(vals.get("date")) == _iso(str(fields["date"]))
            and same_start
            and vals.get("title") == str(fields["title"]).strip()
        ):
            raise ScaffoldError(f"{rel} 第 {item.line} 行已有同一天、同一时间、同名的活动，没有重复添加")


def _iso_or_none(text: str | None) -> str | None:
    try:
        return _iso(text or "")
    except ValueError:
        return None
