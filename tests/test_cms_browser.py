"""Form editing in a real browser: Decap CMS under /admin/ against decap-server (local git backend).

A temporary copy of the sample repository is made a git repository; decap-server serves it in
``MODE=git`` (the editorial workflow: saving makes a ``cms/…`` branch, the local stand-in for a pull
request). Headless Chromium opens the admin page, edits in the form and saves; the file on that
branch must pass ``stationsite check`` and differ from main only in what was edited: one activity's
title (the station's repeating activity kept as it was), then a repeat rule's exception date, a new
repeat on another activity and a new closure on a station (the fields issue 17 added).
"""

from __future__ import annotations

import functools
import os
import shutil
import socket
import subprocess
import threading
import time
from collections.abc import Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from conftest import browser_unavailable

from generator.cli import main
from generator.content.load import load_content
from generator.site.cms import find_node_modules, write_admin

pytestmark = [pytest.mark.browser]

REPO = Path(__file__).resolve().parent.parent
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARTIFACTS = REPO / "test-artifacts"
NEW_TITLE = "困境儿童四点半课堂（冬令营）"


try:
    import playwright.sync_api as playwright_api
except ImportError:  # pragma: no cover - depends on the machine
    browser_unavailable("Playwright for Python is not installed (pip install -e '.[test]')")
if not Path(CHROMIUM).exists():
    browser_unavailable("Debian's chromium is not installed (apt-get install chromium)")
if find_node_modules(REPO) is None or not (REPO / "node_modules/decap-server").is_dir():
    browser_unavailable("decap-cms / decap-server are not installed (npm install)")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _git(repo: Path, *args: str) -> str:
    env = {**os.environ, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.invalid"}
    env |= {"GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.invalid"}
    done = subprocess.run(
        ["git", "-C", str(repo), *args], capture_output=True, text=True, env=env, check=True
    )
    return done.stdout


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - the base class's name
        pass


@pytest.fixture()
def cms(sample_copy: Path, tmp_path: Path) -> Iterator[tuple[str, Path]]:
    """(admin page URL, the git repository decap-server edits)."""
    _git(sample_copy, "init", "-q", "-b", "main")
    _git(sample_copy, "add", "-A")
    _git(sample_copy, "commit", "-q", "-m", "sample")
    content, problems = load_content(sample_copy)
    assert not problems

    api_port = _free_port()
    site = tmp_path / "site"
    made = write_admin(
        site,
        content,
        REPO,
        "https://zhouning-mzfwz.example/",
        "周宁县民政服务站",
        None,
        local_url=f"http://localhost:{api_port}/api/v1",
    )
    assert made

    env = {**os.environ, "MODE": "git", "GIT_REPO_DIRECTORY": str(sample_copy), "PORT": str(api_port)}
    log = (tmp_path / "decap-server.log").open("w")
    server = subprocess.Popen(
        ["node", str(REPO / "node_modules/decap-server/dist/index.js")], env=env, stdout=log, stderr=log
    )
    handler = functools.partial(_QuietHandler, directory=str(site))
    http = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=http.serve_forever, daemon=True).start()
    try:
        for _ in range(100):
            with socket.socket() as s:
                if s.connect_ex(("127.0.0.1", api_port)) == 0:
                    break
            time.sleep(0.1)
        else:
            pytest.fail("decap-server did not start: " + (tmp_path / "decap-server.log").read_text())
        yield f"http://localhost:{http.server_address[1]}/admin/", sample_copy
    finally:
        http.shutdown()
        server.terminate()
        server.wait(timeout=10)
        log.close()


def _browse(p):  # type: ignore[no-untyped-def]
    browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=["--no-sandbox"])
    page = browser.new_page(viewport={"width": 1280, "height": 900}, locale="zh-CN")
    page.set_default_timeout(20_000)
    return browser, page


def _log_in(page, url: str) -> None:  # type: ignore[no-untyped-def]
    page.goto(url)
    # The Chinese UI (zh_Hans locale): the local backend's login is one button.
    page.get_by_role("button", name="登录").click()
    page.get_by_text("活动安排").first.wait_for()


def _unfold(page, summary: str) -> None:  # type: ignore[no-untyped-def]
    """Opens the folded list item whose summary reads ``summary`` (its first top-bar button)."""
    page.get_by_text(summary, exact=True).locator("xpath=..").locator("button").first.click()


def _save(page, shot: str) -> None:  # type: ignore[no-untyped-def]
    page.get_by_text("含未保存的修改").wait_for()
    page.get_by_role("button", name="保存").click()
    try:
        page.get_by_text("修改已保存").wait_for(timeout=30_000)
    finally:
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / shot))


def _review(repo: Path, branch: str, where: Path, path: str, before: str) -> Path:
    """The branch the form saved to, checked out at ``where``: it passes check, and main is untouched
    until it is merged (the editorial workflow)."""
    branches = _git(repo, "branch", "--list", "cms/*").split()
    assert branch in branches, branches
    assert (repo / path).read_text(encoding="utf-8") == before
    _git(repo, "worktree", "add", "-q", str(where), branch)
    assert main(["check", "--root", str(where)]) == 0
    return where


