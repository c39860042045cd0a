"""The ``stationsite check`` command as editors and CI bots use it."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from generator.cli import main


def run_check(root: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "generator", "check", "--root", str(root), *extra],
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_sample_passes(repo_root: Path) -> None:
    result = run_check(repo_root)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "内容检查通过" in result.stdout


def test_bad_content_exits_1_with_every_problem_and_no_traceback(sample_copy: Path) -> None:
    acts = sample_copy / "stations/qibu/activities.yml"
    acts.write_text(
        acts.read_text(encoding="utf-8") + '- date: 2026-02-30\n  start: "25:00"\n', encoding="utf-8"
    )
    station = sample_copy / "stations/lidun/station.yml"
    station.write_text(
        station.read_text(encoding="utf-8").replace("kind: township", "kind: village"), encoding="utf-8"
    )
    result = run_check(sample_copy)
    assert result.returncode == 1
    assert "Traceback" not in result.stdout + result.stderr
    lines = result.stdout.splitlines()
    assert any(ln.startswith("stations/qibu/activities.yml:") and "2026-02-30" in ln for ln in lines)
    assert any(ln.startswith("stations/qibu/activities.yml:") and "25:00" in ln for ln in lines)
    assert any(ln.startswith("stations/lidun/station.yml:") and "village" in ln for ln in lines)


def test_json_format(sample_copy: Path, capsys) -> None:
    (sample_copy / "content/county.yml").write_text("county: [\n", encoding="utf-8")
    assert main(["check", "--root", str(sample_copy), "--format", "json"]) == 1
    data = json.loads(capsys.readouterr().out)
    assert data["ok"] is False and data["count"] >= 1
    first = data["problems"][0]
    assert first["file"] == "content/county.yml" and first["line"] == 2 and "YAML" in first["message"]


def test_github_format(sample_copy: Path, capsys) -> None:
    (sample_copy / "stations/qibu/results.yml").write_text(
        "- month: 2026-01\n  counts: {home_visits: -1}\n", encoding="utf-8"
    )
    assert main(["check", "--root", str(sample_copy), "--format", "github"]) == 1
    out = capsys.readouterr().out.strip().splitlines()
    assert out == [
        "::error file=stations/qibu/results.yml,line=2,title=内容检查::"
        "第 1 项月度成效·各指标本月数量（counts）·home_visits: 应为非负整数，实际为 '-1'（提示：数量不能是负数）"
    ]


def test_missing_repository_is_a_clean_error(tmp_path: Path) -> None:
    result = run_check(tmp_path)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert "content/county.yml: 缺少这个文件" in result.stdout
