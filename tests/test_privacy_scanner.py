"""The scanner reads numbers as people write them, everywhere in the content, and little else.

Formats one by one (full-width, ideographic and no-break spaces, dashes, dots, zero-width
characters, a line break inside a number, 15-digit IDs, lower-case x, +86/0086, card groupings),
places one by one (docs/, front matter, YAML comments, file and folder names), a property test over
generated numbers in random formats, and the sample's own landlines, dates, budgets and counts.
"""

from __future__ import annotations

import datetime as dt
import random

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from stdnum import luhn
from stdnum.cn import ric

from generator.cli import main
from generator.content import privacy
from generator.content.load import load_content
from generator.personalnumbers import CARD, ID, MOBILE, OLD_ID, PROVINCES, find_personal, mask_personal

TODAY = dt.date(2026, 11, 22)
ID18 = "11010519491231002X"
MOBILE11 = "13512345678"
CARD16 = "6222021234567894"


def kinds(text: str) -> list[tuple[str, str]]:
    return [(f.kind, f.digits) for f in find_personal(text, TODAY)]


@pytest.mark.parametrize(
    "text, expected",
    [
        ("身份证号 11010519491231002X。", (ID, ID18)),
        ("身份证号 11010519491231002x", (ID, ID18)),  # lower-case x
        ("１１０１０５１９４９１２３１００２Ｘ", (ID, ID18)),  # full-width, from a Chinese input method
        ("１１０１０５１９４９１２３１００２ｘ", (ID, ID18)),
        ("110105\u300019491231\u3000002X", (ID, ID18)),  # ideographic spaces
        ("110105-19491231-002X", (ID, ID18)),
        ("110105 1949 1231 002X", (ID, ID18)),
        ("1101\u20140519\u20134912\u22123100\u20102X", (ID, ID18)),  # em, en dash, minus, hyphen
        ("110105194912\u200b31002X", (ID, ID18)),  # a zero-width space inside
        ("号码 110105194\n  91231002X 已登记", (ID, ID18)),  # a line break inside
        ("旧身份证 110105491231002", (OLD_ID, "110105491231002")),
        ("旧身份证 110105 491231 002", (OLD_ID, "110105491231002")),
        ("手机 13512345678", (MOBILE, MOBILE11)),
        ("手机 135 1234 5678", (MOBILE, MOBILE11)),
        ("手机 135-1234-5678", (MOBILE, MOBILE11)),
        ("手机 1351-234-5678", (MOBILE, MOBILE11)),
        ("手机 135.1234.5678", (MOBILE, MOBILE11)),
        ("手机 135\u00a01234\u00a05678", (MOBILE, MOBILE11)),  # no-break spaces
        ("手机 １３５１２３４５６７８", (MOBILE, MOBILE11)),
        ("手机 +86 135 1234 5678", (MOBILE, MOBILE11)),
        ("手机 ＋８６－１３５１２３４５６７８", (MOBILE, MOBILE11)),
        ("手机 0086 13512345678", (MOBILE, MOBILE11)),
        ("手机 8613512345678", (MOBILE, MOBILE11)),
        ("卡号 6222021234567894", (CARD, CARD16)),
        ("卡号 6222 0212 3456 7894", (CARD, CARD16)),
        ("卡号 622202 1234567894", (CARD, CARD16)),
        ("卡号 6222-0212-3456-7894", (CARD, CARD16)),
        ("卡号 6222\u30000212\u30003456\u30007894", (CARD, CARD16)),
        ("卡号 6222 0212\n3456 7894", (CARD, CARD16)),
        ("卡号 6217 0000 0000 0000 004", (CARD, "6217000000000000004")),  # 19 digits
    ],
)
def test_every_format_is_recognised(text, expected):
    assert kinds(text) == [expected]
    masked = mask_personal(text)
    assert kinds(masked) == [] and "*" in masked


@pytest.mark.parametrize(
    "text",
    [
        "电话 0593-0000001",
        "监督电话 0593 0000000",
        "热线 400-123-4567",
        "12345",
        "0593-6123456转8001",
        "日期 2026-11-24",
        "2026-01-01 至 2026-12-31",
        "2026.11.03 09:00",
        "编号 20261124093000",
        "预算 1800000 元",
        "budget_yuan: 1800000",
        "counts: {home_visits: 312, theme_events: 1}",
        "- {source: 县级财政, yuan: 1800000}",
        "周宁县民政局〔2026〕12号",
        "第 1 2 3 4 5 6 项",
        "这个号码不是身份证：110105194912310021",
        "6222 0212 3456 7895",  # wrong check digits
        "身份证 11010520991231002X",  # born in the future
    ],
)
def test_what_is_not_a_personal_number(text):
    assert kinds(text) == []


def test_the_sample_county_does_not_trip_the_scanner(repo_root, sample_content):
    """Its landlines, dates, budgets and counts are numbers too; only staff mobiles are mobiles."""
    staff = {p.phone for s in sample_content.stations for p in s.staff if p.phone}
    problems = privacy.scan_tree(repo_root, {"*published*": staff}, set())
    assert problems == []
    scanned = [p for d in privacy.SCANNED_DIRS for p in (repo_root / d).rglob("*") if p.is_file()]
    found = [f for p in scanned if (t := privacy.read_text_file(p)) for f in find_personal(t, TODAY)]
    assert len(scanned) > 50
    assert {f.kind for f in found} <= {MOBILE} and {f.digits for f in found} <= staff


