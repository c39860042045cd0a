"""What the MkDocs plugin does per page, done around Zensical (generator/site/zensicalguard.py):
docs/ pages sanitised (content and table of contents), front matter escaped, <title> kept text,
a CSP on every page that hashes the theme's inline scripts and never content's. Unit tests on
pages as Zensical writes them; the hostile-content tests check the real Zensical output."""

from __future__ import annotations

import importlib.util
import re
from pathlib import Path

import pytest

from generator.site import csp, docsguard
from generator.site.zensicalguard import (
    CONTENT,
    PARTIALS,
    TOC,
    GuardError,
    escape_front_matter,
    harden_page,
    harden_site,
    page_output,
    prepare_page,
    write_partials,
)

THEME_SCRIPT = "<script>__md_scope=1</script>"


def _page(content: str, toc: str = "", title: str = "关于 - 县") -> str:
    """A page laid out as Zensical's base.html with our marked partials lays it out."""
    return (
        f'<!doctype html><html><head>\n<meta charset="utf-8">\n<title>{title}</title>\n{THEME_SCRIPT}\n</head>'
        f'<body><nav><span class="md-typeset">{TOC[0]}{toc}{TOC[1]}</span></nav>'
        f'<article class="md-content__inner md-typeset">{CONTENT[0]}{content}{CONTENT[1]}</article>'
        "<script>var palette=1</script></body></html>"
    )


def _hashes(page: str) -> set[str]:
    meta = re.search(r'http-equiv="Content-Security-Policy" content="([^"]+)"', page)
    assert meta, "no CSP"
    return set(re.findall(r"'sha256-[^']+'", meta[1]))


def test_a_docs_page_is_sanitised_and_its_sections_kept():
    hostile = '<h1 id="x">关于</h1>\n<script>pwn()</script>\n<div onclick="pwn()" data-pwn>点我</div>'
    sections = '<div class="ss-cards"><p>生成的内容</p></div>'
    page = _page(
        f"{hostile}\n{docsguard.SECTIONS_MARK}\n{sections}", toc='甲 <span onclick="pwn()">乙</span>'
    )
    out, hand_written = harden_page(page)
    assert hand_written
    assert "pwn()" not in out and "data-pwn" not in out and "点我" in out
    assert sections in out  # ours: not sanitised away
    assert '<span class="md-typeset">甲 <span>乙</span></span>' in out
    for mark in (*CONTENT, *TOC, docsguard.SECTIONS_MARK):
        assert mark not in out
    assert out.count(csp.MARK) == 1
    assert _hashes(out) == set(csp.script_hashes(THEME_SCRIPT + "<script>var palette=1</script>"))


def test_a_generated_page_keeps_its_html_and_content_scripts_get_no_hash():
    # Generated pages are sanitised where they are made; a script that ever got into one still
    # gets no hash (as the plugin leaves page.content out of the hashing).
    page = _page('<h1>站点</h1><div class="ss-x" data-pagefind-weight="10">x</div><script>pwn()</script>')
    out, hand_written = harden_page(page)
    assert not hand_written
    assert '<div class="ss-x" data-pagefind-weight="10">x</div><script>pwn()</script>' in out
    assert csp.script_hashes("<script>pwn()</script>")[0] not in _hashes(out)
    assert csp.script_hashes(THEME_SCRIPT)[0] in _hashes(out)


def test_title_is_text_even_when_striptags_decoded_it():
    page = _page("<h1>x</h1>", title="X </title><script>pwn()</script> - 县")
    out, _ = harden_page(page)
    assert "<title>X &lt;/title&gt;&lt;script&gt;pwn()&lt;/script&gt; - 县</title>" in out
    assert csp.script_hashes("<script>pwn()</script>")[0] not in _hashes(out)
    plain = _page("<h1>x</h1>", title="站点&lt;i&gt;&quot;&#x27;&amp;amp; - 县")
    assert "<title>站点&lt;i&gt;&quot;&#x27;&amp;amp; - 县</title>" in harden_page(plain)[0]


