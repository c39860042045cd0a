"""Dense wall posters keep a legible body size (render.WALL_MIN_PT): below it the results poster
leaves out its last rows and the board its 一站一品 with a pointer to the web page, and a board with
more staff than one page holds spills onto a second page instead of shrinking."""

from __future__ import annotations

import dataclasses
import re

import pytest
from test_posters_build import font_cache, new_cache  # noqa: F401 (fixture)
from test_posters_support import SITE_URL, load_mini_county, pdf_pages, pdf_text, results_report

from generator.clock import build_moment
from generator.posters import build_posters, poster_specs
from generator.posters.printed import poster_data
from generator.posters.render import PLACEHOLDER, WALL_MIN_PT, Fit, cuts, fit_ladder, render_html, start_pt

A4 = (595.28, 841.89)
NAMES = [f"王{a}{b}" for b in "甲乙" for a in "一二三四五六七八九十"][:14]


@pytest.fixture(scope="module")
def mini(tmp_path_factory):
    return load_mini_county(tmp_path_factory.mktemp("dense"))


def with_many_staff(content, slug: str = "shicheng"):
    station = content.station(slug)
    extra = tuple(dataclasses.replace(station.staff[-1], name=name) for name in NAMES)
    changed = dataclasses.replace(station, staff=station.staff + extra)
    return dataclasses.replace(content, stations=(changed,))


def spec_of(content, kind: str):
    station = content.stations[0]
    return station, next(s for s in poster_specs(content, station) if s.kind == kind and s.paper == "A4")


def test_wall_posters_never_go_below_the_floor_nor_change_paper(mini) -> None:
    moment = build_moment()
    for kind in ("board", "week", "results"):
        station, spec = spec_of(mini, kind)
        data = poster_data(mini, results_report(mini), station, spec, moment.date())
        ladder = fit_ladder(spec, start_pt(spec, data), data)
        assert {f.paper for f in ladder} == {"A4"}, kind  # the A4 file stays A4 (A3 has its own)
        assert min(f.body_pt for f in ladder) == WALL_MIN_PT["A4"] == 14.0
        assert [f.cut for f in ladder if f.cut] == list(range(1, cuts(spec, data) + 1))
    # the rules keep their 12 pt and the A3 fallback
    rule = next(s for s in poster_specs(mini, mini.stations[0]) if s.kind == "rule")
    assert Fit("A3", 12.0) in fit_ladder(rule)


def test_a_cut_results_poster_names_what_it_left_out_and_where_it_is(sample_content) -> None:
    from generator.results.progress import compute_results

    today = build_moment().date()
    station = sample_content.station("shicheng")
    spec = next(s for s in poster_specs(sample_content, station) if s.kind == "results")
    data = poster_data(sample_content, compute_results(sample_content, today), station, spec, today)
    rows = [r["name"] for r in data["rows"]]
    assert len(rows) > 3, rows
    html = render_html(spec, data, SITE_URL, PLACEHOLDER, Fit("A4", 14.0, cut=2))
    assert all(f">{name}<" in html for name in rows[:-2]) and not any(
        f">{name}<" in html for name in rows[-2:]
    )
    assert "另有 2 项指标这里没有印出" in html and f"全部 {len(rows)} 项" in html
    assert spec.page_url_path.endswith("/results/")  # the QR the pointer sends the reader to


def test_a_board_with_many_staff_spills_onto_a_second_page_at_the_floor_size(
    mini,
    tmp_path,
    font_cache,  # noqa: F811
) -> None:
    content = with_many_staff(mini)
    boards = lambda c, s: [p for p in poster_specs(c, s) if p.id == "board"]  # noqa: E731
    messages: list[str] = []
    build_posters(
        content,
        results_report(content),
        tmp_path / "out",
        SITE_URL,
        build_moment(),
        messages.append,
        cache_dir=new_cache(tmp_path / "cache", font_cache),
        specs_for=boards,
        bind_all=False,
    )
    folder = tmp_path / "out" / content.stations[0].slug
    pages = pdf_pages(folder / "board.pdf")
    assert len(pages) >= 2 and all(abs(w - A4[0]) < 1 and abs(h - A4[1]) < 1 for w, h in pages), pages
    size = re.search(r"\.body \{ font-size: ([\d.]+)pt", (folder / "board.html").read_text(encoding="utf-8"))
    assert size and float(size[1]) == WALL_MIN_PT["A4"]
    text = pdf_text(folder / "board.pdf").replace(" ", "")
    assert all(name in text for name in NAMES)  # nobody left out: the board lists every staff member
    assert any("排成了" in m and "页" in m for m in messages), messages


def test_a_board_leaves_out_its_volunteers_before_its_own_project(sample_content) -> None:
    """At the floor size the board drops the volunteers line first, and the 一站一品 only at the
    next step, each time saying what is on the web page instead."""
    from generator.results.progress import compute_results

    today = build_moment().date()
    station = sample_content.station("shicheng")
    spec = next(s for s in poster_specs(sample_content, station) if s.kind == "board")
    data = poster_data(sample_content, compute_results(sample_content, today), station, spec, today)
    assert data["signature"] and data["volunteers"] and cuts(spec, data) == 2
    name, team = data["signature"]["name"], data["volunteers"]["team"]
    whole, less, least = (
        render_html(spec, data, SITE_URL, PLACEHOLDER, Fit("A4", 14.0, cut=c)) for c in (0, 1, 2)
    )
    assert name in whole and team in whole and "扫码打开本站网页查看" not in whole
    assert name in less and team not in less and "志愿服务队伍：扫码打开本站网页查看" in less
    assert name not in least and team not in least and "一站一品）和志愿服务队伍：扫码" in least
