"""Issue 3 end to end: the sample county built once per session (tests/conftest.py ``built_site``)
and its real pages checked: contents, links, weight, no foreign hosts, strictness, atomic failure,
reproducibility. The build date is pinned to Sunday 2026-11-22 (this week: 11-16 to 11-22).
"""

from __future__ import annotations

import filecmp
import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

from generator.cli import main

pytestmark = pytest.mark.slow


class Links(HTMLParser):
    """Every URL a page refers to, with the tag and attribute it came from."""

    def __init__(self) -> None:
        super().__init__()
        self.refs: list[tuple[str, str, str, dict[str, str]]] = []
        self.ids: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if "id" in a:
            self.ids.add(a["id"])
        for attr in ("href", "src"):
            if attr in a:
                self.refs.append((tag, attr, a[attr], a))


def parse(path: Path) -> Links:
    links = Links()
    links.feed(path.read_text(encoding="utf-8"))
    return links


def html_pages(site: Path) -> list[Path]:
    return sorted(p for p in site.rglob("*.html") if "posters" not in p.relative_to(site).parts)


def visible_text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


# --------------------------------------------------------------------------- contents


def test_station_page_shows_phone_hours_and_this_weeks_activities(built_site: Path, sample_content) -> None:
    page = built_site / "stations" / "shicheng" / "index.html"
    html = page.read_text(encoding="utf-8")
    station = sample_content.station("shicheng")
    assert f'href="tel:{station.phone.replace("-", "")}"' in html
    assert station.address in html
    assert 'id="hours"' in html and "周一至周五" in html
    for h in station.hours:
        assert h.open in html and h.close in html
    this_week = [a for a in station.activities if "2026-11-16" <= a.date.isoformat() <= "2026-11-22"]
    assert this_week, "the sample must have activities this week"
    section = html.split('id="activities"', 1)[1].split('id="upcoming"', 1)[0]
    for a in this_week:
        assert a.title in section and a.start in section
    later = [a for a in station.activities if a.date.isoformat() > "2026-12-20"]
    for a in later:  # beyond this week and the next four: not listed yet
        assert f'datetime="{a.date.isoformat()}' not in html
    for s in station.staff:
        assert s.name in html
        if s.phone and not s.public_phone:
            assert s.phone not in html, "an unpublished personal mobile reached the page"


def test_station_page_links_every_poster_and_its_results(built_site: Path, sample_content) -> None:
    from generator.posters import poster_specs

    html = (built_site / "stations" / "qibu" / "index.html").read_text(encoding="utf-8")
    assert 'href="../../posters/qibu/"' in html  # one link: the station's posters page
    assert 'id="results"' in html and 'id="posters"' in html
    page = (built_site / "posters" / "qibu" / "index.html").read_text(encoding="utf-8")
    for spec in poster_specs(sample_content, sample_content.station("qibu")):
        for name in (spec.pdf_name, spec.html_name, spec.pdf_name[:-4] + ".png"):
            assert f'href="{name}"' in page or f'src="{name}"' in page, name
            assert (built_site / "posters" / "qibu" / name).is_file(), name


def test_home_page_has_programme_network_week_results_and_complaints(
    built_site: Path, sample_content
) -> None:
    html = (built_site / "index.html").read_text(encoding="utf-8")
    p = sample_content.programme
    for text in (p.authority, p.contractor, p.programme, "2026年1月1日至2028年12月31日"):
        assert text in html
    for station in sample_content.stations:
        assert f'href="stations/{station.slug}/"' in html
    for c in p.complaints:
        assert c.label in html
    assert "11月16日（周一）至11月22日（周日）" in html


def test_policy_guides_answer_who_what_how_documents_in_that_order(built_site: Path, sample_content) -> None:
    for policy in sample_content.policies:
        html = (built_site / "policies" / policy.name / "index.html").read_text(encoding="utf-8")
        positions = [html.index(f'id="{part}"') for part in ("who", "what", "how", "documents")]
        assert positions == sorted(positions), policy.name
        steps = html.split('id="how"', 1)[1].split('id="documents"', 1)[0]
        assert steps.count("<li>") == len(policy.how), "every step numbered in an <ol>"
        assert "<ol" in steps


def test_station_pages_are_not_in_the_navigation(built_site: Path) -> None:
    """mkdocs-material renders the whole nav into every page: station pages stay out of it."""
    html = (built_site / "about" / "index.html").read_text(encoding="utf-8")
    nav = html.split('class="md-nav md-nav--primary"', 1)[1].split("</nav>", 1)[0]
    assert "stations/shicheng/" not in nav
    assert "stations/" in nav  # the stations index is


