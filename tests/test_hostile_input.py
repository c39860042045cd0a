"""Bounded input: files that would hang, crash or flood the build are problems, never a traceback.

(The YAML bombs, deep nesting, odd file names and symlinks are golden cases in
tests/golden/validation/; here the inputs a YAML file cannot describe: a FIFO, a rule too long for
one A3 page.)
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import os
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import REPO

from generator.problems import ContentError

DAY = dt.date(2026, 11, 22)


def _check(root: Path) -> subprocess.CompletedProcess[str]:
    # A subprocess with a timeout: a regression that blocks on a FIFO fails instead of hanging CI.
    return subprocess.run(
        [sys.executable, "-m", "generator", "check", "--root", str(root)],
        env={**os.environ, "PYTHONPATH": str(REPO)},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_special_files_are_problems_not_hangs(sample_copy: Path):
    (sample_copy / "stations" / "qibu" / "rules").mkdir(exist_ok=True)
    fifo = sample_copy / "stations" / "qibu" / "rules" / "pipe.md"
    os.mkfifo(fifo)
    os.mkfifo(sample_copy / "docs" / "pipe.txt")
    done = _check(sample_copy)
    assert done.returncode == 1 and "Traceback" not in done.stderr + done.stdout
    lines = done.stdout.splitlines()
    assert (
        "stations/qibu/rules/pipe.md: 这不是普通文件（可能是管道、设备或套接字）（提示：内容目录里只能放普通文件和目录，请删除它）"
        in lines
    )
    assert any(ln.startswith("docs/pipe.txt: 这不是普通文件") for ln in lines)


def test_a_station_file_that_is_a_symlink_to_dev_zero_is_not_read(sample_copy: Path):
    target = sample_copy / "stations" / "qibu" / "results.yml"
    target.unlink()
    target.symlink_to("/dev/zero")
    done = _check(sample_copy)
    assert done.returncode == 1 and "Traceback" not in done.stderr
    assert "stations/qibu/results.yml: 这是指向仓库以外的符号链接" in done.stdout


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads every file")
def test_unreadable_files_are_problems(sample_copy: Path):
    path = sample_copy / "stations" / "qibu" / "activities.yml"
    path.chmod(0)
    done = _check(sample_copy)
    assert "stations/qibu/activities.yml: 无法读取文件：没有读取权限" in done.stdout


def _hub_with_duties(sample_content, body: str):
    hub = sample_content.station("hub")
    rules = tuple(
        dataclasses.replace(r, body=body) if r.name == "duties" else r for r in sample_content.rules
    )
    return dataclasses.replace(sample_content, stations=(hub,), rules=rules)


def _build(content, tmp_path: Path) -> None:
    from generator.posters import build_posters
    from generator.results.progress import compute_results

    build_posters(
        content,
        compute_results(content, DAY),
        tmp_path / "posters",
        "https://zhouning-mzfwz.example/",
        DAY,
        cache_dir=REPO / ".cache" / "posters",
        workers=1,
    )


LINE = "服务站工作人员应当按照规定做好来访登记、政策咨询和转介服务，做到热情接待、耐心解答。"


def test_a_5000_line_rule_is_a_content_error_not_a_123_page_poster(sample_content, tmp_path: Path):
    body = "\n\n".join(f"第{i}条 {LINE}" for i in range(1, 5001))
    with pytest.raises(ContentError) as err:
        _build(_hub_with_duties(sample_content, body), tmp_path)
    (problem,) = err.value.problems
    assert problem.file == "content/rules/duties.md"
    assert problem.message.startswith("制度《工作职责》太长：A3 纸、12 磅字也要排 ")
    assert "上墙海报只能是一页" in problem.message
    assert "请删减约 " in (problem.hint or "") and "duties-1.md" in (problem.hint or "")
    assert not (tmp_path / "posters" / "hub" / "rule-duties.pdf").exists()


def test_a_rule_just_over_one_a3_page_is_measured_by_layout(sample_content, tmp_path: Path):
    body = "\n\n".join(f"{i}. {LINE}" for i in range(1, 61))  # about 2,900 characters: two A3 pages
    with pytest.raises(ContentError) as err:
        _build(_hub_with_duties(sample_content, body), tmp_path)
    (problem,) = err.value.problems
    assert "也要排 2 页" in problem.message and "拆成 2 个制度文件（如 duties-1.md、duties-2.md）" in (
        problem.hint or ""
    )
