"""A county adopts stationsite by installing it: ``stationsite init`` writes a content-only repository
that checks and builds, and a wheel installed into a fresh virtual environment does it all."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import venv
from pathlib import Path

import pytest

from generator import __version__
from generator.cli import main
from generator.content.load import load_content
from generator.content.naming import network_name, short_name
from generator.publishing.init import template_dir

REPO = Path(__file__).resolve().parent.parent
SAMPLE_WORDS = re.compile("示例|虚构|周宁|狮城|民政服务站")


def test_init_writes_a_content_only_repository_that_passes_check(tmp_path: Path, capsys) -> None:
    dest = tmp_path / "lezhi"
    assert main(["init", str(dest), "--county", "乐至县", "--site-url", "https://lezhi.example/"]) == 0
    files = sorted(p.relative_to(dest).as_posix() for p in dest.rglob("*") if p.is_file())
    for expected in (
        "mkdocs.yml",
        "requirements.txt",
        "README.md",
        ".gitignore",
        "content/county.yml",
        "content/indicators.yml",
        "stations/hub/station.yml",
        "docs/index.md",
        "docs/about.md",
        ".github/workflows/publish.yml",
        ".github/workflows/pull-request.yml",
        ".gitea/workflows/publish.yml",
        ".gitea/workflows/pull-request.yml",
    ):
        assert expected in files
    # No generator code and no copy of the theme: upgrading is one version number.
    assert not any(f.endswith(".py") or f.startswith(("theme/", "generator/")) for f in files)
    assert (dest / "requirements.txt").read_text(encoding="utf-8").splitlines()[
        -1
    ] == f"stationsite=={__version__}"
    assert "stationsite" in (dest / "mkdocs.yml").read_text(encoding="utf-8")
    content, problems = load_content(dest)
    assert problems == []
    assert content is not None and content.programme.network_name == "社工站"
    for path in files:
        text = (dest / path).read_text(encoding="utf-8")
        assert not SAMPLE_WORDS.search(text), path
    # The true counts are in results.yml: the clerks are told to keep the repository private.
    assert "这个仓库应设为私有" in (dest / "README.md").read_text(encoding="utf-8")
    capsys.readouterr()
    assert main(["check", "--root", str(dest)]) == 0


def test_init_refuses_a_directory_with_files_and_bad_names(tmp_path: Path, capsys) -> None:
    (tmp_path / "old").mkdir()
    (tmp_path / "old" / "keep.txt").write_text("x", encoding="utf-8")
    assert (
        main(["init", str(tmp_path / "old"), "--county", "乐至县", "--site-url", "https://x.example/"]) == 1
    )
    assert (tmp_path / "old" / "keep.txt").read_text(encoding="utf-8") == "x"
    assert "不是空目录" in capsys.readouterr().err
    assert main(["init", str(tmp_path / "new"), "--county", "Lezhi", "--site-url", "https://x.example/"]) == 1
    assert "县（区）名称" in capsys.readouterr().err
    assert main(["init", str(tmp_path / "new"), "--county", "乐至县", "--site-url", "lezhi.example"]) == 1
    assert "https://" in capsys.readouterr().err
    assert not (tmp_path / "new").exists()
    assert [p.name for p in tmp_path.iterdir()] == ["old"]  # no staging folder left behind


def test_the_sample_workflows_are_the_ones_init_writes() -> None:
    """This repository's sample county is a county repository like any other."""
    for host in ("github", "gitea"):
        for name in ("publish.yml", "pull-request.yml"):
            ours = REPO / f".{host}" / "workflows" / name
            shipped = template_dir() / f"dot-{host}" / "workflows" / name
            assert ours.read_text(encoding="utf-8") == shipped.read_text(encoding="utf-8"), ours


def test_the_shipped_rules_are_the_samples_with_the_countys_own_network_name() -> None:
    for shipped in sorted((template_dir() / "content" / "rules").glob("*.md.j2")):
        sample = REPO / "content" / "rules" / shipped.name.removesuffix(".j2")
        text = shipped.read_text(encoding="utf-8").replace("{{ network }}", "民政服务站")
        assert text == sample.read_text(encoding="utf-8"), shipped.name


@pytest.mark.parametrize(
    ("county", "name", "short"),
    [
        ("周宁县", "周宁县社工总站", "社工总站"),
        ("城关区", "城关区东山街道社会工作服务站", "东山街道"),
        ("周宁县", "周宁县狮城镇民政服务站", "狮城镇"),
        ("乐至县", "乐至县南塔街道三里社区社工室", "南塔街道三里社区"),
        ("乐至县", "仙鹤观社区示范社工室", "仙鹤观社区"),
        ("乐至县", "乐至县东山镇社会工作服务站", "东山镇"),
        ("琼中县", "琼中县社会工作服务总站", "社会工作服务总站"),
    ],
)
def test_short_names_of_every_station_kind_in_the_seeds(county: str, name: str, short: str) -> None:
    assert short_name(county, name) == short


