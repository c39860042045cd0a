"""``stationsite export``: the pages as a plain MkDocs project that builds without our plugin."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from generator.cli import main


def test_export_writes_a_plain_project_that_builds_the_same_pages(
    sample_copy: Path, built_site: Path, tmp_path: Path
) -> None:
    dest = tmp_path / "plain"
    assert main(["export", str(dest), "--root", str(sample_copy)]) == 0
    config = (dest / "mkdocs.yml").read_text(encoding="utf-8")
    assert "stationsite" not in config
    station = (dest / "docs" / "stations" / "qibu" / "index.md").read_text(encoding="utf-8")
    assert "七步镇民政服务站" in station and "tel:" in station
    assert "本周活动" in (dest / "docs" / "index.md").read_text(encoding="utf-8")  # home sections appended
    assert not (dest / "theme" / "pages").exists() and not (dest / "theme" / "posters").exists()
    assert (dest / "theme" / "main.html").is_file()

    run = subprocess.run(
        [
            sys.executable,
            "-m",
            "mkdocs",
            "build",
            "-q",
            "-f",
            str(dest / "mkdocs.yml"),
            "-d",
            str(tmp_path / "site"),
        ],
        capture_output=True,
        text=True,
    )
    assert run.returncode == 0, run.stderr[-2000:]
    plain = {p.relative_to(tmp_path / "site") for p in (tmp_path / "site").rglob("index.html")}
    # admin/ is the form editor (Decap CMS), not a page: the export leaves it out, as posters and data.
    ours = {p.relative_to(built_site) for p in built_site.rglob("index.html")} - {Path("admin/index.html")}
    assert plain == ours


def test_export_refuses_a_directory_with_files_in_it(sample_copy: Path, tmp_path: Path, capsys) -> None:
    dest = tmp_path / "busy"
    dest.mkdir()
    (dest / "notes.txt").write_text("别删我", encoding="utf-8")
    assert main(["export", str(dest), "--root", str(sample_copy)]) == 1
    assert "不是空目录" in capsys.readouterr().err
    assert [p.name for p in dest.iterdir()] == ["notes.txt"]


def test_bad_content_exports_nothing_and_says_why(sample_copy: Path, tmp_path: Path, capsys) -> None:
    station = sample_copy / "stations" / "qibu" / "station.yml"
    station.write_text(station.read_text(encoding="utf-8").replace("name:", "nmae:", 1), encoding="utf-8")
    dest = tmp_path / "out"
    assert main(["export", str(dest), "--root", str(sample_copy)]) == 1
    err = capsys.readouterr().err
    assert "stations/qibu/station.yml" in err and "没有导出" in err
    assert not dest.exists()
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".out.new-")]
