"""Search that finds what residents ask for: Pagefind over the built site, on the page /search/.

The query set (benchmarks/search_bench.py: station names and their short forms, community names,
staff names, policy titles and aliases, service domains) runs against the sample county and a
three-level county (hub → towns → community rooms) generated here; every expected page must be in
the first three results, and first for exact station and policy names. The same queries through
mkdocs-material's own search keep the engine comparison honest: Pagefind must answer at least as
many. A first visit to a station page downloads no search index.
"""

from __future__ import annotations

import re
import shutil
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "benchmarks"))

import search_bench as bench  # noqa: E402

ARTIFACTS = REPO / "test-artifacts"


# --------------------------------------------------------------------------- built HTML, no browser


def test_resident_pages_are_indexed_and_the_editors_guide_is_not(built_site: Path) -> None:
    station = (built_site / "stations" / "shicheng" / "index.html").read_text(encoding="utf-8")
    assert "data-pagefind-body" in station and 'data-pagefind-filter="tier:1"' in station
    policy = (built_site / "policies" / "dibao" / "index.html").read_text(encoding="utf-8")
    assert 'data-pagefind-filter="tier:1"' in policy and 'data-pagefind-meta="type:policy"' in policy
    news = next((built_site / "news").glob("2026-*/index.html")).read_text(encoding="utf-8")
    assert "data-pagefind-body" in news and "data-pagefind-filter" not in news  # searched after tier 1
    for page in (built_site / "guide").rglob("index.html"):
        assert "data-pagefind-body" not in page.read_text(encoding="utf-8"), page
    assert "data-pagefind-body" not in (built_site / "search" / "index.html").read_text(encoding="utf-8")
    # A poster code's check page is what its QR opens, not something to search (18 in 20 pages).
    code_pages = [p for p in (built_site / "posters").glob("*/*/index.html")]
    assert code_pages and not any("data-pagefind-body" in p.read_text(encoding="utf-8") for p in code_pages)
    assert "data-pagefind-body" in (built_site / "posters" / "shicheng" / "index.html").read_text(
        encoding="utf-8"
    )
    # The sections that repeat on every station page or change weekly are marked for exclusion.
    for section in ("upcoming", "results", "complaints"):
        block = station[station.index(f'id="{section}"') :]
        assert 'data-search-exclude="true"' in block[:3000], section
    assert (built_site / "pagefind" / "pagefind.js").is_file()
    assert not (built_site / "search" / "search_index.json").exists(), "Material's index is still written"


def test_names_index_holds_what_residents_call_stations_and_guides(sample_content) -> None:
    from generator.site.search import names_index

    entries = {e[0]: e for e in names_index(sample_content)["entries"]}
    shicheng = entries["stations/shicheng/"]
    assert shicheng[1] == "周宁县狮城镇民政服务站" and shicheng[2] == "station"
    assert {"狮城镇", "狮城", "林晓", "银龄守护"} <= set(shicheng[3])
    dibao = entries["policies/dibao/"]
    assert dibao[2] == "policy" and {"低保", "社会救助"} <= set(dibao[3])
    assert entries["rules/first-inquiry/"][1] == "首问责任制"
    # Nothing personal beyond what the station page shows: no mobile number of any staff member.
    text = str(list(entries.values()))
    assert not any(p.phone and p.phone in text for s in sample_content.stations for p in s.staff)


def test_policy_guides_show_their_aliases(built_site: Path, sample_content) -> None:
    dibao = next(p for p in sample_content.policies if p.name == "dibao")
    assert "低保" in dibao.aliases
    html = (built_site / "policies" / "dibao" / "index.html").read_text(encoding="utf-8")
    assert re.search(r'class="ss-aliases"[^>]*>又称：低保、', html)


def test_search_page_without_javascript_is_a_plain_index(built_site: Path, sample_content) -> None:
    html = (built_site / "search" / "index.html").read_text(encoding="utf-8")
    assert re.search(r'<form class="ss-search-form"[^>]*action="\./"[^>]*method="get"', html)
    assert 'name="q"' in html
    for s in sample_content.stations:
        assert f'href="../stations/{s.slug}/"' in html, s.slug
    for p in sample_content.policies:
        assert f'href="../policies/{p.name}/"' in html, p.name
    # Every page's header leads here (a link, not Material's dialog): no JavaScript needed.
    home = (built_site / "index.html").read_text(encoding="utf-8")
    assert re.search(r'<a class="md-header__button md-icon ss-search-link" href="search/"', home)
    assert "md-search__input" not in home


# --------------------------------------------------------------------------- in the browser


@pytest.fixture(scope="module")
def three_level_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = bench.three_level_county(tmp_path_factory.mktemp("three") / "repo", towns=24)
    return bench.build(root, root / "site")


def _misses(results: list) -> list[str]:
    return [
        f"{q.why}「{q.text}」: expected {q.expected[0]} in top {q.top}, got {r[:3]}"
        for q, r in results
        if not bench.answered(q, r)
    ]


