"""Reading modes and the station page's first screen, in Debian's Chromium at 360 × 740.

The elder-friendly specification (MIIT 《互联网网站适老化通用设计规范》, GB/T 37668): 大字 mode with
body text of at least 24 px, targets of at least 60 × 60 px, line spacing of at least 1.5, and no
phone number or time split across lines; a high-contrast scheme with text at 7:1 or more; controls'
backgrounds or borders at 3:1 or more against their surroundings in every scheme (WCAG 1.4.11,
measured here from computed colours: axe does not check non-text contrast). Every mode is
remembered; without JavaScript the page is complete at its default. Screenshots of each mode go to
test-artifacts/ for a person to look at.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.slow]

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "benchmarks"))

import search_bench as bench  # noqa: E402

playwright_api = pytest.importorskip("playwright.sync_api")
ARTIFACTS = REPO / "test-artifacts"
PHONE = {"width": 360, "height": 740}
STATION = "/stations/shicheng/"
MODES = ("default", "large", "contrast", "large-contrast")

# Contrast in the page, from computed colours: the effective background is every ancestor's
# background composited from the canvas up; text colour is composited over it.
COLOUR_JS = """
window.ssColour = (() => {
  const parse = c => { const m = c.match(/rgba?\\(([^)]+)\\)/); if (!m) return [0, 0, 0, 0];
    const p = m[1].split(/[\\s,\\/]+/).filter(Boolean).map(Number); return [p[0], p[1], p[2], p.length > 3 ? p[3] : 1]; };
  const over = (top, under) => [0, 1, 2].map(i => top[i] * top[3] + under[i] * (1 - top[3]));
  const lum = c => { const f = v => { v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); };
    return 0.2126 * f(c[0]) + 0.7152 * f(c[1]) + 0.0722 * f(c[2]); };
  const ratio = (a, b) => { const x = lum(a), y = lum(b); return (Math.max(x, y) + 0.05) / (Math.min(x, y) + 0.05); };
  const background = el => { const layers = [];
    for (let e = el; e; e = e.parentElement) { const c = parse(getComputedStyle(e).backgroundColor);
      if (c[3] > 0) { layers.push(c); if (c[3] >= 1) break; } }
    return layers.reverse().reduce((acc, c) => over(c, acc), [255, 255, 255]); };
  return { parse, over, ratio, background };
})();
"""

TEXT_CONTRAST_JS = """() => {
  const C = window.ssColour, out = [];
  for (const el of document.querySelectorAll('.md-header *, .md-content *, .md-footer *')) {
    if (!el.offsetParent && getComputedStyle(el).position !== 'fixed') continue;
    const text = [...el.childNodes].filter(n => n.nodeType === 3).map(n => n.textContent.trim()).join('');
    if (!text) continue;
    const r = el.getBoundingClientRect(); if (r.width === 0 || r.height === 0) continue;
    const s = getComputedStyle(el); if (s.visibility === 'hidden' || parseFloat(s.opacity) === 0) continue;
    const bg = C.background(el), fg = C.over(C.parse(s.color), bg);
    out.push([Math.round(C.ratio(fg, bg) * 100) / 100, text.slice(0, 24), el.tagName + '.' + el.className]);
  }
  return out;
}"""

CONTROL_CONTRAST_JS = """(selector) => {
  const C = window.ssColour;
  return [...document.querySelectorAll(selector)].filter(e => e.offsetParent).map(el => {
    const s = getComputedStyle(el), around = C.background(el.parentElement);
    const fill = C.parse(s.backgroundColor), border = C.parse(s.borderTopColor);
    const own = fill[3] > 0 ? C.ratio(C.over(fill, around), around) : 1;
    const edge = parseFloat(s.borderTopWidth) > 0 && border[3] > 0 ? C.ratio(C.over(border, around), around) : 1;
    return [Math.round(Math.max(own, edge) * 100) / 100, el.textContent.trim().slice(0, 16) || el.className];
  });
}"""
CONTROLS = "a.ss-call, .ss-jump a, .ss-now-state, button.ss-large-toggle, .ss-search-button, .ss-search-input"


@pytest.fixture(scope="module")
def site_url(built_site: Path) -> Iterator[str]:
    with bench.serve(built_site) as base:
        yield base


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    with playwright_api.sync_playwright() as p:
        b = p.chromium.launch(
            executable_path="/usr/bin/chromium", headless=True, args=["--no-sandbox", "--disable-gpu"]
        )
        yield b
        b.close()


def _context(browser, **kwargs):  # type: ignore[no-untyped-def]
    return browser.new_context(viewport=PHONE, device_scale_factor=1, locale="zh-CN", **kwargs)


def _set_mode(page, base: str, mode: str) -> None:  # type: ignore[no-untyped-def]
    """Choose a mode the way a resident does: the header's 大字 button and the palette toggle."""
    page.goto(base + STATION, wait_until="networkidle")
    if "large" in mode:
        page.locator("button.ss-large-toggle").click()
    if "contrast" in mode:
        page.locator(".md-header__option label:visible").first.click()
        page.wait_for_function("() => document.body.dataset.mdColorScheme === 'ss-contrast'")


