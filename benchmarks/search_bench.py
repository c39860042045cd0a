"""Search engines compared on what residents type: mkdocs-material's own search against Pagefind.

The query set is made from the county's content (``query_set``), so it holds for the repository's
sample and for any generated county alike:

- a station's full plaque name (周宁县狮城镇民政服务站: that station first), its short form (狮城镇,
  狮城), a community room's community name (东门社区);
- a staff member's name whose name is unique in the county (林晓: the station they work at);
- a policy guide's title (最低生活保障: that guide first) and each of its aliases (低保, 五保);
- a service domain (社会救助: any guide of that domain); a posted rule's title (首问责任制);
- words only in a page's text (单人保 in the 低保 guide), which only the full-text part can find;
- a few phrasings of the sample written by hand (咸村 must not match on 咸 alone).

An answer counts when the expected page is among the first three results (``top``=3), or first
(``top``=1) for exact station and policy names. The engines run in Debian's Chromium through
their own user interfaces: Material's search dialog, and our /search/ page (names index, then
Pagefind's hits that hold the query); the benchmark also runs Pagefind alone through its API.
The same functions serve tests/test_search.py, which keeps the comparison as a test.

Run: ``python benchmarks/search_bench.py`` — builds the sample and a three-level county
(``three_level_county``: hub → towns → community rooms) once with each engine into a temporary
directory and prints, side by side, the share of queries answered, the failures, and what a first
visit to a station page and a first search download (gzipped).
"""

from __future__ import annotations

import datetime as dt
import functools
import gzip
import random
import re
import shutil
import sys
import tempfile
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import quote, unquote, urlsplit

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from synthetic import SAMPLE_COPY_IGNORE, _months, _write_town, make_county  # noqa: E402

from generator.content.model import Content  # noqa: E402
from generator.content.schemas import DOMAINS  # noqa: E402

COMMUNITIES = ["东门", "西街", "南门", "北岭", "溪口", "桥头", "新村", "城西"]
# The sample's towns that get community rooms in the three-level county, two each.
COMMUNITY_TOWNS = ["shicheng", "xiancun", "qibu"]
COPY_IGNORE = SAMPLE_COPY_IGNORE
MATERIAL_SEARCH = """  - search:
      lang: zh
      separator: '[\\s\\u200b\\-，。、；：？！（）《》“”]+'
"""


@dataclass(frozen=True)
class Query:
    text: str
    expected: tuple[str, ...]  # site paths, any of which answers ("stations/shicheng/")
    top: int  # the expected page must be within the first ``top`` results
    why: str


# ----------------------------------------------------------------------------- the counties


def three_level_county(dest: Path, towns: int = 24, today: dt.date | None = None) -> Path:
    """A county of three levels: the hub, ``towns`` - 1 town stations (the sample's nine, then
    generated ones), and two community rooms (社区社工室) under each of COMMUNITY_TOWNS."""
    from generator.clock import build_date

    today = today or build_date()
    make_county(dest, towns, today)
    county = yaml.safe_load((dest / "content" / "county.yml").read_text(encoding="utf-8"))
    months = _months(county["period"]["start"], county["period"]["end"], today)
    indicators = yaml.safe_load((dest / "content" / "indicators.yml").read_text(encoding="utf-8"))
    indicators = [i for i in indicators if "stations" not in i["target"]]
    number = 900
    for t, town in enumerate(COMMUNITY_TOWNS):
        town_file = dest / "stations" / town / "station.yml"
        town_name = yaml.safe_load(town_file.read_text(encoding="utf-8"))["name"]
        place = town_name.removeprefix("周宁县").removesuffix("民政服务站")
        for k in range(2):
            number += 1
            community = COMMUNITIES[(2 * t + k) % len(COMMUNITIES)]
            folder = dest / "stations" / f"{town}-{k + 1}"
            _write_town(folder, number, today, months, indicators)
            station = yaml.safe_load((folder / "station.yml").read_text(encoding="utf-8"))
            station.update(
                name=f"周宁县{place}{community}社区社工室",
                kind="community",
                parent=town,
                address=f"周宁县{place}{community}社区居委会二楼",
            )
            text = yaml.safe_dump(station, allow_unicode=True, sort_keys=False, width=200)
            text = re.sub(r"(?m)^(\s*-?\s*(?:open|close|phone): )'?([0-9][0-9:\-]*)'?$", r'\1"\2"', text)
            (folder / "station.yml").write_text(text, encoding="utf-8")
    return dest


