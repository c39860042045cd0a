"""No problem caused by another, and every problem said as an editor reads it.

A file with problems is still cross-checked on its sound part (``load._Reader._sound_part``); the
checks across files must then not report what the left-out part causes, and item numbers must be
those of the file. A file that does not load at all still holds staff phones and allow-listed
numbers: read leniently here, so that the privacy scanner does not raise false alarms about lines
the editor never touched. Finally every key path is put into words: ``第 21 项活动·日期（date）``.
"""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path

from generator.content.schema_types import Type, describe_path
from generator.content.schemas import (
    ACTIVITIES,
    ALLOWLIST,
    COUNTY,
    INDICATORS,
    NEWS,
    POLICY,
    RESULTS,
    RULE,
    STATION,
)
from generator.content.sourcefile import YMap, YNode, YScalar
from generator.problems import Problem


def first_step(key: str | None) -> str | int | None:
    """``[3].counts.x`` → 3, ``staff[1].phone`` → 'staff', no key → None (the whole file)."""
    if not key:
        return None
    m = re.match(r"\[(\d+)\]|([^.\[]+)", key)
    if not m:
        return None
    return int(m[1]) if m[1] is not None else m[2]


def without_consequences(
    problems: list[Problem], kept_items: dict[str, list[int]], left_out: dict[str, list[YNode]]
) -> list[Problem]:
    """Checks across files, with the item numbers of files kept in part put back as in the file,
    and without the problems that another problem causes.

    An indicator whose entry has a problem is left out of indicators.yml's sound part; a results.yml
    that counts it must not then be told the indicator does not exist.
    """
    faulty_ids = {
        ind.entries["id"][1].text
        for ind in left_out.get("content/indicators.yml", [])
        if isinstance(ind, YMap) and "id" in ind.entries and isinstance(ind.entries["id"][1], YScalar)
    }
    out = []
    for p in problems:
        keep = kept_items.get(p.file)
        m = re.match(r"\[(\d+)\]", p.key or "")
        if keep is not None and m and int(m[1]) < len(keep):
            p = dataclasses.replace(p, key=f"[{keep[int(m[1])]}]" + (p.key or "")[m.end() :])
        m = re.fullmatch(r"\[\d+\]\.counts\.(.+)", p.key or "")
        if p.file.endswith("/results.yml") and m and m[1] in faulty_ids:
            continue
        out.append(p)
    return out


def schema_of(rel: str) -> Type | None:
    """The declared schema of a content file, by its path."""
    fixed: dict[str, Type] = {
        "content/county.yml": COUNTY,
        "content/indicators.yml": INDICATORS,
        "content/privacy-allowlist.yml": ALLOWLIST,
    }
    if rel in fixed:
        return fixed[rel]
    parts = rel.split("/")
    if parts[0] == "stations" and len(parts) == 3:
        return {"station.yml": STATION, "activities.yml": ACTIVITIES, "results.yml": RESULTS}.get(parts[2])
    if rel.endswith(".md") and len(parts) >= 3:
        folder = parts[-2]
        return {"rules": RULE, "policies": POLICY, "news": NEWS}.get(folder)
    return None


def in_words(problems: list[Problem]) -> list[Problem]:
    """Name every field as the editor reads it: counted from 1, in Chinese and by its key."""
    out = []
    for p in problems:
        schema = schema_of(p.file)
        if schema is not None and p.key:
            p = dataclasses.replace(p, key=describe_path(schema, p.key))
        out.append(p)
    return out


_PHONE_LINE = re.compile(r"""^[\s-]*phone\s*[:：]\s*["'“”]?\+?(?:86)?\s*([\d -]{11,13})""")
_VALUE_LINE = re.compile(r"""^[\s-]*value\s*[:：]\s*["'“”]?([^"'“”#,}]+)""")


def staff_phones_leniently(path: Path) -> set[str]:
    """Phones written under a ``phone`` key of a station.yml that does not load, read line by line.

    Such a file may not even parse (one full-width colon), so its staff mobiles are found by the
    key on their own line; they count as published until the file loads again, so that no false
    alarm about untouched lines (here or in other files) hides the one real problem.
    """
    try:
        text = path.read_bytes().decode("utf-8", errors="replace")
    except OSError:
        return set()
    out = set()
    for line in text.splitlines():
        m = _PHONE_LINE.match(line)
        if m:
            out.add(re.sub(r"\D", "", m[1]))
    return out


def allowed_leniently(root: Path, troubled: bool) -> set[tuple[str, str]]:
    """Values of allow-list entries that do not load: still exceptions, not a cascade of alarms."""
    path = root / "content" / "privacy-allowlist.yml"
    if not path.is_file() or not troubled:
        return set()
    text = path.read_bytes().decode("utf-8", errors="replace")
    return {("*", m[1].strip()) for line in text.splitlines() if (m := _VALUE_LINE.match(line))}
