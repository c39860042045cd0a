"""Golden validation cases: each YAML file in tests/golden/validation/ is one bad (or tricky) input.

A case changes a fresh copy of the sample repository and lists every message ``stationsite check``
must print, exactly. To rewrite the expected messages after a deliberate wording change, run
``STATIONSITE_REGEN_GOLDEN=1 pytest tests/test_validation_golden.py`` and review the diff.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
import yaml

from generator.cli import main

CASES = sorted((Path(__file__).parent / "golden" / "validation").glob("*.yml"))
REGEN = os.environ.get("STATIONSITE_REGEN_GOLDEN") == "1"


def apply_case(case: dict, repo: Path) -> None:
    for rel in case.get("remove", []):
        target = repo / rel
        shutil.rmtree(target) if target.is_dir() else target.unlink()
    for src, dest in case.get("copy", {}).items():
        shutil.copytree(repo / src, repo / dest) if (repo / src).is_dir() else shutil.copy(
            repo / src, repo / dest
        )
    for rel, edits in case.get("edits", {}).items():
        # A few words changed in a sample file, the rest of it untouched (as an editor would).
        path = repo / rel
        text = path.read_text(encoding="utf-8")
        for old, new in edits:
            assert old in text, (rel, old)
            text = text.replace(old, new, 1)
        path.write_text(text, encoding="utf-8")
    for rel, text in case.get("files", {}).items():
        path = repo / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    for rel, spec in case.get("bytes", {}).items():
        path = repo / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        text = spec["text"].replace("\n", spec.get("newline", "\n"))
        data = (b"\xef\xbb\xbf" if spec.get("bom") else b"") + text.encode(spec.get("encoding", "utf-8"))
        path.write_bytes(data * spec.get("repeat", 1))
    for rel, target in case.get("symlinks", {}).items():
        (repo / rel).symlink_to(target)


@pytest.mark.parametrize("case_path", CASES, ids=[c.stem for c in CASES])
def test_golden_case(case_path: Path, sample_copy: Path, capsys: pytest.CaptureFixture[str]) -> None:
    case = yaml.safe_load(case_path.read_text(encoding="utf-8"))
    apply_case(case, sample_copy)
    status = main(["check", "--root", str(sample_copy)])
    out, err = capsys.readouterr()
    lines = [ln for ln in out.splitlines() if ln.strip() and not ln.startswith("内容检查通过")]
    if REGEN:
        case["expected"] = lines
        case_path.write_text(
            yaml.safe_dump(case, allow_unicode=True, sort_keys=False, width=200), encoding="utf-8"
        )
    assert "Traceback" not in out + err
    assert lines == case["expected"]
    assert status == (1 if case["expected"] else 0)


def test_every_golden_case_names_file_and_line() -> None:
    """A message without a file is no use to an editor: every expected message starts with one."""
    for case_path in CASES:
        case = yaml.safe_load(case_path.read_text(encoding="utf-8"))
        for message in case["expected"]:
            assert message.split(":", 1)[0].startswith(("content/", "stations/", "docs/")), message
