"""The previous ledger of poster codes: read from a file or downloaded from the live site (a local
http.server here), untrusted (size-bounded, schema-checked), a first publication when missing; and
``build --no-posters``, which works out no code and links no poster file."""

from __future__ import annotations

import datetime as dt
import http.server
import json
import logging
import socket
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from generator.posters import ledger as ledgermod
from generator.posters.issue import issue
from generator.posters.specs import PosterSpec

DAY1, DAY2 = dt.date(2026, 11, 16), dt.date(2026, 11, 22)


def spec(station: str = "shicheng", ident: str = "week") -> PosterSpec:
    return PosterSpec(
        ident, "本周活动安排", f"stations/{station}/", f"{ident}.html", f"{ident}.pdf", "week", station
    )


class _Handler(http.server.BaseHTTPRequestHandler):
    routes: dict[str, tuple[int, bytes]] = {}
    seen: list[str] = []

    def do_GET(self) -> None:  # noqa: N802 (http.server's name)
        self.seen.append(self.path)
        status, body = self.routes.get(self.path, (404, b"not found"))
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def server() -> Iterator[tuple[str, dict[str, tuple[int, bytes]], list[str]]]:
    """A web server on 127.0.0.1: (its base address, path → (status, body), paths asked for)."""
    routes: dict[str, tuple[int, bytes]] = {}
    seen: list[str] = []
    handler = type("Handler", (_Handler,), {"routes": routes, "seen": seen})
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    ledgermod._download.cache_clear()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}", routes, seen
    finally:
        httpd.shutdown()
        httpd.server_close()
        ledgermod._download.cache_clear()


def test_a_ledger_fetched_from_the_live_site_dates_codes_and_marks_the_replaced_one(
    server, monkeypatch, caplog
) -> None:
    base, routes, seen = server
    first = issue([(spec(), "<p>第一版</p>")], DAY1, {})
    old_code = first.of(spec()).code
    routes["/county/posters/ledger.json"] = (200, first.ledger_json().encode())
    monkeypatch.setenv(ledgermod.LEDGER_ENV, ledgermod.PUBLISHED)
    with caplog.at_level(logging.INFO, logger="stationsite.posters"):
        fetched = ledgermod.previous_ledger(None, f"{base}/county/")
    assert seen == ["/county/posters/ledger.json"]
    assert "读取 1 个站点的 1 个编号" in caplog.text
    # the same poster, changed: a new code today; the fetched one is earlier, replaced, with its date
    second = issue([(spec(), "<p>第二版</p>")], DAY2, fetched)
    now = second.of(spec())
    assert now.code != old_code and now.issued == DAY2
    [earlier] = second.earlier_of("shicheng")
    assert (earlier.code, earlier.issued, earlier.replaced_by) == (old_code, DAY1, now.code)
    # unchanged: the code keeps the date it was first issued
    assert issue([(spec(), "<p>第一版</p>")], DAY2, fetched).of(spec()).issued == DAY1


@pytest.mark.parametrize(
    ("status", "body", "said"),
    [
        (404, b"not found", "HTTP 404"),
        (500, b"oops", "HTTP 500"),
        (200, b"<html>a login page</html>", "无法读取"),
        (200, json.dumps({"version": 2, "stations": {}}).encode(), "不是本版本"),
        (200, json.dumps({"version": True, "stations": {}}).encode(), "不是本版本"),
        (200, json.dumps([1, 2, 3]).encode(), "不是本版本"),
    ],
    ids=["404", "500", "not-json", "other-version", "version-true", "not-an-object"],
)
def test_a_missing_or_invalid_ledger_is_a_first_publication_with_one_log_line(
    server, monkeypatch, caplog, status: int, body: bytes, said: str
) -> None:
    base, routes, _ = server
    routes["/posters/ledger.json"] = (status, body)
    monkeypatch.setenv(ledgermod.LEDGER_ENV, f"{base}/posters/ledger.json")
    with caplog.at_level(logging.INFO, logger="stationsite.posters"):
        assert ledgermod.previous_ledger(None, "https://unused.example/") == {}
    lines = [r.getMessage() for r in caplog.records if r.name == "stationsite.posters"]
    assert len(lines) == 1 and said in lines[0] and "按首次发布处理" in lines[0], lines


def test_no_answer_is_a_first_publication(monkeypatch, caplog) -> None:
    with socket.socket() as s:  # a port nobody listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    ledgermod._download.cache_clear()
    monkeypatch.setenv(ledgermod.LEDGER_ENV, f"http://127.0.0.1:{port}/posters/ledger.json")
    with caplog.at_level(logging.INFO, logger="stationsite.posters"):
        assert ledgermod.previous_ledger(None, "https://unused.example/") == {}
    assert "无法连接" in caplog.text and "按首次发布处理" in caplog.text