def with_material_search(root: Path) -> None:
    """Switch a repository's mkdocs.yml to mkdocs-material's own search (as it was before Pagefind)."""
    config = root / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    config.write_text(text.replace("plugins:\n", "plugins:\n" + MATERIAL_SEARCH, 1), encoding="utf-8")


def build(root: Path, site: Path) -> Path:
    from generator.build import build_site

    assert build_site(root, site, posters=False) == 0
    return site


# ----------------------------------------------------------------------------- the queries


def query_set(content: Content, sample: bool, stations: int = 12) -> list[Query]:
    """What residents ask for, with the page that answers. ``stations`` limits how many stations of
    a large county are asked about (chosen evenly over the network, communities included)."""
    from generator.site.resultspages import short_name

    def path(slug: str) -> str:
        return f"stations/{slug}/"

    queries: list[Query] = []
    staff_count: dict[str, int] = {}
    for s in content.stations:
        for p in s.staff:
            staff_count[p.name] = staff_count.get(p.name, 0) + 1
    short_count: dict[str, int] = {}
    for s in content.stations:
        short_count[short_name(content, s)] = short_count.get(short_name(content, s), 0) + 1
    rng = random.Random(len(content.stations))
    chosen = list(content.stations)
    if len(chosen) > stations:
        communities = [s for s in chosen if s.kind == "community"]
        others = [s for s in chosen if s.kind != "community"]
        chosen = rng.sample(others, stations - min(3, len(communities))) + communities[:3]
    for s in chosen:
        queries.append(Query(s.name, (path(s.slug),), 1, "站点全名"))
        short = short_name(content, s)
        if s.kind == "community":
            community = re.search(r"([^县镇乡街道]{2}社区)", s.name)
            if community:
                queries.append(Query(community[1], (path(s.slug),), 3, "社区名"))
        elif short_count[short] == 1 and s.kind != "hub":
            town = re.sub(r"第\d+$", "", short)  # generated towns: 安宝镇第12 → 安宝镇
            queries.append(Query(town, (path(s.slug),), 3, "乡镇简称"))
        unique_staff = [p.name for p in s.staff if staff_count[p.name] == 1]
        if unique_staff:
            queries.append(Query(unique_staff[0], (path(s.slug),), 3, "工作人员姓名"))
    for p in content.policies:
        queries.append(Query(p.title, (f"policies/{p.name}/",), 1, "政策名称"))
        for alias in p.aliases:
            queries.append(Query(alias, (f"policies/{p.name}/",), 3, "政策简称"))
    for r in content.rules:
        queries.append(Query(r.title, (f"rules/{r.name}/",), 1, "制度名称"))
    for domain, label in DOMAINS.items():
        guides = tuple(f"policies/{p.name}/" for p in content.policies if p.domain == domain)
        if guides:
            queries.append(Query(label, guides, 3, "服务领域"))
    if sample:
        queries += [
            Query("狮城", ("stations/shicheng/",), 3, "乡镇简称，不带镇字"),
            Query("咸村", ("stations/xiancun/",), 3, "不能只按“咸”一个字匹配"),
            Query("七步镇民政服务站", ("stations/qibu/",), 3, "站点名不带县名"),
            Query("社工总站", ("stations/hub/",), 3, "总站"),
            Query("低保怎么申请", ("policies/dibao/",), 3, "口语问法"),
            Query("银龄守护", ("stations/shicheng/",), 3, "一站一品"),
            Query("救助直通车", ("news/2026-11-12-siqiao-winter-relief/",), 3, "新闻标题中的词"),
            Query("单人保", ("policies/dibao/",), 3, "只在正文里的词"),
            Query("空巢", ("stations/shicheng/", "policies/gaoling-jintie/"), 3, "只在正文里的词"),
        ]
    return queries


