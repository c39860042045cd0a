"""Form editing in a real browser: Decap CMS under /admin/ against decap-server (local git backend).

A temporary copy of the sample repository is made a git repository; decap-server serves it in
``MODE=git`` (the editorial workflow: saving makes a ``cms/…`` branch, the local stand-in for a pull
request). Headless Chromium opens the admin page, edits one activity's title and saves; the file on
that branch must pass ``stationsite check`` and differ from main only in that title.
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

from generator.cli import main
from generator.content.load import load_content
from generator.site.cms import find_node_modules, write_admin

pytestmark = [pytest.mark.browser]

REPO = Path(__file__).resolve().parent.parent
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARTIFACTS = REPO / "test-artifacts"
NEW_TITLE = "困境儿童四点半课堂（冬令营）"


def _unavailable(reason: str) -> None:
    if os.environ.get("CI"):
        pytest.fail(f"{reason}: CI must run the browser tests (.ci/setup installs them)", pytrace=False)
    pytest.skip(reason, allow_module_level=True)


try:
    import playwright.sync_api as playwright_api
except ImportError:  # pragma: no cover - depends on the machine
    _unavailable("Playwright for Python is not installed (pip install -e '.[test]')")
if not Path(CHROMIUM).exists():
    _unavailable("Debian's chromium is not installed (apt-get install chromium)")
if find_node_modules(REPO) is None or not (REPO / "node_modules/decap-server").is_dir():
    _unavailable("decap-cms / decap-server are not installed (npm install)")


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


@pytest.mark.xfail(
    reason="since the sample's weekly activities became repeats (issue 17), saving the edited item does not "
    "reach 修改已保存 in the form; not yet diagnosed",
    strict=False,
)
def test_edit_an_activity_title_in_the_form_and_the_saved_file_passes_check(cms, tmp_path) -> None:  # type: ignore[no-untyped-def]
    url, repo = cms
    before = (repo / "stations/shicheng/activities.yml").read_text(encoding="utf-8")
    console: list[str] = []
    requests: list[str] = []
    with playwright_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=["--no-sandbox"])
        page = browser.new_page(viewport={"width": 1280, "height": 900}, locale="zh-CN")
        page.set_default_timeout(20_000)
        page.on("console", lambda m: console.append(f"{m.type}: {m.text}"))
        page.on("request", lambda r: requests.append(r.url))
        page.goto(url)
        # The Chinese UI (zh_Hans locale): the local backend's login is one button.
        page.get_by_role("button", name="登录").click()
        page.get_by_text("活动安排").first.wait_for()
        page.goto(url + "#/collections/activities/entries/shicheng")
        item = page.get_by_text("2026-11-24 16:00 困境儿童四点半课堂")
        # The item's first top-bar button unfolds it.
        item.locator("xpath=..").locator("button").first.click()
        # The other 四点半课堂 items stay folded: only the opened one's inputs are visible.
        title = page.locator("input[value='困境儿童四点半课堂']:visible")
        title.first.wait_for()
        assert title.count() == 1
        title.fill(NEW_TITLE)
        page.get_by_role("button", name="保存").click()
        page.get_by_text("修改已保存").wait_for(timeout=30_000)
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / "cms-activity-saved.png"))
        browser.close()

    hosts = {urlsplit(u).netloc.split(":")[0] for u in requests if urlsplit(u).scheme in ("http", "https")}
    assert hosts == {"localhost"}, f"the admin page loaded from another host: {hosts}"
    assert not [m for m in console if "Content Security Policy" in m], console

    # Editorial workflow: the change waits on its own branch; main is untouched until merged.
    branches = _git(repo, "branch", "--list", "cms/*").split()
    assert "cms/activities/shicheng" in branches, branches
    assert (repo / "stations/shicheng/activities.yml").read_text(encoding="utf-8") == before
    review = tmp_path / "review"
    _git(repo, "worktree", "add", "-q", str(review), "cms/activities/shicheng")
    assert main(["check", "--root", str(review)]) == 0
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
    saved = (review / "stations/shicheng/activities.yml").read_text(encoding="utf-8")
    assert saved.startswith(before.split("\n", 1)[0])  # the file's header comment is kept
    assert 'start: "16:00"' in saved  # times stay quoted as in the hand-written files
