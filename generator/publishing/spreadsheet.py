"""Monthly results through a spreadsheet: ``stationsite results template`` and ``results import``.

County clerks collect each month's figures in Excel or WPS. The template has one row per station
and one column per indicator; a hidden first row carries the machine keys (the month and the
indicator ids), so the visible headers can stay Chinese and nobody types ``home_visits``:

    row 1 (hidden)   stationsite-results | 2026-10  | home_visits        | theme_events | …
    row 2            站点代号             | 站点名称  | 常态化巡访（人次）   | 乡镇级主题活动（场） | …
    row 3 …          shicheng            | 周宁县狮城镇民政服务站 | 50 | 1 | …

Import writes each station's ``results.yml`` through ruamel.yaml's round trip, so the clerks'
comments, the order of months and the flow style of ``counts`` survive; a month whose figures are
unchanged is not touched, which makes a second import of the same sheet a no-op. Nothing is written
unless the whole sheet is valid. A row left entirely blank means "not reported" (never 0); a blank
cell in a filled row means 0 for that indicator, as in results.yml.
"""

from __future__ import annotations

import argparse
import io
import os
import re
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from generator.clock import build_date
from generator.content.load import load_content
from generator.content.model import Content, Indicator
from generator.opendata.formulasafety import store_as_text
from generator.personalnumbers import mask
from generator.problems import Problem, format_text

MARKER = "stationsite-results"  # A1 of the hidden key row: tells our sheet from any other
KEY_ROW, HEADER_ROW, FIRST_ROW = 1, 2, 3
FIRST_COL = 3  # columns A and B are the station's code and name
_MONTH = re.compile(r"(\d{4})-(\d{2})")
_LONG_DIGITS = re.compile(r"\d{7,}")
MAX_COUNT = 999_999  # a month's count at one station; anything longer is a mistyped number
NEW_FILE_HEADER = (
    "# {name} 月度服务成效：只填全站当月汇总数，不填任何个人信息\n"
    "# 由 stationsite results import 从月报表格写入；也可以直接编辑。\n"
)


@dataclass(frozen=True)
class SheetRow:
    slug: str
    row: int
    counts: dict[str, int]  # only the cells that were filled in
    blank: bool  # every indicator cell empty: the station has not reported


# -- template ------------------------------------------------------------------------------------


