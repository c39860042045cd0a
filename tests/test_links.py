"""Engine-neutral links (issue 18): every link of the built site resolves the way a browser resolves
it, under both engines, at the domain root and under a ``site_url`` with a sub-path (a project page
such as https://example.org/county/), and none climbs above the site root.

The rule that makes this hold is checked on the generated Markdown itself, without an engine: a link
the core writes is either a Markdown link to a file of the docs tree (a page source, or an open data
file), which every engine checks and rewrites, or a raw URL written on an ``index.md`` page, where
the page's address and its source folder are the same, so reading it either way gives one target.
"""

from __future__ import annotations

import posixpath
import re
import shutil
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

SUB_PATH_URL = "https://example.org/county/"


class _Refs(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.refs: list[str] = []
        self.ids: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if name == "id" and value:
                self.ids.add(value)
            if name in ("href", "src") and value is not None:
                self.refs.append(value)


def _parse(page: Path) -> _Refs:
    refs = _Refs()
    refs.feed(page.read_text(encoding="utf-8"))
    return refs


def broken_links(site: Path, prefix: str = "/", posters_from: Path | None = None) -> list[str]:
    """Every link of every page of ``site`` served at the path ``prefix`` that does not reach a
    file of the site (or, with an anchor, an element of that page), or climbs above ``prefix``.

    ``posters_from``: a build of the same engine with posters, for a build made without them (the
    set of poster files does not depend on the address; the links to them are what is checked).
    """
    problems = []
    parsed: dict[Path, _Refs] = {}
    for page in sorted(site.rglob("*.html")):
        rel = page.relative_to(site).as_posix()
        if rel.startswith("posters/"):  # the posters' own HTML links only its print stylesheet
            continue
        url = prefix + rel
        refs = parsed.setdefault(page, _parse(page))
        for ref in refs.refs:
            parts = urlsplit(ref)
            if parts.scheme or ref.startswith("//"):
                continue
            if not parts.path:  # #fragment on the same page
                if parts.fragment and unquote(parts.fragment) not in refs.ids:
                    problems.append(f"{rel}: {ref}（本页没有这个锚点）")
                continue
            path = unquote(parts.path)
            target = posixpath.normpath(
                path if path.startswith("/") else posixpath.join(posixpath.dirname(url), path)
            )
            if target != prefix.rstrip("/") and not target.startswith(prefix):
                problems.append(f"{rel}: {ref}（越过了网站根目录 {prefix}）")
                continue
            inside = target[len(prefix) :] if target.startswith(prefix) else ""
            file = site / inside
            if file.is_dir():
                file = file / "index.html"
            if not file.is_file() and posters_from is not None and inside.startswith("posters/"):
                file = posters_from / inside
            if not file.is_file():
                problems.append(f"{rel}: {ref}（找不到文件）")
            elif parts.fragment and file.suffix == ".html":
                if unquote(parts.fragment) not in parsed.setdefault(file, _parse(file)).ids:
                    problems.append(f"{rel}: {ref}（目标页没有这个锚点）")
    return problems


# ----------------------------------------------------------------------------- the rule, no engine

_MD_LINK = re.compile(r"\]\(([^)\s]+)\)")
_HREF = re.compile(r"""\b(?:href|src)="([^"]*)\"""")


def test_every_link_the_core_writes_is_engine_neutral(sample_content, repo_root: Path) -> None:
    from generator.clock import build_moment
    from generator.opendata import open_data_files
    from generator.results.progress import compute_results
    from generator.site.pages import ABOUT_SRC, HOME_SRC, generate_pages, make

    moment = build_moment()
    report = compute_results(sample_content, moment.date())
    pages = {p.src: p.markdown for p in generate_pages(sample_content, report, moment, SUB_PATH_URL)}
    maker = make(sample_content, report, moment, SUB_PATH_URL)
    pages[HOME_SRC], pages[ABOUT_SRC] = maker.home_sections(), maker.about_sections()
    docs = repo_root / "docs"
    tree = (
        set(pages)
        | set(open_data_files(sample_content))
        | {p.relative_to(docs).as_posix() for p in docs.rglob("*")}
    )

    wrong = []
    for src, markdown in pages.items():
        folder = posixpath.dirname(src)
        for link in _MD_LINK.findall(markdown):
            parts = urlsplit(link)
            if parts.scheme or not parts.path:
                continue
            target = posixpath.normpath(posixpath.join(folder, unquote(parts.path)))
            if target.startswith("../") or target not in tree:
                wrong.append(f"{src}: Markdown 链接 {link} 不指向文档目录里的文件")
        for ref in _HREF.findall(markdown):
            parts = urlsplit(ref)
            if parts.scheme or not parts.path:
                continue
            if not (src == "index.md" or src.endswith("/index.md")):
                wrong.append(f"{src}: 原始网址 {ref} 写在非 index.md 页面上，两种引擎解析不同")
            elif posixpath.normpath(posixpath.join(folder, parts.path)).startswith(".."):
                wrong.append(f"{src}: {ref} 越过了网站根目录")
    assert not wrong, "\n".join(wrong[:20])


def test_open_data_files_names_exactly_what_write_open_data_writes(sample_content, tmp_path: Path) -> None:
    # The MkDocs plugin tells MkDocs about the open data files before they are written (so the data
    # page's Markdown links to them are checked): the prediction must be the truth.
    from generator.clock import build_moment
    from generator.opendata import open_data_files, write_open_data
    from generator.results.progress import compute_results

    moment = build_moment()
    written = write_open_data(
        sample_content, compute_results(sample_content, moment.date()), tmp_path, SUB_PATH_URL, moment
    )
    assert sorted(p.relative_to(tmp_path).as_posix() for p in written) == sorted(
        open_data_files(sample_content)
    )


def test_url_link_refuses_a_page_whose_address_is_not_its_folder() -> None:
    from generator.site.pages import url_link

    assert url_link("stations/qibu/index.md", "posters/qibu/all.pdf") == "../../posters/qibu/all.pdf"
    assert url_link("index.md", "calendar/all.ics") == "calendar/all.ics"
    with pytest.raises(ValueError, match="index.md"):
        url_link("policies/dibao.md", "posters/qibu/all.pdf")


# ----------------------------------------------------------------------------- built sites


@pytest.fixture(scope="session")
def sub_path_sites(tmp_path_factory: pytest.TempPathFactory, zensical_site: Path) -> dict[str, Path]:
    """The sample built by both engines for a site_url with a sub-path (pages and data; posters are
    the same files as in the root builds, and their QR codes are tested elsewhere)."""
    from conftest import COPY_IGNORE, REPO

    from generator.cli import main

    root = tmp_path_factory.mktemp("subpath") / "repo"
    shutil.copytree(REPO, root, ignore=COPY_IGNORE, symlinks=True)
    config = root / "mkdocs.yml"
    config.write_text(
        re.sub(r"(?m)^site_url:.*$", f"site_url: {SUB_PATH_URL}", config.read_text(encoding="utf-8")),
        encoding="utf-8",
    )
    sites = {}
    for engine in ("mkdocs", "zensical"):
        sites[engine] = root.parent / f"site-{engine}"
        args = [
            "build",
            "--root",
            str(root),
            "--no-posters",
            "--engine",
            engine,
            "--site-dir",
            str(sites[engine]),
        ]
        assert main(args) == 0
    return sites


@pytest.mark.slow
@pytest.mark.parametrize("engine", ["mkdocs", "zensical"])
def test_no_broken_link_at_the_domain_root(engine: str, built_site: Path, zensical_site: Path) -> None:
    site = built_site if engine == "mkdocs" else zensical_site
    problems = broken_links(site, "/")
    assert not problems, "\n".join(problems[:30])


@pytest.mark.slow
@pytest.mark.parametrize("engine", ["mkdocs", "zensical"])
def test_no_broken_link_under_a_sub_path(
    engine: str, sub_path_sites: dict[str, Path], built_site: Path, zensical_site: Path
) -> None:
    site = sub_path_sites[engine]
    problems = broken_links(
        site, "/county/", posters_from=built_site if engine == "mkdocs" else zensical_site
    )
    assert not problems, "\n".join(problems[:30])
    # The 404 page is served at any address, so its links are absolute: they must carry the sub-path.
    refs = _parse(site / "404.html").refs
    absolute = [r for r in refs if r.startswith("/") and not r.startswith("//")]
    assert absolute and all(r.startswith("/county/") for r in absolute), absolute[:5]


def test_the_checker_finds_a_link_above_the_root_and_a_missing_file(tmp_path: Path) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "index.html").write_text(
        '<a href="../../b/">up</a> <a href="../c.csv">gone</a> <a href="#x">no anchor</a> <a href="../">ok</a>',
        encoding="utf-8",
    )
    (tmp_path / "index.html").write_text('<a href="a/">ok</a>', encoding="utf-8")
    problems = broken_links(tmp_path, "/county/")
    assert len(problems) == 3, problems
    assert "越过" in problems[0] and "找不到" in problems[1] and "锚点" in problems[2]
