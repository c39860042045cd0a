"""Monthly results through a spreadsheet: template → filled in openpyxl → import → check → build."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from openpyxl import load_workbook

from generator.cli import main
from generator.publishing.spreadsheet import FIRST_ROW, KEY_ROW, MARKER, updated_text


def _template(root: Path, tmp_path: Path, month: str = "2026-10") -> Path:
    out = tmp_path / f"{month}.xlsx"
    assert main(["results", "--root", str(root), "template", month, "--out", str(out)]) == 0
    return out


def _cell(ws, slug: str, indicator: str):
    """The cell of one station and one indicator, found through the hidden key row."""
    col = next(c.column for c in ws[KEY_ROW] if c.value == indicator)
    row = next(r for r in range(FIRST_ROW, ws.max_row + 1) if ws.cell(r, 1).value == slug)
    return ws.cell(row, col)


def _snapshot(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.glob("stations/*/results.yml"))}


def test_template_has_one_row_per_station_hidden_ids_and_validation(sample_copy, sample_content, tmp_path):
    wb = load_workbook(_template(sample_copy, tmp_path))
    ws = wb.worksheets[0]
    assert ws.row_dimensions[KEY_ROW].hidden
    assert ws.cell(KEY_ROW, 1).value == MARKER and ws.cell(KEY_ROW, 2).value == "2026-10"
    ids = [c.value for c in ws[KEY_ROW]][2:]
    assert ids == [i.id for i in sample_content.indicators]
    headers = [c.value for c in ws[KEY_ROW + 1]][2:]
    first = sample_content.indicators[0]
    assert headers[0] == f"{first.name}（{first.unit}）"
    slugs = [ws.cell(r, 1).value for r in range(FIRST_ROW, ws.max_row + 1)]
    assert slugs == [s.slug for s in sample_content.stations]
    # Pre-filled with what results.yml already holds for the month, so corrections start from it.
    qibu = sample_content.station("qibu")
    known = dict(next(m for m in qibu.results if m.month == "2026-10").counts)
    assert _cell(ws, "qibu", "home_visits").value == known["home_visits"]
    (rule,) = ws.data_validations.dataValidation
    assert rule.type == "whole" and rule.operator == "greaterThanOrEqual" and rule.formula1 == "0"
    assert str(rule.sqref).startswith(f"C{FIRST_ROW}:")


def test_import_updates_files_and_the_build_shows_the_figures(sample_copy, tmp_path, capsys):
    sheet = _template(sample_copy, tmp_path)
    wb = load_workbook(sheet)
    ws = wb.worksheets[0]
    _cell(ws, "qibu", "home_visits").value = 4321
    _cell(ws, "shicheng", "volunteer_participations").value = 97
    wb.save(sheet)
    before = (sample_copy / "stations/qibu/results.yml").read_text(encoding="utf-8")

    capsys.readouterr()
    assert main(["results", "--root", str(sample_copy), "import", str(sheet)]) == 0
    out = capsys.readouterr().out
    assert "stations/qibu/results.yml：2026-10 修改：常态化巡访 34 → 4321" in out
    assert "stations/shicheng/results.yml" in out and "已更新 2 个文件" in out
    after = (sample_copy / "stations/qibu/results.yml").read_text(encoding="utf-8")
    # Round trip: only the one line changed; the comments and the other months are untouched.
    changed = [(a, b) for a, b in zip(before.splitlines(), after.splitlines(), strict=True) if a != b]
    assert len(changed) == 1 and "home_visits: 4321" in changed[0][1]
    assert [ln for ln in after.splitlines() if ln.startswith("#")] == [
        ln for ln in before.splitlines() if ln.startswith("#")
    ]

    first = _snapshot(sample_copy)
    assert main(["results", "--root", str(sample_copy), "import", str(sheet)]) == 0
    assert "没有变化" in capsys.readouterr().out
    assert _snapshot(sample_copy) == first

    assert main(["check", "--root", str(sample_copy)]) == 0
    site = tmp_path / "site"
    assert main(["build", "--root", str(sample_copy), "--no-posters", "--site-dir", str(site)]) == 0
    rows = list(csv.DictReader(io.StringIO((site / "data/results.csv").read_text(encoding="utf-8-sig"))))
    row = next(
        r for r in rows if (r["station"], r["indicator"], r["month"]) == ("qibu", "home_visits", "2026-10")
    )
    assert row["value"] == "4321"
    page = (site / "stations/qibu/results/index.html").read_text(encoding="utf-8")
    assert "4321" in page


def test_bad_cells_are_named_by_sheet_reference_and_nothing_is_written(sample_copy, tmp_path, capsys):
    sheet = _template(sample_copy, tmp_path)
    wb = load_workbook(sheet)
    ws = wb.worksheets[0]
    c5 = ws["C5"]
    c5.value = -3
    _cell(ws, "qibu", "theme_events").value = "两场"
    _cell(ws, "lidun", "theme_events").value = 2.5
    mobile = _cell(ws, "shicheng", "home_visits")
    mobile.value = "13912345678"
    ws.cell(ws.max_row, 1).value = "nosuchplace"
    ws.cell(KEY_ROW, ws.max_column).value = "no_such_indicator"
    wb.save(sheet)
    before = _snapshot(sample_copy)

    capsys.readouterr()
    assert main(["results", "--root", str(sample_copy), "import", str(sheet)]) == 1
    out = capsys.readouterr().out
    assert f"{sheet.name}: C5：应为非负整数，实际为 '-3'（提示：数量不能是负数）" in out
    assert "应为非负整数，实际为 '两场'" in out
    assert "应为非负整数，实际为 '2.5'（提示：人数、次数只能是整数）" in out
    assert f"{mobile.coordinate}：应为非负整数，实际为 '139******78'" in out
    assert "13912345678" not in out
    assert f"A{ws.max_row}：没有站点代号为 'nosuchplace' 的站点" in out
    assert "content/indicators.yml 里没有指标 'no_such_indicator'" in out
    assert _snapshot(sample_copy) == before


def test_a_month_not_yet_over_is_refused(sample_copy, tmp_path, capsys):
    # The tests' build date is 2026-11-22: November has not ended.
    sheet = _template(sample_copy, tmp_path, "2026-11")
    wb = load_workbook(sheet)
    _cell(wb.worksheets[0], "qibu", "home_visits").value = 5
    wb.save(sheet)
    assert main(["results", "--root", str(sample_copy), "import", str(sheet)]) == 1
    assert "B1：月份 2026-11 还没有结束" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("text", "expected_tail"),
    [
        (None, "- month: 2026-09\n  counts: {home_visits: 5}\n"),
        ("# 只有注释\n", "# 只有注释\n- month: 2026-09\n  counts: {home_visits: 5}\n"),
        (
            "# 头注释\n- month: 2026-10  # 十月\n  counts: {theme_events: 1}\n",
            "# 头注释\n- month: 2026-09\n  counts: {home_visits: 5}\n- month: 2026-10  # 十月\n"
            "  counts: {theme_events: 1}\n",
        ),
    ],
)
def test_new_months_go_in_month_order_and_keep_comments(text, expected_tail):
    new = updated_text(text, "2026-09", {"home_visits": 5}, ["home_visits", "theme_events"], "某站")
    assert new is not None and new.endswith(expected_tail)
    assert updated_text(new, "2026-09", {"home_visits": 5}, ["home_visits"], "某站") is None


def test_a_station_name_written_as_a_formula_is_stored_as_text(sample_copy, tmp_path):
    """openpyxl makes every string that starts with ``=`` a formula; the template keeps it text."""
    path = sample_copy / "stations/chunchi/station.yml"
    hostile = '=HYPERLINK("https://evil.example/","点此")纯池镇民政服务站'
    text = path.read_text(encoding="utf-8")
    path.write_text(
        text.replace("name: 周宁县纯池镇民政服务站", "name: '" + hostile + "'", 1), encoding="utf-8"
    )
    ws = load_workbook(_template(sample_copy, tmp_path)).worksheets[0]
    cell = next(ws.cell(r, 2) for r in range(FIRST_ROW, ws.max_row + 1) if ws.cell(r, 1).value == "chunchi")
    assert cell.value == hostile
    assert cell.data_type == "s"