def test_every_place_is_scanned_with_file_and_line(sample_copy, capsys):
    (sample_copy / "docs" / "extra.md").write_text(
        "# 说明\n\n联系 １３５ １２３４ ５６７８\n", encoding="utf-8"
    )
    news = sample_copy / "content" / "news" / "2026-11-05-note.md"
    news.write_text(
        "---\ntitle: 通知 110105 19491231 002x\ndate: 2026-11-05\nkind: news\n---\n正文\n", encoding="utf-8"
    )
    county = sample_copy / "content" / "county.yml"
    county.write_text(county.read_text(encoding="utf-8") + "# 联系人 +86 135-1234-5678\n", encoding="utf-8")
    (sample_copy / "docs" / "13600001234").mkdir()
    (sample_copy / "docs" / "13600001234" / "a.md").write_text("# a\n", encoding="utf-8")
    (sample_copy / "docs" / "名单110105491231002.md").write_text("# b\n", encoding="utf-8")
    assert main(["check", "--root", str(sample_copy)]) == 1
    out = capsys.readouterr().out
    line_of_county = len(county.read_text(encoding="utf-8").splitlines())
    assert "docs/extra.md:3: 发现手机号码 135******78" in out
    assert "content/news/2026-11-05-note.md:2: 发现居民身份证号码 110*************2X" in out
    assert f"content/county.yml:{line_of_county}: 发现手机号码 135******78" in out
    assert "docs/136******34: 目录名中发现手机号码 136******34" in out
    assert "docs/名单110**********02.md: 文件名中发现15 位旧居民身份证号码 110**********02" in out
    assert not find_personal(out, TODAY)


def test_allow_list_and_staff_numbers_match_in_any_format():
    text = "热线 135 1234 5678\n站长 139-0000-1111\n"
    assert privacy.scan_text(text, "a.md", {"13900001111"}, {"13512345678"}) == []
    assert len(privacy.scan_text(text, "a.md", {"139 0000 1111"}, set())) == 1


# -- generated numbers in random formats ---------------------------------------------------------

SEPARATORS = [
    " ",
    "\u3000",
    "\u00a0",
    "\u2009",
    "\u202f",
    "-",
    "\u2013",
    "\u2014",
    "\u2212",
    "\uff0d",
    ".",
    "·",
    "\n",
    "\n    ",
    "\u200b",
    "",
]
CONTEXT = st.text(alphabet="申请人的号码是请联系电话卡号，。：（）、", max_size=6)
MOBILE_PREFIXES = ["135", "136", "137", "138", "139", "150", "151", "158", "186", "188", "177", "199"]


@st.composite
def personal_numbers(draw):
    kind = draw(st.sampled_from([ID, OLD_ID, MOBILE, CARD]))
    rng = random.Random(draw(st.integers(0, 2**32)))
    if kind in (ID, OLD_ID):
        area = rng.choice(sorted(PROVINCES)) + f"{rng.randint(0, 9999):04d}"
        born = dt.date(1930, 1, 1) + dt.timedelta(
            days=rng.randint(0, 365 * 69 if kind == OLD_ID else 365 * 90)
        )
        seq = f"{rng.randint(0, 999):03d}"
        if kind == OLD_ID:
            digits = area + born.strftime("%y%m%d") + seq
        else:
            body = area + born.strftime("%Y%m%d") + seq
            digits = body + ric.calc_check_digit(body + "0")
    elif kind == MOBILE:
        digits = rng.choice(MOBILE_PREFIXES) + f"{rng.randint(0, 10**8 - 1):08d}"
    else:
        body = "62" + "".join(str(rng.randint(0, 9)) for _ in range(rng.randint(13, 16)))
        digits = body + luhn.calc_check_digit(body)
    return kind, digits


@st.composite
def written(draw):
    kind, digits = draw(personal_numbers())
    text = digits
    if kind == ID and digits.endswith("X") and draw(st.booleans()):
        text = digits[:-1] + draw(st.sampled_from(["x", "Ｘ", "ｘ"]))
    # any grouping: cut between any digits, each cut with any separator
    cuts = sorted(draw(st.sets(st.integers(1, len(text) - 1), max_size=6)))
    pieces, last = [], 0
    for cut in cuts:
        pieces += [text[last:cut], draw(st.sampled_from(SEPARATORS))]
        last = cut
    text = "".join(pieces) + text[last:]
    if kind == MOBILE:
        text = draw(st.sampled_from(["", "+86 ", "+86-", "0086 ", "86", "＋86 "])) + text
    if draw(st.booleans()):  # typed with a Chinese input method: full-width digits
        text = text.translate({ord(c): ord(c) + 0xFEE0 for c in "0123456789"})
    return kind, digits, draw(CONTEXT) + text + draw(CONTEXT)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(written())
def test_generated_numbers_in_random_formats_are_found_and_masked(case):
    kind, digits, text = case
    assert kinds(text) == [(kind, digits)], text
    assert kinds(mask_personal(text)) == []
    problems = privacy.scan_text(text, "docs/a.md", set(), set())
    assert len(problems) == 1 and problems[0].line == 1  # the context holds no line break
    assert digits not in str(problems[0])


def test_the_sample_loads_in_reasonable_work(repo_root):
    """The whole sample, scanner included, still loads without problems."""
    content, problems = load_content(repo_root)
    assert content is not None and problems == []
