"""A build that survives faults: damaged caches are re-made, an interrupted build is cleaned up
and a lost site/ restored, a second build waits its turn, a full or read-only disk is said in
Chinese, and ``--format github`` cannot be made to print a command of its own."""

from __future__ import annotations

import dataclasses
import datetime as dt
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import REPO

from generator import sitelock
from generator.posters.cache import PosterCache
from generator.problems import Problem, format_github

DAY = dt.date(2026, 11, 22)
ENV = {**os.environ, "PYTHONPATH": str(REPO)}


def _stationsite(*args: str, prefix: tuple[str, ...] = ()) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*prefix, sys.executable, "-m", "generator", *args],
        env=ENV,
        capture_output=True,
        text=True,
        timeout=900,
    )


# ------------------------------------------------------------------------------ caches


def test_a_damaged_cached_pdf_is_dropped_not_published(tmp_path: Path):
    cache = PosterCache(tmp_path)
    cache.put("ab" + "0" * 38, b"%PDF-1.7 whole file %%EOF", "<html>x</html>", {"pages": 1})
    assert cache.get("ab" + "0" * 38) is not None
    pdf = tmp_path / "ab" / ("ab" + "0" * 38 + ".pdf")
    pdf.write_bytes(b"%PDF-1.7 trunc")  # an interrupted copy, a disk error
    assert cache.get("ab" + "0" * 38) is None
    assert not pdf.exists() and not pdf.with_suffix(".json").exists()  # made again next time
    cache.put("cd" + "0" * 38, b"%PDF", None, {})
    (tmp_path / "cd" / ("cd" + "0" * 38 + ".json")).write_text('{"pages": 1}')  # no digest: not trusted
    assert cache.get("cd" + "0" * 38, with_html=False) is None