def _monday_morning(page) -> None:  # type: ignore[no-untyped-def]
    # 2026-11-23 09:30 Asia/Shanghai (a Monday): 狮城镇's station is open 08:00–12:00.
    page.clock.set_fixed_time("2026-11-23T01:30:00Z")


@pytest.mark.parametrize("mode", MODES)
def test_each_mode_at_360_by_740(browser, site_url: str, mode: str) -> None:  # type: ignore[no-untyped-def]
    context = _context(browser)
    page = context.new_page()
    _monday_morning(page)
    _set_mode(page, site_url, mode)
    for path in (STATION, "/policies/dibao/", "/search/?q=%E4%BD%8E%E4%BF%9D"):
        page.goto(site_url + path, wait_until="networkidle")
        page.evaluate(COLOUR_JS)  # evaluate: the CSP (rightly) refuses an injected inline <script>
        widths = page.evaluate("() => [document.documentElement.scrollWidth, window.innerWidth]")
        assert widths[0] <= widths[1], f"{mode} {path}: scrolls sideways {widths}"
        scheme = page.evaluate("() => document.body.dataset.mdColorScheme")
        assert scheme == ("ss-contrast" if "contrast" in mode else "default"), "the mode is not remembered"
        assert page.evaluate("() => document.documentElement.classList.contains('ss-large')") == (
            "large" in mode
        )

        texts = page.evaluate(TEXT_CONTRAST_JS)
        assert texts, "no text measured"
        need = 7 if "contrast" in mode else 4.5
        low = [t for t in texts if t[0] < need]
        assert not low, f"{mode} {path}: text below {need}:1: {low[:6]}"
        controls = page.evaluate(CONTROL_CONTRAST_JS, CONTROLS)
        assert controls, "no controls measured"
        faint = [c for c in controls if c[0] < 3]
        assert not faint, f"{mode} {path}: controls below 3:1 against their surroundings: {faint}"

        if "large" in mode:
            sizes = page.evaluate("""() => [...document.querySelectorAll('.md-content p, .md-content li, .md-content td')]
                .filter(e => e.offsetParent && e.textContent.trim() && !e.closest('.ss-hit-kind'))
                .map(e => [parseFloat(getComputedStyle(e).fontSize), parseFloat(getComputedStyle(e).lineHeight),
                           e.textContent.trim().slice(0, 20)])""")
            small = [s for s in sizes if s[0] < 24]
            assert not small, f"{path}: text below 24 px in 大字 mode: {small[:5]}"
            tight = [s for s in sizes if s[1] / s[0] < 1.5]
            assert not tight, f"{path}: line spacing below 1.5: {tight[:5]}"
            targets = page.evaluate("""() => [...document.querySelectorAll(
                    '.md-header .md-header__button, a.ss-call, .ss-jump a, .md-content a[href^="tel:"], ' +
                    '.ss-search-button, .ss-hit-title, .md-content ul > li > a:first-child')]
                .filter(e => e.offsetParent && getComputedStyle(e).display !== 'none')
                .map(e => { const r = e.getBoundingClientRect();
                            return [Math.round(r.width), Math.round(r.height), e.textContent.trim().slice(0, 16)]; })""")
            tiny = [t for t in targets if t[0] < 59.5 or t[1] < 59.5]
            assert not tiny, f"{path}: targets under 60 × 60 px in 大字 mode: {tiny[:6]}"
        # Phone numbers, times and the status word are never split across lines.
        split = page.evaluate("""() => [...document.querySelectorAll(
                '.md-content .ss-nowrap, .md-content a.ss-tel, .md-content .ss-when, .md-content .ss-now-state')]
            .filter(e => e.getClientRects().length > 1).map(e => e.textContent)""")
        assert not split, f"{mode} {path}: split across lines: {split[:5]}"
        if path == STATION:
            ARTIFACTS.mkdir(exist_ok=True)
            page.screenshot(path=str(ARTIFACTS / f"station-{mode}-360x740.png"))
    context.close()


def test_station_first_screen_answers_first(browser, site_url: str) -> None:  # type: ignore[no-untyped-def]
    context = _context(browser)
    page = context.new_page()
    _monday_morning(page)
    # 七步: 狮城 posts a closure notice (闭站通知) above this week's activities in the sample's week.
    page.goto(site_url + "/stations/qibu/", wait_until="networkidle")
    boxes = page.evaluate("""() => Object.fromEntries(Object.entries({
            call: 'a.ss-call', now: '.ss-now', guides: '.ss-jump a[href$="policies/"]',
            complaints: '.ss-jump a[href="#complaints"]', week: 'h2#activities',
            first_activity: 'h2#activities ~ .ss-days .ss-activities li'})
        .map(([k, s]) => { const e = document.querySelector(s); return [k, e ? e.getBoundingClientRect().bottom : null]; }))""")
    assert all(v is not None for v in boxes.values()), boxes
    below = {k: v for k, v in boxes.items() if v > PHONE["height"]}
    assert not below, f"not in the first 360 × 740 screen: {below}"
    assert page.locator(".ss-now").inner_text().startswith("今天周一")
    assert page.locator(".ss-now-state").inner_text() == "正在开放"
    context.close()


