"""Real-browser tests: the built sample site in Debian's Chromium (headless, via Playwright).

What a resident on a 360 px phone gets: no sideways scrolling, text of at least 16 px, tap targets of
at least 44 px, no request to another host, the essentials without JavaScript, Chinese search, and
axe-core finding no serious or critical accessibility violation. Screenshots of the home and a
station page at 360×740 are kept in test-artifacts/ for a person to look at. Reading modes and the
station page's first screen: tests/test_reading_modes.py; search: tests/test_search.py.
"""

from __future__ import annotations

import functools
import shutil
import threading
from collections.abc import Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from conftest import browser_unavailable

pytestmark = [pytest.mark.browser, pytest.mark.slow]

REPO = Path(__file__).resolve().parent.parent
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
AXE = REPO / "node_modules" / "axe-core" / "axe.min.js"
ARTIFACTS = REPO / "test-artifacts"
PHONE = {"width": 360, "height": 740}
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
PAGES = {
    "home": "/",
    "station": "/stations/shicheng/",
    "policy": "/policies/dibao/",
    "results": "/results/",
    "posters": "/posters/shicheng/",
}


try:
    import playwright.sync_api as playwright_api
except ImportError:  # pragma: no cover - depends on the machine
    browser_unavailable("Playwright for Python is not installed (pip install -e '.[test]')")
if not Path(CHROMIUM).exists():  # CI installs it (.ci/setup); a developer machine may not have it
    browser_unavailable("Debian's chromium is not installed (apt-get install chromium)")


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - the base class's name
        pass


@pytest.fixture(scope="module", params=["mkdocs", "zensical"])
def engine(request: pytest.FixtureRequest) -> str:
    """Every test runs on the site of both engines (``stationsite build --engine …``)."""
    return str(request.param)


@pytest.fixture(scope="module")
def engine_site(engine: str, request: pytest.FixtureRequest) -> Path:
    return request.getfixturevalue("built_site" if engine == "mkdocs" else "zensical_site")


@pytest.fixture(scope="module")
def site_url(engine_site: Path) -> Iterator[str]:
    handler = functools.partial(_QuietHandler, directory=str(engine_site))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    with playwright_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture()
def phone(browser):  # type: ignore[no-untyped-def]
    context = browser.new_context(viewport=PHONE, device_scale_factor=1, locale="zh-CN")
    page = context.new_page()
    yield page
    context.close()


def open_page(page, url: str):  # type: ignore[no-untyped-def]
    """Open ``url`` and record every request the page makes."""
    requests: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    page.goto(url, wait_until="networkidle")
    return requests


# --------------------------------------------------------------------------- phone layout


@pytest.mark.parametrize("name", PAGES)
def test_phone_width_layout(phone, site_url: str, name: str) -> None:  # type: ignore[no-untyped-def]
    requests = open_page(phone, site_url + PAGES[name])
    hosts = {urlsplit(u).netloc for u in requests if urlsplit(u).scheme in ("http", "https")}
    assert hosts == {urlsplit(site_url).netloc}, f"requests to other hosts: {hosts}"

    widths = phone.evaluate("() => [document.documentElement.scrollWidth, window.innerWidth]")
    assert widths[0] <= widths[1], f"page scrolls sideways: {widths}"

    sizes = phone.evaluate("""() => [...document.querySelectorAll('.md-content p, .md-content li, .md-content td')]
        .filter(e => e.offsetParent !== null && e.textContent.trim())
        .map(e => [parseFloat(getComputedStyle(e).fontSize), e.textContent.trim().slice(0, 30)])""")
    assert sizes, "no body text found"
    small = [s for s in sizes if s[0] < 16]
    assert not small, f"text below 16 px: {small[:5]}"

    line_heights = phone.evaluate("""() => [...document.querySelectorAll('.md-content p')]
        .filter(e => e.offsetParent !== null)
        .map(e => parseFloat(getComputedStyle(e).lineHeight) / parseFloat(getComputedStyle(e).fontSize))""")
    assert min(line_heights) >= 1.3, "line spacing below 1.3 (适老化规范)"

    # Tap targets: the header buttons and every link a resident aims a finger at (phone numbers,
    # station names, section shortcuts, poster downloads). Links inside running text are exempt
    # (WCAG 2.5.8's inline exception).
    targets = phone.evaluate("""() => [...document.querySelectorAll(
            '.md-header label.md-header__button, .md-header .md-header__button, .md-header a, .md-footer a, ' +
            '.md-content a[href^="tel:"], a.ss-station, .ss-jump a, .ss-posters a, ' +
            '.md-content ul > li > a:first-child, .md-content td > a:first-child, .md-content button')]
        .filter(e => e.offsetParent !== null)
        .map(e => { const r = e.getBoundingClientRect();
                    return [Math.round(r.width), Math.round(r.height), e.textContent.trim().slice(0, 20)]; })""")
    assert targets, "no tap targets found"
    # At least 44 px in one dimension (a finger's width along a line of text), and no link line
    # shorter than 24 px (WCAG 2.5.8's minimum), however wide.
    tiny = [t for t in targets if t[1] < 44 and t[0] < 44 or t[1] < 24]
    assert not tiny, f"tap targets smaller than 44 px: {tiny[:5]}"

    # The site name in the header is shown whole (on two lines if need be), not cut off by the buttons.
    clipped = phone.evaluate("""() => [...document.querySelectorAll('.md-header__topic .md-ellipsis')]
        .filter(e => e.offsetParent !== null && getComputedStyle(e.parentNode).opacity !== '0')
        .filter(e => e.scrollWidth > e.clientWidth
                     || e.scrollHeight - e.clientHeight > parseFloat(getComputedStyle(e).lineHeight) / 2)
        .map(e => e.textContent.trim())""")
    assert not clipped, f"header title cut off: {clipped}"

    # A time range (08:00–12:00) or a run of days never breaks across lines.
    broken = phone.evaluate("""() => [...document.querySelectorAll('.md-content .ss-nowrap')]
        .filter(e => e.getClientRects().length > 1).map(e => e.textContent)""")
    assert not broken, f"broken across lines: {broken[:5]}"

    if name in ("home", "station"):
        ARTIFACTS.mkdir(exist_ok=True)
        phone.screenshot(path=str(ARTIFACTS / f"{name}-360x740.png"), full_page=False)
        phone.screenshot(path=str(ARTIFACTS / f"{name}-360-full.png"), full_page=True)