def test_garbage_in_the_font_cache_is_re_made(tmp_path: Path):
    from fontTools.ttLib import TTFont

    from generator.posters import fonts

    regular, _ = fonts.find_cjk_fonts()
    chars = frozenset("周宁县民政服务站公示栏ABC")
    first = fonts.make_subset(regular, chars, tmp_path)
    good = first.path.read_bytes()
    first.path.write_bytes(good[: len(good) // 3])
    again = fonts.make_subset(regular, chars, tmp_path)
    assert again.path == first.path and again.path.read_bytes() == good
    TTFont(str(again.path))  # a readable font again
    again.path.with_name(again.path.name + ".sha256").unlink()  # no digest: made again, not trusted
    fonts.make_subset(regular, chars, tmp_path)
    assert again.path.with_name(again.path.name + ".sha256").is_file()


def test_a_damaged_qr_cache_entry_is_encoded_again(tmp_path: Path):
    from generator.posters import qr

    url = "https://zhouning-mzfwz.example/stations/hub/"
    qr.use_disk_cache(tmp_path)
    try:
        qr._matrix.cache_clear()
        good = qr._matrix(url)
        (entry,) = tmp_path.glob("*.txt")
        for damage in (entry.read_text().replace("1", "0", 5), "garbage", ""):
            entry.write_text(damage)
            qr._matrix.cache_clear()
            assert qr._matrix(url) == good  # a wrong QR code is never printed
    finally:
        qr.use_disk_cache(None)
        qr._matrix.cache_clear()


def test_a_truncated_cached_poster_is_rendered_again(sample_content, tmp_path: Path):
    from pypdf import PdfReader

    from generator.posters import build_posters
    from generator.results.progress import compute_results

    content = dataclasses.replace(sample_content, stations=(sample_content.station("hub"),))
    report = compute_results(content, DAY)
    cache_dir = REPO / ".cache" / "posters"  # shared with the other poster tests: mostly warm
    args = (content, report, tmp_path / "one", "https://zhouning-mzfwz.example/", DAY)
    build_posters(*args, cache_dir=cache_dir, workers=1)
    board = (tmp_path / "one" / "hub" / "board.pdf").read_bytes()
    cached = next(p for p in cache_dir.glob("??/*.pdf") if p.read_bytes() == board)
    cached.write_bytes(board[: len(board) // 2])
    build_posters(*(args[:2]), tmp_path / "two", *args[3:], cache_dir=cache_dir, workers=1)
    again = tmp_path / "two" / "hub" / "board.pdf"
    assert again.read_bytes() == board and len(PdfReader(again).pages) == 1


# ------------------------------------------------------------------------------ the swap


def test_a_site_lost_between_the_renames_is_restored_and_leftovers_removed(tmp_path: Path):
    target = tmp_path / "site"
    old = tmp_path / ".site.old-kill9"
    (old / "stations").mkdir(parents=True)
    (old / "index.html").write_text("published before", encoding="utf-8")
    (tmp_path / ".site.new-half").mkdir()
    (tmp_path / ".site.new-half" / "index.html").write_text("half", encoding="utf-8")
    older = tmp_path / ".site.old-earlier"
    older.mkdir()
    os.utime(older, (1, 1))
    with sitelock.locked(target):
        sitelock.recover(target)
    assert (target / "index.html").read_text(encoding="utf-8") == "published before"
    assert sorted(p.name for p in tmp_path.iterdir()) == [".site.lock", "site"]


def test_the_next_build_cleans_up_after_an_interrupted_one(sample_copy: Path):
    parent = sample_copy
    (parent / ".site.old-x1").mkdir()
    (parent / ".site.old-x1" / "index.html").write_text("old", encoding="utf-8")
    (parent / ".site.new-x2").mkdir()
    done = _stationsite("build", "--root", str(sample_copy), "--no-posters")
    assert done.returncode == 0, done.stderr
    assert (
        "已用原来的网站恢复 site/" in done.stderr and "已清理上次中断的生成留下的 1 个临时目录" in done.stderr
    )
    assert not list(parent.glob(".site.*-*"))
    assert "周宁县" in (sample_copy / "site" / "index.html").read_text(encoding="utf-8")


def test_a_second_build_into_the_same_site_stops_with_a_clear_message(sample_copy: Path):
    target = sample_copy / "site"
    (target).mkdir()
    (target / "index.html").write_text("the first build's site", encoding="utf-8")
    with sitelock.locked(target):
        done = _stationsite("build", "--root", str(sample_copy), "--no-posters")
    assert done.returncode == 1 and "Traceback" not in done.stderr
    assert f"另一个 stationsite build 正在生成 site/（进程号 {os.getpid()}）" in done.stderr
    assert (target / "index.html").read_text(encoding="utf-8") == "the first build's site"
    assert not list(sample_copy.glob(".site.new-*"))


# ------------------------------------------------------------------------------ the machine


def _mount_namespace() -> bool:
    if not shutil.which("unshare"):
        return False
    probe = subprocess.run(["unshare", "-rm", "sh", "-c", "mount -t tmpfs tmpfs /mnt"], capture_output=True)
    return probe.returncode == 0


needs_mounts = pytest.mark.skipif(not _mount_namespace(), reason="no user mount namespace (unshare -rm)")


def _in_small_disk(sample_copy: Path, options: str) -> subprocess.CompletedProcess[str]:
    out = sample_copy / "out"
    out.mkdir()
    script = (
        f"mount -t tmpfs -o {options} tmpfs {out} && exec {sys.executable} -m generator build "
        f"--root {sample_copy} --no-posters --site-dir {out}/site"
    )
    return subprocess.run(
        ["unshare", "-rm", "sh", "-c", script], env=ENV, capture_output=True, text=True, timeout=600
    )


@needs_mounts
def test_disk_full_is_said_in_chinese(sample_copy: Path):
    done = _in_small_disk(sample_copy, "size=300k")
    assert done.returncode == 1 and "Traceback" not in done.stderr, done.stderr[-2000:]
    assert "磁盘空间不足，无法写入" in done.stderr and "原有的 site/ 保持不变" in done.stderr


@needs_mounts
def test_read_only_disk_is_said_in_chinese(sample_copy: Path):
    done = _in_small_disk(sample_copy, "ro")
    assert done.returncode == 1 and "Traceback" not in done.stderr, done.stderr[-2000:]
    assert "所在的磁盘是只读的，无法写入" in done.stderr


# ------------------------------------------------------------------------------ CI output


def test_github_format_cannot_be_made_to_print_its_own_command():
    evil = Problem(
        "content/news/a\n::notice title=检查::全部通过,x:y%0A.md", 3, None, "坏\r\n::warning::x 100%"
    )
    out = format_github([evil])
    assert out.count("\n") == 0 and out.startswith("::error file=")
    assert "::notice" not in out.split("::", 2)[1]  # only our own command starts a line
    assert "file=content/news/a%0A%3A%3Anotice title=检查%3A%3A全部通过%2Cx%3Ay%250A.md,line=3," in out
    assert out.endswith("坏%0D%0A::warning::x 100%25")


def test_github_format_of_a_real_check_with_a_newline_in_a_file_name(sample_copy: Path):
    (sample_copy / "content" / "news" / "2026-11-07-a\n::notice::全部通过.md").write_text(
        "---\ntitle: x\ndate: 2026-11-07\nkind: news\n---\n", encoding="utf-8"
    )
    done = _stationsite("check", "--root", str(sample_copy), "--format", "github")
    assert done.returncode == 1
    assert all(line.startswith("::error file=") for line in done.stdout.splitlines()), done.stdout
