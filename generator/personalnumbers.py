"""Personal numbers as people write them: find them in any text, and mask them.

One reader for the privacy scanner (generator/content/privacy.py: what may not be published) and
for every message any command prints (generator/problems.py, the ``stationsite`` command's output):
what the scanner calls a personal number is exactly what a message masks.

People type numbers with a Chinese input method, copy them from spreadsheets and chat apps, and
break them across lines, so the text is normalised first — NFKC (full-width digits and letters,
the ideographic space), every Unicode space and dash, zero-width characters dropped, dots, and a
line break (with its indentation) between two digit groups — and a number is then a run of whole
digit groups. Every run of whole groups is judged:

- a resident ID number: 18 characters with the GB 11643 check digit (python-stdnum ``cn.ric``; X in
  any case or width), a real birth date from 1900 to the build date and a real province code;
  or an old 15-digit one (6-digit area, YYMMDD birth date in the 1900s, 3 digits) with a real
  date and province code. The county code itself is not looked up: stdnum's table lags new codes,
  and missing a real ID number costs more than the rare false alarm;
- a mainland mobile number: 11 digits starting with 1, alone or after 86 / +86 / 0086, that the
  phonenumbers metadata calls a mobile number;
- a bank card number: 16–19 digits starting with 3–6 (UnionPay 62, Visa 4, Mastercard 5, JCB 3)
  passing Luhn (``stdnum.luhn``), not a run of one or two digits repeated.

Dates (2026-11-03), landlines (0593-0000001), budgets and counts are not runs of these shapes, and
the check digits keep the chance of an accidental match to about one in ten or eleven even then.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

import phonenumbers
from stdnum import luhn
from stdnum.cn import ric

from generator.clock import build_date

ID, OLD_ID, MOBILE, CARD = "id", "old_id", "mobile", "card"
# Province-level codes that open every resident ID number (GB/T 2260; 71 台湾, 81 香港, 82 澳门).
PROVINCES = frozenset(
    "11 12 13 14 15 21 22 23 31 32 33 34 35 36 37 41 42 43 44 45 46 50 51 52 53 54 61 62 63 64 65 71 81 82".split()
)
_DOTS = ".·・"
_LINE_BREAKS = "\n\r\u2028\u2029\x85\x0b\x0c"
# Digit groups, each joined to the next by at most three spaces, dashes or dots, or by a line
# break with its indentation; an ID number's final X sticks to its last group.
_CHAIN = re.compile(
    r"\d+(?:(?:[ \-.]{1,3}|[ \t]*\n[ \t\-]*)\d+)*(?:(?:[ \-.]{1,3}|[ \t]*\n[ \t]*)?[Xx](?![A-Za-z]))?"
)
_GROUP = re.compile(r"\d+")
_MAX_DIGITS = 19


@dataclass(frozen=True)
class Found:
    """One personal number: what kind, its canonical digits, where it is in the original text."""

    kind: str
    digits: str  # an ID number with a final upper-case X; a mobile's 11 national digits
    start: int
    end: int

    @property
    def masked(self) -> str:
        return mask(self.digits)


def mask(number: str) -> str:
    """The first three and the last two characters, the rest as stars."""
    return number[:3] + "*" * max(len(number) - 5, 0) + number[-2:]


def normalise(text: str) -> tuple[str, list[int]]:
    """The text as a reader sees the digits, and for each of its characters the index in ``text``."""
    out: list[str] = []
    where: list[int] = []
    for i, ch in enumerate(text):
        if ch.isascii():
            out.append(" " if ch == "\r" else ch)  # CRLF: the \n that follows is the break
            where.append(i)
            continue
        if unicodedata.category(ch) == "Cf":
            continue  # zero-width spaces and joiners, soft hyphens, BOMs: invisible
        for c in unicodedata.normalize("NFKC", ch):
            if c in _LINE_BREAKS:
                c = "\n"
            elif c.isspace():
                c = " "
            elif unicodedata.category(c) == "Pd" or c in "\u2212\u2043\ufe63":
                c = "-"
            elif c in _DOTS:
                c = "."
            out.append(c)
            where.append(i)
    return "".join(out), where


def find_personal(text: str, today: dt.date | None = None) -> list[Found]:
    """Every personal number in ``text``, in order, none overlapping another."""
    today = build_date() if today is None else today
    norm, where = normalise(text)
    found: list[Found] = []
    for chain in _CHAIN.finditer(norm):
        groups = [
            (m.start() + chain.start(), m.end() + chain.start(), m[0]) for m in _GROUP.finditer(chain[0])
        ]
        has_x = chain[0][-1] in "Xx"
        candidates = []
        for i in range(len(groups)):
            digits = ""
            for j in range(i, len(groups)):
                digits += groups[j][2]
                if len(digits) > _MAX_DIGITS:
                    break
                x = has_x and j == len(groups) - 1
                kind, canonical = _judge(digits + ("X" if x else ""), today)
                if kind:
                    end = chain.end() if x else groups[j][1]
                    # the longest reading wins (+86 and its mobile; a card over an ID inside it)
                    candidates.append((-len(digits) - x, _PRIORITY[kind], i, j, kind, canonical, end))
        taken: set[int] = set()
        for _, _, i, j, kind, canonical, end in sorted(candidates):
            if taken.isdisjoint(range(i, j + 1)):
                taken.update(range(i, j + 1))
                found.append(Found(kind, canonical, where[groups[i][0]], where[end - 1] + 1))
    return sorted(found, key=lambda f: f.start)


_PRIORITY = {ID: 0, OLD_ID: 1, CARD: 2, MOBILE: 3}


def _judge(number: str, today: dt.date) -> tuple[str | None, str]:
    n = len(number)
    if n == 18 and number[:17].isdigit() and (number[17].isdigit() or number[17] == "X"):
        if _id_ok(number, today):
            return ID, number
    if n == 15 and number.isdigit() and number[:2] in PROVINCES and _date_ok("19" + number[6:12], today):
        return OLD_ID, number
    national = number[2:] if n == 13 and number.startswith("86") else number
    national = number[4:] if n == 15 and number.startswith("0086") else national
    if len(national) == 11 and national[0] == "1" and national.isdigit() and _is_mobile(national):
        return MOBILE, national
    if (
        16 <= n <= 19
        and number.isdigit()
        and number[0] in "3456"
        and len(set(number)) > 2
        and luhn.is_valid(number)
    ):
        return CARD, number
    return None, ""


def _id_ok(number: str, today: dt.date) -> bool:
    if number[:2] not in PROVINCES or ric.calc_check_digit(number) != number[17]:
        return False
    return _date_ok(number[6:14], today)


def _date_ok(yyyymmdd: str, today: dt.date) -> bool:
    try:
        born = dt.date(int(yyyymmdd[:4]), int(yyyymmdd[4:6]), int(yyyymmdd[6:8]))
    except ValueError:
        return False
    return dt.date(1900, 1, 1) <= born <= today


@lru_cache(maxsize=4096)
def _is_mobile(national: str) -> bool:
    number = phonenumbers.parse(national, "CN")
    kinds = (phonenumbers.PhoneNumberType.MOBILE, phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE)
    return phonenumbers.is_valid_number(number) and phonenumbers.number_type(number) in kinds


@lru_cache(maxsize=4096)
def canonical(value: str) -> str:
    """A number written any way, as ``Found.digits`` would give it (for allow-lists and staff
    phones); anything else as its digits."""
    found = find_personal(value)
    if len(found) == 1:
        return found[0].digits
    norm, _ = normalise(value)
    return re.sub(r"[^\dX]", "", norm.upper())


def mask_personal(text: str, keep: frozenset[str] | set[str] = frozenset()) -> str:
    """``text`` with every personal number masked where it appears, but those in ``keep``
    (canonical digits: numbers that are published anyway)."""
    if not any(ch.isdigit() for ch in text):
        return text
    out, last = [], 0
    for f in find_personal(text):
        if f.digits in keep:
            continue
        out += [text[last : f.start], f.masked]
        last = f.end
    return "".join(out) + text[last:]


class MaskedOutput:
    """A text stream that masks personal numbers in every line written through it.

    ``stationsite`` wraps stdout and stderr in it for every command, so that whatever a command
    prints (a problem, a note, a diff, a scaffolded file's summary) passes the same masking. Lines
    are masked whole, so a number written in several pieces is still seen.
    """

    def __init__(self, stream):  # type: ignore[no-untyped-def]
        self._stream = stream
        self._pending = ""

    def write(self, text: str) -> int:
        self._pending += text
        if "\n" in self._pending:
            done, self._pending = self._pending.rsplit("\n", 1)
            self._stream.write(mask_personal(done + "\n"))
        return len(text)

    def flush(self) -> None:
        if self._pending:
            self._stream.write(mask_personal(self._pending))
            self._pending = ""
        self._stream.flush()

    def __getattr__(self, name: str):  # type: ignore[no-untyped-def]
        return getattr(self._stream, name)  # encoding, isatty, fileno …
