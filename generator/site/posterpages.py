"""The station's posters page ``/posters/<slug>/`` and one page per poster code (海报编号).

The posters page lists every current poster with its code, issue date, a thumbnail and its PDF and
HTML; each code has a page ``/posters/<slug>/<code>/`` saying whether it is current or has been
replaced (已更新), linking the current one. Codes and dates come from the build's
``generator.posters.issue.Issue``: the pages and the printed posters use the same one.
"""

from __future__ import annotations

from typing import Any

from markupsafe import Markup

from generator.content.model import Content, Station
from generator.content.textformat import date_text
from generator.posters.issue import Issue, Issued, code_slug
from generator.posters.specs import PosterSpec, poster_specs
from generator.site.pages.templating import render

PAPER_NOTE = {"card": "门口、服务台用的小卡片", "cards": "四张一页，沿标记裁开", "board": "", "week": ""}


def posters_src(slug: str) -> str:
    return f"posters/{slug}/index.md"


def code_src(slug: str, code: str) -> str:
    # index.md: raw links (PDFs, the current poster) resolve alike under every engine only there.
    return f"posters/{slug}/{code_slug(code)}/index.md"


def code_url(slug: str, code: str) -> str:
    """The code page's site path (for links in raw HTML, which MkDocs does not rewrite)."""
    return f"posters/{slug}/{code_slug(code)}/"


def poster_pages(
    content: Content, issue: Issue, build_label: str, link: Any, md_link: Any
) -> list[tuple[str, str]]:
    """(source path, Markdown) of every station's posters page and every code page.

    ``link(from_src, site_path)`` and ``md_link(from_src, to_src)`` are the pages stage's link
    helpers (relative URLs to files, Markdown links MkDocs checks).
    """
    out = []
    for station in content.stations:
        specs = poster_specs(content, station)
        out.append(
            (posters_src(station.slug), _posters_page(station, specs, issue, build_label, link, md_link))
        )
        for spec in specs:
            out.append(_code_page(station, spec, issue.of(spec), None, issue, link, md_link))
        for old in issue.earlier_of(station.slug):
            out.append(
                _code_page(
                    station, None, old, issue.current.get((station.slug, old.poster)), issue, link, md_link
                )
            )
    return out


def _view(
    station: Station, spec: PosterSpec, now: Issued, src: str, link: Any, md_link: Any
) -> dict[str, Any]:
    base = f"posters/{station.slug}/"
    return {
        "title": spec.title,
        "paper": spec.paper,
        "note": PAPER_NOTE.get(spec.kind, ""),
        "code": now.code,
        "code_slug": code_slug(now.code),
        "code_href": link(src, code_url(station.slug, now.code)),
        "issued": date_text(now.issued),
        "pdf": link(src, base + spec.pdf_name),
        "html": link(src, base + spec.html_name),
        "png": link(src, base + spec.pdf_name[: -len(".pdf")] + ".png"),
        "caption": spec.qr_caption,
        "target_href": link(src, spec.page_url_path),
    }


def _posters_page(
    station: Station, specs: list[PosterSpec], issue: Issue, build_label: str, link: Any, md_link: Any
) -> str:
    src = posters_src(station.slug)
    earlier = sorted(issue.earlier_of(station.slug), key=lambda e: (-e.issued.toordinal(), e.code))
    return render(
        "posters.md.j2",
        s=station,
        posters=[_view(station, spec, issue.of(spec), src, link, md_link) for spec in specs],
        earlier=[
            {
                "code": e.code,
                "title": e.title,
                "issued": date_text(e.issued),
                "href": link(src, code_url(station.slug, e.code)),
            }
            for e in earlier
        ],
        all_pdf=link(src, f"posters/{station.slug}/all.pdf"),
        build_label=build_label,
        station_href=md_link(src, f"stations/{station.slug}/index.md"),
    )


def _code_page(
    station: Station,
    spec: PosterSpec | None,
    code: Issued,
    replaced: Issued | None,
    issue: Issue,
    link: Any,
    md_link: Any,
) -> tuple[str, str]:
    src = code_src(station.slug, code.code)
    view = _view(station, spec, code, src, link, md_link) if spec is not None else {}
    text = render(
        "poster_code.md.j2",
        s=station,
        code=code.code,
        title=code.title,
        issued=date_text(code.issued),
        current=spec is not None,
        paper=view.get("paper", ""),
        pdf=view.get("pdf", ""),
        html=view.get("html", ""),
        caption=Markup.escape(view.get("caption", "")),
        target_href=view.get("target_href", ""),
        replaced={
            "code": replaced.code,
            "issued": date_text(replaced.issued),
            "href": link(src, code_url(station.slug, replaced.code)),
        }
        if replaced is not None and code.replaced_by
        else None,
        posters_href=md_link(src, posters_src(station.slug)),
    )
    return src, text


__all__ = ["code_src", "poster_pages", "posters_src"]