@pytest.mark.parametrize(
    ("utc", "expected"),
    [
        ("2026-11-23T01:30:00Z", "正在开放"),  # Monday 09:30 in Shanghai
        ("2026-11-23T04:30:00Z", "午间休息"),  # Monday 12:30
        ("2026-11-22T23:30:00Z", "尚未开门"),  # Monday 07:30
        ("2026-11-23T10:30:00Z", "今日已下班"),  # Monday 18:30
        ("2026-11-22T02:00:00Z", "今日休息"),  # Sunday 10:00
    ],
)
def test_todays_status_follows_the_hours_in_shanghai_time(
    browser, site_url: str, utc: str, expected: str
) -> None:  # type: ignore[no-untyped-def]
    # The phone's own time zone does not matter: a visitor set to UTC sees Shanghai's day.
    context = _context(browser, timezone_id="UTC")
    page = context.new_page()
    page.clock.set_fixed_time(utc)
    page.goto(site_url + STATION, wait_until="networkidle")
    assert page.locator(".ss-now-state").inner_text() == expected
    context.close()


@pytest.mark.parametrize(
    ("utc", "expected", "reason"),
    [
        # 狮城镇 closes on Monday 2026-11-30 (办公场地消防设施检修) and for 元旦, 2027-01-01 to 01-03.
        ("2026-11-30T01:30:00Z", "今日休息", "（办公场地消防设施检修，暂停开放一天）"),  # Monday 09:30
        ("2027-01-01T02:00:00Z", "今日休息", "（元旦假期闭站）"),  # a Friday, inside a three-day closure
        ("2026-12-01T01:30:00Z", "正在开放", None),  # Tuesday 09:30, the day after: open as usual
        # Tuesday 00:30 in Shanghai, still the closure's Monday in UTC: Shanghai's date decides.
        ("2026-11-30T16:30:00Z", "尚未开门", None),
    ],
)
def test_todays_status_says_closed_on_a_closure_day(
    browser, site_url: str, utc: str, expected: str, reason: str | None
) -> None:  # type: ignore[no-untyped-def]
    context = _context(browser, timezone_id="UTC")
    page = context.new_page()
    page.clock.set_fixed_time(utc)
    page.goto(site_url + STATION, wait_until="networkidle")
    assert page.locator(".ss-now-state").inner_text() == expected
    if reason is None:
        assert page.locator(".ss-now-reason").count() == 0
    else:
        assert page.locator(".ss-now-reason").inner_text() == reason
        assert page.locator(".ss-now").inner_text().endswith(expected + reason)
    context.close()


def test_without_javascript_the_default_mode_is_complete(browser, site_url: str) -> None:  # type: ignore[no-untyped-def]
    context = _context(browser, java_script_enabled=False)
    page = context.new_page()
    page.goto(site_url + STATION)
    assert page.evaluate("() => document.body.dataset.mdColorScheme") == "default"
    assert page.locator(".ss-today").is_visible() and "周一至周五" in page.locator(".ss-today").inner_text()
    assert page.locator(".ss-now").count() == 0  # computed in the browser only
    assert page.locator("button.ss-large-toggle").count() == 0  # no dead button
    assert page.locator("a.ss-search-link").is_visible()
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "station-nojs-360x740.png"))
    context.close()


def test_domains_link_to_their_policy_guides(browser, site_url: str, sample_content) -> None:  # type: ignore[no-untyped-def]
    context = _context(browser)
    page = context.new_page()
    page.goto(site_url + STATION)
    row = page.locator(".ss-domains li", has_text="社会救助")
    hrefs = row.locator("a").evaluate_all("as => as.map(a => a.getAttribute('href'))")
    expected = {
        f"../../policies/{p.name}/" for p in sample_content.policies if p.domain == "social_assistance"
    }
    assert expected and set(hrefs) == expected
    context.close()


@pytest.mark.parametrize("wechat", [True, False])
def test_wechat_hint_beside_pdf_and_calendar_links(browser, site_url: str, wechat: bool) -> None:  # type: ignore[no-untyped-def]
    agent = (
        "Mozilla/5.0 (Linux; Android 12; V2123A) AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0 "
        "Chrome/107.0.5304.141 Mobile Safari/537.36 XWEB/5023 MMWEBSDK/20230405 MicroMessenger/8.0.35.2360"
        if wechat
        else "Mozilla/5.0 (Linux; Android 12) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Mobile Safari/537.36"
    )
    context = _context(browser, user_agent=agent)
    page = context.new_page()
    page.goto(site_url + STATION, wait_until="networkidle")
    hints = page.locator(".ss-wechat-hint")
    if not wechat:
        assert hints.count() == 0
    else:
        # The station page keeps its calendar link; its posters' PDFs are on the posters page now.
        assert hints.count() >= 1
        assert "右上角 ··· → 在浏览器打开" in hints.first.inner_text()
        calendar = page.locator(".ss-subscribe", has=page.locator("a[href$='.ics']"))
        assert calendar.locator(".ss-wechat-hint").count() == 1
    context.close()
