"""Declarative schema types: each knows what it expects (in Chinese) and how to convert a node.

The same declarations drive validation, the error messages and the editors' field reference
(``generator.content.fieldref``), so the documentation can never disagree with the validator.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from generator.content.sourcefile import YMap, YNode, YScalar, YSeq
from generator.problems import Problem

INVALID: Any = object()  # marks a value that failed conversion; a problem has been recorded


def _spaced(text: str) -> str:
    """Chinese runs straight into Chinese, but a leading Latin word gets a space: 应为 true 或 false."""
    return f" {text}" if text[:1].isascii() and text[:1].isalnum() else text


class Checker:
    """Collects problems for one file while its tree is converted."""

    def __init__(self, rel: str):
        self.rel = rel
        self.problems: list[Problem] = []

    def add(self, line: int | None, path: str, message: str, hint: str | None = None) -> None:
        self.problems.append(Problem(self.rel, line, path or None, message, hint))


def shown(node: YNode) -> str:
    """How a found value is quoted back to the editor."""
    if isinstance(node, YScalar):
        return "空值" if node.is_null else repr(node.text)
    return "一个列表" if isinstance(node, YSeq) else "一组键值"


def child(path: str, key: str | int) -> str:
    if isinstance(key, int):
        return f"{path}[{key}]"
    return f"{path}.{key}" if path else key


class Type:
    expected: str = ""  # shown as "应为{expected}"
    doc_name: str = ""  # shown in the field reference

    def convert(self, node: YNode, path: str, ck: Checker) -> Any:
        raise NotImplementedError

    def fail(self, node: YNode, path: str, ck: Checker, hint: str | None = None) -> Any:
        ck.add(node.line, path, f"应为{_spaced(self.expected)}，实际为 {shown(node)}", hint)
        return INVALID

    def scalar_text(self, node: YNode) -> str | None:
        if isinstance(node, YScalar) and not node.is_null:
            return node.text.strip()
        return None


class Text(Type):
    def __init__(self, expected: str = "文字", max_len: int | None = None):
        self.expected = expected
        self.doc_name = "文字"
        self.max_len = max_len

    def convert(self, node: YNode, path: str, ck: Checker) -> Any:
        text = self.scalar_text(node)
        if not text:
            return self.fail(node, path, ck)
        if self.max_len and len(text) > self.max_len:
            ck.add(node.line, path, f"文字过长：最多 {self.max_len} 个字，实际 {len(text)} 个字")
            return INVALID
        return text


class Pattern(Type):
    def __init__(self, expected: str, regex: str, hint: str | None = None, doc_name: str = ""):
        self.expected, self.regex, self.hint = expected, re.compile(regex), hint
        self.doc_name = doc_name or expected

    def convert(self, node: YNode, path: str, ck: Checker) -> Any:
        text = self.scalar_text(node)
        if text is None or not self.regex.fullmatch(text):
            return self.fail(node, path, ck, self.hint)
        return text


class Int(Type):
    def __init__(self, minimum: int = 0, expected: str = "非负整数"):
        self.minimum, self.expected, self.doc_name = minimum, expected, expected

    def convert(self, node: YNode, path: str, ck: Checker) -> Any:
        text = self.scalar_text(node)
        if text is None or not re.fullmatch(r"[-+]?\d+", text.replace(",", "")):
            hint = "人数、次数只能是整数" if text and re.fullmatch(r"[-+]?\d*\.\d+", text) else None
            return self.fail(node, path, ck, hint)
        value = int(text.replace(",", ""))
        if value < self.minimum:
            return self.fail(node, path, ck, "数量不能是负数" if self.minimum == 0 else None)
        return value


class Bool(Type):
    expected = "true 或 false"
    doc_name = "true / false"

    def convert(self, node: YNode, path: str, ck: Checker) -> Any:
        text = self.scalar_text(node)
        if text in ("true", "True", "TRUE", "是"):
            return True
        if text in ("false", "False", "FALSE", "否"):
            return False
        return self.fail(node, path, ck)


class Date(Type):
    expected = "日期（格式 2026-11-24）"
    doc_name = "日期 YYYY-MM-DD"

    def convert(self, node: YNode, path: str, ck: Checker) -> Any:
        text = self.scalar_text(node)
        m = re.fullmatch(r"(\d{4})-(\d{1,2})-(\d{1,2})", text or "")
        if not m:
            return self.fail(node, path, ck, "日期写成 年-月-日，例如 2026-11-24")
        try:
            return dt.date(int(m[1]), int(m[2]), int(m[3]))
        except ValueError:
            ck.add(node.line, path, f"日期不存在：{text}", "请核对月份和当月天数")
            return INVALID


class Month(Type):
    expected = "月份（格式 2026-10）"
    doc_name = "月份 YYYY-MM"

    def convert(self, node: YNode, path: str, ck: Checker) -> Any:
        text = self.scalar_text(node)
        m = re.fullmatch(r"(\d{4})-(\d{1,2})", text or "")
        if not m or not 1 <= int(m[2]) <= 12:
            return self.fail(node, path, ck, "月份写成 年-月，例如 2026-10")
        return f"{int(m[1]):04d}-{int(m[2]):02d}"


class Time(Type):
    expected = "时间（格式 08:30）"
    doc_name = "时间 HH:MM"

    def convert(self, node: YNode, path: str, ck: Checker) -> Any:
        text = (self.scalar_text(node) or "").replace("：", ":")
        m = re.fullmatch(r"(\d{1,2}):(\d{2})", text)
        if not m:
            return self.fail(node, path, ck, '时间写成 时:分，并加英文引号，例如 "08:30"')
        hour, minute = int(m[1]), int(m[2])
        if hour > 24 or minute > 59 or (hour == 24 and minute):
            ck.add(node.line, path, f"时间不存在：{text}", "小时为 0–23，分钟为 0–59")
            return INVALID
        return f"{hour:02d}:{minute:02d}"


class Enum(Type):
    def __init__(self, choices: dict[str, str], what: str):
        self.choices, self.what = choices, what
        self.expected = f"{what}之一：" + " | ".join(choices)
        self.doc_name = " | ".join(f"`{k}`（{v}）" if k != v else f"`{k}`" for k, v in choices.items())

    def convert(self, node: YNode, path: str, ck: Checker) -> Any:
        text = self.scalar_text(node)
        if text in self.choices:
            return text
        hint = None
        close = difflib.get_close_matches(text or "", list(self.choices), n=1)
        if close:
            hint = f"是不是想写 '{close[0]}'？"
        else:
            for key, label in self.choices.items():
                if text and text == label:
                    hint = f"这里要写英文代号 '{key}'（{label}）"
        return self.fail(node, path, ck, hint)


class ListOf(Type):
    def __init__(self, item: Type, min_items: int = 0, unique: bool = False):
        self.item, self.min_items, self.unique = item, min_items, unique
        self.expected = f"列表（每项为{item.expected}）"
        self.doc_name = f"列表，每项：{item.doc_name}"

    def convert(self, node: YNode, path: str, ck: Checker) -> Any:
        if isinstance(node, YScalar) and node.is_null and self.min_items == 0:
            return []
        if not isinstance(node, YSeq):
            return self.fail(node, path, ck, "列表的每一项以“- ”开头，或写成 [甲, 乙]")
        if len(node.items) < self.min_items:
            ck.add(node.line, path, f"至少需要 {self.min_items} 项，实际 {len(node.items)} 项")
        values = [self.item.convert(n, child(path, i), ck) for i, n in enumerate(node.items)]
        if self.unique:
            seen: set[Any] = set()
            for i, (n, v) in enumerate(zip(node.items, values, strict=True)):
                if v is not INVALID and v in seen:
                    ck.add(n.line, child(path, i), f"重复的值 {v!r}")
                seen.add(v)
        return [v for v in values if v is not INVALID]


class MapOf(Type):
    """A mapping whose keys are data (indicator ids, station slugs), not field names."""

    def __init__(self, key: Pattern, value: Type, what_key: str):
        self.key, self.value = key, value
        self.expected = f"一组“{what_key}: {value.expected}”"
        self.doc_name = f"键为{what_key}，值为{value.doc_name}"

    def convert(self, node: YNode, path: str, ck: Checker) -> Any:
        if not isinstance(node, YMap):
            return self.fail(node, path, ck)
        out = {}
        for key, (line, value) in node.entries.items():
            if not self.key.regex.fullmatch(key):
                ck.add(line, child(path, key), f"键应为{self.key.expected}，实际为 {key!r}")
                continue
            converted = self.value.convert(value, child(path, key), ck)
            if converted is not INVALID:
                out[key] = converted
        return out


@dataclass
class Field:
    name: str
    type: Type
    doc: str
    required: bool = True
    example: str | None = None
    label: str | None = None  # short Chinese name in messages; default: ``doc`` up to its first aside

    @property
    def short(self) -> str:
        return self.label or re.split(r"[（(，,：:；;{ ]", self.doc, maxsplit=1)[0] or self.name


@dataclass
class Record(Type):
    """A mapping with declared field names; unknown keys are an error (a typo must not vanish)."""

    title: str
    fields: Sequence[Field]
    doc: str = ""
    exactly_one_of: Sequence[str] = ()
    # Checks across fields of one record, after conversion: (values, node, path, checker) -> None
    checks: list[Callable[[dict[str, Any], YMap, str, Checker], None]] = field(default_factory=list)

    @property
    def expected(self) -> str:  # type: ignore[override]
        return f"一组键值（{self.title}）"

    @property
    def doc_name(self) -> str:  # type: ignore[override]
        return self.title

    def convert(self, node: YNode, path: str, ck: Checker) -> Any:
        if not isinstance(node, YMap):
            return self.fail(node, path, ck)
        known = {f.name: f for f in self.fields}
        out: dict[str, Any] = {}
        for key, (line, value) in node.entries.items():
            spec = known.get(key)
            if spec is None:
                close = difflib.get_close_matches(key, list(known), n=1, cutoff=0.6)
                hint = f"是不是想写 '{close[0]}'？" if close else "可用的键：" + "、".join(known)
                ck.add(line, child(path, key), f"未知的键 '{key}'", hint)
                continue
            if isinstance(value, YScalar) and value.is_null and not spec.required:
                continue
            converted = spec.type.convert(value, child(path, key), ck)
            if converted is not INVALID:
                out[key] = converted
        for spec in self.fields:
            if spec.required and spec.name not in node.entries:
                ck.add(node.line, child(path, spec.name), f"缺少必填项 '{spec.name}'（{spec.doc}）")
            elif spec.required and spec.name in node.entries and _is_null(node.entries[spec.name][1]):
                ck.add(node.entries[spec.name][0], child(path, spec.name), f"必填项 '{spec.name}' 不能为空")
        if self.exactly_one_of:
            present = [k for k in self.exactly_one_of if k in node.entries]
            if len(present) != 1:
                ck.add(
                    node.line,
                    path,
                    f"应当只写 {' / '.join(self.exactly_one_of)} 其中一项，实际写了 {len(present)} 项",
                )
        for check in self.checks:
            check(out, node, path, ck)
        return out


def _is_null(node: YNode) -> bool:
    return isinstance(node, YScalar) and node.is_null


def line_of(node: YMap, key: str) -> int:
    """The line of ``key`` in a record, or of the record itself when the key is absent."""
    entry = node.entries.get(key)
    return entry[0] if entry else node.line


_STEP = re.compile(r"\[(\d+)\]|\.?([^.\[\]]+)")


def describe_path(schema: Type, path: str) -> str:
    """``[20].date`` as an editor reads it: ``第 21 项活动·日期（date）``.

    Items are counted from 1 as people count; each field is named in Chinese and by its key (the key
    is what they must type). Steps the schema does not know (a misspelt key, an indicator id) are
    kept as written.
    """
    parts: list[str] = []
    current: Type | None = schema
    for m in _STEP.finditer(path):
        index, key = m[1], m[2]
        if index is not None:
            title = ""
            if isinstance(current, ListOf):
                item = current.item
                # A top-level list names its items (第 21 项活动); inside a field, the field already did.
                title = item.title if isinstance(item, Record) and not parts else ""
                current = item
            else:
                current = None
            parts.append(f"第 {int(index) + 1} 项{title}")
        elif isinstance(current, Record):
            spec = next((f for f in current.fields if f.name == key), None)
            parts.append(f"{spec.short}（{key}）" if spec else key)
            current = spec.type if spec else None
        else:
            parts.append(key)
            current = current.value if isinstance(current, MapOf) else None
    return "·".join(parts) or path