@pytest.mark.parametrize(
    "broken",
    [
        lambda p: p.replace(CONTENT[1], "", 1),  # no end
        lambda p: p.replace(CONTENT[1], CONTENT[1] + CONTENT[1], 1),  # two ends
        lambda p: p.replace(TOC[0], TOC[0] + TOC[0], 1),  # nested
        lambda p: (
            p.replace("<h1>", docsguard.SECTIONS_MARK, 1).replace(CONTENT[0], "", 1).replace(CONTENT[1], "")
        ),
    ],
)
def test_a_page_whose_marks_do_not_pair_is_refused(broken):
    with pytest.raises(GuardError):
        harden_page(broken(_page("<h1>x</h1>")))


def test_a_published_docs_page_without_marks_stops_the_build(tmp_path: Path):
    site = tmp_path / "site"
    (site / "about").mkdir(parents=True)
    (site / "about" / "index.html").write_text(
        _page("<h1>关于</h1>").replace(CONTENT[0], ""), encoding="utf-8"
    )
    (site / "guide").mkdir()
    (site / "guide" / "index.html").write_text(_page("<h1>指南</h1>"), encoding="utf-8")
    with pytest.raises(GuardError) as raised:
        harden_site(site, ["about.md", "guide/index.md"])
    message = str(raised.value)
    assert (
        "about/index.html" in message and "docs/guide/index.md" in message
    )  # mark missing, no sections mark
    assert "没有发布" in message


def test_harden_site_writes_the_policy_into_every_page_and_cleans_the_search_index(tmp_path: Path):
    site = tmp_path / "site"
    (site / "about").mkdir(parents=True)
    (site / "about" / "index.html").write_text(
        _page(f"<h1>关于</h1><script>pwn()</script>\n{docsguard.SECTIONS_MARK}\n"), encoding="utf-8"
    )
    (site / "404.html").write_text(
        _page("").replace(CONTENT[0] + CONTENT[1], "<h1>404</h1>"), encoding="utf-8"
    )
    (site / "search.json").write_text(
        '{"config":{},"items":[{"title":"<b onclick=pwn()>t</b>","text":"<p>a</p><img src=x onerror=pwn()>"}]}',
        encoding="utf-8",
    )
    assert harden_site(site, ["about.md"]) == 1
    for page in ("about/index.html", "404.html"):
        assert (site / page).read_text(encoding="utf-8").count(csp.MARK) == 1
    assert "pwn()" not in (site / "about" / "index.html").read_text(encoding="utf-8")
    assert "pwn" not in (site / "search.json").read_text(encoding="utf-8")


def test_page_output_follows_the_engines_addresses():
    assert page_output("index.md") == "index.html"
    assert page_output("about.md") == "about/index.html"
    assert page_output("stations/hub/index.md") == "stations/hub/index.html"
    assert page_output("guide/README.md") == "guide/index.html"
    assert page_output("about.md", directory_urls=False) == "about.html"


def test_front_matter_is_escaped_and_a_plain_page_keeps_its_bytes():
    plain = "---\ntitle: 首页\nhide:\n  - navigation\n---\n\n# 首页\n"
    assert escape_front_matter(plain) == plain
    hostile = "---\ndescription: '\"><script>pwn()</script>'\ntags: [<b>]\n---\n正文\n"
    out = escape_front_matter(hostile)
    assert (
        "<script>" not in out
        and "&lt;script&gt;" in out
        and "&lt;b&gt;" in out
        and out.endswith("---\n正文\n")
    )
    marked = prepare_page("# 关于\n\n正文\n", "# 关于\n\n正文\n\n## 生成的\n")
    assert marked == f"# 关于\n\n正文\n\n{docsguard.SECTIONS_MARK}\n\n\n## 生成的\n"


@pytest.mark.skipif(importlib.util.find_spec("zensical") is None, reason="Zensical is not installed")
def test_zensicals_partials_get_the_marks_and_a_county_override_without_page_content_is_refused(
    tmp_path: Path,
):
    from generator.site.engines import zensical_templates

    theme = tmp_path / "theme"
    write_partials(theme, zensical_templates())
    for rel, ((start, end), expression) in PARTIALS.items():
        text = (theme / rel).read_text(encoding="utf-8")
        assert text.count(start + expression + end) == 1, rel
    county = tmp_path / "county"
    (county / "partials").mkdir(parents=True)
    (county / "partials" / "content.html").write_text("{{ page.content | safe }}", encoding="utf-8")
    with pytest.raises(GuardError, match="partials/content.html"):
        write_partials(county, zensical_templates())
