"""Posters rendered for real: files, pages, fonts, text, QR codes, cache, determinism, A3 fallback.

One build of a small county (two stations, twelve posters) is shared by the module; the font
subset is kept in pytest's cache directory so only the first run on a machine pays for it.
"""

from __future__ import annotations

import dataclasses
import logging
import re
import shutil
import time
from pathlib import Path

import pytest
from test_posters_support import (
    MOMENT,
    SITE_URL,
    load_mini_county,
    pdf_fonts,
    pdf_pages,
    pdf_text,
    qr_urls,
    results_report,
    run,
)

from generator.clock import build_moment
from generator.content.model import Rule
from generator.posters import build_posters, poster_specs
from generator.posters.render import BODY_PT
from generator.problems import ContentError

A4, A3, A6 = (595.28, 841.89), (841.89, 1190.55), (297.64, 419.53)


def same_size(page: tuple[float, float], paper: tuple[float, float]) -> bool:
    return abs(page[0] - paper[0]) < 1 and abs(page[1] - paper[1]) < 1


@pytest.fixture(scope="session")
def font_cache(request) -> Path:
    return Path(request.config.cache.mkdir("stationsite-poster-fonts"))


def new_cache(root: Path, font_cache: Path) -> Path:
    root.mkdir(parents=True)
    (root / "fonts").symlink_to(font_cache, target_is_directory=True)
    return root


@pytest.fixture(scope="module")
def mini(tmp_path_factory):
    return load_mini_county(tmp_path_factory.mktemp("mini"))


@pytest.fixture(scope="module")
def built(mini, tmp_path_factory, font_cache):
    """The mini county's posters, built once: (out dir, cache dir, written paths, progress lines)."""
    work = tmp_path_factory.mktemp("posters")
    cache = new_cache(work / "cache", font_cache)
    messages: list[str] = []
    paths = build_posters(
        mini, results_report(mini), work / "out", SITE_URL, build_moment(), messages.append, cache_dir=cache
    )
    return work / "out", cache, paths, messages


def test_every_poster_is_written_as_pdf_and_html_plus_all_pdf(mini, built) -> None:
    out, _, paths, _ = built
    expected = set()
    for station in mini.stations:
        for spec in poster_specs(mini, station):
            png = spec.pdf_name[: -len(".pdf")] + ".png"  # the posters page's thumbnail
            expected |= {out / station.slug / name for name in (spec.pdf_name, spec.html_name, png)}
        expected.add(out / station.slug / "all.pdf")
    expected.add(out / "ledger.json")
    assert set(paths) == expected and all(p.is_file() for p in paths)


def test_one_page_each_on_its_paper_and_all_pdf_holds_the_a4_forms(mini, built) -> None:
    out, *_ = built
    for station in mini.stations:
        specs = poster_specs(mini, station)
        for spec in specs:
            pages = pdf_pages(out / station.slug / spec.pdf_name)
            assert len(pages) == 1, spec.pdf_name
            paper = {"A4": A4, "A3": A3, "A6": A6}[spec.paper]
            assert same_size(pages[0], paper), (spec.pdf_name, pages)
        combined = pdf_pages(out / station.slug / "all.pdf")
        assert len(combined) == len([s for s in specs if s.in_all])
        assert all(same_size(p, A4) for p in combined)


def test_chinese_is_real_text_in_an_embedded_subset_cjk_font(mini, built) -> None:
    out, *_ = built
    for pdf in sorted((out / "shicheng").glob("*.pdf")):
        fonts = pdf_fonts(pdf)
        assert fonts, pdf.name
        for font in fonts:  # only our subset of Noto Sans CJK: no fallback font sneaked in
            assert "StationSite-CJK" in font["name"] and font["type"].startswith("CID"), (pdf.name, font)
            assert (font["emb"], font["sub"], font["uni"]) == ("yes", "yes", "yes"), (pdf.name, font)
        text = pdf_text(pdf)
        assert "周宁县狮城镇民政服务站" in text, pdf.name
        assert "发布日期：2026年11月22日" in text.replace(" ", ""), pdf.name


def test_board_prints_what_the_issue_lists(built) -> None:
    out, *_ = built
    text = pdf_text(out / "shicheng" / "board.pdf")
    for expected in [
        "周宁县狮城镇未成年人保护工作站",
        "周宁县狮城镇××路××号",
        "0593-0000001",
        "08:30–12:00",
        "林晓",
        "站长",
        "持证社工",
        "13900000000",
        "社会救助",
        "银龄守护",
        "县民政局监督电话",
        "0593-0000000",
    ]:
        assert expected in text, expected
    assert "请拨服务站电话" in text  # 陈芳 did not publish a mobile


