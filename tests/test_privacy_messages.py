"""No message of any command repeats a personal number.

Golden cases (tests/golden/privacy/*.yml) give, for `stationsite check` in each format (text, json,
github), every line it must print: the numbers masked wherever they stand in a message (the schema
line quoting a field, the privacy line, a file name). `STATIONSITE_REGEN_GOLDEN=1` rewrites them for
review. Then build, diff and new on the same content, and the output masking on its own.
"""

from __future__ import annotations

import io
import json
import os
import subprocess
from pathlib import Path

import pytest
import yaml

from generator.cli import main
from generator.personalnumbers import MaskedOutput, find_personal, mask_personal
from tests.test_validation_golden import apply_case

GOLDEN = Path(__file__).parent / "golden" / "privacy"
CASES = sorted(GOLDEN.glob("*.yml"))
REGEN = os.environ.get("STATIONSITE_REGEN_GOLDEN") == "1"
FORMATS = ("text", "json", "github")
FULL_NUMBERS = ("11010519491231002", "6222021234567894", "13512345678", "13600001234", "110105491231002")


def apply(case: dict, repo: Path) -> None:
    apply_case(case, repo)
    for rel, pairs in case.get("replace", {}).items():
        path = repo / rel
        text = path.read_text(encoding="utf-8")
        for old, new in pairs:
            assert old in text, (rel, old)
            text = text.replace(old, new)
        path.write_text(text, encoding="utf-8")


def assert_nothing_personal(output: str) -> None:
    assert not find_personal(output), output
    for number in FULL_NUMBERS:
        assert number not in output


@pytest.mark.parametrize("case_path", CASES, ids=[c.stem for c in CASES])
@pytest.mark.parametrize("fmt", FORMATS)
def test_check_masks_in_every_format(case_path, fmt, sample_copy, capsys):
    case = yaml.safe_load(case_path.read_text(encoding="utf-8"))
    apply(case, sample_copy)
    status = main(["check", "--root", str(sample_copy), "--format", fmt])
    out, err = capsys.readouterr()
    got = json.loads(out)["problems"] if fmt == "json" else [ln for ln in out.splitlines() if ln.strip()]
    if REGEN:
        case["expected"][fmt] = got
        case_path.write_text(
            yaml.safe_dump(case, allow_unicode=True, sort_keys=False, width=200), encoding="utf-8"
        )
    assert status == 1
    assert got == case["expected"][fmt]
    assert_nothing_personal(out + err)


def test_the_schema_line_masks_the_value_it_quotes():
    case = yaml.safe_load((GOLDEN / "staff_phone_holds_an_id_number.yml").read_text(encoding="utf-8"))
    lines = case["expected"]["text"]
    assert any("实际为 '110*************2X'" in ln for ln in lines), lines
    assert any("发现居民身份证号码 110*************2X" in ln for ln in lines), lines


def test_build_prints_the_same_masked_problems(sample_copy, capsys):
    apply(
        yaml.safe_load((GOLDEN / "numbers_as_people_write_them.yml").read_text(encoding="utf-8")), sample_copy
    )
    assert main(["build", "--root", str(sample_copy), "--no-posters"]) == 1
    out, err = capsys.readouterr()
    assert "发现手机号码 135******78" in out
    assert_nothing_personal(out + err)


def test_new_masks_what_it_echoes(sample_copy, capsys):
    args = ["--address", "周宁县测试路 1 号", "--phone", "0593-0000088", "--staff", "林晓,驻站社工"]
    assert main(["new", "--root", str(sample_copy), "station", "13512345678", "--name", "测试站", *args]) == 0
    out, err = capsys.readouterr()
    assert "stations/135******78/" in out
    assert_nothing_personal(out + err)
    # and check then names the folder, masked
    assert main(["check", "--root", str(sample_copy)]) == 1
    out, err = capsys.readouterr()
    assert "stations/135******78: 目录名中发现手机号码 135******78" in out
    assert_nothing_personal(out + err)


def test_diff_masks_its_comment(sample_copy, capsys):
    git = ["git", "-C", str(sample_copy), "-c", "user.name=t", "-c", "user.email=t@example.org"]
    subprocess.run([*git, "init", "-q"], check=True)
    subprocess.run([*git, "add", "-A"], check=True)
    subprocess.run([*git, "commit", "-qm", "base"], check=True)
    apply(
        yaml.safe_load((GOLDEN / "numbers_as_people_write_them.yml").read_text(encoding="utf-8")), sample_copy
    )
    status = main(["diff", "HEAD", "--root", str(sample_copy)])
    out, err = capsys.readouterr()
    assert status == 1 and "135******78" in out
    assert_nothing_personal(out + err)


def test_masked_output_masks_a_number_written_in_pieces():
    sink = io.StringIO()
    stream = MaskedOutput(sink)
    for piece in ("电话 135", "1234", "5678\n", "身份证 11010519491231002X"):
        stream.write(piece)
    stream.flush()
    assert sink.getvalue() == "电话 135******78\n身份证 110*************2X"


def test_masking_keeps_numbers_that_are_published_anyway():
    text = "站长电话 13900000003，家属 13512345678"
    assert mask_personal(text, keep={"13900000003"}) == "站长电话 13900000003，家属 135******78"
