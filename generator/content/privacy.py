"""The privacy scanner: personal numbers must never reach a public repository or site.

Every text file under content/, stations/ and docs/ (and mkdocs.yml) is read whole — front matter,
YAML comments and Markdown alike — and so is the name of every file and folder there, because a
name becomes a URL, a sitemap entry and a search result. What counts as a personal number, and how
it is recognised however it is written, is generator/personalnumbers.py: resident ID numbers (18
and 15 digits), bank card numbers, and mobile numbers that are not a staff member's published
number. Numbers are masked in messages: a CI log is public too. Deliberate exceptions go in
``content/privacy-allowlist.yml`` (file, value, reason).
"""

from __future__ import annotations

from pathlib import Path

from stdnum import luhn
from stdnum.cn import ric

from generator.personalnumbers import CARD, ID, MOBILE, OLD_ID, Found, canonical, find_personal
from generator.problems import Problem

SCANNED_DIRS = ("content", "stations", "docs")
ALLOWLIST_FILE = "content/privacy-allowlist.yml"
MAX_BYTES = 1024 * 1024  # larger files are reported as too large elsewhere
_SNIFF = 8192

_WHAT = {
    ID: ("居民身份证号码", "公开内容不得包含身份证号；请删除"),
    OLD_ID: ("15 位旧居民身份证号码", "公开内容不得包含身份证号；请删除"),
    CARD: ("疑似银行卡号", "公开内容不得包含银行卡号；请删除"),
    MOBILE: (
        "手机号码",
        "居民的手机号不得公开；工作人员的号码请写在 station.yml 的 staff 里并设 public_phone: true；"
        "确需公开的号码登记在 content/privacy-allowlist.yml",
    ),
}


def id_check_digit_ok(number: str) -> bool:
    """GB 11643-1999 check digit of an 18-digit resident ID number (python-stdnum)."""
    return ric.calc_check_digit(number.upper()) == number[17].upper()


def luhn_ok(digits: str) -> bool:
    return luhn.is_valid(digits)


def _problem(found: Found, rel: str, line: int | None, where: str = "") -> Problem:
    what, hint = _WHAT[found.kind]
    message = f"{where}发现{what} {found.masked}"
    if found.kind == MOBILE:
        message += "，它不是工作人员公开的号码"
    if where:
        hint = "文件名和目录名会出现在网址、站点地图和搜索结果里；请改名"
    return Problem(rel, line, None, message, hint)


def scan_text(text: str, rel: str, allowed_mobiles: set[str], allowed_values: set[str]) -> list[Problem]:
    """Problems for one file's text, each at the line where its number begins.

    ``allowed_mobiles``: numbers that may appear in this file; ``allowed_values``: allow-listed
    values. Both may be written in any format; they are compared as canonical digits.
    """
    mobiles = {canonical(v) for v in allowed_mobiles}
    values = {canonical(v) for v in allowed_values}
    problems = []
    for found in find_personal(text):
        if found.digits in values or (found.kind == MOBILE and found.digits in mobiles):
            continue
        problems.append(_problem(found, rel, text.count("\n", 0, found.start) + 1))
    return problems


def scan_name(rel: str, allowed_values: set[str]) -> list[Problem]:
    """A personal number in the last part of a path (the file or folder's own name)."""
    name = rel.rstrip("/").rsplit("/", 1)[-1]
    values = {canonical(v) for v in allowed_values}
    where = "目录名中" if rel.endswith("/") else "文件名中"
    return [_problem(f, rel.rstrip("/"), None, where) for f in find_personal(name) if f.digits not in values]


def read_text_file(path: Path) -> str | None:
    """The text of a file as people's editors save it, or None for a binary file."""
    data = path.read_bytes()
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16", errors="replace")
    if b"\x00" in data[:_SNIFF]:
        return None  # an image, a PDF, a spreadsheet: not text
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    return data.decode("utf-8", errors="replace")


def scan_tree(root: Path, staff_phones: dict[str, set[str]], allowed: set[tuple[str, str]]) -> list[Problem]:
    """Scan every text file of the content tree, and every file and folder name.

    ``staff_phones`` maps a station.yml path to the staff phones written in it (allowed there) and
    ``"*published*"`` to the numbers published with ``public_phone: true`` (allowed anywhere).
    """
    published = staff_phones.get("*published*", set())
    problems: list[Problem] = []
    paths = [root / "mkdocs.yml"] + [
        p for d in SCANNED_DIRS if (root / d).is_dir() for p in sorted((root / d).rglob("*"))
    ]
    for path in paths:
        if not path.exists() and not path.is_symlink():
            continue
        rel = path.relative_to(root).as_posix()
        allowed_here = {v for f, v in allowed if f in (rel, "*")}
        problems += scan_name(rel + ("/" if path.is_dir() and not path.is_symlink() else ""), allowed_here)
        if not path.is_file() or path.is_symlink() or path.stat().st_size > MAX_BYTES:
            continue
        if rel == ALLOWLIST_FILE:
            continue  # the allow-list exists to hold the exceptions; its values are not content
        text = read_text_file(path)
        if text is not None:
            problems += scan_text(text, rel, published | staff_phones.get(rel, set()), allowed_here)
    return problems