def test_news_has_brief_and_case_views(built_site: Path, sample_content) -> None:
    briefs = (built_site / "news" / "briefs" / "index.html").read_text(encoding="utf-8")
    cases = (built_site / "news" / "cases" / "index.html").read_text(encoding="utf-8")
    for item in sample_content.news:
        view = briefs if item.kind == "brief" else cases if item.kind == "case" else None
        if view is not None:
            assert item.title in view
    assert any(n.kind == "case" for n in sample_content.news)


def test_field_reference_page_is_generated_from_the_schema(built_site: Path) -> None:
    from generator.content.fieldref import field_reference_markdown

    html = (built_site / "guide" / "fields" / "index.html").read_text(encoding="utf-8")
    assert "stations/&lt;slug&gt;/station.yml" in html or "station.yml" in html
    assert field_reference_markdown().splitlines()[0].lstrip("# ") in html


# --------------------------------------------------------------------------- links and hosts


def test_every_internal_link_resolves(built_site: Path) -> None:
    missing = []
    for page in html_pages(built_site):
        links = parse(page)
        for tag, _attr, url, _ in links.refs:
            parts = urlsplit(url)
            if parts.scheme or url.startswith(("#", "//")) or not parts.path:
                if url.startswith("#") and len(url) > 1 and tag == "a" and unquote(url[1:]) not in links.ids:
                    missing.append(f"{page.relative_to(built_site)}: {url}")
                continue
            # 404.html is served at any path, so mkdocs-material links it from the site root.
            base = built_site if parts.path.startswith("/") else page.parent
            target = (base / unquote(parts.path).lstrip("/")).resolve()
            if target.is_dir():
                target = target / "index.html"
            if not target.exists():
                missing.append(f"{page.relative_to(built_site)}: {url}")
    assert not missing, "\n".join(missing[:30])


def test_nothing_is_loaded_from_another_host(built_site: Path) -> None:
    """No Google Fonts, CDN or analytics: scripts, styles, fonts and images come from the site itself."""
    foreign = []
    for page in html_pages(built_site):
        for tag, attr, url, a in parse(page).refs:
            loads = (tag in ("script", "img", "source", "iframe", "audio", "video") and attr == "src") or (
                tag == "link"
                and attr == "href"
                and a.get("rel", "") in ("stylesheet", "preload", "icon", "modulepreload", "manifest")
            )
            if loads and (urlsplit(url).scheme or url.startswith("//")):
                foreign.append(f"{page.relative_to(built_site)}: <{tag} {attr}={url}>")
    for css in built_site.rglob("*.css"):
        for url in re.findall(r"url\(\s*['\"]?([^'\")]+)", css.read_text(encoding="utf-8", errors="replace")):
            if re.match(r"^(https?:)?//", url):
                foreign.append(f"{css.relative_to(built_site)}: url({url})")
    assert not foreign, "\n".join(foreign[:20])


def test_no_material_font_or_analytics_config(built_site: Path) -> None:
    html = (built_site / "index.html").read_text(encoding="utf-8")
    assert "fonts.googleapis.com" not in html and "fonts.gstatic.com" not in html
    assert "googletagmanager" not in html and "analytics" not in html.lower()


# --------------------------------------------------------------------------- weight


def test_a_station_page_is_under_40_kb(built_site: Path) -> None:
    sizes = {p.parent.name: p.stat().st_size for p in (built_site / "stations").glob("*/index.html")}
    assert sizes and max(sizes.values()) < 40 * 1024, sizes


# Search (Pagefind and the names index, not mkdocs-material's search_index.json): tests/test_search.py.


# --------------------------------------------------------------------------- build behaviour


def test_bad_content_stops_the_build_and_keeps_the_previous_site(sample_copy: Path, capsys) -> None:
    site = sample_copy / "site"
    site.mkdir()
    (site / "index.html").write_text("previous site", encoding="utf-8")
    station = sample_copy / "stations" / "shicheng" / "station.yml"
    station.write_text(
        station.read_text(encoding="utf-8").replace('phone: "0593-', 'phone: "abc', 1), encoding="utf-8"
    )
    assert main(["build", "--root", str(sample_copy), "--no-posters"]) == 1
    out = capsys.readouterr()
    assert "stations/shicheng/station.yml:" in out.out and "应为电话号码" in out.out
    assert "Traceback" not in out.out + out.err
    assert (site / "index.html").read_text(encoding="utf-8") == "previous site"
    assert sorted(p.name for p in sample_copy.iterdir() if p.name.startswith(".site")) == []


