"""Hostile payloads and the checks that every output file keeps them harmless.

Used by tests/test_hostile_*.py. A payload goes into every text field of every schema (the walk
follows the declared schemas, so a field added later is covered, or the coverage check fails and
names it) and into every Markdown body; the build's output files are then parsed the way their
readers parse them (browsers, feed readers, calendar apps) and must show the payload as text.
"""

from __future__ import annotations

import csv
import html.parser
import io
import json
import os
import re
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

from generator.content.schema_types import Field, ListOf, MapOf, Record, Text, Type
from generator.content.schemas import FILE_KINDS
from generator.content.sourcefile import YMap, YNode, YScalar, YSeq, parse_yaml, split_front_matter

MARK = "data-pwn"
# Short enough for the 60-character activity title (and for posters to stay one page): a tag with
# an attribute, both quotes and an entity (attribute and entity escaping), Markdown's table, emphasis
# and link characters.
SHORT = f"<i {MARK}>\"'&amp;|*_[</i>"
HOSTILE_BODY = f"""

<script>pwn()</script>
<div {MARK} onclick="pwn()">点我</div>
<iframe src="https://evil.example/"></iframe>
<style>body {{ display: none }}</style>
[链接](javascript:pwn()) <a href="javascript:pwn()" {MARK}>链接</a> <a href="data:text/html,pwn">数据</a>
<svg onload="pwn()"><circle r="4"/></svg> <object data="x.swf"></object> <form action="https://evil.example/"><input></form>
<math><mi xlink:href="javascript:pwn()">x</mi></math> <base href="https://evil.example/">
"""
# Never published (the allow-list only tells the privacy scanner what to accept).
UNPUBLISHED = {"content/privacy-allowlist.yml"}


def text_fields(schema: Type, where: str = "") -> set[str]:
    """Every text field reachable in ``schema``, as ``record title.field``."""
    out: set[str] = set()
    if isinstance(schema, Record):
        for f in schema.fields:
            if _is_text(f.type):
                out.add(f"{schema.title}.{f.name}")
            out |= text_fields(f.type, where)
    elif isinstance(schema, (ListOf,)):
        out |= text_fields(schema.item, where)
    elif isinstance(schema, MapOf):
        out |= text_fields(schema.value, where)
    return out


def _is_text(t: Type) -> bool:
    return isinstance(t, Text) or (isinstance(t, ListOf) and isinstance(t.item, Text))


def all_text_fields() -> set[str]:
    out: set[str] = set()
    for _, schema in FILE_KINDS:
        out |= text_fields(schema)
    return out


def _payload(t: Text) -> str:
    return SHORT


def _poison(schema: Type, node: YNode, hit: set[str]) -> YNode:
    """``node`` with the payload appended to every text value (and missing optional text fields added)."""
    if isinstance(schema, Record) and isinstance(node, YMap):
        for f in schema.fields:
            if f.name in node.entries:
                line, value = node.entries[f.name]
                node.entries[f.name] = (line, _poison_field(schema, f, value, hit))
            elif _is_text(f.type):
                made: YNode = YScalar("占位", "tag:yaml.org,2002:str", 0, True)
                if isinstance(f.type, ListOf):
                    made = YSeq([made], 0)
                node.entries[f.name] = (0, _poison_field(schema, f, made, hit))
        return node
    if isinstance(schema, ListOf) and isinstance(node, YSeq):
        node.items = [_poison(schema.item, item, hit) for item in node.items]
        return node
    if isinstance(schema, MapOf) and isinstance(node, YMap):
        for key, (line, value) in list(node.entries.items()):
            node.entries[key] = (line, _poison(schema.value, value, hit))
    return node


def _poison_field(record: Record, f: Field, node: YNode, hit: set[str]) -> YNode:
    t = f.type
    if isinstance(t, Text) and isinstance(node, YScalar):
        hit.add(f"{record.title}.{f.name}")
        return YScalar(node.text.strip() + _payload(t), node.tag, node.line, True)
    if isinstance(t, ListOf) and isinstance(t.item, Text) and isinstance(node, YSeq):
        hit.add(f"{record.title}.{f.name}")
        node.items = [
            YScalar(n.text.strip() + _payload(t.item), n.tag, n.line, True) if isinstance(n, YScalar) else n
            for n in node.items
        ]
        return node
    return _poison(t, node, hit)


