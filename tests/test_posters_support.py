"""Shared pieces of the poster tests (no tests here): a small county on disk, a results report,
and the PDF tools (poppler, zxing-cpp) wrapped as functions.

The mini county is written as real content files and loaded with ``load_content``, so the posters
are tested on validated content, independently of how the sample county evolves; the sample
itself is built end to end by the site tests.
"""

# ruff: noqa: E501 -- the county files below are YAML data, one record a line
from __future__ import annotations

import datetime as dt
import re
import subprocess
import textwrap
from pathlib import Path

SITE_URL = "https://zhouning-mzfwz.example/"
MOMENT = dt.datetime(2026, 11, 22, 12, 0, tzinfo=dt.timezone(dt.timedelta(hours=8)))  # conftest's Sunday
REPO = Path(__file__).resolve().parent.parent

FILES = {
    "content/county.yml": """\
        county: 周宁县
        authority: 周宁县民政和人力资源社会保障局
        contractor: 周宁县某某社会工作服务中心
        programme: 周宁县乡镇民政服务站购买服务项目
        period: {start: 2026-01-01, end: 2026-12-31}
        complaints:
          - {label: 县民政局监督电话, phone: "0593-0000000"}
        disclosure_threshold: 5
        """,
    "content/indicators.yml": """\
        - {id: home_visits, name: 常态化巡访, unit: 人次, domain: elderly, counts: contacts, target: {county: 3500}}
        - {id: casework_cases, name: 个案服务, unit: 人, domain: social_assistance, counts: people, target: {per_station: 4}}
        - {id: theme_events, name: 主题活动, unit: 场, domain: community, counts: contacts, target: {per_station: 12}}
        """,
    "content/rules/first-responsibility.md": """\
        ---
        title: 首问负责制度
        order: 1
        ---
        为方便群众办事，本站实行首问负责制：

        1. 首位接待来访群众或接听来电的工作人员为首问责任人。
        2. 首问责任人应热情接待，耐心听取诉求，能当场办理的当场办理。
        3. 不属于本站职责的，应告知办理部门、地点和联系电话。

        违反本制度的，按有关规定追究责任。
        """,
    "content/rules/service-flow.md": """\
        ---
        title: 服务流程
        order: 9
        poster: flow
        ---
        居民来站办事，按以下流程办理：

        1. 接待登记：工作人员热情接待，登记来访人姓名、联系方式和诉求。
        2. 需求评估：了解家庭情况，评估服务需求和政策条件。
        3. 协助申请：协助填写申请表，整理材料，转交相关部门。
        4. 跟踪回访：跟进办理进度，及时告知结果并回访。
        """,
    "stations/hub/station.yml": """\
        name: 周宁县社会工作服务总站
        kind: hub
        address: 周宁县狮城镇民政大楼二楼
        phone: "0593-0000009"
        hours:
          - {days: [mon, tue, wed, thu, fri], open: "08:30", close: "17:30"}
        domains: [capacity]
        staff:
          - {name: 郑敏, role: 项目经理, certified: true}
        """,
    "stations/shicheng/station.yml": """\
        name: 周宁县狮城镇民政服务站
        kind: township
        parent: hub
        extra_plaques: [周宁县狮城镇未成年人保护工作站]
        address: 周宁县狮城镇××路××号
        phone: "0593-0000001"
        hours:
          - {days: [mon, tue, wed, thu, fri], open: "08:30", close: "12:00"}
          - {days: [mon, tue, wed, thu, fri], open: "14:30", close: "17:30"}
        rooms: [个案咨询室, 小组活动室]
        domains: [social_assistance, elderly, children]
        signature_project: {name: 银龄守护, summary: 为空巢独居老人提供定期巡访和紧急联络}
        staff:
          - {name: 林晓, role: 站长, certified: true, duties: [社会救助, 养老服务], phone: "13900000000", public_phone: true}
          - {name: 陈芳, role: 驻站社工, certified: false, duties: [儿童福利]}
        """,
    "stations/shicheng/activities.yml": """\
        - {date: 2026-11-17, start: "09:00", end: "11:00", title: 敬老文艺表演, kind: event, domain: elderly, place: 小组活动室, audience: 辖区老年人}
        - {date: 2026-11-19, start: "14:30", end: "16:30", title: 低保政策宣讲, kind: talk, domain: social_assistance, place: 镇政府会议室}
        - {date: 2026-11-26, start: "09:00", end: "10:30", title: 留守儿童阅读小组, kind: group, domain: children, place: 个案咨询室}
        """,
    "stations/shicheng/results.yml": """\
        - month: 2026-10
          counts: {home_visits: 312, casework_cases: 3, theme_events: 5}
        """,
    "stations/shicheng/rules/first-responsibility.md": """\
        ---
        title: 首问负责制度
        order: 1
        ---
        狮城镇民政服务站实行首问负责制，首位接待的工作人员负责到底。
        """,
}