def test_a_ledger_over_the_size_bound_is_not_read(server, monkeypatch, caplog) -> None:
    base, routes, _ = server
    big = issue([(spec(), "<p>x</p>")], DAY1, {}).ledger_json().encode()
    routes["/posters/ledger.json"] = (200, big + b" " * 200)
    monkeypatch.setattr(ledgermod, "MAX_BYTES", len(big) + 100)
    monkeypatch.setenv(ledgermod.LEDGER_ENV, ledgermod.PUBLISHED)
    with caplog.at_level(logging.INFO, logger="stationsite.posters"):
        assert ledgermod.previous_ledger(None, base + "/") == {}
    assert "超过" in caplog.text


def test_malformed_entries_are_dropped_and_cannot_name_a_path() -> None:
    good = {"code": "K7Q2-M9XD", "issued": "2026-11-16", "title": "本周活动安排"}
    data = {
        "version": 1,
        "stations": {
            "shicheng": {
                "week": [
                    good,
                    {"code": "../../../etc", "issued": "2026-11-16", "title": "x"},
                    {"code": "k7q2-m9xd", "issued": "2026-11-16"},  # lower case: not as we write it
                    {"code": "K7Q2-M9XI", "issued": "2026-11-16"},  # I is not in the alphabet
                    {"code": "K7Q2-M9XE", "issued": "2026-02-30"},
                    {"code": "K7Q2-M9XF", "issued": "2026-11-16", "title": ["not", "text"]},
                    "K7Q2-M9XG",
                ],
                "../board": [good],
            },
            "../../tmp": {"week": [good]},
            "qibu": "not a dict",
        },
    }
    checked, dropped = ledgermod.checked(data)
    assert checked == {"version": 1, "stations": {"shicheng": {"week": [good]}}}
    assert dropped == 6 + 1 + 1 + 1
    long_title = {**good, "title": "长" * 1000 + "\x00"}
    checked, _ = ledgermod.checked({"version": 1, "stations": {"a": {"b": [long_title]}}})
    assert checked["stations"]["a"]["b"][0]["title"] == "长" * ledgermod.MAX_TITLE


def test_a_ledger_file_named_or_left_by_the_previous_site(tmp_path, monkeypatch, caplog) -> None:
    text = issue([(spec(), "<p>x</p>")], DAY1, {}).ledger_json()
    previous = tmp_path / "site"
    (previous / "posters").mkdir(parents=True)
    (previous / "posters" / "ledger.json").write_text(text, encoding="utf-8")
    monkeypatch.delenv(ledgermod.LEDGER_ENV, raising=False)
    assert ledgermod.previous_ledger(previous, "https://x.example/") == json.loads(text)
    assert ledgermod.previous_ledger(None, "https://x.example/") == {}  # a first local build
    monkeypatch.setenv(ledgermod.LEDGER_ENV, str(tmp_path / "gone.json"))
    with caplog.at_level(logging.INFO, logger="stationsite.posters"):
        assert ledgermod.previous_ledger(previous, "https://x.example/") == {}
    assert "没有文件" in caplog.text and "按首次发布处理" in caplog.text


@pytest.mark.slow
def test_a_build_without_posters_works_out_no_code_and_links_no_poster_file(
    sample_copy: Path, tmp_path: Path, monkeypatch
) -> None:
    from test_links import broken_links

    import generator.posters.build as postersbuild
    from generator.cli import main

    worked_out: list[int] = []
    printed = postersbuild.printed
    monkeypatch.setattr(postersbuild, "printed", lambda *a, **k: worked_out.append(1) or printed(*a, **k))
    earlier = issue([(spec("qibu"), "<p>上周的海报</p>")], DAY1, {}).ledger_json()
    (tmp_path / "ledger.json").write_text(earlier, encoding="utf-8")
    monkeypatch.setenv(ledgermod.LEDGER_ENV, str(tmp_path / "ledger.json"))
    site = tmp_path / "site"
    assert main(["build", "--root", str(sample_copy), "--no-posters", "--site-dir", str(site)]) == 0
    assert worked_out == []
    assert not (site / "posters" / "qibu").exists()
    page = (site / "stations" / "qibu" / "index.html").read_text(encoding="utf-8")
    assert "没有包含上墙海报" in page and "posters/qibu" not in page
    # the earlier codes are carried forward for the next build with posters
    assert json.loads((site / "posters" / "ledger.json").read_text(encoding="utf-8")) == json.loads(earlier)
    problems = broken_links(site, "/")
    assert not problems, "\n".join(problems[:20])
