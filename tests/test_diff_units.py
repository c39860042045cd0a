"""``stationsite diff`` piece by piece: git versions, activity matching, what is (not) shown.

These use a small two-station repository written here, so they run in milliseconds and do not
depend on the poster or results modules; tests/test_diff_sample.py runs the whole command on the
sample county.
"""

from __future__ import annotations

import datetime as dt
import subprocess
from pathlib import Path
from types import SimpleNamespace

import pytest

from generator.content.load import load_content
from generator.content.model import Activity
from generator.publishing import diffactivities, diffparts
from generator.publishing.contentdiff import MARKER, diff_directories, problems_markdown, site_url_of
from generator.publishing.gitversions import (
    GitError,
    Version,
    checked_out,
    materialise,
    resolve_base,
    resolve_head,
)

TODAY = dt.date(2026, 11, 22)

MINI = {
    "mkdocs.yml": "site_name: 测试\nsite_url: https://example.test/sub\n"
    "markdown_extensions:\n  - pymdownx.emoji:\n"
    "      emoji_index: !!python/name:material.extensions.emoji.twemoji\n",
    "content/county.yml": """\
county: 周宁县
authority: 周宁县民政局
contractor: 某某社工中心
programme: 乡镇民政服务站项目
period: {start: 2026-01-01, end: 2026-12-31}
complaints:
  - {label: 县民政局监督电话, phone: "0593-0000000"}
""",
    "content/indicators.yml": """\
- {id: home_visits, name: 常态化巡访, unit: 人次, domain: elderly, counts: contacts, target: {county: 3500}}
- {id: casework_cases, name: 个案对象, unit: 人, domain: social_assistance, counts: people, target: {per_station: 4}}
""",
    "content/rules/first.md": "---\ntitle: 首问责任制\norder: 1\n---\n第一条 首问负责。\n",
    "stations/hub/station.yml": """\
name: 周宁县社工总站
kind: hub
address: 周宁县某路1号
phone: "0593-0000001"
hours:
  - {days: [mon, tue, wed, thu, fri], open: "08:30", close: "17:30"}
domains: [capacity]
staff:
  - {name: 陈静, role: 项目经理, certified: true}
""",
    "stations/shicheng/station.yml": """\
name: 周宁县狮城镇民政服务站
kind: township
parent: hub
address: 狮城镇某路2号
phone: "0593-0000002"
hours:
  - {days: [mon, tue, wed, thu, fri], open: "08:30", close: "12:00"}
domains: [elderly]
staff:
  - {name: 林晓, role: 站长, certified: true, phone: "13900000000", public_phone: false}
""",
    "stations/shicheng/activities.yml": """\
# 活动安排
- {date: 2026-11-18, start: "09:00", end: "11:00", title: 敬老活动, kind: event, domain: elderly, place: 活动室}
- {date: 2026-11-26, start: "09:00", end: "11:00", title: 政策宣讲, kind: talk, domain: social_assistance, place: 会议室}
""",
}


def write_tree(root: Path, files: dict[str, str]) -> Path:
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root


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
def mini_repo(tmp_path: Path) -> Path:
    root = write_tree(tmp_path / "repo", MINI)
    git(root, "init", "-q", "-b", "main")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "base")
    return root


def loaded(root: Path):
    content, problems = load_content(root)
    assert not problems, problems
    return content


# --------------------------------------------------------------------------------------------------
# git versions


def test_materialise_writes_the_committed_content_only(mini_repo: Path, tmp_path: Path) -> None:
    (mini_repo / "stations/shicheng/station.yml").write_text("broken: [", encoding="utf-8")  # not committed
    (mini_repo / "notes.txt").write_text("x", encoding="utf-8")
    out = materialise(mini_repo, git(mini_repo, "rev-parse", "HEAD"), tmp_path / "out")
    assert (out / "stations/shicheng/station.yml").read_text(encoding="utf-8") == MINI[
        "stations/shicheng/station.yml"
    ]
    assert not (out / "notes.txt").exists()
    assert sorted(p.name for p in out.iterdir()) == ["content", "mkdocs.yml", "stations"]


