"""Poster pieces without PDF rendering: specs, printed data, QR sizing, fingerprints, font errors."""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path

import pytest
from test_posters_support import MOMENT, SITE_URL, load_mini_county, results_report

from generator.posters import fonts as fontmod
from generator.posters import poster_specs, printed_fingerprints
from generator.posters.printed import days_label, flow_parts, poster_data
from generator.posters.qr import MIN_SYMBOL_MM, QUIET_ZONE, qr_svg
from generator.posters.render import Fit, fit_ladder
from generator.problems import ContentError


@pytest.fixture(scope="module")
def mini(tmp_path_factory):
    return load_mini_county(tmp_path_factory.mktemp("mini"))


def test_specs_ids_order_and_qr_pages(mini) -> None:
    shicheng = mini.station("shicheng")
    specs = poster_specs(mini, shicheng)
    assert [s.id for s in specs] == [
        "board",
        "board-a3",
        "week",
        "week-a3",
        "week-next",
        "rule-first-responsibility",
        "flow",
        "results",
        "card",
        "cards-a4",
    ]
    by_id = {s.id: s for s in specs}
    assert by_id["board"].page_url_path == "stations/shicheng/"
    assert by_id["week"].page_url_path == "stations/shicheng/#activities"
    # the station has its own version of this rule: the QR opens that page, not the county rule
    assert by_id["rule-first-responsibility"].page_url_path == "stations/shicheng/rules/first-responsibility/"
    assert by_id["flow"].page_url_path == "policies/"  # the guides carry the materials it promises
    assert by_id["results"].page_url_path == "stations/shicheng/results/"
    assert (by_id["card"].paper, by_id["board"].paper, by_id["board-a3"].paper) == ("A6", "A4", "A3")
    assert [s.id for s in specs if not s.in_all] == ["board-a3", "week-a3", "card"]
    assert all(s.pdf_name == f"{s.id}.pdf" and s.html_name == f"{s.id}.html" for s in specs)
    hub = {s.id: s for s in poster_specs(mini, mini.station("hub"))}
    assert hub["rule-first-responsibility"].page_url_path == "rules/first-responsibility/"


def test_days_are_written_as_ranges() -> None:
    assert days_label(("mon", "tue", "wed", "thu", "fri")) == "周一至周五"
    assert days_label(("mon", "wed")) == "周一、周三"
    assert days_label(("sat", "sun", "mon", "tue", "wed")) == "周一至周三、周六、周日"


def test_service_flow_steps_come_from_the_ordered_list() -> None:
    lead, steps, notes = flow_parts(
        "办事流程：\n\n1. 登记：写下诉求\n2. **评估**\n   续行\n\n有异议请来电。\n"
    )
    assert "办事流程" in lead and "有异议" in notes
    assert steps == [
        {"head": "登记", "detail": "写下诉求"},
        {"head": "<strong>评估</strong> 续行", "detail": ""},
    ]


def test_week_poster_lists_this_week_or_says_it_is_empty(mini) -> None:
    shicheng = mini.station("shicheng")
    week = next(s for s in poster_specs(mini, shicheng) if s.id == "week")
    data = poster_data(mini, results_report(mini), shicheng, week, MOMENT.date())
    assert data["week"].startswith("11月16日（周一） 至 11月22日（周日）")
    assert [d["day"] for d in data["activities"]] == ["11月17日（周二）", "11月19日（周四）"]
    assert data["upcoming"] == []
    later = poster_data(mini, results_report(mini), shicheng, week, dt.date(2026, 11, 25))
    assert [d["day"] for d in later["activities"]] == ["11月26日（周四）"]
    # an empty week says so and lists the next activities
    empty = poster_data(mini, results_report(mini), shicheng, week, dt.date(2026, 11, 10))
    assert empty["activities"] == []
    assert [d["day"] for d in empty["upcoming"]] == [
        "11月17日（周二）",
        "11月19日（周四）",
        "11月26日（周四）",
    ]


def test_results_poster_prints_only_cell_display(mini) -> None:
    shicheng = mini.station("shicheng")
    spec = next(s for s in poster_specs(mini, shicheng) if s.id == "results")
    rows = {
        r["name"]: r for r in poster_data(mini, results_report(mini), shicheng, spec, MOMENT.date())["rows"]
    }
    assert rows["个案服务"]["total"] == "<5"  # 3 people: below the disclosure threshold
    assert rows["个案服务"]["percent"] == "—"
    assert rows["常态化巡访"]["total"] == "312"