def write_mini_county(root: Path) -> Path:
    for rel, text in FILES.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text), encoding="utf-8")
    return root


def load_mini_county(root: Path):
    from generator.content.load import load_content

    content, problems = load_content(write_mini_county(root))
    assert not problems, "\n".join(map(str, problems))
    return content


# ------------------------------------------------------------------ results report


def results_report(content, today: dt.date | None = None):
    from generator.results.progress import compute_results

    return compute_results(content, today or MOMENT.date())


# ------------------------------------------------------------------ PDF tools


def run(*cmd: str) -> str:
    return subprocess.run(cmd, capture_output=True, text=True, check=True).stdout


def pdf_pages(pdf: Path) -> list[tuple[float, float]]:
    """(width, height) in points of every page."""
    out = run("pdfinfo", "-f", "1", "-l", "999", str(pdf))
    return [(float(w), float(h)) for w, h in re.findall(r"Page\s+\d+ size:\s+([\d.]+) x ([\d.]+) pts", out)]


def pdf_fonts(pdf: Path) -> list[dict[str, str]]:
    lines = run("pdffonts", str(pdf)).splitlines()[2:]
    fonts = []
    for line in lines:
        parts = line.split()
        # name, type (may contain spaces), encoding, emb, sub, uni, object, id
        fonts.append(
            {
                "name": parts[0],
                "emb": parts[-5],
                "sub": parts[-4],
                "uni": parts[-3],
                "type": " ".join(parts[1:-6]),
            }
        )
    return fonts


def pdf_text(pdf: Path) -> str:
    """The text in reading order (pdftotext's default mode)."""
    return run("pdftotext", str(pdf), "-")


def qr_urls(pdf: Path, workdir: Path, dpi: int = 150) -> list[list[str]]:
    """Every QR code on every page, rasterised at ``dpi`` and decoded with zxing-cpp."""
    import zxingcpp
    from PIL import Image

    # a folder of its own: "board-*.png" would also match board-a3's pages, and another station's
    folder = workdir / f"qr-{pdf.parent.name}-{pdf.stem}"
    folder.mkdir(parents=True, exist_ok=True)
    for old in folder.glob("*.png"):
        old.unlink()
    run("pdftoppm", "-r", str(dpi), "-gray", "-png", str(pdf), str(folder / "page"))
    pages = []
    for png in sorted(folder.glob("page-*.png"), key=lambda p: int(p.stem.rsplit("-", 1)[1])):
        with Image.open(png) as image:
            pages.append(
                [r.text for r in zxingcpp.read_barcodes(image) if r.format == zxingcpp.BarcodeFormat.QRCode]
            )
    return pages


def pdf_lines(pdf: Path) -> list[list[str]]:
    """Per page, the text of every laid-out line (pdftotext -bbox-layout), words joined by one space."""
    import html as htmlmod

    out = run("pdftotext", "-bbox-layout", str(pdf), "-")
    pages = []
    for page in out.split("<page ")[1:]:
        lines = []
        for line in re.findall(r"<line [^>]*>(.*?)</line>", page, flags=re.S):
            words = [htmlmod.unescape(w) for w in re.findall(r"<word [^>]*>(.*?)</word>", line, flags=re.S)]
            lines.append(" ".join(words))
        pages.append(lines)
    return pages


def broken_tokens(lines: list[str], tokens: set[str]) -> list[str]:
    """The tokens that are printed, but not whole on any one line: broken across lines."""
    flat = "".join(line.replace(" ", "") for line in lines)
    whole = [line.replace(" ", "") for line in lines]
    return sorted(
        t for t in tokens if t.replace(" ", "") in flat and not any(t.replace(" ", "") in w for w in whole)
    )


def lone_characters(lines: list[str]) -> list[str]:
    """Lines holding one CJK character alone (an orphan of a wrapped title or cell)."""
    return [line for line in lines if len(line.strip()) == 1 and "\u4e00" <= line.strip() <= "\u9fff"]