def test_materialise_keeps_symlinks_so_the_check_still_sees_them(mini_repo: Path, tmp_path: Path) -> None:
    (mini_repo / "content/news").mkdir()
    (mini_repo / "content/news/leak.md").symlink_to("/etc/hostname")
    git(mini_repo, "add", "-A")
    git(mini_repo, "commit", "-q", "-m", "link")
    out = materialise(mini_repo, git(mini_repo, "rev-parse", "HEAD"), tmp_path / "out")
    assert (out / "content/news/leak.md").is_symlink()
    _, problems = load_content(out)
    assert any(p.file == "content/news/leak.md" and "仓库以外" in p.message for p in problems)


def test_content_repository_in_a_subdirectory(tmp_path: Path) -> None:
    top = tmp_path / "mono"
    write_tree(top / "county", MINI)
    git(top, "init", "-q", "-b", "main")
    git(top, "add", "-A")
    git(top, "commit", "-q", "-m", "base")
    out = materialise(top / "county", git(top, "rev-parse", "HEAD"), tmp_path / "out")
    assert loaded(out).station("shicheng").phone == "0593-0000002"


def test_default_base_falls_back_to_main_with_a_chinese_note(mini_repo: Path) -> None:
    notes: list[str] = []
    version = resolve_base(mini_repo, "origin/main", notes)
    assert version.label == "main" and version.commit
    assert notes and "找不到 origin/main" in notes[0] and "main" in notes[0]


def test_an_explicit_missing_ref_is_an_error_not_a_fallback(mini_repo: Path) -> None:
    with pytest.raises(GitError, match="找不到版本 'release'"):
        resolve_base(mini_repo, "release", [])
    with pytest.raises(GitError, match="找不到版本"):
        resolve_head(mini_repo, "--output=x")


def test_not_a_git_repository(tmp_path: Path) -> None:
    write_tree(tmp_path, MINI)
    from generator.cli import main

    assert main(["diff", "--root", str(tmp_path)]) == 1


def test_head_defaults_to_the_working_tree(mini_repo: Path) -> None:
    version = resolve_head(mini_repo, None)
    assert version.commit is None
    with checked_out(mini_repo, version) as folder:
        assert folder == mini_repo


def test_site_url_survives_python_tags_in_mkdocs_yml(mini_repo: Path) -> None:
    assert site_url_of(mini_repo) == "https://example.test/sub/"


# --------------------------------------------------------------------------------------------------
# errors in either version


def test_errors_in_either_version_are_listed_with_file_line_and_version(
    mini_repo: Path, tmp_path: Path
) -> None:
    base_dir = materialise(mini_repo, git(mini_repo, "rev-parse", "HEAD"), tmp_path / "base")
    station = mini_repo / "stations/shicheng/station.yml"
    station.write_text(station.read_text(encoding="utf-8").replace('"0593-0000002"', "abc"), encoding="utf-8")
    text, ok = diff_directories(base_dir, mini_repo, Version("main", "0" * 40), Version("工作目录", None))
    assert not ok
    assert text.startswith(MARKER)
    assert (
        "[新版本 工作目录] stations/shicheng/station.yml:5: 站点电话（phone）: 应为电话号码，实际为 'abc'"
        in text
    )
    assert "基准版本" not in text.split("```text", 1)[1]


def test_problem_lines_cannot_break_out_of_their_code_block() -> None:
    from generator.problems import Problem

    text = problems_markdown([("新版本 HEAD", [Problem("content/news/a.md", 3, None, "```\n# 标题")])])
    fence = text.split("\n")[4][: -len("text")]
    assert len(fence) > 3 and text.count(fence) == 2


# --------------------------------------------------------------------------------------------------
# activities


def act(
    day: int, title: str, start: str = "09:00", place: str = "活动室", ident: str | None = None
) -> Activity:
    return Activity(
        "shicheng", dt.date(2026, 11, day), start, "11:00", title, "event", "elderly", place, None, ident
    )