def test_every_qr_code_decodes_to_its_page(mini, built, tmp_path) -> None:
    out, *_ = built
    station = mini.station("shicheng")
    specs = poster_specs(mini, station)
    for spec in specs:
        assert qr_urls(out / "shicheng" / spec.pdf_name, tmp_path) == [
            [SITE_URL + spec.page_url_path] * spec.qr_count
        ], spec.id
    assert qr_urls(out / "shicheng" / "all.pdf", tmp_path) == [
        [SITE_URL + s.page_url_path] * s.qr_count for s in specs if s.in_all
    ]
    # the address is printed under the code as text too
    assert (SITE_URL + "stations/shicheng/") in pdf_text(out / "shicheng" / "board.pdf").replace("\n", "")


def test_pdf_dates_come_from_the_build_moment(built) -> None:
    out, *_ = built
    info = run("pdfinfo", "-isodates", str(out / "shicheng" / "week.pdf"))
    assert "2026-11-22T00:00:00+08" in info  # SOURCE_DATE_EPOCH (tests/conftest.py), to the day


def test_rebuild_with_nothing_changed_renders_nothing(mini, built, tmp_path) -> None:
    out, cache, paths, _ = built
    messages: list[str] = []
    started = time.perf_counter()
    again = build_posters(
        mini,
        results_report(mini),
        tmp_path / "out",
        SITE_URL,
        build_moment(),
        messages.append,
        cache_dir=cache,
    )
    took = time.perf_counter() - started
    assert any("需要生成 0 张、0 个站" in m for m in messages), messages
    for path in again:
        assert path.read_bytes() == (out / path.relative_to(tmp_path / "out")).read_bytes(), path
    assert took < 10  # generous: shared CI machine; the benchmark measures it properly


def with_extra_activity(mini):
    shicheng = mini.station("shicheng")
    extra = dataclasses.replace(shicheng.activities[0], date=MOMENT.date(), title="周日义诊")
    changed = dataclasses.replace(shicheng, activities=shicheng.activities + (extra,))
    return dataclasses.replace(
        mini, stations=tuple(changed if s.slug == "shicheng" else s for s in mini.stations)
    )


def test_changed_activities_rerender_that_week_poster_and_one_all_pdf_part_only(
    mini, built, tmp_path, monkeypatch
) -> None:
    from generator.posters.allpdf import part_of
    from generator.posters.pdf import Renderer

    out, cache, _, _ = built
    laid_out: list[str] = []
    layout = Renderer.layout
    monkeypatch.setattr(
        Renderer, "layout", lambda self, html, fit: laid_out.append(html) or layout(self, html, fit)
    )
    content = with_extra_activity(mini)
    messages: list[str] = []
    build_posters(
        content,
        results_report(content),
        tmp_path / "out",
        SITE_URL,
        build_moment(),
        messages.append,
        cache_dir=cache,
    )
    assert any("需要生成 2 张、1 个站" in m for m in messages), messages  # this week, A4 and A3
    assert "周日义诊" in pdf_text(tmp_path / "out" / "shicheng" / "week.pdf")
    assert "周日义诊" in pdf_text(tmp_path / "out" / "shicheng" / "all.pdf")
    # One station in one process: this week's posters are laid out once each; this week's all.pdf
    # part is its A4 PDF, and the other parts (next week's among them) come from the cache.
    specs = poster_specs(content, content.station("shicheng"))
    assert [s.id for s in specs if s.in_all and part_of(s) == "week"] == ["week"]
    assert [s.id for s in specs if s.in_all and part_of(s) == "week-next"] == ["week-next"]
    assert len(laid_out) == 2  # A4 and A3 (which all.pdf does not hold)
    assert pdf_pages(tmp_path / "out" / "shicheng" / "all.pdf") == pdf_pages(out / "shicheng" / "all.pdf")


