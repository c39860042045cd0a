"""Placeholder text left in a content file (待填写, 某某, TODO): a problem, never published.

``stationsite new station`` once wrote 待填写 into a new station's address and staff, and the
file passed the check, so a placeholder could reach the public site and the printed board. Every
value of every YAML file and every Markdown body is read for such words; comments are not (they
are never published, and the generated files explain themselves there).
"""

from __future__ import annotations

import re

from generator.content.schema_types import child
from generator.content.sourcefile import YMap, YNode, YScalar, YSeq
from generator.problems import Problem

PLACEHOLDER = re.compile(
    r"待填写|待填|请填写|请改为|待补充|待完善|待定|[?？]{2,}|(?<![A-Za-z])(?:TODO|TBD|FIXME|XXX)(?![A-Za-z])"
)
HINT = "这是占位文字，请改成真实信息；可选的项不知道就整行删掉"


def scan_node(node: YNode | None, rel: str, path: str = "") -> list[Problem]:
    """Placeholders in the values of a parsed YAML tree (keys are checked by the schema)."""
    if isinstance(node, YScalar):
        m = PLACEHOLDER.search(node.text)
        if m:
            said = f"还是占位文字“{m[0]}”" + (f"：{node.text.strip()}" if node.text.strip() != m[0] else "")
            return [Problem(rel, node.line, path or None, said, HINT)]
        return []
    out: list[Problem] = []
    if isinstance(node, YMap):
        for key, (_, value) in node.entries.items():
            out += scan_node(value, rel, child(path, key))
    elif isinstance(node, YSeq):
        for i, item in enumerate(node.items):
            out += scan_node(item, rel, child(path, i))
    return out


def scan_body(body: str, rel: str, first_line: int) -> list[Problem]:
    """Placeholders in a Markdown body; ``first_line`` is the file line of the body's first line."""
    out = []
    for n, line in enumerate(body.split("\n")):
        m = PLACEHOLDER.search(line)
        if m:
            out.append(Problem(rel, first_line + n, None, f"正文里还是占位文字“{m[0]}”", HINT))
    return out