def test_edit_an_activity_title_in_the_form_and_the_saved_file_passes_check(cms, tmp_path) -> None:  # type: ignore[no-untyped-def]
    url, repo = cms
    path = "stations/shicheng/activities.yml"
    before = (repo / path).read_text(encoding="utf-8")
    console: list[str] = []
    requests: list[str] = []
    with playwright_api.sync_playwright() as p:
        browser, page = _browse(p)
        page.on("console", lambda m: console.append(f"{m.type}: {m.text}"))
        page.on("request", lambda r: requests.append(r.url))
        _log_in(page, url)
        page.goto(url + "#/collections/activities/entries/shicheng")
        # An activity without a repeat: its optional repeat must not block the save.
        _unfold(page, "2026-11-24 16:00 困境儿童四点半课堂")
        # The other 四点半课堂 items stay folded: only the opened one's inputs are visible.
        title = page.locator("input[value='困境儿童四点半课堂']:visible")
        title.first.wait_for()
        assert title.count() == 1
        title.fill(NEW_TITLE)
        _save(page, "cms-activity-saved.png")
        browser.close()

    hosts = {urlsplit(u).netloc.split(":")[0] for u in requests if urlsplit(u).scheme in ("http", "https")}
    assert hosts == {"localhost"}, f"the admin page loaded from another host: {hosts}"
    assert not [m for m in console if "Content Security Policy" in m], console

    review = _review(repo, "cms/activities/shicheng", tmp_path / "review", path, before)
    content, _ = load_content(review)
    original, _ = load_content(repo)
    assert content is not None and original is not None
    edited = content.station("shicheng").activities
    unchanged = original.station("shicheng").activities
    assert len(edited) == len(unchanged)
    changed = [(a, b) for a, b in zip(unchanged, edited, strict=True) if a != b]
    assert len(changed) == 1
    old, new = changed[0]
    assert (old.date.isoformat(), old.title, new.title) == ("2026-11-24", "困境儿童四点半课堂", NEW_TITLE)
    assert (old.start, old.end, old.place, old.kind) == (new.start, new.end, new.place, new.kind)
    saved = (review / path).read_text(encoding="utf-8")
    assert saved.startswith(before.split("\n", 1)[0])  # the file's header comment is kept
    assert 'start: "16:00"' in saved  # times stay quoted as in the hand-written files
    # The station's monthly 银龄守护 still repeats, written as the hand-written rule, keys in order.
    assert "  audience: 空巢、独居老人\n  repeat: {every: month, until: 2028-12-31}\n" in saved
    monthly = [a for a in edited if a.title == "银龄守护·独居老人巡访"]
    assert len(monthly) > 20 and all(a.repeat is not None for a in monthly)


def test_add_a_repeat_an_exception_and_a_closure_in_the_form(cms, tmp_path) -> None:  # type: ignore[no-untyped-def]
    """The repeat rule's and the closure's widgets save what the checker takes: an exception date
    added to a weekly activity, a monthly repeat given to a one-off one, a closure to the hub (a
    station without volunteers, whose optional record must not block the save either)."""
    url, repo = cms
    activities, station = "stations/xiancun/activities.yml", "stations/hub/station.yml"
    before = {p: (repo / p).read_text(encoding="utf-8") for p in (activities, station)}
    with playwright_api.sync_playwright() as p:
        browser, page = _browse(p)
        _log_in(page, url)
        page.goto(url + "#/collections/activities/entries/xiancun")
        _unfold(page, "2026-11-18 10:30 幸福助餐·送餐上门")
        page.get_by_role("button", name="新增不办的日期").click()
        page.locator("input[type=date]:visible").last.fill("2026-12-30")
        _unfold(page, "2026-11-18 10:30 幸福助餐·送餐上门")  # folds it again
        _unfold(page, "2026-10-17 10:30 重阳节“幸福助餐”长桌宴")
        page.get_by_role("button", name="新增重复").click()
        # The new repeat's 重复周期 is the last drop-down (react-select) on the page.
        page.locator("div[class*='-control']:visible").last.click()
        page.get_by_text("每月同一个第几个星期几（month）", exact=True).click()
        page.locator("input[type=date]:visible").last.fill("2026-12-31")
        _save(page, "cms-repeat-saved.png")

        # By the collection's list, as an editor would: going straight from one entry's address to
        # another's leaves Decap showing the first entry's data.
        page.goto(url + "#/collections/stations")
        page.get_by_text("周宁县社工总站", exact=True).click()
        page.locator("input[value='周宁县社工总站']").wait_for()
        page.get_by_role("button", name="新增闭站").click()
        dates = page.locator("input[type=date]:visible")
        dates.nth(dates.count() - 2).fill("2027-02-15")
        dates.last.fill("2027-02-19")
        page.locator("input[type=text]:visible").last.fill("春节假期闭站")
        _save(page, "cms-closure-saved.png")
        browser.close()

    review = _review(repo, "cms/activities/xiancun", tmp_path / "activities", activities, before[activities])
    saved = (review / activities).read_text(encoding="utf-8")
    assert "  repeat: {every: week, until: 2028-12-31, except: [2026-12-02, 2026-12-30]}\n" in saved
    assert "  audience: 辖区老年人\n  repeat: {every: month, until: 2026-12-31}\n" in saved
    content, _ = load_content(review)
    assert content is not None
    dates = {a.title: [] for a in content.station("xiancun").activities}
    for a in content.station("xiancun").activities:
        dates[a.title].append(a.date.isoformat())
    weekly = dates["幸福助餐·送餐上门"]
    assert "2026-12-23" in weekly and "2026-12-30" not in weekly and "2026-12-02" not in weekly
    # The third Saturday of each month, until the end of the year.
    assert dates["重阳节“幸福助餐”长桌宴"] == ["2026-10-17", "2026-11-21", "2026-12-19"]

    review = _review(repo, "cms/stations/hub", tmp_path / "station", station, before[station])
    saved = (review / station).read_text(encoding="utf-8")
    assert "  - {from: 2027-02-15, to: 2027-02-19, reason: 春节假期闭站}\n" in saved
    assert "volunteers" not in saved
    content, _ = load_content(review)
    assert content is not None
    closures = [(c.start.isoformat(), c.end.isoformat(), c.reason) for c in content.station("hub").closures]
    assert closures[-1] == ("2027-02-15", "2027-02-19", "春节假期闭站")
