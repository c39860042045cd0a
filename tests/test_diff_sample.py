"""Issue 6, done when: ``stationsite diff`` on a real git repository built from the sample county.

The repository holds content/ stations/ docs/ theme/ mkdocs.yml, with real commits. The build date
is pinned by tests/conftest.py to Sunday 2026-11-22 (this week: 11-16 to 11-22).
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from generator.cli import main
from generator.content.load import load_content

REPO = Path(__file__).resolve().parent.parent
STATION = "shicheng"
OTHER = "qibu"
NEW_PHONE = "0593-7654321"


def git(root: Path, *args: str) -> str:
    return subprocess.run(
        [
            "git",
            "-C",
            str(root),
            "-c",
            "user.name=测试",
            "-c",
            "user.email=t@example.test",
            "-c",
            "commit.gpgsign=false",
            *args,
        ],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()


@pytest.fixture()
def sample_git(tmp_path: Path) -> Path:
    root = tmp_path / "county"
    root.mkdir()
    for name in ("content", "stations", "docs", "theme"):
        if (REPO / name).is_dir():
            shutil.copytree(REPO / name, root / name, symlinks=True)
    shutil.copy(REPO / "mkdocs.yml", root / "mkdocs.yml")
    git(root, "init", "-q", "-b", "main")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "示例县")
    return root


def commit(root: Path, message: str) -> None:
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", message)


def set_phone(root: Path, slug: str, phone: str) -> None:
    path = root / "stations" / slug / "station.yml"
    text, count = re.subn(
        r'(?m)^phone:\s*"?[^"\n#]*"?', f'phone: "{phone}"', path.read_text(encoding="utf-8")
    )
    assert count == 1
    path.write_text(text, encoding="utf-8")


def add_activity_this_week(root: Path, slug: str, title: str) -> None:
    assert (
        main(
            [
                "new",
                "--root",
                str(root),
                "activity",
                slug,
                "--date",
                "2026-11-21",
                "--start",
                "15:00",
                "--end",
                "16:30",
                "--title",
                title,
                "--place",
                "小组活动室",
                "--kind",
                "talk",
                "--domain",
                "social_assistance",
            ]
        )
        == 0
    )


def run_diff(root: Path, capsys: pytest.CaptureFixture[str], *refs: str) -> tuple[int, str]:
    capsys.readouterr()
    status = main(["diff", *refs, "--root", str(root)])
    return status, capsys.readouterr().out


def reprint_section(text: str) -> str:
    """The folded reprint list (absent when nothing is to be reprinted)."""
    if "### 🖨️ 需要重新打印的海报" not in text:
        return ""
    return text.split("### 🖨️ 需要重新打印的海报", 1)[1].split("</details>", 1)[0]


def reprinted(text: str) -> dict[str, list[str]]:
    """{station slug: [poster ids]} from the reprint list's PDF links."""
    out: dict[str, list[str]] = {}
    for slug, ident in re.findall(r"/posters/([a-z0-9-]+)/([a-z0-9-]+)\.pdf\)", reprint_section(text)):
        out.setdefault(slug, []).append(ident)
    return out


def specs_of(root: Path, slug: str):  # type: ignore[no-untyped-def]
    from generator.posters import poster_specs

    content, problems = load_content(root)
    assert not problems
    return poster_specs(content, content.station(slug))


