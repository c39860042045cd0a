"""Problems found in content, and the three ways of printing them.

A problem is a fact about a file the county staff edit, said in Chinese for people who are not
programmers: where (file, line, key), what was expected, what was found, and a hint where one helps.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import asdict, dataclass, fields

from generator.personalnumbers import mask_personal


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with the content. ``file`` is relative to the repository, with ``/``."""

    file: str
    line: int | None
    key: str | None
    message: str
    hint: str | None = None

    def __post_init__(self) -> None:
        # No message repeats a personal number, wherever in it the number appears (a schema line
        # quoting a staff phone field, a file name): masked here, once, for every command and format.
        for f in fields(self):
            value = getattr(self, f.name)
            if isinstance(value, str):
                object.__setattr__(self, f.name, mask_personal(value))

    def __str__(self) -> str:
        where = self.file if self.line is None else f"{self.file}:{self.line}"
        text = f"{where}: {self.key}: {self.message}" if self.key else f"{where}: {self.message}"
        if self.hint:
            text += f"（提示：{self.hint}）"
        return text


class ContentError(Exception):
    """Raised by the build when the content has problems; carries all of them, already sorted."""

    def __init__(self, problems: Iterable[Problem]):
        self.problems = sorted(set(problems), key=_sort_key)
        super().__init__(format_text(self.problems))


def _sort_key(p: Problem) -> tuple[str, int, str, str]:
    return (p.file, p.line or 0, p.key or "", p.message)


def sort_problems(problems: Iterable[Problem]) -> list[Problem]:
    return sorted(set(problems), key=_sort_key)


def format_text(problems: list[Problem]) -> str:
    return "\n".join(str(p) for p in problems)


def format_json(problems: list[Problem]) -> str:
    return json.dumps(
        {"ok": not problems, "count": len(problems), "problems": [asdict(p) for p in problems]},
        ensure_ascii=False,
        indent=2,
    )


def format_github(problems: list[Problem]) -> str:
    """GitHub Actions workflow commands, shown inline on the pull request's changed files."""
    lines = []
    for p in problems:
        text = str(p).split(": ", 1)[1] if ": " in str(p) else str(p)
        loc = f"file={github_property(p.file)}" + (f",line={p.line}" if p.line else "")
        lines.append(f"::error {loc},title=内容检查::{github_data(text)}")
    return "\n".join(lines)


def github_data(text: str) -> str:
    """The message of a workflow command: it ends at a newline and treats % specially, so a file
    name holding a newline cannot start a command of its own (``::notice …全部通过``)."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def github_property(text: str) -> str:
    """A property value (file=, title=): as data, and also "," and ":" that end a property."""
    return github_data(text).replace(":", "%3A").replace(",", "%2C")
