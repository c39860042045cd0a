"""One escaping rule for every output: a payload in every text field of every schema and in every
Markdown body (content and docs/), then every file the build writes is read the way its reader
reads it. Markup from content must never take effect; the characters must still be shown as text.

The county is cut down to the hub, three rules and the news that need no other station, so the
posters of the hostile build cost seconds, not minutes; every schema and output kind is still there.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from hostile_payloads import (
    ENGINES,
    MARK,
    OFFLINE,
    SHORT,
    UNPUBLISHED,
    all_text_fields,
    build_hostile_site,
    html_problems,
    output_problems,
)


@pytest.fixture(scope="session", params=ENGINES)
def hostile_build(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> tuple[Path, set[str]]:
    """The hostile build by each engine (``stationsite build --engine``): every check below holds for both."""
    return build_hostile_site(tmp_path_factory, request.param)


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
    # The names index is data the search page writes with textContent (theme/assets/search.js):
    # the payload is there as plain text, as typed.
    names = json.loads((site / "search" / "names.json").read_text(encoding="utf-8"))
    assert any(SHORT in entry[1] for entry in names["entries"])
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


def test_the_pull_request_comment_shows_the_payload_as_text(hostile_build, tmp_path: Path):
    import shutil

    from conftest import COPY_IGNORE, REPO
    from hostile_payloads import _shrink
    from markdown_it import MarkdownIt

    from generator.publishing.contentdiff import diff_directories
    from generator.publishing.gitversions import Version

    site, _ = hostile_build
    base = tmp_path / "base"
    shutil.copytree(REPO, base, ignore=COPY_IGNORE, symlinks=True)
    _shrink(base)
    text, ok = diff_directories(base, site.parent, Version("main", "0" * 40), Version("工作目录", None))
    assert ok
    # CommonMark with raw HTML passed through, as GitHub renders a comment before its own sanitiser
    rendered = MarkdownIt("commonmark", {"html": True}).enable("table").render(text)
    bad, visible = html_problems(rendered)
    assert bad == []
    assert SHORT in visible and "手写页面和文件（docs/）" in visible
