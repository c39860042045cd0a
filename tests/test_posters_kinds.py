"""Every poster kind, rendered for a three-level county (hub → town → community room): page size and
count, every QR decoded against the address its caption prints, no broken token or lone character,
codes printed and derived from content, next week, the station's own service flow, the card sheet.

One build of the county is shared by the module (three stations, about fifty posters).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
import textwrap
from pathlib import Path

import pytest
from test_posters_support import (
    FILES,
    MOMENT,
    SITE_URL,
    broken_tokens,
    lone_characters,
    pdf_lines,
    pdf_pages,
    pdf_text,
    qr_urls,
    results_report,
)

from generator.clock import build_moment
from generator.content.load import load_content
from generator.posters import build_posters, poster_specs
from generator.posters.build import poster_issue, printed_codes
from generator.posters.issue import issue, poster_code
from generator.posters.render import PLACEHOLDER

PAPERS = {"A4": (595.28, 841.89), "A3": (841.89, 1190.55), "A6": (297.64, 419.53)}

THREE_LEVELS = {
    **FILES,
    "stations/chengdong/station.yml": """\
        name: 周宁县狮城镇城东社区社会工作室
        kind: community
        parent: shicheng
        address: 周宁县狮城镇城东社区居委会一楼
        phone: "0593-0000021"
        hours:
          - {days: [tue, thu], open: "14:30", close: "17:30"}
        domains: [elderly, children]
        staff:
          - {name: 吴静, role: 驻站社工, certified: true, duties: [儿童关爱保护, 养老服务]}
        """,
    "stations/chengdong/activities.yml": """\
        - {date: 2026-11-24, start: "14:30", end: "16:00", title: 四点半课堂, kind: group, domain: children, place: 社区活动室}
        - {date: 2026-12-01, start: "09:00", end: "11:30", title: 老年人防诈骗宣讲与健康义诊, kind: talk, domain: elderly, place: 城东社区文化广场}
        """,
    # the town posts its own service flow, under another file name: declared by front matter
    "stations/shicheng/rules/our-flow.md": """\
        ---
        title: 狮城镇民政服务站办事流程（本站版本）
        order: 8
        poster: flow
        ---
        1. 接待登记：来站或来电，工作人员登记诉求。
        2. 救助申请：符合救助条件的，协助准备材料，向镇民政办申请。
        3. 儿童关爱：困境儿童、留守儿童的服务需求转入个案服务。
        4. 回访评价：办结后回访，听取意见。
        """,
}


def write_county(root: Path, files: dict[str, str]) -> Path:
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text), encoding="utf-8")
    (root / "mkdocs.yml").write_text(f"site_name: 周宁县\nsite_url: {SITE_URL}\n", encoding="utf-8")
    return root


@pytest.fixture(scope="module")
def county(tmp_path_factory):
    root = write_county(tmp_path_factory.mktemp("three"), THREE_LEVELS)
    content, problems = load_content(root)
    assert not problems, "\n".join(map(str, problems))
    assert {s.kind for s in content.stations} == {"hub", "township", "community"}
    return content


@pytest.fixture(scope="module")
def built(county, tmp_path_factory, request):
    fonts = Path(request.config.cache.mkdir("stationsite-poster-fonts"))
    work = tmp_path_factory.mktemp("kinds")
    (work / "cache").mkdir()
    (work / "cache" / "fonts").symlink_to(fonts, target_is_directory=True)
    report = results_report(county)
    posters = poster_issue(county, report, SITE_URL, build_moment())
    build_posters(
        county, report, work / "out", SITE_URL, build_moment(), cache_dir=work / "cache", posters=posters
    )
    return work / "out", posters


def test_every_kind_is_there_for_every_station(county) -> None:
    for station in county.stations:
        ids = [s.id for s in poster_specs(county, station)]
        for wanted in (
            "board",
            "board-a3",
            "week",
            "week-a3",
            "week-next",
            "flow",
            "results",
            "card",
            "cards-a4",
        ):
            assert wanted in ids, (station.slug, wanted)


def test_page_size_and_count_of_every_poster_and_of_all_pdf(county, built) -> None:
    out, _ = built
    for station in county.stations:
        specs = poster_specs(county, station)
        for spec in specs:
            pages = pdf_pages(out / station.slug / spec.pdf_name)
            assert len(pages) == 1 and pages[0] == pytest.approx(PAPERS[spec.paper], abs=0.5), (
                spec.id,
                pages,
            )
        # one copy of each poster in its A4 form: no A3 copy, the card sheet instead of the A6 card
        bound = [s for s in specs if s.in_all]
        assert {s.id for s in specs} - {s.id for s in bound} == {"board-a3", "week-a3", "card"}
        combined = pdf_pages(out / station.slug / "all.pdf")
        assert len(combined) == len(bound)
        assert all(p == pytest.approx(PAPERS["A4"], abs=0.5) for p in combined)


def test_every_qr_opens_the_page_its_caption_prints(county, built, tmp_path) -> None:
    out, _ = built
    for station in county.stations:
        specs = poster_specs(county, station)
        work = tmp_path / station.slug  # rasterised pages are named after the PDF: one folder each
        work.mkdir()
        for spec in specs:
            pdf = out / station.slug / spec.pdf_name
            url = SITE_URL + spec.page_url_path
            assert qr_urls(pdf, work) == [[url] * spec.qr_count], spec.id
            printed = "".join(pdf_text(pdf).split())
            assert f"扫码打开：{spec.qr_caption}" in printed, spec.id
            # the caption's link, printed under the code: the same address, wrapped only after "/"
            html = (out / station.slug / spec.html_name).read_text(encoding="utf-8")
            caption = re.findall(r'<div class="url">(.*?)</div>', html)
            assert [re.sub(r"<[^>]+>", "", c) for c in caption] == [url] * spec.qr_count, spec.id
            lines = ["".join(line.split()) for line in pdf_lines(pdf)[0]]
            for piece in re.split(r"(?<=[^/:]/)", url):
                assert not piece or any(piece in line for line in lines), (spec.id, piece)
        bound = [s for s in specs if s.in_all]
        assert qr_urls(out / station.slug / "all.pdf", work) == [
            [SITE_URL + s.page_url_path] * s.qr_count for s in bound
        ]
    results = next(s for s in poster_specs(county, county.station("shicheng")) if s.id == "results")
    assert results.page_url_path == "stations/shicheng/results/"


def _tokens(county, station) -> set[str]:
    """What must never break across lines: dates, weekdays, time ranges, phones, short places, codes."""
    tokens = {station.phone}
    for a in station.activities:
        tokens |= {f"{a.start}–{a.end}", f"{a.date.month}月{a.date.day}日"}
        if len(a.place) <= 8:
            tokens.add(a.place)
    tokens |= {f"周{d}" for d in "一二三四五六日"}
    tokens |= {s.phone for s in station.staff if s.published_phone}
    for h in station.hours:
        tokens.add(f"{h.open}–{h.close}")
    return tokens


def test_no_broken_token_and_no_lone_character(county, built) -> None:
    out, posters = built
    for station in county.stations:
        tokens = _tokens(county, station)
        for spec in poster_specs(county, station):
            lines = pdf_lines(out / station.slug / spec.pdf_name)[0]
            code = posters.of(spec).code
            assert broken_tokens(lines, tokens | {code, "海报编号"}) == [], spec.id
            assert lone_characters(lines) == [], (spec.id, lines)
            title_lines = [
                line for line in lines if line.replace(" ", "") and line.replace(" ", "") in spec.title
            ]
            assert all(len(line) > 1 for line in title_lines), (spec.id, title_lines)


def test_every_poster_prints_its_code_and_issue_date(county, built) -> None:
    out, posters = built
    for station in county.stations:
        for spec in poster_specs(county, station):
            text = "".join(pdf_text(out / station.slug / spec.pdf_name).split())
            issued = posters.of(spec)
            assert f"海报编号{issued.code}" in text and "发布日期：2026年11月22日" in text, spec.id
    # the code is what `stationsite diff` derives from the content alone
    shicheng = county.station("shicheng")
    codes = printed_codes(county, results_report(county), shicheng, SITE_URL, today=MOMENT.date())
    assert codes == {s.id: posters.of(s).code for s in poster_specs(county, shicheng)}
    assert len({i.code for i in posters.current.values()}) == len(posters.current)  # all distinct
    assert re.fullmatch(r"[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}", codes["board"])


def test_next_week_lists_next_weeks_activities(county, built) -> None:
    out, _ = built
    text = "".join(pdf_text(out / "chengdong" / "week-next.pdf").split())
    assert "下周活动安排" in text and "11月23日（周一）至11月29日（周日）" in text
    assert "四点半课堂" in text and "防诈骗" not in text
    # this week (16–22 November) has none: it says so, then lists what comes next
    this_week = "".join(pdf_text(out / "chengdong" / "week.pdf").split())
    assert "本周没有安排集中活动" in this_week and "近期活动预告" in this_week and "四点半课堂" in this_week


def test_an_empty_week_says_so_and_gives_the_phone(built) -> None:
    out, _ = built
    text = "".join(pdf_text(out / "hub" / "week-next.pdf").split())  # the hub has no activities
    assert "下周没有安排集中活动" in text and "电话0593-0000009" in text


def test_station_flow_names_phone_hours_and_who_to_ask(county, built) -> None:
    out, _ = built
    specs = {s.id: s for s in poster_specs(county, county.station("shicheng"))}
    flow = specs["flow"]
    # the town's own flow (another file name, poster: flow); the county flow is not posted twice
    assert flow.rule_name == "our-flow" and "rule-service-flow" not in specs and "flow-service-flow" in specs
    text = "".join(pdf_text(out / "shicheng" / "flow.pdf").split())
    assert "电话0593-0000001" in text and "来站时间：周一至周五08:30–12:00" in text
    assert "林晓（站长）" in text and "13900000000" in text and "陈芳（驻站社工）" in text
    # who to ask, step by step, as printed: the head (published mobile) first, then by duties
    html = (out / "shicheng" / "flow.html").read_text(encoding="utf-8")
    asks = [re.sub(r"<[^>]+>", " ", cell).split() for cell in re.findall(r'<td class="ask">(.*?)</td>', html)]
    assert asks == [
        ["林晓（站长）", "13900000000"],  # 接待登记: the station head
        ["林晓（站长）", "13900000000"],  # 救助申请: 社会救助
        ["陈芳（驻站社工）", "0593-0000001"],  # 儿童关爱: 儿童福利; no published mobile: the station's
        ["林晓（站长）", "13900000000"],  # 回访评价: nobody's duty: the head
    ]
    # the QR promises the materials: it opens the policy guides, which list them
    assert flow.page_url_path == "policies/" and flow.qr_caption == "办事指南"


def test_flow_poster_is_declared_by_front_matter_not_file_name(county) -> None:
    from generator.content.model import Rule

    hub = county.station("hub")
    plain = Rule("service-flow", "服务流程", 9, "1. 登记：写下诉求", "content/rules/service-flow.md")
    declared = Rule("steps", "办事步骤", 9, "1. 登记：写下诉求", "content/rules/steps.md", poster="flow")
    ids = [s.id for s in poster_specs(dataclasses.replace(county, rules=(plain,)), hub)]
    assert "flow" not in ids and "rule-service-flow" in ids
    ids = [s.id for s in poster_specs(dataclasses.replace(county, rules=(declared,)), hub)]
    assert "flow" in ids and "rule-steps" not in ids


def test_card_sheet_has_four_cards_with_cut_marks(county, built) -> None:
    out, _ = built
    html = (out / "shicheng" / "cards-a4.html").read_text(encoding="utf-8")
    assert html.count('class="cut-card"') == 4 and html.count('class="mark mark-') == 12
    lines = pdf_lines(out / "shicheng" / "cards-a4.pdf")[0]
    assert sum("周宁县狮城镇民政服务站" in line.replace(" ", "") for line in lines) == 4


def test_a3_is_laid_out_for_a3_not_scaled(county, built) -> None:
    out, _ = built
    a4 = (out / "shicheng" / "board.html").read_text(encoding="utf-8")
    a3 = (out / "shicheng" / "board-a3.html").read_text(encoding="utf-8")
    assert "paper-a3" in a3 and "size: A3 portrait" in a3 and "paper-a4" in a4

    def body_pt(html: str) -> float:
        return float(re.search(r"\.body \{ font-size: ([\d.]+)pt", html).group(1))

    assert body_pt(a3) > body_pt(a4) * 1.2


def test_thumbnails_are_written_beside_the_pdfs(county, built) -> None:
    from PIL import Image

    out, _ = built
    for spec in poster_specs(county, county.station("chengdong")):
        with Image.open(out / "chengdong" / (spec.pdf_name[:-4] + ".png")) as image:
            assert image.width == 240 and image.height > 100


def test_ledger_keeps_dates_of_unchanged_codes_and_marks_replaced_ones(county, built) -> None:
    out, posters = built
    import json

    ledger = json.loads((out / "ledger.json").read_text(encoding="utf-8"))
    week = next(s for s in poster_specs(county, county.station("shicheng")) if s.id == "week")
    printed = [(s, h) for s, _, h in posters.printed]
    later = MOMENT.date() + dt.timedelta(days=3)
    again = issue(printed, later, ledger)
    assert again.of(week).issued == MOMENT.date() and again.earlier == []  # unchanged: same date
    changed = [(s, h + "<!-- new text -->" if s == week else h) for s, h in printed]
    third = issue(changed, later, ledger)
    assert third.of(week).issued == later and third.of(week).code != posters.of(week).code
    assert [(e.poster, e.code, e.replaced_by) for e in third.earlier] == [
        ("week", posters.of(week).code, third.of(week).code)
    ]
    # a poster that is gone keeps its code as withdrawn
    gone = issue([(s, h) for s, h in printed if s != week], later, ledger)
    assert [(e.poster, e.replaced_by) for e in gone.earlier] == [("week", "")]


def test_same_inputs_same_code_any_change_a_new_code(county) -> None:
    spec = poster_specs(county, county.station("hub"))[0]
    html = "<p>公示栏 " + PLACEHOLDER.code + "</p>"
    assert poster_code(spec, html) == poster_code(spec, html)
    assert poster_code(spec, html) != poster_code(spec, html.replace("公示栏", "公示拦"))
    other = dataclasses.replace(spec, id="board-a3")
    assert poster_code(spec, html) != poster_code(other, html)


def test_posters_command_renders_any_week(county, tmp_path) -> None:
    from generator.cli import main

    root = write_county(tmp_path / "repo", THREE_LEVELS)
    out = tmp_path / "week"
    assert (
        main(
            [
                "posters",
                "--week",
                "2026-12-02",
                "--station",
                "chengdong",
                "--root",
                str(root),
                "--out",
                str(out),
            ]
        )
        == 0
    )
    pdf = out / "chengdong" / "week-2026-11-30.pdf"
    assert pdf_pages(pdf) == [pytest.approx(PAPERS["A4"], abs=0.5)]
    assert pdf_pages(out / "chengdong" / "week-2026-11-30-a3.pdf") == [pytest.approx(PAPERS["A3"], abs=0.5)]
    text = "".join(pdf_text(pdf).split())
    assert "活动安排" in text and "11月30日（周一）至12月6日（周日）" in text
    assert "老年人防诈骗宣讲与健康义诊" in text and "四点半课堂" not in text
    assert not (out / "hub").exists() and not (out / "chengdong" / "all.pdf").exists()
    assert main(["posters", "--week", "2026-13-01", "--root", str(root)]) == 1


@pytest.mark.parametrize(
    "text",
    [
        "工作职责（狮城镇民政服务站）",
        "周宁县社会工作服务总站场所管理制度",
        "志愿者管理制度及服务守则",
        "12月1日（周二）09:00–11:30重阳节敬老文艺表演",
        "周宁县狮城镇城东社区社会工作室",
    ],
)
def test_balanced_lines_fit_leave_no_orphan_and_keep_tokens(text: str) -> None:
    from generator.posters.typeset import FILL, balanced_lines, em_width

    for per_line in (6.0, 9.0, 12.1, 17.7):
        lines = balanced_lines(text, per_line)
        assert "".join(lines) == text
        if len(lines) > 1:
            assert all(len(line) >= 2 for line in lines), lines
            assert all(em_width(line) <= per_line * FILL for line in lines), lines
            assert not any(line[0] in "）。，、：；" for line in lines), lines
            widths = [em_width(line) for line in lines]
            assert max(widths) - min(widths) <= per_line / 2 + 1, lines  # even, not one long + a stub
        for token in ("09:00–11:30", "12月1日（周二）"):
            if token in text:
                assert any(token in line for line in lines), lines


def test_posters_page_lists_current_codes_and_an_earlier_code_says_updated(county) -> None:
    from generator.site.pages import md_link, url_link
    from generator.site.posterpages import poster_pages

    report = results_report(county)
    first = poster_issue(county, report, SITE_URL, MOMENT)
    week = next(s for s in poster_specs(county, county.station("shicheng")) if s.id == "week")
    old = first.of(week).code
    # a week later the week poster prints other activities: a new code, the old one is earlier
    printed = [(s, h + "<!-- next week's content -->" if s == week else h) for s, _, h in first.printed]
    later = issue(printed, MOMENT.date() + dt.timedelta(days=7), first.ledger())
    new = later.of(week).code
    pages = dict(poster_pages(county, later, "2026年11月29日更新", url_link, md_link))
    index = pages["posters/shicheng/index.md"]
    for spec in poster_specs(county, county.station("shicheng")):
        assert later.of(spec).code in index and f'src="{spec.pdf_name[:-4]}.png"' in index
        assert f'href="{spec.pdf_name}"' in index
    assert "已更新的旧编号" in index and f"[{old}]" not in index and old in index
    outdated = pages[f"posters/shicheng/{old.lower()}/index.md"]
    assert "已更新" in outdated and new in outdated and f'href="../{new.lower()}/"' in outdated
    current = pages[f"posters/shicheng/{new.lower()}/index.md"]
    assert "现行海报" in current and "已更新" not in current and "2026年11月29日" in current