def test_phone_and_this_weeks_activity_reprint_exactly_that_stations_posters(
    sample_git: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    set_phone(sample_git, STATION, NEW_PHONE)
    add_activity_this_week(sample_git, STATION, "冬季救助政策宣讲")
    commit(sample_git, "狮城站换电话，加一项本周活动")

    status, text = run_diff(sample_git, capsys, "main~1", "HEAD")
    assert status == 0, text
    # Every poster prints the station's phone (the board and card in the body, all in the footer);
    # the week poster also lists this week's activities. So: all of this station's, and only those.
    specs = specs_of(sample_git, STATION)
    expected = [s.id for s in specs]
    assert {
        "board",
        "board-a3",
        "week",
        "week-a3",
        "week-next",
        "flow",
        "results",
        "card",
        "cards-a4",
    } <= set(expected)
    assert reprinted(text) == {STATION: expected}
    # each reprinted poster's old code is listed to take down (海报编号, derived from the content)
    assert reprint_section(text).count("`") >= 2 * len(expected) and "撤下旧海报（海报编号）" in text
    assert "公示栏" in reprint_section(text) and "本周活动安排" in reprint_section(text)
    # the reasons are listed below the reprint list
    assert "电话：" in text and f"→ {NEW_PHONE}" in text
    assert "新增：2026-11-21（周六）15:00–16:30 冬季救助政策宣讲，小组活动室 **【本周】**" in text


def test_this_weeks_activity_alone_reprints_only_the_week_poster(
    sample_git: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    add_activity_this_week(sample_git, OTHER, "临时加开的政策宣讲")
    commit(sample_git, "七步站本周加一项活动")
    status, text = run_diff(sample_git, capsys, "main~1", "HEAD")
    assert status == 0, text
    assert reprinted(text) == {OTHER: ["week", "week-a3"]}


def test_an_activity_next_month_reprints_nothing(
    sample_git: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert (
        main(
            [
                "new",
                "--root",
                str(sample_git),
                "activity",
                OTHER,
                "--date",
                "2026-12-28",
                "--start",
                "09:00",
                "--end",
                "10:00",
                "--title",
                "年末走访",
                "--place",
                "各村",
            ]
        )
        == 0
    )
    status, text = run_diff(sample_git, capsys, "main")  # HEAD defaults to the working tree
    assert status == 0, text
    assert reprinted(text) == {}
    assert "没有海报需要重新打印" in text
    assert "新增：2026-12-28（周一）09:00–10:00 年末走访，各村" in text


def test_no_change_says_so(sample_git: Path, capsys: pytest.CaptureFixture[str]) -> None:
    status, text = run_diff(sample_git, capsys, "main", "HEAD")
    assert status == 0
    assert "没有海报需要重新打印" in text and "公众在网站上看到的内容没有变化" in text


def test_defaults_compare_origin_main_with_the_working_tree(
    sample_git: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    clone = tmp_path / "clone"
    subprocess.run(["git", "clone", "-q", str(sample_git), str(clone)], check=True)
    set_phone(clone, OTHER, NEW_PHONE)  # not committed
    status, text = run_diff(clone, capsys)
    assert status == 0, text
    assert "`origin/main`" in text and "→ 工作目录" in text
    assert list(reprinted(text)) == [OTHER]


def test_small_counts_of_people_are_never_shown_raw(
    sample_git: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    content, _ = load_content(sample_git)
    people = {i.id for i in content.indicators if i.counts_people}
    threshold = content.programme.disclosure_threshold
    found = None
    for station in content.stations:
        for row in station.results:
            for ident, value in row.counts:
                if ident in people and 1 <= value < threshold - 1:
                    found = (station.slug, row.month, ident, value)
                    break
            if found:
                break
        if found:
            break
    if found is None:
        pytest.skip("the sample has no small count of people to change")
    slug, month, ident, value = found
    path = sample_git / "stations" / slug / "results.yml"
    text = path.read_text(encoding="utf-8")
    lines = text.split("\n")
    start = next(i for i, ln in enumerate(lines) if re.search(rf"month:\s*\"?{month}\b", ln))
    for i in range(start, len(lines)):
        new, count = re.subn(rf"\b{ident}:\s*{value}\b", f"{ident}: {value + 1}", lines[i])
        if count:
            lines[i] = new
            break
    path.write_text("\n".join(lines), encoding="utf-8")
    status, out = run_diff(sample_git, capsys, "main")
    assert status == 0, out
    assert f"{value} → {value + 1}" not in out
    # The county's month total may be at or above the threshold and is public on the site; only the
    # station's own lines must show "<threshold" for that month.
    group = ""
    for line in out.splitlines():
        if line.startswith("- "):
            group = line
        elif "全县合计" not in group and content.indicator(ident).name in line and month in line:
            assert re.search(rf"{month}：[^；]*<{threshold}", line), line


def test_a_bad_change_gives_annotated_errors_and_the_diff_names_the_version(
    sample_git: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = sample_git / "stations" / STATION / "station.yml"
    set_phone(sample_git, STATION, "abc")
    line = next(
        i for i, ln in enumerate(path.read_text(encoding="utf-8").split("\n"), 1) if ln.startswith("phone:")
    )
    commit(sample_git, "写错的电话")

    capsys.readouterr()
    assert main(["check", "--root", str(sample_git), "--format", "github"]) == 1
    annotations = capsys.readouterr().out.strip().splitlines()
    assert annotations == [
        f"::error file=stations/{STATION}/station.yml,line={line},title=内容检查::"
        "站点电话（phone）: 应为电话号码，实际为 'abc'（提示：座机写成 0593-1234567，手机写 11 位数字，并加英文引号）"
    ]

    status, text = run_diff(sample_git, capsys, "main~1", "HEAD")
    assert status == 1
    head = git(sample_git, "rev-parse", "HEAD")[:8]
    assert (
        f"[新版本 HEAD {head}] stations/{STATION}/station.yml:{line}: 站点电话（phone）: 应为电话号码，实际为 'abc'"
        in text
    )
    assert "需要重新打印的海报" not in text


def test_a_months_results_with_a_correction_reads_on_one_screen(
    sample_git: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Issue 17: a month's results for every station, one correction of a past month, one changed
    opening slot, a new closure and a repeating activity cut short — the summary is first and short,
    the details are folded, only the changed slot of hours is shown and the correction is marked."""
    results = sorted((sample_git / "stations").glob("*/results.yml"))
    originals = {p: p.read_text(encoding="utf-8") for p in results}
    for p, text in originals.items():
        p.write_text(re.sub(r"- month: 2026-10\n(  .*\n)*", "", text), encoding="utf-8")
    commit(sample_git, "九月底的状态")
    for p, text in originals.items():
        p.write_text(text, encoding="utf-8")
    qibu = sample_git / "stations" / OTHER / "results.yml"
    qibu.write_text(
        qibu.read_text(encoding="utf-8").replace(
            "- month: 2026-08\n  counts: {home_visits: 34,", "- month: 2026-08\n  counts: {home_visits: 36,"
        ),
        encoding="utf-8",
    )
    station = sample_git / "stations" / STATION / "station.yml"
    station.write_text(
        station.read_text(encoding="utf-8").replace(
            'open: "14:30", close: "17:30"', 'open: "15:00", close: "18:00"'
        ),
        encoding="utf-8",
    )
    lidun = sample_git / "stations/lidun/station.yml"
    lidun.write_text(
        lidun.read_text(encoding="utf-8") + "  - {from: 2026-11-27, to: 2026-11-28, reason: 站点搬迁闭站}\n",
        encoding="utf-8",
    )
    acts = sample_git / "stations" / OTHER / "activities.yml"
    acts.write_text(
        acts.read_text(encoding="utf-8").replace(
            "repeat: {every: week, until: 2028-12-31}",
            "repeat: {every: week, until: 2027-06-29, except: [2026-12-15]}",
        ),
        encoding="utf-8",
    )

    status, text = run_diff(sample_git, capsys, "HEAD")
    assert status == 0, text
    first_screen = text.split("<details>", 1)[0].strip().splitlines()
    assert len(first_screen) <= 20, "\n".join(first_screen)
    summary = "\n".join(first_screen)
    assert "### 摘要" in summary and "重新打印" in summary
    assert "⚠️ **更正了已公布的月份**：七步镇民政服务站 2026-08" in summary
    assert "服务成效：" in summary and "填报 2026-10" in summary
    assert "— → 0" not in text
    details = text.split("<details><summary>详细改动</summary>", 1)[1]
    assert "  - **更正已公布的 2026-08**：常态化巡访 34 → 36" in details
    assert "  - 开放时间 周一至周五：14:30–17:30 改为 15:00–18:00" in details
    assert "08:00–12:00" not in details.split("### 站点信息", 1)[1].split("###", 1)[0]
    assert "  - 新增闭站：11月27日（周五）至11月28日（周六）：站点搬迁闭站" in details
    repeat_lines = [ln for ln in details.splitlines() if "童伴成长·四点半课堂" in ln]
    assert repeat_lines == [
        "  - 修改重复活动：童伴成长·四点半课堂（每周二）：截止 2028-12-31 → 2027-06-29；不办 12-15（少 79 次）"
    ]
    assert text.rstrip().endswith("</details>")