# ----------------------------------------------------------------------------- the engines


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - the base class's name
        pass


class _Gzip(_Quiet):
    """Sends text, scripts, styles and data gzipped when the browser asks for it, as any real host
    (GitHub Pages, nginx) does; http.server alone sends them raw, which Lighthouse scores as slow."""

    COMPRESS = (".html", ".css", ".js", ".json", ".svg", ".xml", ".txt", ".ics", "/")

    def do_GET(self) -> None:  # noqa: N802 - the base class's name
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            path = path / "index.html"
        if (
            "gzip" not in self.headers.get("Accept-Encoding", "")
            or not path.is_file()
            or not (path.name.endswith(self.COMPRESS))
        ):
            return super().do_GET()
        if (
            not urlsplit(self.path).path.endswith("/")
            and path.name == "index.html"
            and not self.path.endswith("index.html")
        ):
            return super().do_GET()  # the redirect to the address with a slash
        body = gzip.compress(path.read_bytes(), compresslevel=6, mtime=0)
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(str(path)))
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


@contextmanager
def serve(site: Path, compress: bool = False) -> Iterator[str]:
    handler = _Gzip if compress else _Quiet
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(handler, directory=str(site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()


def _paths(hrefs: list[str], base: str) -> list[str]:
    out: list[str] = []
    for h in hrefs:
        p = unquote(urlsplit(h).path).lstrip("/").removesuffix("index.html")
        if p not in out:
            out.append(p)
    return out


def pagefind_search(page: Any, base: str, query: str) -> list[str]:
    """Our search page over Pagefind's index: the result pages in order."""
    page.goto(f"{base}/search/?q={quote(query)}")
    page.wait_for_selector("#ss-search-results[data-state='done']", state="attached", timeout=15000)
    hrefs = page.locator(".ss-hit-title").evaluate_all("as => as.map(a => a.href)")
    return _paths(hrefs, base)


def pagefind_only_search(page: Any, base: str, query: str) -> list[str]:
    """Pagefind's own ranking, without the names index or the text check: what the site would do
    with Pagefind alone (station pages and guides first, as on our page)."""
    if not page.url.startswith(base):
        page.goto(base + "/404.html")
    urls = page.evaluate(
        """async q => { const pf = await import('/pagefind/pagefind.js');
            const first = await pf.search(q, {filters: {tier: '1'}}), all = await pf.search(q);
            const ids = new Set(first.results.map(r => r.id));
            const hits = first.results.concat(all.results.filter(r => !ids.has(r.id))).slice(0, 10);
            return Promise.all(hits.map(async h => (await h.data()).url)); }""",
        query,
    )
    return _paths([base + u for u in urls], base)


def material_search(page: Any, base: str, query: str) -> list[str]:
    """mkdocs-material's search dialog: the result pages in order (sections fold into their page)."""
    if not page.url.startswith(base):
        page.goto(base + "/", wait_until="networkidle")
    page.locator("label.md-header__button[for='__search']").click()
    box = page.locator("input.md-search__input")
    box.fill(query)
    box.press("End")  # Material searches on keyup; Chinese input methods send none of their own
    page.wait_for_function(
        "() => { const m = document.querySelector('.md-search-result__meta');"
        " return m && !/正在|初始化|Initializing/.test(m.textContent); }",
        timeout=15000,
    )
    page.wait_for_timeout(150)
    hrefs = page.locator(".md-search-result__item > .md-search-result__link").evaluate_all(
        "as => as.map(a => a.href)"
    )
    box.fill("")
    page.keyboard.press("Escape")
    return _paths(hrefs, base)


def answered(query: Query, results: list[str]) -> bool:
    return any(e in results[: query.top] for e in query.expected)


def run_queries(
    site: Path, queries: list[Query], engine: Callable[[Any, str, str], list[str]]
) -> list[tuple[Query, list[str]]]:
    from playwright.sync_api import sync_playwright

    out = []
    with serve(site) as base, sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path="/usr/bin/chromium", args=["--no-sandbox", "--disable-gpu"]
        )
        page = browser.new_page(viewport={"width": 360, "height": 740}, locale="zh-CN")
        for q in queries:
            out.append((q, engine(page, base, q.text)))
        browser.close()
    return out


def first_visit_kb(site: Path, path: str, then_search: str | None = None) -> tuple[float, list[str]]:
    """Gzipped bytes a first visit to ``path`` downloads (and, with ``then_search``, a search on
    /search/ after it), with the names of index files among them."""
    from playwright.sync_api import sync_playwright

    files: list[Path] = []
    with serve(site) as base, sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path="/usr/bin/chromium", args=["--no-sandbox", "--disable-gpu"]
        )
        page = browser.new_page(viewport={"width": 360, "height": 740})
        page.on("request", lambda r: files.append(site / unquote(urlsplit(r.url).path).lstrip("/")))
        page.goto(base + path, wait_until="networkidle")
        page.wait_for_timeout(1500)  # Material's search worker fetches its index after load
        if then_search:
            pagefind_search(page, base, then_search)
            page.wait_for_load_state("networkidle")
        browser.close()
    paths = [f / "index.html" if f.is_dir() else f for f in dict.fromkeys(files)]
    total = sum(len(gzip.compress(f.read_bytes(), mtime=0)) for f in paths if f.is_file())
    index = [f.name for f in paths if "search_index" in f.name or "pagefind" in f.parts]
    return total / 1024, index


