"""Shared fixtures. The build date is pinned so the sample's "this week" is the same on every run."""

from __future__ import annotations

import datetime as dt
import importlib.util
import os
import shutil
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
# Sunday 2026-11-22 12:00 Asia/Shanghai: the sample's activities cover this week and the next four.
PINNED_DAY = dt.datetime(2026, 11, 22, 12, 0, tzinfo=dt.timezone(dt.timedelta(hours=8)))
os.environ["SOURCE_DATE_EPOCH"] = str(int(PINNED_DAY.timestamp()))

sys.path.insert(0, str(REPO / "benchmarks"))
from synthetic import SAMPLE_COPY_IGNORE  # noqa: E402  (one list for the tests and benchmarks)

COPY_IGNORE = shutil.ignore_patterns(*SAMPLE_COPY_IGNORE)


def browser_unavailable(reason: str) -> None:
    """Skip a browser test module on a developer machine without the browser or its driver; on CI
    (which installs them) that is a failure."""
    if os.environ.get("CI"):
        pytest.fail(f"{reason}: CI must run the browser tests (.ci/setup installs them)", pytrace=False)
    pytest.skip(reason, allow_module_level=True)


@pytest.fixture(scope="session")
def repo_root() -> Path:
    return REPO


@pytest.fixture(scope="session")
def sample_content():
    """The sample county, loaded and validated once per session."""
    from generator.content.load import load_content

    content, problems = load_content(REPO)
    assert not problems, "\n".join(map(str, problems))
    return content


@pytest.fixture()
def sample_copy(tmp_path: Path) -> Path:
    """A writable copy of the sample repository (content, stations, docs, theme, mkdocs.yml)."""
    dest = tmp_path / "repo"
    shutil.copytree(REPO, dest, ignore=COPY_IGNORE, symlinks=True)
    return dest


@pytest.fixture(scope="session")
def built_repo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the sample repository, built once per session with ``stationsite build`` (posters too).

    The poster cache (fonts subset once, PDFs by input hash) is shared with the working tree's
    ``.cache/`` so repeated local runs do not subset the CJK font again; CI starts cold.
    """
    from generator.cli import main

    root = tmp_path_factory.mktemp("built") / "repo"
    shutil.copytree(REPO, root, ignore=COPY_IGNORE, symlinks=True)
    (REPO / ".cache").mkdir(exist_ok=True)
    (root / ".cache").symlink_to(REPO / ".cache")
    assert main(["build", "--root", str(root)]) == 0
    return root


@pytest.fixture(scope="session")
def built_site(built_repo: Path) -> Path:
    """The sample county's built site directory (pages, posters, open data)."""
    return built_repo / "site"


def need_zensical() -> None:
    """Skip (fail under CI) a test that needs the Zensical engine where it is not installed."""
    if importlib.util.find_spec("zensical") is None:
        message = "Zensical is not installed (pip install -e '.[zensical]')"
        if os.environ.get("CI"):
            pytest.fail(f"{message}: CI must build with both engines (.ci/setup installs it)", pytrace=False)
        pytest.skip(message)


@pytest.fixture(scope="session")
def zensical_repo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The same copy of the sample built with ``stationsite build --engine zensical`` (posters too)."""
    from generator.cli import main

    need_zensical()
    root = tmp_path_factory.mktemp("zensical") / "repo"
    shutil.copytree(REPO, root, ignore=COPY_IGNORE, symlinks=True)
    (REPO / ".cache").mkdir(exist_ok=True)
    (root / ".cache").mkdir()
    (root / ".cache" / "posters").symlink_to(REPO / ".cache" / "posters", target_is_directory=True)
    assert main(["build", "--root", str(root), "--engine", "zensical"]) == 0
    return root


@pytest.fixture(scope="session")
def zensical_site(zensical_repo: Path) -> Path:
    """The sample county's site as Zensical renders it (pages), with the same posters and open data."""
    return zensical_repo / "site"