def test_mkdocs_build_reports_the_same_messages(sample_copy: Path) -> None:
    import subprocess
    import sys

    (sample_copy / "stations" / "qibu" / "activities.yml").write_text(
        '- date: 2026-02-30\n  start: "09:00"\n  end: "10:00"\n  title: 测试\n  kind: talk\n'
        "  domain: elderly\n  place: 活动室\n",
        encoding="utf-8",
    )
    run = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "-q", "-f", str(sample_copy / "mkdocs.yml")],
        capture_output=True,
        text=True,
    )
    assert run.returncode == 1
    assert (
        "stations/qibu/activities.yml:1: 第 1 项活动·日期（date）: 日期不存在：2026-02-30"
        in run.stdout + run.stderr
    )
    assert not (sample_copy / "site").exists()


def test_two_builds_are_byte_identical(sample_copy: Path, tmp_path: Path) -> None:
    one, two = tmp_path / "one", tmp_path / "two"
    assert main(["build", "--root", str(sample_copy), "--no-posters", "--site-dir", str(one)]) == 0
    assert main(["build", "--root", str(sample_copy), "--no-posters", "--site-dir", str(two)]) == 0
    files = sorted(p.relative_to(one) for p in one.rglob("*") if p.is_file())
    assert files == sorted(p.relative_to(two) for p in two.rglob("*") if p.is_file())
    _, mismatch, errors = filecmp.cmpfiles(one, two, [str(f) for f in files], shallow=False)
    assert not mismatch and not errors, mismatch[:10]


def test_serve_watches_stations_and_content(repo_root: Path) -> None:
    from generator.site.mkdocs_plugin import StationSitePlugin

    class Server:
        def __init__(self) -> None:
            self.watched: list[str] = []

        def watch(self, path: str) -> None:
            self.watched.append(path)

    plugin, server = StationSitePlugin(), Server()
    plugin.root = repo_root
    plugin.on_serve(server, None, None)
    assert server.watched == [str(repo_root / "stations"), str(repo_root / "content")]


def test_hand_written_page_replaces_a_generated_one(sample_copy: Path) -> None:
    (sample_copy / "docs" / "policies").mkdir()
    (sample_copy / "docs" / "policies" / "dibao.md").write_text("# 低保（县里手写版）\n", encoding="utf-8")
    assert main(["build", "--root", str(sample_copy), "--no-posters"]) == 0
    html = (sample_copy / "site" / "policies" / "dibao" / "index.html").read_text(encoding="utf-8")
    assert "县里手写版" in html


def test_plain_mkdocs_build_strict_is_clean(sample_copy: Path, repo_root: Path) -> None:
    """`mkdocs build --strict` (not only `stationsite build`) builds the sample without a warning."""
    import subprocess
    import sys

    (repo_root / ".cache").mkdir(exist_ok=True)
    (sample_copy / ".cache").symlink_to(repo_root / ".cache")  # warm poster cache: no font subsetting
    run = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-f", str(sample_copy / "mkdocs.yml")],
        capture_output=True,
        text=True,
    )
    assert run.returncode == 0, run.stderr[-3000:]
    assert "WARNING -" not in run.stderr  # MkDocs' own warning lines (not mkdocs-material's banner)
    assert (sample_copy / "site" / "posters" / "qibu" / "all.pdf").is_file()
    assert (sample_copy / "site" / "data" / "datapackage.json").is_file()


# --------------------------------------------------------------------------- the sample's posters


def test_sample_posters_one_page_each_with_embedded_chinese(built_site: Path, sample_content) -> None:
    from test_posters_support import pdf_fonts, pdf_pages, pdf_text

    from generator.posters import poster_specs

    papers = {"A4": (595.28, 841.89), "A3": (841.89, 1190.55), "A6": (297.64, 419.53)}
    for station in sample_content.stations:
        for spec in poster_specs(sample_content, station):
            pdf = built_site / "posters" / station.slug / spec.pdf_name
            pages = pdf_pages(pdf)
            expected = papers[spec.paper]
            assert len(pages) == 1 and pages[0] == pytest.approx(expected, abs=0.5), (pdf, pages)
    board = built_site / "posters" / "shicheng" / "board.pdf"
    assert all(f["emb"] == "yes" for f in pdf_fonts(board))
    assert any("CJK" in f["name"] or "Noto" in f["name"] for f in pdf_fonts(board))
    assert sample_content.station("shicheng").name in pdf_text(board).replace(" ", "")


def test_sample_poster_qr_codes_open_their_pages(built_site: Path, sample_content, tmp_path: Path) -> None:
    from test_posters_support import qr_urls

    from generator.posters import poster_specs

    site_url = "https://zhouning-mzfwz.example/"
    for slug in ("hub", "shicheng"):
        station = sample_content.station(slug)
        for spec in poster_specs(sample_content, station):
            pdf = built_site / "posters" / slug / spec.pdf_name
            assert qr_urls(pdf, tmp_path) == [[site_url + spec.page_url_path] * spec.qr_count], pdf