def test_menu_links_are_large_enough_to_tap(phone, site_url: str) -> None:  # type: ignore[no-untyped-def]
    # On a phone the site navigation lives in the drawer behind the menu button.
    open_page(phone, site_url + PAGES["station"])
    phone.locator("label.md-header__button[for='__drawer']").click()
    # The drawer slides in: measure once its first entry has arrived at the left edge.
    phone.wait_for_function(
        """() => { const a = document.querySelector('.md-sidebar--primary .md-nav__link');
                                        return a && a.getBoundingClientRect().x >= 0; }""",
        timeout=5000,
    )
    sizes = phone.evaluate("""() => [...document.querySelectorAll('.md-sidebar--primary .md-nav__link')]
        .map(e => { const r = e.getBoundingClientRect();
                    return [r.x, Math.round(r.width), Math.round(r.height), e.textContent.trim()]; })
        .filter(t => t[1] > 0 && t[0] >= 0 && t[0] < window.innerWidth)""")
    assert any(t[3] == "服务站点" for t in sizes), f"the menu does not show the station list: {sizes}"
    # Every entry is a full-height row; the narrow arrow that opens a section (20 px) is 44 px tall.
    small = [t for t in sizes if t[2] < 44]
    assert not small, f"menu entries smaller than 44 px: {small[:5]}"


# --------------------------------------------------------------------------- accessibility


@pytest.mark.parametrize("name", PAGES)
def test_axe_finds_no_serious_or_critical_violation(phone, site_url: str, name: str) -> None:  # type: ignore[no-untyped-def]
    assert AXE.is_file(), "axe-core is missing: run `npm install` (.ci/setup does)"
    open_page(phone, site_url + PAGES[name])
    # evaluate, not add_script_tag: the page's Content-Security-Policy (rightly) refuses an injected
    # inline script; the DevTools protocol's evaluation is not subject to it.
    phone.evaluate(AXE.read_text(encoding="utf-8"))
    result = phone.evaluate("""async () => {
        const r = await axe.run(document, {resultTypes: ['violations']});
        return r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
                                        nodes: v.nodes.slice(0, 3).map(n => n.target.join(' '))}));
    }""")
    bad = [v for v in result if v["impact"] in ("serious", "critical")]
    assert not bad, "\n".join(f"{v['impact']} {v['id']}: {v['help']} {v['nodes']}" for v in bad)


# --------------------------------------------------------------------------- without JavaScript


