"""How much a resident's phone downloads: each page's own HTML, and everything a first visit to it
fetches (HTML, CSS, JavaScript, fonts, images), gzipped as a web server would send it; the target
is at most 100 KB for a station page (issue 15). No page loads a search index: the search page
fetches Pagefind's files only when a search is made, so they are not in these figures.

The page is loaded in Debian's Chromium (Playwright) from a local server, so the list of files is
what a browser really requests, not a guess from the HTML.

Run: ``python benchmarks/page_weight.py [SITE_DIR]`` (default: site/, build it first with
``stationsite build``).
"""

from __future__ import annotations

import functools
import gzip
import sys
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import unquote, urlsplit

ROOT = Path(__file__).resolve().parent.parent
PAGES = ["/stations/shicheng/", "/", "/policies/dibao/", "/results/"]


class Quiet(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        pass


def gz(data: bytes) -> int:
    return len(gzip.compress(data, compresslevel=6, mtime=0))


def first_visit(site: Path, base: str, path: str) -> list[Path]:
    from playwright.sync_api import sync_playwright

    files: list[Path] = []
    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path="/usr/bin/chromium",
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
            ],
        )
        page = browser.new_page(viewport={"width": 360, "height": 740})
        page.on("request", lambda r: files.append(site / unquote(urlsplit(r.url).path).lstrip("/")))
        page.goto(base + path, wait_until="networkidle")
        page.wait_for_timeout(1500)  # anything a script fetches after load counts too
        browser.close()
    return [f / "index.html" if f.is_dir() else f for f in files]


def main(argv: list[str]) -> int:
    site = Path(argv[0]) if argv else ROOT / "site"
    if not (site / "index.html").is_file():
        print(f"{site} 里没有网站：先运行 stationsite build", file=sys.stderr)
        return 1
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}"
    print(f"{'page':<22} {'own HTML':>9} {'gzipped':>8} {'first visit gz':>15} {'requests':>9}  largest (gz)")
    station_files: list[tuple[int, int, Path]] = []
    for path in PAGES:
        html = site / path.lstrip("/") / "index.html"
        files = [f for f in dict.fromkeys(first_visit(site, base, path)) if f.is_file()]
        sizes = sorted(((gz(f.read_bytes()), f) for f in files), reverse=True)
        total = sum(s for s, _ in sizes)
        largest = ", ".join(f"{f.name} {s / 1024:.0f} KB" for s, f in sizes[:3])
        print(
            f"{path:<22} {html.stat().st_size / 1024:>7.1f}KB {gz(html.read_bytes()) / 1024:>6.1f}KB "
            f"{total / 1024:>13.1f}KB {len(files):>9}  {largest}"
        )
        if path == PAGES[0]:
            station_files = [(f.stat().st_size, s, f) for s, f in sizes]
    print(f"\nwhat a first visit to {PAGES[0]} downloads:")
    for raw, packed, f in station_files:
        print(f"  {packed / 1024:>6.1f} KB gz {raw / 1024:>7.1f} KB  {f.relative_to(site)}")
    server.shutdown()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