def test_activity_matching_added_moved_changed_cancelled() -> None:
    old = [act(18, "敬老活动"), act(19, "小组第1节"), act(20, "宣讲", place="会议室"), act(25, "义诊")]
    new = [act(18, "敬老活动"), act(21, "小组第1节"), act(20, "宣讲", place="礼堂"), act(27, "亲子活动")]
    m = diffactivities.match_activities(old, new)
    assert [a.title for a in m["added"]] == ["亲子活动"]
    assert [a.title for a in m["cancelled"]] == ["义诊"]
    assert [(a.date.day, b.date.day) for a, b in m["moved"]] == [(19, 21)]
    assert [(a.place, b.place) for a, b in m["changed"]] == [("会议室", "礼堂")]


def test_activity_with_an_id_is_followed_through_a_rename_and_a_new_date() -> None:
    m = diffactivities.match_activities([act(18, "敬老", ident="cy")], [act(24, "重阳敬老", ident="cy")])
    assert not m["added"] and not m["cancelled"] and len(m["moved"]) == 1


def test_a_weekly_activity_moved_pairs_with_the_nearest_date() -> None:
    old = [act(18, "便民服务"), act(25, "便民服务")]
    new = [act(18, "便民服务"), act(26, "便民服务")]
    m = diffactivities.match_activities(old, new)
    assert [(a.date.day, b.date.day) for a, b in m["moved"]] == [(25, 26)] and not m["added"]


def test_activity_lines_flag_this_week(mini_repo: Path, tmp_path: Path) -> None:
    old = loaded(mini_repo)
    acts = mini_repo / "stations/shicheng/activities.yml"
    acts.write_text(
        acts.read_text(encoding="utf-8").replace("2026-11-26", "2026-11-21")
        + '- {date: 2026-12-02, start: "14:00", end: "15:00", title: "*新*活动", kind: group, '
        "domain: children, place: 儿童之家}\n",
        encoding="utf-8",
    )
    lines = diffactivities.activity_changes(old, loaded(mini_repo), TODAY)
    assert lines[0] == "- **周宁县狮城镇民政服务站**（`shicheng`）"
    assert "  - 新增：2026-12-02（周三）14:00–15:00 \\*新\\*活动，儿童之家" in lines
    assert any(
        ln.startswith("  - 改期：政策宣讲：2026-11-26（周四）09:00–11:00 → 2026-11-21（周六）")
        and ln.endswith("**【本周】**")
        for ln in lines
    )


# --------------------------------------------------------------------------------------------------
# stations: only what is published


def test_station_changes_show_public_fields_and_never_an_unpublished_mobile(mini_repo: Path) -> None:
    old = loaded(mini_repo)
    station = mini_repo / "stations/shicheng/station.yml"
    text = station.read_text(encoding="utf-8")
    text = text.replace('"0593-0000002"', '"0593-0000003"').replace("13900000000", "13900000001")
    text = text.replace('close: "12:00"', 'close: "12:30"')
    text += "  - {name: 王芳, role: 驻站社工, certified: false, duties: [儿童福利]}\n"
    station.write_text(text, encoding="utf-8")
    lines = diffparts.station_changes(old, loaded(mini_repo))
    assert lines == [
        "- **周宁县狮城镇民政服务站**（`shicheng`）",
        "  - 电话：0593-0000002 → 0593-0000003",
        "  - 开放时间 周一至周五：08:30–12:00 改为 08:30–12:30",  # only the slot that changes
        "  - 新增工作人员：王芳（驻站社工，未持证，分工：儿童福利）",
    ]
    assert "1390000" not in "\n".join(lines)


