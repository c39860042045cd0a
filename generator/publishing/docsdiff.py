"""Changes to hand-written pages and files (docs/) for ``stationsite diff``.

docs/ is published as it is (sanitised), so a reviewer must see a change there like any other: a
page added, removed or edited (with the lines added, so a ``<script>`` or a link to a stranger's
site cannot slip through unseen), and any other file added, removed or replaced.
"""

from __future__ import annotations

import difflib
import re
from pathlib import Path

DOCS = "docs"
SHOWN_LINES = 12  # added lines shown per page; the rest are counted


def _files(folder: Path | None) -> dict[str, bytes]:
    base = (folder / DOCS) if folder else None
    if base is None or not base.is_dir():
        return {}
    out = {}
    for path in sorted(base.rglob("*")):
        if path.is_file() and not path.is_symlink():
            out[path.relative_to(folder).as_posix()] = path.read_bytes()  # type: ignore[arg-type]
    return out


def _text(data: bytes) -> str:
    return data.decode("utf-8-sig", errors="replace").replace("\r\n", "\n")


def _title(data: bytes) -> str:
    text = _text(data)
    m = re.search(r"(?m)^title:\s*(.+)$", text.split("\n---", 1)[0]) if text.startswith("---") else None
    m = m or re.search(r"(?m)^#\s+(.+)$", text)
    return _inline(m[1].strip().strip("\"'")) if m else "（无标题）"


def _inline(text: str) -> str:
    text = " ".join(text.split())
    return re.sub(r"([\\`*_\[\]<>|#!&])", r"\\\1", text)


def _fenced(lines: list[str]) -> list[str]:
    """Lines as a code block: a fence longer than any backtick run in them, so none can end it.
    Not indented under the list item, so every Markdown renderer sees the fence."""
    longest = max((len(run) for ln in lines for run in re.findall(r"`+", ln)), default=0)
    fence = "`" * max(3, longest + 1)
    return ["", f"{fence}text", *lines, fence, ""]


def docs_changes(base_dir: Path | None, head_dir: Path | None) -> list[str]:
    """Markdown list lines describing what changed under docs/ (empty when nothing did)."""
    old, new = _files(base_dir), _files(head_dir)
    out: list[str] = []
    for rel in sorted(new.keys() | old.keys()):
        before, after = old.get(rel), new.get(rel)
        if before == after:
            continue
        page = rel.endswith(".md")
        what = "页面" if page else "文件"
        if before is None:
            assert after is not None
            out.append(f"- 新增手写{what}：`{rel}`" + (f"（{_title(after)}）" if page else ""))
            if page:
                added = [ln for ln in _text(after).split("\n") if ln.strip()]
                out += _shown(added)
        elif after is None:
            out.append(f"- 删除手写{what}：`{rel}`" + (f"（{_title(before)}）" if page else ""))
        elif not page:
            out.append(f"- 替换文件：`{rel}`")
        else:
            diff = list(difflib.unified_diff(_text(before).split("\n"), _text(after).split("\n"), n=0))[2:]
            added = [ln[1:] for ln in diff if ln.startswith("+") and ln[1:].strip()]
            removed = [ln for ln in diff if ln.startswith("-") and ln[1:].strip()]
            out.append(
                f"- 修改手写页面：`{rel}`（{_title(after)}）：增加 {len(added)} 行，删除 {len(removed)} 行"
            )
            out += _shown(added)
    return out


def _shown(added: list[str]) -> list[str]:
    if not added:
        return []
    lines = _fenced(added[:SHOWN_LINES])
    if len(added) > SHOWN_LINES:
        lines.append(f"（另有 {len(added) - SHOWN_LINES} 行）")
    return lines