def write_template(content: Content, month: str, out: Path) -> None:
    """Write the month's sheet, pre-filled with any figures the stations' results.yml already hold
    (so the same sheet serves for corrections)."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    wb = Workbook()
    ws = wb.active
    ws.title = f"{month}月报"
    indicators = list(content.indicators)
    ws.cell(KEY_ROW, 1, MARKER)
    ws.cell(KEY_ROW, 2, month)
    ws.cell(HEADER_ROW, 1, "站点代号")
    ws.cell(HEADER_ROW, 2, "站点名称")
    for j, ind in enumerate(indicators):
        ws.cell(KEY_ROW, FIRST_COL + j, ind.id)
        store_as_text(ws.cell(HEADER_ROW, FIRST_COL + j, f"{ind.name}（{ind.unit}）"))
    ws.row_dimensions[KEY_ROW].hidden = True
    bold, grey = Font(bold=True), PatternFill("solid", fgColor="EEEEEE")
    for cell in ws[HEADER_ROW]:
        cell.font, cell.fill = bold, grey
        cell.alignment = Alignment(wrap_text=True, vertical="center")
    ws.row_dimensions[HEADER_ROW].height = 48
    for i, station in enumerate(content.stations):
        r = FIRST_ROW + i
        ws.cell(r, 1, station.slug)
        store_as_text(ws.cell(r, 2, station.name))
        known = next((dict(m.counts) for m in station.results if m.month == month), {})
        for j, ind in enumerate(indicators):
            if ind.id in known:
                ws.cell(r, FIRST_COL + j, known[ind.id])
    last_row = FIRST_ROW + len(content.stations) - 1
    last_col = get_column_letter(FIRST_COL + len(indicators) - 1)
    rule = DataValidation(
        type="whole",
        operator="greaterThanOrEqual",
        formula1="0",
        allow_blank=True,
        showErrorMessage=True,
        errorTitle="应为非负整数",
        error="这里只能填 0 或正整数（全站当月汇总数）。当月没有的指标可以空着。",
        promptTitle="当月汇总数",
        prompt="填 0 或正整数；不要填任何个人信息",
        showInputMessage=True,
    )
    rule.add(f"{get_column_letter(FIRST_COL)}{FIRST_ROW}:{last_col}{last_row}")
    ws.add_data_validation(rule)
    ws.column_dimensions["A"].width = 12
    ws.column_dimensions["B"].width = 30
    for j in range(len(indicators)):
        ws.column_dimensions[get_column_letter(FIRST_COL + j)].width = 14
    ws.freeze_panes = ws.cell(FIRST_ROW, FIRST_COL)

    notes = wb.create_sheet("填表说明")
    for line in (
        f"{content.programme.county} {month} 月度服务成效填报表",
        "每个站点一行，每项指标一列，只填全站当月汇总数（0 或正整数），不填任何个人信息。",
        "当月为 0 的指标可以空着；整行都空着表示该站本月尚未填报（网站显示“未填报”，不是 0）。",
        "不要改动“站点代号”一列，也不要删除或移动列；第 1 行是隐藏的指标代号，导入时要用。",
        "填好后交给管理员运行：stationsite results import 本文件.xlsx",
    ):
        notes.append([line])
        store_as_text(notes.cell(notes.max_row, 1))
    notes.column_dimensions["A"].width = 100
    out.parent.mkdir(parents=True, exist_ok=True)
    wb.save(out)


# -- reading a filled sheet ----------------------------------------------------------------------


def read_sheet(path: Path, content: Content, rel: str) -> tuple[str | None, list[SheetRow], list[Problem]]:
    """The month and the rows of a filled template, and every problem found (all at once)."""
    from openpyxl import load_workbook
    from openpyxl.utils import get_column_letter

    problems: list[Problem] = []

    def bad(ref: str, message: str, hint: str | None = None) -> None:
        problems.append(Problem(rel, None, None, f"{ref}：{message}", hint))

    try:
        # data_only: a formula cell counts by the value Excel/WPS last computed and saved.
        wb = load_workbook(path, data_only=True)
    except Exception as exc:  # openpyxl raises many types for a file that is not .xlsx
        bad("文件", f"无法读取为 Excel 表格（{type(exc).__name__}）", "请另存为 .xlsx 格式后再导入")
        return None, [], problems
    sheets = [ws for ws in wb.worksheets if ws.cell(KEY_ROW, 1).value == MARKER]
    if not sheets:
        bad(
            "A1",
            "找不到月报表（第 1 行隐藏的标记没有了）",
            "请用 stationsite results template 生成的表格填写",
        )
        return None, [], problems
    ws = sheets[0]

    month = str(ws.cell(KEY_ROW, 2).value or "").strip()
    m = _MONTH.fullmatch(month)
    if not m or not 1 <= int(m[2]) <= 12:
        bad(
            "B1", f"应为月份（格式 2026-10），实际为 {_shown(month)}", "请重新生成模板，不要改动隐藏的第 1 行"
        )
        month_ok: str | None = None
    else:
        month_ok = month
        first, last = f"{content.programme.period_start:%Y-%m}", f"{content.programme.period_end:%Y-%m}"
        if not first <= month <= last:
            bad("B1", f"月份 {month} 不在合同期（{first} 至 {last}）内")
        elif month >= f"{build_date():%Y-%m}":
            bad("B1", f"月份 {month} 还没有结束，月度成效要等月底之后再导入")

    known_ids = {ind.id for ind in content.indicators}
    columns: list[tuple[int, str]] = []
    for col in range(FIRST_COL, ws.max_column + 1):
        key = ws.cell(KEY_ROW, col).value
        ref = f"{get_column_letter(col)}{KEY_ROW}"
        if key is None or str(key).strip() == "":
            if any(ws.cell(r, col).value not in (None, "") for r in range(FIRST_ROW, ws.max_row + 1)):
                bad(
                    ref,
                    "这一列没有指标代号，无法导入",
                    "不要插入新列；新指标先写进 content/indicators.yml 再生成模板",
                )
            continue
        key = str(key).strip()
        if key not in known_ids:
            bad(ref, f"content/indicators.yml 里没有指标 '{_shown_text(key)}'", "请重新生成模板")
            continue
        if key in {k for _, k in columns}:
            bad(ref, f"指标 '{key}' 出现了两列")
            continue
        columns.append((col, key))

    slugs = {s.slug for s in content.stations}
    rows: list[SheetRow] = []
    seen: dict[str, int] = {}
    for r in range(FIRST_ROW, ws.max_row + 1):
        raw_slug = ws.cell(r, 1).value
        values = {key: ws.cell(r, col).value for col, key in columns}
        filled = {k: v for k, v in values.items() if not _is_blank(v)}
        if _is_blank(raw_slug):
            if filled:
                bad(f"A{r}", "这一行填了数字，但没有站点代号")
            continue
        slug = str(raw_slug).strip()
        if slug not in slugs:
            bad(f"A{r}", f"没有站点代号为 '{_shown_text(slug)}' 的站点", "站点代号一列请保持模板原样")
            continue
        if slug in seen:
            bad(f"A{r}", f"站点 {slug} 重复（第 {seen[slug]} 行已有）", "每个站点只填一行")
            continue
        seen[slug] = r
        counts: dict[str, int] = {}
        for col, key in columns:
            if key not in filled:
                continue
            number, hint = _count(filled[key])
            if number is None:
                ref = f"{get_column_letter(col)}{r}"
                bad(ref, f"应为非负整数，实际为 {_shown(filled[key])}", hint)
            else:
                counts[key] = number
        rows.append(SheetRow(slug, r, counts, blank=not filled))
    return month_ok, rows, problems


def _is_blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and value.strip() == "")


def _count(value: Any) -> tuple[int | None, str | None]:
    """A cell as a count, or (None, hint); an implausibly long number is refused, since a mobile,
    ID or card number typed into the wrong cell would otherwise be written and printed."""
    number, hint = _plain_count(value)
    if number is not None and number > MAX_COUNT:
        return None, "数字过大，不像全站当月汇总数；请勿填写电话、身份证或银行卡号"
    return number, hint


def _plain_count(value: Any) -> tuple[int | None, str | None]:
    """A cell as a count, or (None, hint). Excel stores whole numbers as floats (12.0)."""
    if isinstance(value, bool):
        return None, None
    if isinstance(value, int):
        return (value, None) if value >= 0 else (None, "数量不能是负数")
    if isinstance(value, float):
        if value.is_integer():
            return (int(value), None) if value >= 0 else (None, "数量不能是负数")
        return None, "人数、次数只能是整数"
    text = str(value).strip().replace(",", "").replace("，", "")
    if re.fullmatch(r"\d+", text):
        return int(text), None
    if re.fullmatch(r"-\d+", text):
        return None, "数量不能是负数"
    if re.fullmatch(r"-?\d*\.\d+", text):
        return None, "人数、次数只能是整数"
    return None, "只填阿拉伯数字，不要写单位或文字"


def _shown_text(text: str) -> str:
    """Quote text from a cell back, masking any long digit run: it may be a personal number."""
    return _LONG_DIGITS.sub(lambda m: mask(m[0]), text)


def _shown(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return repr(_shown_text(str(value)))


# -- writing results.yml -------------------------------------------------------------------------


def _yaml() -> Any:
    from ruamel.yaml import YAML

    yaml = YAML()  # round trip: comments, key order, flow style and quotes are kept
    yaml.preserve_quotes = True
    yaml.width = 4096  # never re-wrap a long `counts: {…}` line
    return yaml


def updated_text(
    text: str | None, month: str, counts: dict[str, int], order: list[str], station_name: str
) -> str | None:
    """The new text of a results.yml with ``month`` holding exactly ``counts``; None if unchanged."""
    from ruamel.yaml.comments import CommentedMap, CommentedSeq

    yaml = _yaml()
    data = yaml.load(text) if text is not None else None
    prefix = ""
    if data is None:
        # A new or comment-only file: keep what is there and append the list after it.
        prefix = text if text is not None else NEW_FILE_HEADER.format(name=station_name)
        if prefix and not prefix.endswith("\n"):
            prefix += "\n"
        data = CommentedSeq()
    entry = next((e for e in data if isinstance(e, dict) and str(e.get("month")) == month), None)
    if entry is not None:
        old = entry.get("counts") or {}
        if {str(k): v for k, v in old.items()} == counts:
            return None
        # Keys the month already had keep their place; new ones follow in catalogue order.
        keys = [k for k in old if k in counts] + [k for k in order if k in counts and k not in old]
        new = CommentedMap((k, counts[k]) for k in keys)
        new.fa.set_flow_style()
        entry["counts"] = new
    else:
        new = CommentedMap((k, counts[k]) for k in order if k in counts)
        new.fa.set_flow_style()
        entry = CommentedMap([("month", month), ("counts", new)])
        at = sum(1 for e in data if isinstance(e, dict) and str(e.get("month")) < month)
        data.insert(at, entry)
    out = io.StringIO()
    yaml.dump(data, out)
    return prefix + out.getvalue()


@dataclass(frozen=True)
class Change:
    file: str
    text: str
    summary: str


def plan_import(root: Path, content: Content, month: str, rows: list[SheetRow]) -> list[Change]:
    """Every results.yml that changes, with its new text and a line saying what changed."""
    order = [ind.id for ind in content.indicators]
    by_id = {ind.id: ind for ind in content.indicators}
    threshold = content.programme.disclosure_threshold
    changes = []
    for row in rows:
        if row.blank:
            continue
        station = content.station(row.slug)
        rel = f"stations/{row.slug}/results.yml"
        path = root / rel
        text = path.read_text(encoding="utf-8") if path.exists() else None
        new = updated_text(text, month, row.counts, order, station.name)
        if new is None:
            continue
        before = next((dict(m.counts) for m in station.results if m.month == month), None)
        changes.append(Change(rel, new, _summary(month, before, row.counts, by_id, threshold)))
    return changes


def _summary(
    month: str,
    before: dict[str, int] | None,
    after: dict[str, int],
    indicators: dict[str, Indicator],
    threshold: int,
) -> str:
    def show(key: str, value: int | None) -> str:
        if value is None:
            return "空"
        # A count of people below the threshold is never printed: this output may land in a log.
        if indicators[key].counts == "people" and 0 < value < threshold:
            return f"<{threshold}"
        return str(value)

    if before is None:
        return f"{month} 新增，{len(after)} 项指标"
    parts = []
    for key in [k for k in indicators if k in before or k in after]:
        old, new = before.get(key), after.get(key)
        if old != new:
            parts.append(f"{indicators[key].name} {show(key, old)} → {show(key, new)}")
    return f"{month} 修改：" + "；".join(parts)


def _write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, path)  # a half-written results.yml must never be left behind


# -- commands ------------------------------------------------------------------------------------


def _load(root: Path) -> Content | None:
    content, problems = load_content(root)
    if problems:
        print(format_text(problems))
        print(f"\n内容检查未通过（{len(problems)} 个问题），请先修改后再使用月报表格。", file=sys.stderr)
        return None
    return content


def cmd_results(args: argparse.Namespace) -> int:
    root = Path(args.root)
    if args.action == "template":
        m = _MONTH.fullmatch(args.month)
        if not m or not 1 <= int(m[2]) <= 12:
            print(f"月份应写成 2026-10 的格式，实际为 {args.month!r}", file=sys.stderr)
            return 1
        content = _load(root)
        if content is None:
            return 1
        out = Path(args.out)
        write_template(content, args.month, out)
        print(
            f"已写出 {out}：{len(content.stations)} 个站点 × {len(content.indicators)} 项指标（{args.month}）。"
        )
        return 0

    content = _load(root)
    if content is None:
        return 1
    sheet = Path(args.file)
    if not sheet.is_file():
        print(f"找不到文件 {sheet}", file=sys.stderr)
        return 1
    month, rows, problems = read_sheet(sheet, content, sheet.name)
    if problems or month is None:
        print(format_text(problems))
        print(f"\n表格有 {len(problems)} 个问题，没有写入任何文件；请改正后重新导入。", file=sys.stderr)
        return 1
    changes = plan_import(root, content, month, rows)
    for change in changes:
        _write(root / change.file, change.text)
        print(f"{change.file}：{change.summary}")
    missing = [content.station(r.slug).name for r in rows if r.blank]
    if missing:
        print(f"未填写（保持未填报）：{'、'.join(missing)}")
    if changes:
        print(f"已更新 {len(changes)} 个文件。请运行 stationsite check，再提交拉取请求。")
    else:
        print("没有变化：表格与各站 results.yml 一致。")
    return 0
