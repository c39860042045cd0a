"""Reading content files as text, and YAML into a tree that remembers line numbers.

PyYAML's ``safe_load`` loses line numbers and silently keeps the last of two duplicate keys, so
we compose the node graph ourselves and keep every scalar as its raw text: the schema, not YAML
1.1's resolver, decides what ``08:30`` or ``13900000000`` means (YAML 1.1 would read the first as
the number 510 and the second as an integer).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from generator.content.pathsafety import read_bytes_safely
from generator.problems import Problem


@dataclass
class YScalar:
    text: str
    tag: str  # the tag YAML's resolver would give: str, int, float, bool, null, timestamp
    line: int
    quoted: bool

    @property
    def is_null(self) -> bool:
        return not self.quoted and self.tag.endswith(":null")


@dataclass
class YSeq:
    items: list[YNode]
    line: int


@dataclass
class YMap:
    # key -> (line of the key, value node); insertion order is the file's order
    entries: dict[str, tuple[int, YNode]] = field(default_factory=dict)
    line: int = 0


YNode = YScalar | YSeq | YMap


def read_text(path: Path, rel: str) -> tuple[str | None, list[Problem]]:
    """Read a content file as UTF-8 text (BOM and CRLF accepted); say clearly what is wrong if not."""
    raw, problem = read_bytes_safely(path, rel)
    if raw is None:
        return None, [problem] if problem else []
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        guess = _guess_legacy_encoding(raw)
        found = f"看起来是 {guess} 编码" if guess else "无法识别的编码"
        return None, [
            Problem(
                rel,
                line,
                None,
                f"文件不是 UTF-8 编码（{found}）",
                "请用 UTF-8 编码重新保存：记事本“另存为”选择编码 UTF-8，或在 WPS/VS Code 中转换编码",
            )
        ]
    return text.replace("\r\n", "\n").replace("\r", "\n"), []


def _guess_legacy_encoding(raw: bytes) -> str | None:
    # Windows in China saves "ANSI" text as GBK; GB18030 is its superset and decodes it too.
    for name in ("gb18030", "big5"):
        try:
            raw.decode(name)
        except UnicodeDecodeError:
            continue
        return "GBK/GB18030" if name == "gb18030" else "Big5"
    return None


@dataclass
class Loaded:
    """One file after schema conversion: its converted value and its node tree (for line numbers)."""

    rel: str
    value: Any
    node: YNode | None
    body: str = ""


class _Refused(Exception):
    """The file uses YAML a content file never needs (aliases, deep nesting): a problem, not a crash."""

    def __init__(self, line: int, key: str | None, message: str, hint: str):
        self.line, self.key, self.message, self.hint = line, key, message, hint


_FAST_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
# Deep enough for every schema (a station's staff list is four levels), far below where a parser,
# a recursive converter or libyaml's composer would run out of stack.
MAX_DEPTH = 20


def parse_yaml(text: str, rel: str, line_offset: int = 0) -> tuple[YNode | None, list[Problem]]:
    """Parse YAML text into a line-numbered node tree, or return problems that name line and column.

    ``line_offset`` is added to every line (front matter starts below the ``---`` line).

    The tree is built from the parser's event stream, not by ``yaml.compose``: an alias (``*x``)
    is refused where it appears, so a 2 KB "billion laughs" file cannot expand into gigabytes, and
    nesting deeper than ``MAX_DEPTH`` is refused before anything recursive sees it.
    """
    try:
        # libyaml (C) parses ~10x faster than PyYAML's Python parser: loading a county is mostly
        # YAML parsing. On an error, parse again in Python, whose messages we translate.
        node = _compose(_FAST_LOADER(text), line_offset)
    except _Refused as refused:
        return None, [Problem(rel, refused.line, refused.key, refused.message, refused.hint)]
    except yaml.YAMLError:
        try:
            node = _compose(yaml.SafeLoader(text), line_offset)
        except _Refused as refused:
            return None, [Problem(rel, refused.line, refused.key, refused.message, refused.hint)]
        except yaml.MarkedYAMLError as exc:
            return None, [_syntax_problem(exc, text, rel, line_offset)]
        except yaml.YAMLError as exc:  # pragma: no cover - every PyYAML error we know of is marked
            return None, [Problem(rel, None, None, f"YAML 格式错误：{exc}")]
    return node, []


def _compose(loader: Any, off: int) -> YNode | None:
    """Events → YNode tree, iteratively (no recursion, so no depth can overflow a stack).

    The loop is the hot path of loading a county: it dispatches on the event's exact type and
    keeps the open collections and their pending mapping keys in two flat lists.
    """
    get_event, resolve = loader.get_event, loader.resolve
    try:
        get_event()  # StreamStart
        if loader.check_event(yaml.StreamEndEvent):
            return None
        get_event()  # DocumentStart
        open_: list[YSeq | YMap] = []  # the open collections, innermost last
        keys: list[tuple[str, int] | None] = []  # for each: the mapping key waiting for its value
        root: YNode | None = None
        while True:
            event = get_event()
            kind = type(event)
            made: YNode
            if kind is _SCALAR:
                line = event.start_mark.line + 1 + off
                tag = event.tag
                if tag is None or tag == "!":
                    tag = resolve(yaml.ScalarNode, event.value, event.implicit)
                made = YScalar(event.value, tag, line, event.style in _QUOTED)
                if open_ and keys[-1] is None and type(open_[-1]) is YMap:
                    _take_key(open_[-1], keys, event.value, line)  # a mapping key
                    continue
            elif kind is _SEQ_END or kind is _MAP_END:
                made = open_.pop()
                keys.pop()
                if not open_:
                    root = made
                    continue
            elif kind is _SEQ_START or kind is _MAP_START:
                line = event.start_mark.line + 1 + off
                if open_ and keys[-1] is None and type(open_[-1]) is YMap:
                    raise _Refused(line, None, "键必须是一段文字", "键写在冒号前面，如 name: 值")
                if len(open_) >= MAX_DEPTH:
                    raise _Refused(
                        line,
                        None,
                        f"嵌套层数过多（超过 {MAX_DEPTH} 层）",
                        "内容文件不需要这么多层的列表或键值，请检查缩进和括号",
                    )
                open_.append(YSeq([], line) if kind is _SEQ_START else YMap(line=line))
                keys.append(None)
                continue
            elif kind is yaml.AliasEvent:
                raise _Refused(
                    event.start_mark.line + 1 + off,
                    None,
                    f"使用了 YAML 别名 *{event.anchor}",
                    "内容文件不需要锚点（&）和别名（*）：请把要重复的内容直接写出来",
                )
            else:  # DocumentEnd
                break
            if not open_:
                root = made
                continue
            container, pending = open_[-1], keys[-1]
            if type(container) is YSeq:
                container.items.append(made)
            else:
                assert pending is not None and isinstance(container, YMap)
                container.entries[pending[0]] = (pending[1], made)
                keys[-1] = None
        if not loader.check_event(yaml.StreamEndEvent):
            event = get_event()
            raise _Refused(
                event.start_mark.line + 1 + off,
                None,
                "文件里有多段 YAML 文档（用 --- 分隔）",
                "一个内容文件只写一段；删除多余的 --- 行",
            )
        return root
    finally:
        loader.dispose()


_SCALAR, _SEQ_START, _SEQ_END = yaml.ScalarEvent, yaml.SequenceStartEvent, yaml.SequenceEndEvent
_MAP_START, _MAP_END = yaml.MappingStartEvent, yaml.MappingEndEvent
_QUOTED = frozenset(("'", '"', "|", ">"))


def _take_key(container: YMap, keys: list[tuple[str, int] | None], key: str, line: int) -> None:
    if key in container.entries:
        first = container.entries[key][0]
        raise _Refused(
            line,
            key,
            f"键重复：第 {first} 行已经写过 '{key}'",
            "同一层里每个键只能出现一次，请删除或合并重复的那一项",
        )
    keys[-1] = (key, line)


def _syntax_problem(exc: yaml.MarkedYAMLError, text: str, rel: str, off: int) -> Problem:
    mark = exc.problem_mark or exc.context_mark
    line = (mark.line + 1 if mark else 1) + off
    col = mark.column + 1 if mark else 1
    src_lines = text.split("\n")
    nearby = src_lines[max(0, line - off - 2) : line - off + 1]
    hint = "检查缩进是否对齐、冒号后是否有空格、引号是否成对"
    if any("\t" in ln[: len(ln) - len(ln.lstrip())] for ln in nearby) or "\\t" in str(exc.problem):
        hint = "缩进里有 Tab 制表符；YAML 只能用空格缩进，请把 Tab 换成两个空格"
    elif any("：" in ln and ":" not in ln.split("#")[0] for ln in nearby):
        hint = "这里用了中文全角冒号“：”；键和值之间要用英文半角冒号“:”并在后面加一个空格"
    reason = _translate_yaml_reason(str(exc.problem or exc.context or ""))
    return Problem(rel, line, None, f"YAML 格式错误（第 {col} 列）：{reason}", hint)


_YAML_REASONS = {
    "found character '\\t' that cannot start any token": "出现了不能用在这里的 Tab 字符",
    "mapping values are not allowed here": "这里不能出现冒号（可能少了空格或缩进不对）",
    "could not find expected ':'": "找不到应有的冒号“:”",
    "found unexpected end of stream": "文件意外结束（引号或括号没有闭合？）",
    "did not find expected key": "缩进不一致，找不到应有的键",
    "found undefined alias": "引用了未定义的别名",
    "expected <block end>, but found '<block sequence start>'": "列表“-”的缩进与上一级不一致",
    "expected <block end>, but found '<block mapping start>'": "这一行的缩进与上一行不一致",
    "expected <block end>, but found '<scalar>'": "这一行的缩进与上一行不一致",
    "while scanning a quoted scalar": "引号没有成对闭合",
    "while parsing a flow mapping": "花括号 {} 没有正确闭合",
    "while parsing a flow sequence": "方括号 [] 没有正确闭合",
    "found unknown escape character": "双引号里有无效的转义字符",
    "did not find expected '-' indicator": "列表项缩进不一致，找不到应有的“-”",
    "expected ',' or '}', but got '<scalar>'": "花括号 {} 里的项要用英文逗号分隔",
}


def _translate_yaml_reason(reason: str) -> str:
    for en, zh in _YAML_REASONS.items():
        if reason.startswith(en):
            return zh
    # An untranslated PyYAML reason is still shown (in English) rather than hidden: it names the token.
    return f"无法解析（{reason}）" if reason else "无法解析"


def split_front_matter(text: str) -> tuple[str | None, int, str]:
    """Split ``---`` YAML front matter from a Markdown body.

    Returns (front matter text or None, line offset of the front matter, body).
    """
    if not text.startswith("---\n"):
        return None, 0, text
    end = text.find("\n---", 3)
    while end != -1 and text[end + 4 : end + 5] not in ("\n", ""):
        end = text.find("\n---", end + 4)
    if end == -1:
        return None, 0, text
    return text[4 : end + 1], 1, text[end + 5 :]