def test_network_name_is_what_most_town_and_street_stations_say() -> None:
    assert network_name([("hub", "周宁县社工总站"), ("township", "周宁县狮城镇民政服务站")]) == "民政服务站"
    three_level = [
        ("hub", "乐至县社工总站"),
        ("street", "乐至县天池街道社工站"),
        ("township", "乐至县东山镇社工站"),
        ("community", "仙鹤观社区示范社工室"),
    ]
    assert network_name(three_level) == "社工站"
    assert network_name([("street", "城关区东山街道社会工作服务站")]) == "社会工作服务站"
    assert network_name([("township", "某某")]) == "社工站"


@pytest.mark.slow
def test_a_wheel_in_a_fresh_venv_inits_checks_and_builds_outside_the_repository(tmp_path: Path) -> None:
    """Exactly what a county does: pip install stationsite (a wheel, not editable), init, check, build."""
    # Built from a copy: setuptools writes build/ next to the sources, and a stale build/ of an
    # earlier run could slip old files into the wheel.
    source = tmp_path / "source"
    top_level_only = {".git", "node_modules", "site", "build", "dist", ".cache", "test-artifacts"}
    shutil.copytree(
        REPO,
        source,
        ignore=lambda folder, names: [
            n
            for n in names
            if (Path(folder) == REPO and n in top_level_only) or n == "__pycache__" or n.endswith(".egg-info")
        ],
    )
    wheels = tmp_path / "wheels"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "-q",
            "--no-deps",
            "-w",
            str(wheels),
            str(source),
        ],
        check=True,
        cwd=tmp_path,
    )
    (wheel,) = wheels.glob("stationsite-*.whl")
    env_dir = tmp_path / "venv"
    venv.create(env_dir, with_pip=True)
    python = env_dir / "bin" / "python"
    constraints = REPO / "constraints.txt"
    pip = [str(python), "-m", "pip", "install", "-q", "--disable-pip-version-check"]
    subprocess.run(
        pip + (["-c", str(constraints)] if constraints.exists() else []) + [str(wheel)], check=True
    )
    county = tmp_path / "county"
    environ = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    environ["PATH"] = f"{env_dir / 'bin'}{os.pathsep}{environ['PATH']}"
    where = subprocess.run(
        [
            str(python),
            "-c",
            "import generator, generator.themefiles as t; print(generator.__file__); print(t.theme_dir())",
        ],
        check=True,
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env=environ,
    ).stdout.split()
    assert all(Path(p).is_relative_to(env_dir) for p in where), where  # the wheel's, not this checkout's
    run = dict(cwd=tmp_path, env=environ, capture_output=True, text=True)
    stationsite = str(env_dir / "bin" / "stationsite")
    assert subprocess.run([stationsite, "--version"], **run).stdout.strip() == f"stationsite {__version__}"
    made = subprocess.run(
        [
            stationsite,
            "init",
            str(county),
            "--county",
            "乐至县",
            "--site-url",
            "https://lezhi.example/sub/",
            "--network",
            "社会工作服务站",
        ],
        **run,
    )
    assert made.returncode == 0, made.stderr
    run["cwd"] = county
    checked = subprocess.run([stationsite, "check"], **run)
    assert checked.returncode == 0, checked.stdout + checked.stderr
    built = subprocess.run([stationsite, "build"], **run)
    assert built.returncode == 0, built.stdout + built.stderr
    site = county / "site"
    for path in (
        "index.html",
        "stations/hub/index.html",
        "guide/index.html",
        "results/index.html",
        "posters/hub/board.pdf",
        "posters/hub/all.pdf",
        "data/results.csv",
        "data/datapackage.json",
        "calendar/all.ics",
        "feed.xml",
        "assets/stationsite.css",
    ):
        assert (site / path).is_file(), path
    assert not any(
        (site / d).exists() for d in ("pages", "posters/board.html.j2")
    )  # templates are not site files
    for path in site.rglob("*"):
        if path.suffix in {".html", ".json", ".csv", ".ics", ".xml", ".txt"}:
            text = path.read_text(encoding="utf-8", errors="replace")
            assert not SAMPLE_WORDS.search(text), path.relative_to(site)
    assert "乐至县社会工作服务站" in (site / "index.html").read_text(encoding="utf-8")


def test_check_says_what_an_old_fork_must_change(tmp_path: Path, capsys) -> None:
    dest = tmp_path / "fork"
    assert main(["init", str(dest), "--county", "乐至县", "--site-url", "https://lezhi.example/"]) == 0
    (dest / "docs" / "guide").mkdir()
    (dest / "docs" / "guide" / "activities.md").write_text("# 修改活动安排\n", encoding="utf-8")
    (dest / "theme" / "posters").mkdir(parents=True)
    (dest / "theme" / "posters" / "board.html.j2").write_text("旧模板", encoding="utf-8")
    config = dest / "mkdocs.yml"
    config.write_text(
        config.read_text(encoding="utf-8").replace(
            "  name: material\n", "  name: material\n  custom_dir: theme\n"
        ),
        encoding="utf-8",
    )
    capsys.readouterr()
    assert main(["check", "--root", str(dest)]) == 1
    out = capsys.readouterr().out
    assert "docs/guide/activities.md: 从 stationsite 0.2.0 起" in out and "删除这个文件" in out
    assert "theme/posters/: 从 stationsite 0.2.0 起" in out and "只放那一个文件" in out