def dump(node: YNode, indent: int = 0) -> str:
    """A node tree as block YAML; every scalar that was quoted is written as a JSON string."""
    pad = " " * indent
    if isinstance(node, YScalar):
        return json.dumps(node.text, ensure_ascii=False) if node.quoted else node.text
    lines = []
    if isinstance(node, YMap):
        for key, (_, value) in node.entries.items():
            if isinstance(value, YScalar):
                lines.append(f"{pad}{key}: {dump(value)}")
            elif (isinstance(value, YSeq) and not value.items) or (
                isinstance(value, YMap) and not value.entries
            ):
                lines.append(f"{pad}{key}: {'[]' if isinstance(value, YSeq) else '{}'}")
            else:
                lines.append(f"{pad}{key}:\n{dump(value, indent + 2)}")
    else:
        assert isinstance(node, YSeq)
        for item in node.items:
            if isinstance(item, YScalar):
                lines.append(f"{pad}- {dump(item)}")
            else:
                lines.append(f"{pad}-\n{dump(item, indent + 2)}")
    return "\n".join(lines)


def _schema_for(rel: str) -> Type | None:
    import fnmatch

    for pattern, schema in FILE_KINDS:
        for one in pattern.split("、"):
            if fnmatch.fnmatch(rel, one.replace("<代号>", "*")):
                return schema
    return None


def poison_repository(root: Path) -> set[str]:
    """Put payloads into every text field and Markdown body under content/ and stations/.

    Returns the text fields (``record.field``) that received a payload.
    """
    hit: set[str] = set()
    for path in sorted([*root.glob("content/**/*"), *root.glob("stations/**/*")]):
        rel = path.relative_to(root).as_posix()
        schema = _schema_for(rel)
        if not path.is_file() or schema is None or rel in UNPUBLISHED:
            continue
        text = path.read_text(encoding="utf-8")
        if path.suffix == ".md":
            front, _, body = split_front_matter(text)
            assert front is not None, rel
            node, problems = parse_yaml(front, rel)
            assert node is not None and not problems, rel
            node = _poison(schema, node, hit)
            path.write_text(f"---\n{dump(node)}\n---\n{body}{HOSTILE_BODY}", encoding="utf-8")
        else:
            node, problems = parse_yaml(text, rel)
            assert node is not None and not problems, rel
            path.write_text(dump(_poison(schema, node, hit)) + "\n", encoding="utf-8")
    return hit


# ------------------------------------------------------------------------------- output checks


