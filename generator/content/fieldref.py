"""The editors' field reference (字段说明), generated from the schemas the validator uses.

``field_reference_markdown()`` walks ``generator.content.schemas.FILE_KINDS``: the same declarations that
check every file, so the guide can never disagree with ``stationsite check``. The site publishes it
as the generated page ``guide/fields.md``.
"""

from __future__ import annotations

from generator.content.schema_types import (
    Bool,
    Date,
    Enum,
    Field,
    Int,
    ListOf,
    MapOf,
    Month,
    Pattern,
    Record,
    Text,
    Time,
    Type,
)
from generator.content.schemas import FILE_KINDS

INTRO = """\
# 字段说明

本页由程序根据 `stationsite check` 使用的同一套校验规则自动生成，两者永远一致。
每个文件里能写哪些键、哪些必须写、值怎么写，都以本页为准。

通用规则：

- 键（冒号左边）是英文，必须照抄；值（冒号右边）写中文。写错或多写的键会被检查报错，不会被悄悄忽略。
- 冒号用英文半角 `:`，后面加一个空格；缩进只能用空格，不能用 Tab。
- 电话号码、时间要加英文引号，例如 `phone: "0593-1234567"`、`open: "08:30"`。
- `#` 后面是注释，不会发布。
- 表中 `hours[].days` 表示 `hours` 列表里每一项的 `days`；`period.start` 表示 `period` 下的 `start`。
- Markdown 文件（制度、办事指南、新闻）开头用两行 `---` 包住的部分叫 front matter，表中列的是它的键；
  正文写在第二个 `---` 之后。
"""


def field_reference_markdown() -> str:
    """The whole field reference as one Markdown page (Chinese)."""
    parts = [INTRO]
    for where, schema in FILE_KINDS:
        parts.append(_file_section(where, schema))
    return "\n".join(parts).rstrip() + "\n"


def _file_section(where: str, schema: Record | ListOf) -> str:
    record = schema if isinstance(schema, Record) else schema.item
    lines = [f"## `{where}`", ""]
    # Some titles repeat the path ("站点 stations/<代号>/station.yml"): the heading already says it.
    title = record.title.split(" ")[0] if isinstance(record, Record) else ""
    if title:
        doc = record.doc if isinstance(record, Record) else ""
        lines.append(f"**{title}**" + (f"：{doc}" if doc else ""))
        lines.append("")
    if isinstance(schema, ListOf):
        lines.append("整个文件是一个列表" + _list_limits(schema) + "，每一项以 `- ` 开头，包含下列键。")
        lines.append("")
    lines += ["| 键 | 必填 | 写法 | 说明 | 举例 |", "|---|---|---|---|---|"]
    if isinstance(record, Record):
        lines += _rows(record, "")
    lines.append("")
    return "\n".join(lines)


def _rows(record: Record, prefix: str) -> list[str]:
    rows = []
    for spec in record.fields:
        path = f"{prefix}{spec.name}"
        required = "必填" if spec.required and spec.name not in record.exactly_one_of else "可选"
        if record.exactly_one_of and spec.name in record.exactly_one_of:
            required = "三选一" if len(record.exactly_one_of) == 3 else "只写一项"
        rows.append(_row(path, required, describe(spec.type), spec.doc, _example(spec)))
        inner = spec.type
        if isinstance(inner, Record):
            rows += _rows(inner, f"{path}.")
        elif isinstance(inner, ListOf) and isinstance(inner.item, Record):
            rows += _rows(inner.item, f"{path}[].")
    return rows


def _row(*cells: str) -> str:
    return "| " + " | ".join(_cell(c) for c in cells) + " |"


def _cell(text: str) -> str:
    # A table cell is one line; a literal pipe would end the cell.
    return text.replace("\n", " ").replace("|", "\\|") or " "


def _example(spec: Field) -> str:
    return f"`{spec.name}: {spec.example}`" if spec.example else ""


def describe(kind: Type) -> str:
    """How a value of this type is written, in Chinese (the 写法 column)."""
    if isinstance(kind, Enum):
        choices = (f"`{k}`（{v}）" if k != v else f"`{k}`" for k, v in kind.choices.items())
        return "以下之一：" + "、".join(choices)
    if isinstance(kind, ListOf):
        if isinstance(kind.item, Record):
            text = f"列表，每项包含下列 `[]` 开头的键{_list_limits(kind)}"
        else:
            text = f"列表，每项为{describe(kind.item)}{_list_limits(kind)}"
        return text
    if isinstance(kind, MapOf):
        return f"一组“{kind.key.doc_name}: {describe(kind.value)}”"
    if isinstance(kind, Record):
        text = "一组键值，包含下列键"
        if kind.exactly_one_of:
            text += "（" + " / ".join(f"`{k}`" for k in kind.exactly_one_of) + " 只写一项）"
        return text
    if isinstance(kind, Text):
        return "文字" + (f"，最多 {kind.max_len} 字" if kind.max_len else "")
    if isinstance(kind, Pattern):
        # The explicit doc name where it extends the expected form (phone formats); else the form
        # itself, since one pattern (the slug) serves several fields with different meanings.
        return kind.doc_name if kind.doc_name.startswith(kind.expected) else kind.expected
    if isinstance(kind, Int):
        return kind.expected
    if isinstance(kind, Bool | Date | Month | Time):
        return kind.doc_name
    return kind.doc_name or kind.expected


def _list_limits(kind: ListOf) -> str:
    notes = []
    if kind.min_items:
        notes.append(f"至少 {kind.min_items} 项")
    if kind.unique:
        notes.append("不能重复")
    return "（" + "，".join(notes) + "）" if notes else ""
