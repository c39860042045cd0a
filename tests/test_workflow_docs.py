"""The editors' guide (generated from theme/pages/guide/ with the county's own stations) and the field
reference generated from the validator's schemas."""

from __future__ import annotations

import functools
import re
from pathlib import Path

import markdown
import pytest

from generator.content import privacy
from generator.content.fieldref import describe, field_reference_markdown
from generator.content.load import load_content
from generator.content.schema_types import Enum, ListOf, Record
from generator.content.schemas import FILE_KINDS
from generator.site.pages.guide import guide_pages

REPO = Path(__file__).resolve().parent.parent


@functools.cache
def _guide() -> dict[str, str]:
    """The sample county's guide pages by file name (index.md, …)."""
    content, problems = load_content(REPO)
    assert not problems
    return {src.removeprefix("guide/"): text for src, text in guide_pages(content)}


# page → what an editor must be able to learn there
PAGES = {
    "index.md": ["如何更新", "拉取请求", "fields.md", "pull-request.md", "posters.md"],
    "activities.md": ["activities.yml", "- date:", "取消", "本周活动安排", "stationsite new activity"],
    "staff.md": ["staff:", "role", "public_phone", "stationsite new station"],
    "results.md": ["results.yml", "month:", "counts:", "<5"],
    "posters.md": ["公示栏", "本周活动安排", "all.pdf", "需要重新打印的海报"],
    "pull-request.md": ["staff[0].phone", "需要重新打印的海报", "site-preview", "【本周】"],
    "publishing.md": ["GitHub Pages", "Gitea", "Gitee", "静态", "site_url", "stationsite build"],
}


@pytest.mark.parametrize("page", sorted(PAGES))
def test_guide_page_covers_its_task(page: str) -> None:
    text = _guide()[page]
    for phrase in PAGES[page]:
        assert phrase in text, f"{page} should mention {phrase!r}"
    assert text.startswith("# ")


def test_every_task_page_links_the_field_reference() -> None:
    for page in ("index.md", "activities.md", "staff.md", "results.md", "pull-request.md"):
        assert "](fields.md)" in _guide()[page], page


def test_guide_links_point_at_guide_pages() -> None:
    for name, text in _guide().items():
        for target in re.findall(r"\]\(([^)#\s]+)", text):
            if target.startswith(("http://", "https://")):
                continue
            assert target in _guide(), f"{name}: {target}"


def test_guide_passes_the_privacy_scanner_and_link_rules() -> None:
    for name, text in sorted(_guide().items()):
        assert privacy.scan_text(text, f"guide/{name}", set(), set()) == []
        assert not re.search(r"\]\((/|\.\./\.\./)", text), name  # nothing climbs out of the site


def test_examples_in_the_guide_are_valid_content() -> None:
    """Every YAML example in the guide passes the schema of the file it is for."""
    from generator.content.schema_types import Checker
    from generator.content.schemas import ACTIVITIES, RESULTS, STATION
    from generator.content.sourcefile import parse_yaml

    blocks = {
        "activities.md": (ACTIVITIES, None),
        "results.md": (RESULTS, None),
        "staff.md": (STATION, "staff"),
    }
    for page, (schema, key) in blocks.items():
        text = _guide()[page]
        example = re.findall(r"```yaml\n(.*?)```", text, re.S)[0]
        node, problems = parse_yaml(example, page)
        assert not problems, problems
        ck = Checker(page)
        if key:
            field = next(f for f in schema.fields if f.name == key)
            field.type.convert(node.entries[key][1], key, ck)
        else:
            schema.convert(node, "", ck)
        assert ck.problems == [], (page, ck.problems)


# --------------------------------------------------------------------------------------------------
# field reference


def _paths(record: Record, prefix: str = "") -> list[str]:
    out = []
    for f in record.fields:
        out.append(prefix + f.name)
        inner = f.type
        if isinstance(inner, Record):
            out += _paths(inner, f"{prefix}{f.name}.")
        elif isinstance(inner, ListOf) and isinstance(inner.item, Record):
            out += _paths(inner.item, f"{prefix}{f.name}[].")
    return out


def test_field_reference_lists_every_field_of_every_file_kind() -> None:
    text = field_reference_markdown()
    for where, schema in FILE_KINDS:
        assert f"## `{where}`" in text
        record = schema if isinstance(schema, Record) else schema.item
        section = text.split(f"## `{where}`", 1)[1].split("\n## ", 1)[0]
        rows = [
            ln.split("|")[1].strip() for ln in section.splitlines() if ln.startswith("| ") and "---" not in ln
        ]
        assert rows[1:] == _paths(record), where


def test_field_reference_states_required_and_choices_as_the_validator_does() -> None:
    text = field_reference_markdown()
    assert "| phone | 必填 | 电话号码" in text
    assert "| staff[].public_phone | 可选 | true / false |" in text
    assert "`township`（乡镇站）" in text and "`talk`（政策宣讲）" in text
    assert "| title | 必填 | 文字，最多 60 字 | 活动名称 |" in text
    assert "| target.county | 三选一 |" in text


def test_every_enum_choice_reaches_the_reference() -> None:
    text = field_reference_markdown()

    def enums(kind):  # type: ignore[no-untyped-def]
        if isinstance(kind, Enum):
            yield kind
        elif isinstance(kind, ListOf):
            yield from enums(kind.item)
        elif isinstance(kind, Record):
            for f in kind.fields:
                yield from enums(f.type)

    for _, schema in FILE_KINDS:
        for enum in enums(schema):
            for choice in enum.choices:
                assert f"`{choice}`" in text
            assert describe(enum) in text


def test_field_reference_renders_as_tables() -> None:
    html = markdown.markdown(field_reference_markdown(), extensions=["tables"])
    assert html.count("<table>") == len(FILE_KINDS)
    assert "| " not in re.sub(r"<code>.*?</code>", "", html)  # no row fell out of its table