class _Scan(html.parser.HTMLParser):
    """Everything in a document that would run or take effect as markup from content."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.bad: list[str] = []
        self.text: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._check(tag, attrs)
        self._in_script = tag == "script"

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._check(tag, attrs)

    def _check(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("iframe", "object", "embed", "base", "math", "frame", "frameset"):
            self.bad.append(f"<{tag}>")
        for name, value in attrs:
            v = (value or "").strip().lower()
            if (
                name == MARK
                or name.startswith("on")
                or v.startswith(("javascript:", "vbscript:", "data:text"))
            ):
                self.bad.append(f"<{tag} {name}={value!r}>")

    def handle_endtag(self, tag: str) -> None:
        self._in_script = False

    def handle_data(self, data: str) -> None:
        if self._in_script and "pwn()" in data:
            self.bad.append(f"<script>{data[:60]}")
        self.text.append(data)


def html_problems(text: str) -> tuple[list[str], str]:
    """(markup from content that took effect, the document's visible text)."""
    scan = _Scan()
    scan.feed(text)
    scan.close()
    return scan.bad, "".join(scan.text)


def output_problems(site: Path) -> dict[str, list[str]]:
    """Every output file that shows content markup, with what was found. Empty means all harmless."""
    found: dict[str, list[str]] = {}
    for path in sorted(p for p in site.rglob("*") if p.is_file()):
        rel = path.relative_to(site).as_posix()
        bad = file_problems(path)
        if bad:
            found[rel] = bad
    return found


def file_problems(path: Path) -> list[str]:
    suffix = path.suffix
    if suffix in (".html", ".htm", ".svg"):
        return html_problems(path.read_text(encoding="utf-8"))[0]
    if path.name in ("search_index.json", "search.json"):  # Material's, Zensical's (shown as HTML)
        bad = []
        index = json.loads(path.read_text(encoding="utf-8"))
        for doc in index.get("docs", index.get("items", [])):
            for key in ("title", "text"):
                bad += html_problems(doc.get(key, ""))[0]
        return bad
    if suffix == ".json":
        json.loads(path.read_text(encoding="utf-8"))
        return []
    if suffix == ".xml":
        tree = ET.parse(path)
        bad = []
        for el in tree.iter():
            if el.get("type") == "html" and el.text:
                bad += html_problems(el.text)[0]
        return bad
    if suffix == ".csv":
        list(csv.reader(io.StringIO(path.read_text(encoding="utf-8-sig"))))
        return []
    if suffix == ".ics":
        from icalendar import Calendar

        Calendar.from_ical(path.read_bytes())
        return []
    return []


# ------------------------------------------------------------------------------- the hostile build

KEEP_STATIONS = {"hub"}
KEEP_RULES = {"duties.md", "service-flow.md", "first-inquiry.md"}


def _shrink(root: Path) -> None:
    for sdir in (root / "stations").iterdir():
        if sdir.name not in KEEP_STATIONS:
            shutil.rmtree(sdir)
    for rule in (root / "content" / "rules").iterdir():
        if rule.name not in KEEP_RULES:
            rule.unlink()
        elif rule.name == "service-flow.md":
            # The station's own flow poster prints the steps with the station's staff beside each; with a
            # payload in every one of those fields the full eight steps no longer fit one A3 page.
            head, body = rule.read_text(encoding="utf-8").split("\n---\n", 1)
            steps = [line for line in body.splitlines() if line.strip()][:3]
            rule.write_text(head + "\n---\n" + "\n".join(steps) + "\n", encoding="utf-8")
    hub = root / "stations" / "hub" / "station.yml"
    if "volunteers:" not in hub.read_text(encoding="utf-8"):  # the only optional record the hub lacks
        with hub.open("a", encoding="utf-8") as f:
            f.write("volunteers: {team: 总站志愿服务队, members: 8}\n")
    for news in (root / "content" / "news").glob("*.md"):
        station = re.search(r"(?m)^station:\s*(\S+)", news.read_text(encoding="utf-8"))
        if station and station[1] not in KEEP_STATIONS:
            news.unlink()


# A hand-written page whose title and headings attack what themes print outside the page's content:
# <title> (printed through `striptags`, which decodes entities), the table of contents (Zensical
# prints a heading's HTML, and a data-toc-label as written) and a front matter value in <meta>.
HOSTILE_DOCS_PAGE = f"""---
author: '"><script>pwn()</script>'
---
# 标题 &lt;/title&gt;&lt;script&gt;pwn()&lt;/script&gt; <span {MARK}>x</span>

## 甲 <span onclick="pwn()" {MARK}>乙</span>

## 丙 <script>pwn()</script>

## 丁 {{ data-toc-label="<b {MARK} onclick='pwn()'>戊</b>" }}

正文
"""


def _poison_docs(root: Path) -> None:
    for page in sorted((root / "docs").rglob("*.md")):
        text = page.read_text(encoding="utf-8")
        text = re.sub(r"(?m)^# (.*)$", lambda m: f"# {m[1]}{SHORT}", text, count=1)
        if text.startswith("---\n"):
            text = "---\ndescription: " + json.dumps("说明" + SHORT, ensure_ascii=False) + "\n" + text[4:]
        page.write_text(text + HOSTILE_BODY, encoding="utf-8")
    (root / "docs" / "hostile.md").write_text(HOSTILE_DOCS_PAGE, encoding="utf-8")


_BUILT: dict[str, tuple[Path, set[str]]] = {}
ENGINES = ("mkdocs", "zensical")


def build_hostile_site(tmp_path_factory: Any, engine: str = "mkdocs") -> tuple[Path, set[str]]:
    """The cut-down sample with payloads everywhere, built once per test process and engine
    (``stationsite build --engine``): (site, fields hit).

    Shared by the output tests and the browser tests, whose session fixtures both call it.
    """
    if engine in _BUILT:
        return _BUILT[engine]
    from conftest import COPY_IGNORE, REPO, need_zensical

    if engine == "zensical":
        need_zensical()
    root = tmp_path_factory.mktemp(f"hostile-{engine}") / "repo"
    shutil.copytree(REPO, root, ignore=COPY_IGNORE, symlinks=True)
    _shrink(root)
    hit = poison_repository(root)
    _poison_docs(root)
    # The poster cache is shared with the working tree's; Zensical's project (.cache/zensical) is not.
    (REPO / ".cache" / "posters").mkdir(parents=True, exist_ok=True)
    (root / ".cache").mkdir()
    (root / ".cache" / "posters").symlink_to(REPO / ".cache" / "posters", target_is_directory=True)
    # Built with the network unavailable (a new, empty network namespace) where the system allows
    # it: posters and everything else must need no host but this one.
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    done = subprocess.run(
        [*OFFLINE, sys.executable, "-m", "generator", "build", "--root", str(root), "--engine", engine],
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "Traceback" not in done.stderr
    _BUILT[engine] = (root / "site", hit)
    return _BUILT[engine]


def _offline_prefix() -> list[str]:
    """``unshare -rn``: run a command in a network namespace with no interface but loopback (down)."""
    if not shutil.which("unshare"):
        return []
    probe = subprocess.run(["unshare", "-rn", "true"], capture_output=True)
    return ["unshare", "-rn"] if probe.returncode == 0 else []


OFFLINE = _offline_prefix()
