"""The same look on both engines (issue 18): a resident's phone shows the same pages, pixel for pixel
or nearly, whether MkDocs or Zensical rendered them. Screenshots of both and of their difference are
kept in test-artifacts/engines/ for a person to look at.
"""

from __future__ import annotations

import functools
import shutil
import threading
from collections.abc import Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.slow]

playwright_api = pytest.importorskip("playwright.sync_api")
ImageChops = pytest.importorskip("PIL.ImageChops")
Image = pytest.importorskip("PIL.Image")

REPO = Path(__file__).resolve().parent.parent
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARTIFACTS = REPO / "test-artifacts" / "engines"
PAGES = {
    "home": "/",
    "station": "/stations/shicheng/",
    "policy": "/policies/dibao/",
    "results": "/results/",
    "data": "/data/",
}


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - the base class's name
        pass


def _serve(site: Path) -> tuple[ThreadingHTTPServer, str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}"


@pytest.fixture(scope="module")
def both(built_site: Path, zensical_site: Path) -> Iterator[dict[str, str]]:
    if not Path(CHROMIUM).exists():
        pytest.skip("Debian's chromium is not installed")
    servers = {engine: _serve(site) for engine, site in (("mkdocs", built_site), ("zensical", zensical_site))}
    yield {engine: url for engine, (_server, url) in servers.items()}
    for server, _url in servers.values():
        server.shutdown()


@pytest.mark.parametrize("name", PAGES)
def test_a_phone_shows_the_same_page_on_both_engines(both: dict[str, str], name: str) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    shots = {}
    with playwright_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=["--no-sandbox"])
        for engine, url in both.items():
            # A phone: overlay scrollbars (Zensical reserves a desktop scrollbar's width, which no phone shows).
            page = browser.new_page(
                viewport={"width": 360, "height": 740},
                device_scale_factor=1,
                is_mobile=True,
                has_touch=True,
                locale="zh-CN",
            )
            page.goto(url + PAGES[name], wait_until="networkidle")
            path = ARTIFACTS / f"{name}-{engine}.png"
            page.screenshot(path=str(path), full_page=True)
            shots[engine] = Image.open(path).convert("RGB")
            page.close()
        browser.close()
    ours, theirs = shots["mkdocs"], shots["zensical"]
    assert abs(ours.height - theirs.height) <= 0.01 * ours.height, (ours.size, theirs.size)
    height = min(ours.height, theirs.height)
    diff = ImageChops.difference(ours.crop((0, 0, 360, height)), theirs.crop((0, 0, 360, height))).convert(
        "L"
    )
    diff.point(lambda v: 255 if v > 32 else 0).save(ARTIFACTS / f"{name}-difference.png")
    changed = sum(diff.histogram()[33:])  # pixels whose colour differs by more than 32 of 255
    # Anti-aliasing may differ by a pixel here and there; a changed header, button or spacing would not.
    assert changed <= 0.005 * 360 * height, f"{name}: {changed} of {360 * height} pixels differ"