@pytest.mark.parametrize(
    "url", [SITE_URL + "stations/hub/", SITE_URL + "stations/shicheng/rules/" + "x" * 60 + "/"]
)
def test_qr_is_large_enough_with_quiet_zone_and_error_correction(url: str) -> None:
    code = qr_svg(url)
    assert code.symbol_mm >= MIN_SYMBOL_MM
    assert code.error in ("M", "Q", "H")
    modules = int(code.svg.split('viewBox="0 0 ')[1].split()[0])
    assert code.width_mm == pytest.approx(code.symbol_mm * modules / (modules - 2 * QUIET_ZONE), abs=0.01)
    with pytest.raises(ValueError):
        qr_svg(url, symbol_mm=30)


def test_fit_ladder_goes_down_to_12pt_then_a3(mini) -> None:
    rule = next(s for s in poster_specs(mini, mini.station("hub")) if s.kind == "rule")
    ladder = fit_ladder(rule)
    assert ladder[0] == Fit("A4", 22.0) and Fit("A4", 12.0) in ladder and ladder[-1] == Fit("A3", 12.0)
    assert [f.paper for f in ladder].index("A3") == ladder.index(Fit("A4", 12.0)) + 1


def test_fingerprints_ignore_the_date_but_not_the_content(mini) -> None:
    shicheng = mini.station("shicheng")
    report = results_report(mini)
    before = printed_fingerprints(mini, report, shicheng, SITE_URL, today=MOMENT.date())
    assert set(before) == {s.id for s in poster_specs(mini, shicheng)}
    assert printed_fingerprints(mini, report, shicheng, SITE_URL, today=MOMENT.date()) == before
    # a new activity this week changes the week poster only
    extra = dataclasses.replace(shicheng.activities[0], date=dt.date(2026, 11, 20), title="新增活动")
    changed = dataclasses.replace(
        shicheng, activities=tuple(sorted(shicheng.activities + (extra,), key=lambda a: (a.date, a.start)))
    )
    content = dataclasses.replace(
        mini, stations=tuple(changed if s.slug == "shicheng" else s for s in mini.stations)
    )
    after = printed_fingerprints(content, report, changed, SITE_URL, today=MOMENT.date())
    assert {k for k in before if before[k] != after[k]} == {"week", "week-a3"}
    # the same content on another day of the same week prints the same posters (date excluded)
    assert printed_fingerprints(mini, report, shicheng, SITE_URL, today=dt.date(2026, 11, 18)) == before


def test_no_cjk_font_stops_with_the_package_to_install(monkeypatch) -> None:
    fontmod.find_cjk_fonts.cache_clear()
    monkeypatch.setattr(fontmod, "_face", lambda *a: None)
    try:
        with pytest.raises(ContentError) as err:
            fontmod.find_cjk_fonts()
    finally:
        fontmod.find_cjk_fonts.cache_clear()
    assert "fonts-noto-cjk" in str(err.value) and "中文字体" in str(err.value)


def test_font_found_covers_simplified_chinese() -> None:
    regular, bold = fontmod.find_cjk_fonts()
    assert Path(regular.path).is_file() and (regular.weight, bold.weight) == (400, 700)
    assert fontmod.missing_characters(regular, set("周宁县狮城镇民政服务站（）：；、")) == []
    assert fontmod.missing_characters(regular, {"\U0001f600"}) == ["\U0001f600"]


def test_qr_matrices_are_cached_on_disk_and_give_the_same_svg(tmp_path) -> None:
    from generator.posters import qr

    url = "https://zhouning-mzfwz.example/stations/qibu/#activities"
    fresh = qr.qr_svg(url).svg
    qr._matrix.cache_clear()
    qr.use_disk_cache(tmp_path)
    try:
        assert qr.qr_svg(url).svg == fresh
        assert len(list(tmp_path.glob("*.txt"))) == 1
        qr._matrix.cache_clear()
        assert qr.qr_svg(url).svg == fresh  # read back from disk
    finally:
        qr.use_disk_cache(None)
        qr._matrix.cache_clear()