# ----------------------------------------------------------------------------- the benchmark


def main() -> int:
    from generator.content.load import load_content

    with tempfile.TemporaryDirectory(prefix="search-bench-") as tmp:
        work = Path(tmp)
        counties = {}
        sample = work / "sample"
        shutil.copytree(ROOT, sample, ignore=shutil.ignore_patterns(*COPY_IGNORE))
        counties["sample (10 stations)"] = (sample, True)
        counties["three-level (30 stations)"] = (three_level_county(work / "three"), False)
        print(
            f"{'county':<28} {'engine':<10} {'answered':>9} {'station first visit':>20} {'first search':>13}"
        )
        for label, (root, is_sample) in counties.items():
            content, problems = load_content(root)
            assert not problems, problems[:3]
            queries = query_set(content, is_sample)
            pf_site = build(root, work / f"{root.name}-pagefind")
            material_root = work / f"{root.name}-material-repo"
            shutil.copytree(root, material_root)
            with_material_search(material_root)
            mat_site = build(material_root, work / f"{root.name}-material")
            station = "/stations/shicheng/"
            for engine, site, fn in (
                ("material", mat_site, material_search),
                ("pagefind", pf_site, pagefind_only_search),
                ("ours", pf_site, pagefind_search),
            ):
                results = run_queries(site, queries, fn)
                good = sum(answered(q, r) for q, r in results)
                visit, index = first_visit_kb(site, station)
                search = (
                    f"{first_visit_kb(site, station, '低保')[0] - visit:>10.1f} KB"
                    if engine == "ours"
                    else "(in visit)"
                )
                print(
                    f"{label:<28} {engine:<10} {good:>4}/{len(results):<4} {visit:>12.1f} KB {'+index' if index else '':<6} {search:>13}"
                )
                for q, r in results:
                    if not answered(q, r):
                        print(f"    miss {q.why}「{q.text}」 expected {q.expected[0]} top {q.top}: {r[:3]}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