def test_station_page_works_without_javascript(browser, site_url: str) -> None:  # type: ignore[no-untyped-def]
    # WeChat's browser on an old phone, or a resident who blocks scripts: the essentials are plain HTML.
    context = browser.new_context(viewport=PHONE, java_script_enabled=False)
    page = context.new_page()
    page.goto(site_url + "/stations/shicheng/")
    call = page.locator("a.ss-call")
    assert call.is_visible() and call.get_attribute("href") == "tel:05930000011"

    hours = page.locator("h2#hours + table")  # the hours table follows its heading directly
    assert hours.is_visible(), "the opening hours table is not shown"
    assert "周一至周五" in hours.inner_text() and "08:00–12:00" in hours.inner_text()

    # This week (Monday 16 to Sunday 22 November, the pinned build date's week): the first day list
    # after the 本周活动 heading, before the upcoming weeks.
    assert page.locator("h2#activities + p.ss-week").inner_text() == "11月16日（周一）至11月22日（周日）"
    week = page.locator("h2#activities ~ div.ss-days").first
    assert week.is_visible() and "银龄守护·独居老人巡访" in week.inner_text()
    days = week.locator("time[datetime]").evaluate_all("ts => ts.map(t => t.getAttribute('datetime'))")
    assert days and all("2026-11-16" <= d[:10] <= "2026-11-22" for d in days), days
    context.close()


# --------------------------------------------------------------------------- search


@pytest.mark.parametrize(
    ("query", "expected"),
    [("七步", "stations/qibu/"), ("最低生活保障", "policies/dibao/"), ("低保", "policies/dibao/")],
)
def test_chinese_search_finds_the_right_page(phone, site_url: str, query: str, expected: str) -> None:  # type: ignore[no-untyped-def]
    # The header's search button leads to /search/; the query is typed there as a resident would
    # (an input method fills the box, then the 搜索 button), and the page keeps it in its address.
    open_page(phone, site_url + "/")
    phone.locator("a.ss-search-link").click()
    phone.wait_for_url("**/search/")
    phone.locator("#ss-q").fill(query)
    phone.locator("button.ss-search-button").click()
    phone.wait_for_selector("#ss-search-results[data-state='done']", state="attached", timeout=15000)
    assert "q=" in phone.url
    hrefs = phone.locator(".ss-hit-title").evaluate_all("as => as.map(a => a.href)")
    assert any(expected in h for h in hrefs[:3]), f"{query}: {hrefs[:5]}"


def test_first_visit_to_a_station_page_downloads_under_100_kb_gzipped(
    phone,
    site_url: str,  # type: ignore[no-untyped-def]
    engine_site: Path,
) -> None:
    import gzip
    from urllib.parse import unquote

    requests = open_page(phone, site_url + PAGES["station"])
    phone.wait_for_timeout(1500)  # anything a script fetches after load counts too
    files = []
    for url in dict.fromkeys(requests):
        path = engine_site / unquote(urlsplit(url).path).lstrip("/")
        files.append(path / "index.html" if path.is_dir() else path)
    searchy = [f for f in files if "pagefind" in f.parts or f.name in ("names.json", "search_index.json")]
    assert not searchy, f"a first visit downloads a search index: {searchy}"
    total = sum(len(gzip.compress(f.read_bytes(), mtime=0)) for f in files if f.is_file())
    assert total <= 100 * 1024, f"first visit downloads {total / 1024:.0f} KB gzipped"


def test_large_text_mode_enlarges_text_and_is_remembered(phone, site_url: str) -> None:  # type: ignore[no-untyped-def]
    open_page(phone, site_url + PAGES["station"])
    size = "() => parseFloat(getComputedStyle(document.querySelector('.md-content p')).fontSize)"
    before = phone.evaluate(size)
    toggle = phone.locator("button.ss-large-toggle")
    assert toggle.get_attribute("aria-pressed") == "false"
    assert toggle.evaluate("b => parseFloat(getComputedStyle(b).fontSize)") >= 14, (
        "the toggle's label is too small"
    )
    toggle.click()
    assert toggle.get_attribute("aria-pressed") == "true"
    assert phone.evaluate(size) >= 24 and phone.evaluate(size) >= before * 1.33
    widths = phone.evaluate("() => [document.documentElement.scrollWidth, window.innerWidth]")
    assert widths[0] <= widths[1], f"large text makes the page scroll sideways: {widths}"
    root = "() => parseFloat(getComputedStyle(document.documentElement).fontSize)"
    enlarged_root = phone.evaluate(root)
    phone.goto(site_url + PAGES["policy"], wait_until="networkidle")  # the choice follows the resident
    assert phone.evaluate(root) == enlarged_root
    phone.goto(site_url + PAGES["station"], wait_until="networkidle")
    phone.locator("button.ss-large-toggle").click()
    assert phone.evaluate(size) == pytest.approx(before)