def test_added_and_removed_stations(mini_repo: Path) -> None:
    old = loaded(mini_repo)
    new_dir = mini_repo / "stations/qibu"
    new_dir.mkdir()
    (new_dir / "station.yml").write_text(
        MINI["stations/shicheng/station.yml"].replace("狮城镇", "七步镇"), encoding="utf-8"
    )
    lines = diffparts.station_changes(old, loaded(mini_repo))
    assert lines == [
        "- 新增站点 **周宁县七步镇民政服务站**（`qibu`）：乡镇站，电话 0593-0000002，1 名工作人员"
    ]
    assert diffparts.station_changes(loaded(mini_repo), old) == [
        "- 撤销站点 **周宁县七步镇民政服务站**（`qibu`）：它的页面、海报和日历将不再发布"
    ]


# --------------------------------------------------------------------------------------------------
# results: compared as displayed


def _report(cells: dict[tuple[str | None, str], list[tuple[str, str]]], status: str = "正常"):
    def progress(slug: str | None) -> list[SimpleNamespace]:
        return [
            SimpleNamespace(
                indicator=SimpleNamespace(id=ind),
                target=None,
                status=status,
                months=[(m, SimpleNamespace(display=d)) for m, d in months],
            )
            for (s, ind), months in cells.items()
            if s == slug
        ]

    return SimpleNamespace(county=progress(None), station=progress)


def test_results_show_display_values_and_hide_changes_inside_a_suppressed_cell(mini_repo: Path) -> None:
    content = loaded(mini_repo)
    old = _report(
        {
            ("shicheng", "home_visits"): [("2026-10", "30")],
            ("shicheng", "casework_cases"): [("2026-09", "<5"), ("2026-10", "<5")],
            ("hub", "home_visits"): [("2026-10", "0")],
        }
    )
    new = _report(
        {
            ("shicheng", "home_visits"): [("2026-10", "32")],
            ("shicheng", "casework_cases"): [("2026-09", "<5"), ("2026-10", "6")],
            ("hub", "home_visits"): [("2026-10", "0")],
        }
    )
    lines = diffparts.results_changes(content, content, old, new)
    # Neither version's results.yml newly adds 2026-10, so a changed figure there is a correction.
    assert lines == [
        "- **周宁县狮城镇民政服务站**（`shicheng`）",
        "  - **更正已公布的 2026-10**：常态化巡访 30 → 32；个案对象 <5 → 6",
    ]


def test_results_status_change_is_reported(mini_repo: Path) -> None:
    content = loaded(mini_repo)
    cells = {(None, "home_visits"): [("2026-10", "300")]}
    lines = diffparts.results_changes(content, content, _report(cells, "滞后"), _report(cells, "正常"))
    assert lines == ["- **全县合计**", "  - 进度 常态化巡访（人次）：滞后 → 正常"]


# --------------------------------------------------------------------------------------------------
# rules, programme, escaping


def test_rule_text_change_comes_with_its_wording(mini_repo: Path) -> None:
    old = loaded(mini_repo)
    (mini_repo / "content/rules/first.md").write_text(
        "---\ntitle: 首问责任制\norder: 1\n---\n第一条 首问负责，一次告知。\n", encoding="utf-8"
    )
    lines = diffparts.rule_changes(old, loaded(mini_repo))
    assert lines[0] == "- 修改全县制度正文：首问责任制"
    assert "  -第一条 首问负责。" in lines and "  +第一条 首问负责，一次告知。" in lines


def test_complaint_channel_change_is_named(mini_repo: Path) -> None:
    old = loaded(mini_repo)
    county = mini_repo / "content/county.yml"
    county.write_text(
        county.read_text(encoding="utf-8").replace("0593-0000000", "0593-0000010"), encoding="utf-8"
    )
    lines = diffparts.programme_changes(old, loaded(mini_repo))
    assert lines == [
        "- 投诉建议方式（每个站点页面和公示栏都显示）：县民政局监督电话 0593-0000000 → 县民政局监督电话 0593-0000010"
    ]


def test_inline_values_cannot_inject_markdown_or_html() -> None:
    assert (
        diffparts._inline("<script>x</script> [a](b) `c` |d|")
        == "\\<script\\>x\\</script\\> \\[a\\](b) \\`c\\` \\|d\\|"
    )
    assert diffparts._inline(None) == "（无）"
    assert diffparts.fence_for("a ```` b") == "`````"