@pytest.mark.browser
@pytest.mark.slow
@pytest.mark.parametrize("county", ["sample", "three-level"])
def test_the_query_set_finds_every_expected_page(
    county: str, request: pytest.FixtureRequest, sample_content
) -> None:
    from generator.content.load import load_content

    if county == "sample":
        site = request.getfixturevalue("built_site")
        content = sample_content
    else:
        site = request.getfixturevalue("three_level_site")
        content, problems = load_content(site.parent)
        assert not problems
        assert {s.kind for s in content.stations} >= {"hub", "township", "community"}
    queries = bench.query_set(content, sample=county == "sample")
    assert len(queries) >= 30
    results = bench.run_queries(site, queries, bench.pagefind_search)
    misses = _misses(results)
    assert not misses, "\n".join(misses)


@pytest.mark.browser
@pytest.mark.slow
def test_pagefind_answers_at_least_what_materials_search_does(
    built_site: Path, sample_content, tmp_path: Path
) -> None:
    root = tmp_path / "repo"
    shutil.copytree(REPO, root, ignore=shutil.ignore_patterns(*bench.COPY_IGNORE))
    bench.with_material_search(root)
    material_site = bench.build(root, tmp_path / "material-site")
    assert (material_site / "search" / "search_index.json").is_file()

    queries = bench.query_set(sample_content, sample=True)
    material = bench.run_queries(material_site, queries, bench.material_search)
    pagefind = bench.run_queries(built_site, queries, bench.pagefind_search)
    good_material = sum(bench.answered(q, r) for q, r in material)
    good_pagefind = sum(bench.answered(q, r) for q, r in pagefind)
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / "search-comparison.txt").write_text(
        f"sample county, {len(queries)} queries: mkdocs-material {good_material}, "
        f"ours (names index + Pagefind) {good_pagefind}\n"
        + "material misses:\n  "
        + "\n  ".join(_misses(material))
        + "\nour misses:\n  "
        + "\n  ".join(_misses(pagefind))
        + "\n",
        encoding="utf-8",
    )
    assert good_pagefind == len(queries) and good_pagefind >= good_material, (good_pagefind, good_material)


@pytest.mark.browser
@pytest.mark.slow
@pytest.mark.parametrize("county", ["sample", "three-level"])
def test_first_visit_to_a_station_page_downloads_no_index_and_under_100_kb(
    county: str, request: pytest.FixtureRequest
) -> None:
    site = request.getfixturevalue("built_site" if county == "sample" else "three_level_site")
    kb, index = bench.first_visit_kb(site, "/stations/shicheng/")
    assert not index, f"a first visit downloads search files: {index}"
    assert kb <= 100, f"first visit downloads {kb:.0f} KB gzipped"
    # A search loads Pagefind and only the chunks the query needs.
    with_search, index = bench.first_visit_kb(site, "/stations/shicheng/", then_search="低保")
    assert any(name.endswith(".pf_index") for name in index), index
    # Pagefind's script and WebAssembly (about 95 KB gzipped) come once, then the chunks the query needs.
    assert with_search - kb < 200, f"a first search downloads {with_search - kb:.0f} KB gzipped"


@pytest.mark.browser
@pytest.mark.slow
def test_search_page_without_javascript_offers_the_index(built_site: Path) -> None:
    from playwright.sync_api import sync_playwright

    with bench.serve(built_site) as base, sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path="/usr/bin/chromium", args=["--no-sandbox", "--disable-gpu"]
        )
        page = browser.new_context(
            viewport={"width": 360, "height": 740}, java_script_enabled=False
        ).new_page()
        page.goto(base + "/")
        page.locator("a.ss-search-link").click()
        page.wait_for_url("**/search/")
        page.locator("#ss-q").fill("低保")
        page.locator("button.ss-search-button").click()
        page.wait_for_url("**/search/?q=*")
        index = page.locator(".ss-search-index")
        assert index.is_visible()
        assert index.locator("a[href$='policies/dibao/']").is_visible()
        assert index.locator("a[href$='stations/shicheng/']").is_visible()
        browser.close()


def test_the_index_is_built_when_the_caller_already_runs_an_event_loop(tmp_path: Path) -> None:
    """A build called from async code (here: inside ``asyncio.run``, as a Playwright session in the
    same process is) used to fail with "asyncio.run() cannot be called from a running event loop"."""
    import asyncio

    from generator.site.search import build_search_index

    page = tmp_path / "stations" / "x" / "index.html"
    page.parent.mkdir(parents=True)
    page.write_text(
        '<html lang="zh"><body><main data-pagefind-body><h1>狮城镇民政服务站</h1>'
        "<p>低保申请</p></main></body></html>",
        encoding="utf-8",
    )

    async def caller() -> int:
        return build_search_index(tmp_path).pages

    assert asyncio.run(caller()) == 1
    assert (tmp_path / "pagefind" / "pagefind-entry.json").is_file()
    # what theme/assets/search.js loads is there; Pagefind's own search interfaces are not
    assert (tmp_path / "pagefind" / "pagefind.js").is_file()
    assert (tmp_path / "pagefind" / "pagefind-worker.js").is_file()
    assert not list((tmp_path / "pagefind").glob("pagefind-*ui.*")), "unused Pagefind UI files copied"
    assert not (tmp_path / "pagefind" / "pagefind-highlight.js").exists()
