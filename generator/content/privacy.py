"""The privacy scanner: personal numbers must never reach a public repository or site.

Every text file is scanned for a resident ID number (18 digits with a valid check digit), a bank
card number (13–19 digits passing Luhn) and a mobile number that is not a staff member's published
number. Numbers are masked in messages: a CI log is public too. Deliberate exceptions go in
``content/privacy-allowlist.yml`` (file, value, reason).
"""

from __future__ import annotations

import re
from pathlib import Path

from generator.problems import Problem

SCANNED_DIRS = ("content", "stations", "docs")
ALLOWLIST_FILE = "content/privacy-allowlist.yml"
TEXT_SUFFIXES = {".md", ".yml", ".yaml", ".txt", ".csv", ".json", ".html", ".htm"}

_ID = re.compile(r"(?<![\dA-Za-z])(\d{17}[\dXx])(?![\dA-Za-z])")
_CARD = re.compile(r"(?<![\d-])(\d(?:[ -]?\d){14,18})(?![\d-])")
_MOBILE = re.compile(r"(?<![\d])(?:\+?86[ -]?)?(1[3-9]\d[ -]?\d{4}[ -]?\d{4})(?!\d)")
_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)


def id_check_digit_ok(number: str) -> bool:
    """GB 11643-1999 check digit of an 18-digit resident ID number."""
    total = sum(int(d) * w for d, w in zip(number[:17], _ID_WEIGHTS, strict=True))
    return "10X98765432"[total % 11] == number[17].upper()


def luhn_ok(digits: str) -> bool:
    total = 0
    for i, ch in enumerate(reversed(digits)):
        d = int(ch)
        if i % 2 == 1:
            d = d * 2 - 9 if d > 4 else d * 2
        total += d
    return total % 10 == 0


def mask(number: str) -> str:
    return number[:3] + "*" * (len(number) - 5) + number[-2:]


def scan_text(text: str, rel: str, allowed_mobiles: set[str], allowed_values: set[str]) -> list[Problem]:
    """Problems for one file's text. ``allowed_mobiles``: numbers that may appear in this file."""
    problems: list[Problem] = []
    for lineno, line in enumerate(text.split("\n"), start=1):
        taken: list[tuple[int, int]] = []
        for m in _ID.finditer(line):
            if id_check_digit_ok(m[1]) and m[1] not in allowed_values:
                taken.append(m.span(1))
                problems.append(
                    Problem(
                        rel,
                        lineno,
                        None,
                        f"发现居民身份证号码 {mask(m[1])}",
                        "公开内容不得包含身份证号；请删除",
                    )
                )
        for m in _CARD.finditer(line):
            digits = re.sub(r"\D", "", m[1])
            # Card numbers are 15–19 digits and start with a network's 3–6 (UnionPay 62…): this
            # keeps dates, timestamps and document numbers from looking like cards.
            if any(a <= m.start(1) < b for a, b in taken) or not 15 <= len(digits) <= 19:
                continue
            if digits[0] not in "3456":
                continue
            if re.fullmatch(r"1[3-9]\d{9}", digits):
                continue  # an 11-digit mobile is judged below, not as a card
            if luhn_ok(digits) and digits not in allowed_values and len(set(digits)) > 2:
                taken.append(m.span(1))
                problems.append(
                    Problem(
                        rel,
                        lineno,
                        None,
                        f"发现疑似银行卡号 {mask(digits)}",
                        "公开内容不得包含银行卡号；请删除",
                    )
                )
        for m in _MOBILE.finditer(line):
            digits = re.sub(r"\D", "", m[1])
            if any(a <= m.start(1) < b for a, b in taken):
                continue
            if digits not in allowed_mobiles and digits not in allowed_values:
                problems.append(
                    Problem(
                        rel,
                        lineno,
                        None,
                        f"发现手机号码 {mask(digits)}，它不是工作人员公开的号码",
                        "居民的手机号不得公开；工作人员的号码请写在 station.yml 的 staff 里并设 public_phone: true；"
                        "确需公开的号码登记在 content/privacy-allowlist.yml",
                    )
                )
    return problems


def scan_tree(root: Path, staff_phones: dict[str, set[str]], allowed: set[tuple[str, str]]) -> list[Problem]:
    """Scan every text file of the content tree.

    ``staff_phones`` maps a station.yml path to the staff phones written in it (allowed there) and
    ``"*published*"`` to the numbers published with ``public_phone: true`` (allowed anywhere).
    """
    published = staff_phones.get("*published*", set())
    problems: list[Problem] = []
    paths = [root / "mkdocs.yml"] + [
        p for d in SCANNED_DIRS if (root / d).is_dir() for p in sorted((root / d).rglob("*"))
    ]
    for path in paths:
        if path.suffix.lower() not in TEXT_SUFFIXES or not path.is_file() or path.is_symlink():
            continue
        if path.stat().st_size > 1024 * 1024:
            continue  # reported as too large elsewhere
        rel = path.relative_to(root).as_posix()
        if rel == ALLOWLIST_FILE:
            continue  # the allow-list exists to hold the exceptions; its values are not content
        text = path.read_bytes().decode("utf-8", errors="replace")
        allowed_here = {v for f, v in allowed if f in (rel, "*")}
        problems += scan_text(text, rel, published | staff_phones.get(rel, set()), allowed_here)
    return problems
