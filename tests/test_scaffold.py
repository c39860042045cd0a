"""``stationsite new station`` / ``new activity``: commented files that pass the check at once."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from generator.cli import main
from generator.content.load import load_content
from generator.content.schema_types import ListOf, Record
from generator.content.schemas import ACTIVITY, STATION
from generator.content.sourcefile import parse_yaml
from generator.publishing import scaffold


def check(root: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "generator", "check", "--root", str(root)],
        capture_output=True,
        text=True,
        timeout=120,
    )


def new(root: Path, *args: str) -> int:
    return main(["new", "--root", str(root), *args])


# The facts a new station cannot do without (address, phone, staff): given as options here.
FACTS = ("--address", "周宁县新镇人民政府一楼", "--phone", "0593-1234567", "--staff", "林晓,站长,持证")


# --------------------------------------------------------------------------------------------------
# new station


def test_new_station_then_check_passes(sample_copy: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert (
        new(
            sample_copy,
            "station",
            "dongmen",
            "--name",
            "周宁县狮城镇东门社区社工室",
            "--kind",
            "community",
            "--parent",
            "shicheng",
            *FACTS,
        )
        == 0
    )
    out = capsys.readouterr().out
    assert "stations/dongmen/station.yml" in out and "待填写" not in out
    assert sorted(p.name for p in (sample_copy / "stations/dongmen").iterdir()) == [
        "activities.yml",
        "results.yml",
        "station.yml",
    ]
    result = check(sample_copy)
    assert result.returncode == 0, result.stdout + result.stderr
    content, _ = load_content(sample_copy)
    station = content.station("dongmen")
    assert (station.kind, station.parent, station.name) == (
        "community",
        "shicheng",
        "周宁县狮城镇东门社区社工室",
    )
    assert station.activities == () and station.results == ()


def test_new_station_defaults_to_the_hub_as_parent_and_writes_the_facts_given(sample_copy: Path) -> None:
    assert new(sample_copy, "station", "xinzhen", "--name", "周宁县新镇民政服务站", *FACTS) == 0
    content, problems = load_content(sample_copy)
    assert not problems
    hub = next(s for s in content.stations if s.kind == "hub")
    station = content.station("xinzhen")
    assert station.parent == hub.slug
    assert (station.address, station.phone) == ("周宁县新镇人民政府一楼", "0593-1234567")
    assert [(p.name, p.role, p.certified) for p in station.staff] == [("林晓", "站长", True)]


def test_new_station_without_its_facts_is_refused_not_filled_with_placeholders(
    sample_copy: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # Not at a terminal (as here, or in CI), nothing can be asked: the missing options are named.
    assert (
        new(sample_copy, "station", "xinzhen", "--name", "周宁县新镇民政服务站", "--phone", "0593-1234567")
        == 1
    )
    err = capsys.readouterr().err
    assert "--address" in err and "--staff" in err and "--phone 电话" not in err
    assert not (sample_copy / "stations/xinzhen").exists()
    assert new(sample_copy, "station", "xinzhen", "--name", "某站", *FACTS[:4], "--staff", "林晓,社工") == 1
    assert "岗位" in capsys.readouterr().err


def test_a_placeholder_left_in_a_file_is_a_problem_naming_it(sample_copy: Path) -> None:
    assert new(sample_copy, "station", "xinzhen", "--name", "周宁县新镇民政服务站", *FACTS) == 0
    path = sample_copy / "stations/xinzhen/station.yml"
    path.write_text(
        path.read_text(encoding="utf-8").replace("周宁县新镇人民政府一楼", "待填写：站点详细地址"),
        encoding="utf-8",
    )
    _, problems = load_content(sample_copy)
    assert [(p.file, p.key, p.message) for p in problems] == [
        ("stations/xinzhen/station.yml", "地址（address）", "还是占位文字“待填写”：待填写：站点详细地址")
    ]


def test_every_station_field_is_explained_in_the_new_file(sample_copy: Path) -> None:
    """Each field of the schema appears in station.yml, written or as a commented example."""
    assert new(sample_copy, "station", "xinzhen", "--name", "周宁县新镇民政服务站", *FACTS) == 0
    text = (sample_copy / "stations/xinzhen/station.yml").read_text(encoding="utf-8")

    def names(record: Record) -> set[str]:
        out = set()
        for f in record.fields:
            out.add(f.name)
            inner = f.type.item if isinstance(f.type, ListOf) else f.type
            if isinstance(inner, Record):
                out |= names(inner)
        return out

    for name in names(STATION):
        assert re.search(rf"(^|[\s{{,#])({name}):", text, re.M), name
    # and every line that is not a comment is explained by one above it or at its end
    assert text.count("#") > 30


def test_activities_file_of_a_new_station_documents_every_activity_field(sample_copy: Path) -> None:
    assert new(sample_copy, "station", "xinzhen", "--name", "周宁县新镇民政服务站", *FACTS) == 0
    text = (sample_copy / "stations/xinzhen/activities.yml").read_text(encoding="utf-8")
    for f in ACTIVITY.fields:
        assert re.search(rf"^#\s+-? ?{f.name}:", text, re.M), f.name
    results = (sample_copy / "stations/xinzhen/results.yml").read_text(encoding="utf-8")
    assert "home_visits：" in results and "month:" in results


def test_new_station_refuses_to_overwrite(sample_copy: Path, capsys: pytest.CaptureFixture[str]) -> None:
    before = (sample_copy / "stations/qibu/station.yml").read_bytes()
    assert new(sample_copy, "station", "qibu", "--name", "另一个站") == 1
    assert "已经存在，不会覆盖" in capsys.readouterr().err
    assert (sample_copy / "stations/qibu/station.yml").read_bytes() == before


@pytest.mark.parametrize(
    ("slug", "says"),
    [
        ("七步", "可以写成 qibu"),
        ("Qibu2", "请写成小写 qibu2"),
        ("x_y", "不合规"),
        ("a/b", "不合规"),
        ("../x", "不合规"),
    ],
)
def test_new_station_validates_the_slug(
    sample_copy: Path, capsys: pytest.CaptureFixture[str], slug: str, says: str
) -> None:
    before = sorted((sample_copy / "stations").iterdir())
    assert new(sample_copy, "station", slug, "--name", "某站") == 1
    err = capsys.readouterr().err
    assert says in err and "Traceback" not in err
    assert sorted((sample_copy / "stations").iterdir()) == before


def test_new_station_rejects_unknown_parent_and_kind(
    sample_copy: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert new(sample_copy, "station", "xinzhen", "--name", "某站", "--parent", "shichen") == 1
    assert "是不是想写 'shicheng'" in capsys.readouterr().err
    assert new(sample_copy, "station", "xinzhen", "--name", "某站", "--kind", "village") == 1
    assert "township" in capsys.readouterr().err
    assert not (sample_copy / "stations/xinzhen").exists()


def test_names_that_look_like_yaml_stay_text(sample_copy: Path) -> None:
    name = "周宁县: 新镇 #1 站"
    assert new(sample_copy, "station", "xinzhen", "--name", name, *FACTS) == 0
    content, problems = load_content(sample_copy)
    assert not problems and content.station("xinzhen").name == name


@pytest.mark.parametrize(
    "text", ["yes", "2026", "null", "08:30", "- a", "[x]", "a: b", "a #b", "'q'", "普通文字"]
)
def test_yaml_scalar_reads_back_as_the_same_text(text: str) -> None:
    node, problems = parse_yaml(f"k: {scaffold.yaml_scalar(text)}\n", "t.yml")
    assert not problems and node.entries["k"][1].text == text


# --------------------------------------------------------------------------------------------------
# new activity


ARGS = [
    "--date",
    "2026-11-20",
    "--start",
    "9:30",
    "--end",
    "11:00",
    "--title",
    "冬季防火宣传",
    "--place",
    "镇文化站",
    "--kind",
    "talk",
    "--domain",
    "community",
    "--audience",
    "辖区居民",
]


def test_new_activity_appends_text_and_keeps_everything_before_it(
    sample_copy: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = sample_copy / "stations/qibu/activities.yml"
    before = path.read_text(encoding="utf-8")
    assert new(sample_copy, "activity", "qibu", *ARGS) == 0
    after = path.read_text(encoding="utf-8")
    assert after.startswith(before if before.endswith("\n") else before + "\n")
    added = after[len(before) :].lstrip("\n")
    assert (
        "- date: 2026-11-20\n" in added
        and '  start: "09:30"\n' in added
        and "  audience: 辖区居民\n" in added
    )
    out = capsys.readouterr().out
    assert "本周" in out and "本周活动安排" in out
    content, problems = load_content(sample_copy)
    assert not problems
    assert any(a.title == "冬季防火宣传" and a.start == "09:30" for a in content.station("qibu").activities)
    assert check(sample_copy).returncode == 0


def test_new_activity_after_new_station(sample_copy: Path) -> None:
    assert new(sample_copy, "station", "xinzhen", "--name", "周宁县新镇民政服务站", *FACTS) == 0
    header = (sample_copy / "stations/xinzhen/activities.yml").read_text(encoding="utf-8")
    assert new(sample_copy, "activity", "xinzhen", *ARGS) == 0
    text = (sample_copy / "stations/xinzhen/activities.yml").read_text(encoding="utf-8")
    assert text.startswith(header)
    content, problems = load_content(sample_copy)
    assert not problems and len(content.station("xinzhen").activities) == 1


def test_new_activity_follows_the_file_indentation_crlf_and_bom(sample_copy: Path) -> None:
    path = sample_copy / "stations/qibu/activities.yml"
    original = (
        '# 七步镇活动\r\n  - date: 2026-11-18\r\n    start: "09:00"\r\n    end: "10:00"\r\n'
        "    title: 旧活动\r\n    kind: event\r\n    domain: elderly\r\n    place: 活动室\r\n"
    )
    path.write_bytes(b"\xef\xbb\xbf" + original.encode("utf-8"))
    assert new(sample_copy, "activity", "qibu", *ARGS) == 0
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf" + original.encode("utf-8"))
    assert b'\r\n  - date: 2026-11-20\r\n    start: "09:30"\r\n' in raw
    assert b"\n" not in raw.replace(b"\r\n", b"")
    content, problems = load_content(sample_copy)
    assert not problems and [a.title for a in content.station("qibu").activities] == [
        "旧活动",
        "冬季防火宣传",
    ]


def test_new_activity_replaces_an_empty_flow_list(sample_copy: Path) -> None:
    path = sample_copy / "stations/qibu/activities.yml"
    path.write_text("# 暂无活动\n[]\n", encoding="utf-8")
    assert new(sample_copy, "activity", "qibu", *ARGS) == 0
    text = path.read_text(encoding="utf-8")
    assert text.startswith("# 暂无活动\n") and "[]" not in text


def test_bad_activity_arguments_write_nothing(sample_copy: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = sample_copy / "stations/qibu/activities.yml"
    before = path.read_bytes()
    bad = [
        "--date",
        "2026-02-30",
        "--start",
        "25:00",
        "--end",
        "11:00",
        "--title",
        "x",
        "--place",
        "p",
        "--kind",
        "evnt",
    ]
    assert new(sample_copy, "activity", "qibu", *bad) == 1
    err = capsys.readouterr().err
    assert "--date: 日期不存在：2026-02-30" in err
    assert "--start: 时间不存在：25:00" in err
    assert "--kind: 应为活动类型之一" in err and "是不是想写 'event'" in err
    assert path.read_bytes() == before


def test_activity_ending_before_it_starts_is_refused(
    sample_copy: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert (
        new(
            sample_copy,
            "activity",
            "qibu",
            "--date",
            "2026-11-30",
            "--start",
            "11:00",
            "--end",
            "10:00",
            "--title",
            "x",
            "--place",
            "p",
        )
        == 1
    )
    assert "--end: 活动结束时间 10:00 应晚于开始时间 11:00" in capsys.readouterr().err


def test_duplicate_activity_and_unknown_station(
    sample_copy: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert new(sample_copy, "activity", "qibu", *ARGS) == 0
    path = sample_copy / "stations/qibu/activities.yml"
    before = path.read_bytes()
    assert new(sample_copy, "activity", "qibu", *ARGS) == 1
    assert "没有重复添加" in capsys.readouterr().err
    assert path.read_bytes() == before
    assert new(sample_copy, "activity", "qibuu", *ARGS) == 1
    assert "是不是想写 'qibu'" in capsys.readouterr().err


def test_a_file_that_already_has_errors_is_not_touched(
    sample_copy: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = sample_copy / "stations/qibu/activities.yml"
    path.write_text("- date: 2026-11-20\n  start: [\n", encoding="utf-8")
    before = path.read_bytes()
    assert new(sample_copy, "activity", "qibu", *ARGS) == 1
    assert "格式错误" in capsys.readouterr().err
    assert path.read_bytes() == before