def test_all_pdf_is_the_same_bytes_whichever_parts_were_cached(mini, built, tmp_path) -> None:
    out, cache, _, _ = built
    content = with_extra_activity(mini)
    build_posters(
        content, results_report(content), tmp_path / "changed", SITE_URL, build_moment(), cache_dir=cache
    )
    # back to the original content: its parts are in the cache, one of them made by this edit's build
    build_posters(mini, results_report(mini), tmp_path / "back", SITE_URL, build_moment(), cache_dir=cache)
    assert (tmp_path / "back" / "shicheng" / "all.pdf").read_bytes() == (
        out / "shicheng" / "all.pdf"
    ).read_bytes()


def test_all_pdf_keeps_poster_order_with_one_bookmark_per_poster(mini, built) -> None:
    from pypdf import PdfReader

    out, *_ = built
    station = mini.station("shicheng")
    reader = PdfReader(out / "shicheng" / "all.pdf")
    specs = [s for s in poster_specs(mini, station) if s.in_all]
    assert [item.title for item in reader.outline] == [s.title for s in specs]
    assert [reader.get_destination_page_number(item) for item in reader.outline] == list(range(len(specs)))
    assert reader.metadata.title == f"{station.name} 全部海报"


def test_same_inputs_give_byte_identical_pdfs(mini, built, tmp_path, font_cache) -> None:
    out, *_ = built
    cold = new_cache(tmp_path / "cache", font_cache)  # nothing cached: every PDF rendered again
    build_posters(mini, results_report(mini), tmp_path / "out", SITE_URL, build_moment(), cache_dir=cold)
    for pdf in sorted(out.rglob("*.pdf")):
        assert (tmp_path / "out" / pdf.relative_to(out)).read_bytes() == pdf.read_bytes(), pdf


def test_long_rule_shrinks_then_goes_to_a3_with_a_warning(mini, tmp_path, font_cache, caplog) -> None:
    clause = "工作人员应当认真履行职责，热情接待来访群众，耐心解答政策咨询，做好登记和回访，不得推诿敷衍。"
    medium = Rule(
        "medium",
        "服务承诺制度",
        2,
        "\n\n".join(f"{i}. {clause}" for i in range(1, 10)),
        "content/rules/medium.md",
    )
    long = Rule(
        "very-long",
        "超长的制度",
        3,
        "\n\n".join(f"{i}. {clause * 2}" for i in range(1, 15)),
        "content/rules/very-long.md",
    )
    content = dataclasses.replace(mini, stations=(mini.station("hub"),), rules=(medium, long))
    messages: list[str] = []
    with caplog.at_level(logging.WARNING, logger="stationsite.posters"):
        build_posters(
            content,
            results_report(content),
            tmp_path / "out",
            SITE_URL,
            build_moment(),
            messages.append,
            cache_dir=new_cache(tmp_path / "cache", font_cache),
        )
    hub = tmp_path / "out" / "hub"
    assert [same_size(p, A4) for p in pdf_pages(hub / "rule-medium.pdf")] == [True]
    body = re.search(r"\.body \{ font-size: ([\d.]+)pt", (hub / "rule-medium.html").read_text())
    assert float(body.group(1)) < BODY_PT["rule", "A4"]  # shrunk to fit A4
    assert [same_size(p, A3) for p in pdf_pages(hub / "rule-very-long.pdf")] == [True]
    warnings = [m for m in messages if m.startswith("警告")]
    assert len(warnings) == 1 and "超长的制度" in warnings[0] and "A3" in warnings[0]
    assert any("超长的制度" in r.getMessage() for r in caplog.records)
    assert qr_urls(hub / "rule-very-long.pdf", tmp_path) == [[SITE_URL + "rules/very-long/"]]


def test_a_character_the_font_lacks_stops_the_build_naming_the_file(mini, tmp_path) -> None:
    shicheng = mini.station("shicheng")
    odd = dataclasses.replace(shicheng.activities[0], title="敬老表演\U0001f600")
    changed = dataclasses.replace(shicheng, activities=(odd,) + shicheng.activities[1:])
    content = dataclasses.replace(mini, stations=(changed,))
    with pytest.raises(ContentError) as err:
        build_posters(
            content,
            results_report(content),
            tmp_path / "out",
            SITE_URL,
            build_moment(),
            cache_dir=tmp_path / "cache",
        )
    assert "stations/shicheng/activities.yml" in str(err.value) and "U+1F600" in str(err.value)
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").rglob("*.pdf"))


def test_tools_are_present() -> None:
    for tool in ("pdfinfo", "pdffonts", "pdftotext", "pdftoppm"):
        assert shutil.which(tool), f"{tool} (poppler-utils) is needed by the poster tests"
