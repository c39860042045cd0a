"""The pull-request preview opened from disk: unzip, open index.html, and every page link works."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from generator.site.preview import make_browsable_from_disk

pytestmark = [pytest.mark.browser, pytest.mark.slow]

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync"]  # fmt: skip


def test_the_downloaded_preview_navigates_from_file_urls(built_site: Path, tmp_path: Path) -> None:
    playwright_api = pytest.importorskip("playwright.sync_api")
    preview = tmp_path / "site-preview"
    shutil.copytree(built_site, preview)
    assert make_browsable_from_disk(preview) > 0
    with playwright_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
        page = browser.new_page(viewport={"width": 360, "height": 740})
        page.goto((preview / "index.html").as_uri())
        # Follow links the way a reviewer would: home → stations index → a station → its results → home.
        for href_part in (
            "stations/index.html",
            "shicheng/index.html",
            "results/index.html",
            "../index.html",
        ):
            link = page.locator(f'a[href*="{href_part}"]').first
            target = link.evaluate("a => a.href")  # the link as the browser resolves it against file://
            page.goto(target)
            assert page.url.startswith("file://") and page.url.split("#")[0].endswith("index.html"), page.url
            assert page.locator("article h1").count() == 1, page.url  # a page, not a folder listing
        browser.close()
