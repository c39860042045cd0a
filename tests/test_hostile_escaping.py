"""One escaping rule for every output: a payload in every text field of every schema and in every
Markdown body (content and docs/), then every file the build writes is read the way its reader
reads it. Markup from content must never take effect; the characters must still be shown as text.

The county is cut down to the hub, three rules and the news that need no other station, so the
posters of the hostile build cost seconds, not minutes; every schema and output kind is still there.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import COPY_IGNORE, REPO
from hostile_payloads import (
    HOSTILE_BODY,
    MARK,
    SHORT,
    UNPUBLISHED,
    all_text_fields,
    html_problems,
    output_problems,
    poison_repository,
)

KEEP_STATIONS = {"hub"}
KEEP_RULES = {"duties.md", "service-flow.md", "first-inquiry.md"}


def _shrink(root: Path) -> None:
    for sdir in (root / "stations").iterdir():
        if sdir.name not in KEEP_STATIONS:
            shutil.rmtree(sdir)
    for rule in (root / "content" / "rules").iterdir():
        if rule.name not in KEEP_RULES:
            rule.unlink()
    hub = root / "stations" / "hub" / "station.yml"
    if "volunteers:" not in hub.read_text(encoding="utf-8"):  # the only optional record the hub lacks
        with hub.open("a", encoding="utf-8") as f:
            f.write("volunteers: {team: 总站志愿服务队, members: 8}\n")
    for news in (root / "content" / "news").glob("*.md"):
        station = re.search(r"(?m)^station:\s*(\S+)", news.read_text(encoding="utf-8"))
        if station and station[1] not in KEEP_STATIONS:
            news.unlink()


def _poison_docs(root: Path) -> None:
    for page in sorted((root / "docs").rglob("*.md")):
        text = page.read_text(encoding="utf-8")
        text = re.sub(r"(?m)^# (.*)$", lambda m: f"# {m[1]}{SHORT}", text, count=1)
        if text.startswith("---\n"):
            text = "---\ndescription: " + json.dumps("说明" + SHORT, ensure_ascii=False) + "\n" + text[4:]
        page.write_text(text + HOSTILE_BODY, encoding="utf-8")


@pytest.fixture(scope="session")
def hostile_build(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, set[str]]:
    root = tmp_path_factory.mktemp("hostile") / "repo"
    shutil.copytree(REPO, root, ignore=COPY_IGNORE, symlinks=True)
    _shrink(root)
    hit = poison_repository(root)
    _poison_docs(root)
    (REPO / ".cache").mkdir(exist_ok=True)
    (root / ".cache").symlink_to(REPO / ".cache")
    # Built with the network unavailable (a new, empty network namespace) where the system allows
    # it: posters and everything else must need no host but this one.
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    done = subprocess.run(
        [*OFFLINE, sys.executable, "-m", "generator", "build", "--root", str(root)],
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "Traceback" not in done.stderr
    return root / "site", hit


def _offline_prefix() -> list[str]:
    """``unshare -rn``: run a command in a network namespace with no interface but loopback (down)."""
    if not shutil.which("unshare"):
        return []
    probe = subprocess.run(["unshare", "-rn", "true"], capture_output=True)
    return ["unshare", "-rn"] if probe.returncode == 0 else []


OFFLINE = _offline_prefix()


@pytest.mark.skipif(not OFFLINE, reason="this system does not allow a network namespace (unshare -rn)")
def test_the_hostile_build_ran_with_the_network_unavailable():
    probe = subprocess.run(
        [*OFFLINE, sys.executable, "-c", "import socket; socket.create_connection(('127.0.0.1', 9), 2)"],
        capture_output=True,
        text=True,
    )
    assert probe.returncode != 0 and ("Network is unreachable" in probe.stderr or "refused" in probe.stderr)


def test_every_published_text_field_of_every_schema_gets_a_payload(hostile_build):
    _, hit = hostile_build
    unpublished = {f for f in all_text_fields() if f.startswith("隐私检查例外")}
    assert UNPUBLISHED == {"content/privacy-allowlist.yml"}
    assert hit == all_text_fields() - unpublished


def test_no_output_file_lets_content_markup_take_effect(hostile_build):
    site, _ = hostile_build
    kinds = {p.suffix for p in site.rglob("*") if p.is_file()}
    assert {".html", ".pdf", ".json", ".csv", ".ics", ".xml"} <= kinds
    assert output_problems(site) == {}


def _visible(path: Path) -> str:
    return html_problems(path.read_text(encoding="utf-8"))[1]


def test_the_payload_is_still_shown_as_text(hostile_build):
    site, _ = hostile_build
    page = (site / "stations" / "hub" / "index.html").read_text(encoding="utf-8")
    title = re.search(r"<title>(.*?)</title>", page, re.S)
    assert title and SHORT in html_problems(title[1])[1]
    description = re.search(r'<meta name="description" content="([^"]*)"', page)
    assert description and "&lt;i data-pwn&gt;" in description[1]
    assert SHORT in _visible(site / "stations" / "hub" / "index.html")
    # hand-written pages: H1 text kept, markup gone
    home = _visible(site / "index.html")
    assert SHORT in home and "pwn()" not in home.replace("[链接](javascript:pwn())", "")
    index = json.loads((site / "search" / "search_index.json").read_text(encoding="utf-8"))
    assert any(SHORT in html_problems(d["title"])[1] for d in index["docs"])
    assert SHORT in _visible(site / "posters" / "hub" / "board.html")
    stations = json.loads((site / "data" / "stations.json").read_text(encoding="utf-8"))
    assert any(SHORT in s["name"] for s in stations["stations"])
    from icalendar import Calendar

    calendar = Calendar.from_ical((site / "calendar" / "hub.ics").read_bytes())
    texts = [
        str(e.get(k, "")) for e in calendar.walk("VEVENT") for k in ("SUMMARY", "LOCATION", "DESCRIPTION")
    ]
    assert any(SHORT in t for t in texts)


def test_posters_print_the_payload_as_characters(hostile_build):
    site, _ = hostile_build
    text = subprocess.run(
        ["pdftotext", "-layout", str(site / "posters" / "hub" / "board.pdf"), "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert f"<i {MARK}>" in text


def test_the_output_scanner_can_fail():
    assert html_problems(f"<title>x</title><p><i {MARK}>x</i></p>")[0]
    assert html_problems('<a href="javascript:pwn()">x</a>')[0]
    assert html_problems("<img src=x onerror=pwn()>")[0]
    assert html_problems("<script>pwn()</script>")[0]
    assert not html_problems(f"<p>&lt;i {MARK}&gt;</p>")[0]
