"""Fast unit tests of the core pieces, without the sample and without MkDocs."""

from __future__ import annotations

import datetime as dt

import pytest

from generator import clock
from generator.content import privacy
from generator.content.schema_types import Checker
from generator.content.schemas import ACTIVITY, PHONE, STATION
from generator.content.sourcefile import YMap, parse_yaml, split_front_matter
from generator.problems import Problem, format_github, format_json


def convert(schema, text: str):
    node, problems = parse_yaml(text, "x.yml")
    assert not problems
    ck = Checker("x.yml")
    return schema.convert(node, "", ck), [str(p) for p in ck.problems]


def test_yaml_keeps_line_numbers_and_raw_scalars() -> None:
    node, problems = parse_yaml("a: 1\nb:\n  c: 08:30\n", "f.yml")
    assert not problems and isinstance(node, YMap)
    line, b = node.entries["b"]
    assert line == 2
    assert isinstance(b, YMap) and b.entries["c"][0] == 3
    # YAML 1.1 would read 08:30 as the sexagesimal number 510; we keep the text for the schema.
    assert b.entries["c"][1].text == "08:30"


def test_unquoted_time_and_mobile_are_understood() -> None:
    value, problems = convert(
        ACTIVITY,
        "date: 2026-11-24\nstart: 08:30\nend: 9:00\ntitle: t\nkind: talk\ndomain: elderly\nplace: p\n",
    )
    assert problems == []
    assert value["start"] == "08:30" and value["end"] == "09:00"
    assert value["date"] == dt.date(2026, 11, 24)


def test_duplicate_key_is_an_error_with_both_lines() -> None:
    _, problems = parse_yaml("a: 1\nb: 2\na: 3\n", "f.yml")
    assert [str(p) for p in problems] == [
        "f.yml:3: a: 键重复：第 1 行已经写过 'a'（提示：同一层里每个键只能出现一次，请删除或合并重复的那一项）"
    ]


def test_front_matter_split_reports_offset() -> None:
    front, offset, body = split_front_matter("---\ntitle: t\n---\n正文\n")
    assert front == "title: t\n" and offset == 1 and body == "正文\n"
    assert split_front_matter("正文")[0] is None


def test_unknown_key_suggests_the_close_one() -> None:
    _, problems = convert(STATION, "nmae: x\n")
    assert any("未知的键 'nmae'" in p and "是不是想写 'name'" in p for p in problems)


@pytest.mark.parametrize("phone", ["0593-1234567", "05931234567", "13900000000", "12345", "400-123-4567"])
def test_phone_pattern_accepts_chinese_numbers(phone: str) -> None:
    assert PHONE.regex.fullmatch(phone)


@pytest.mark.parametrize("phone", ["abc", "123", "1390000000", "0593-12"])
def test_phone_pattern_rejects_non_numbers(phone: str) -> None:
    assert not PHONE.regex.fullmatch(phone)


def test_id_check_digit() -> None:
    assert privacy.id_check_digit_ok("11010519491231002X")
    assert not privacy.id_check_digit_ok("110105194912310021")


def test_luhn() -> None:
    assert privacy.luhn_ok("6222021234567894")
    assert not privacy.luhn_ok("6222021234567895")


def test_scanner_allows_staff_numbers_and_masks_what_it_reports() -> None:
    text = "站长 13900001111\n家属 13512345678\n"
    problems = privacy.scan_text(text, "a.md", {"13900001111"}, set())
    assert len(problems) == 1 and problems[0].line == 2
    assert "13512345678" not in str(problems[0]) and "135******78" in str(problems[0])


def test_landlines_and_dates_are_not_personal_numbers() -> None:
    text = "电话 0593-0000000，日期 2026-11-24，金额 1800000 元，编号 20261124093000\n"
    assert privacy.scan_text(text, "a.md", set(), set()) == []


def test_week_and_elapsed_share() -> None:
    assert clock.week_of(dt.date(2026, 11, 22)) == (dt.date(2026, 11, 16), dt.date(2026, 11, 22))
    assert clock.elapsed_share(dt.date(2026, 1, 1), dt.date(2026, 12, 31), dt.date(2026, 12, 31)) == 1.0
    assert clock.elapsed_share(dt.date(2026, 1, 1), dt.date(2026, 12, 31), dt.date(2025, 6, 1)) == 0.0
    half = clock.elapsed_share(dt.date(2026, 1, 1), dt.date(2026, 12, 31), dt.date(2026, 7, 2))
    assert 0.49 < half < 0.51


def test_source_date_epoch_is_honoured() -> None:
    moment = clock.build_moment({"SOURCE_DATE_EPOCH": "1795320000"})
    assert moment.utcoffset() == dt.timedelta(hours=8)
    assert moment == dt.datetime.fromtimestamp(1795320000, tz=clock.SHANGHAI)


def test_problem_formats() -> None:
    p = Problem("stations/a/station.yml", 12, "staff[0].phone", "应为电话号码，实际为 'abc'", "加引号")
    assert str(p) == "stations/a/station.yml:12: staff[0].phone: 应为电话号码，实际为 'abc'（提示：加引号）"
    assert format_github([p]).startswith("::error file=stations/a/station.yml,line=12,title=内容检查::")
    assert '"line": 12' in format_json([p])
