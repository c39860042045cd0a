"""The second-core helper: the same answer and the same errors in a forked child as in this process."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from generator.site.sidejob import SideJob, can_fork


def child_pid_and_sum(numbers: list[int]) -> tuple[int, int]:
    return os.getpid(), sum(numbers)


def fails(message: str) -> None:
    raise ValueError(message)


@pytest.mark.skipif(not can_fork(), reason="needs fork and no other thread")
def test_work_runs_in_a_forked_child_and_returns_its_value() -> None:
    job = SideJob(child_pid_and_sum, [1, 2, 3])
    assert job.in_background
    pid, total = job.result()
    assert total == 6 and pid != os.getpid()


def test_without_fork_the_work_runs_here_when_asked_for() -> None:
    job = SideJob(child_pid_and_sum, [4, 5], background=False)
    assert not job.in_background
    assert job.result() == (os.getpid(), 9)


@pytest.mark.parametrize("background", [True, False])
def test_an_error_in_the_work_reaches_the_caller(background: bool) -> None:
    if background and not can_fork():
        pytest.skip("needs fork and no other thread")
    job = SideJob(fails, "磁盘已满", background=background)
    with pytest.raises(ValueError, match="磁盘已满"):
        job.result()


def writes_late_then_fails(path: str) -> None:
    import time

    time.sleep(0.3)  # still running when discard() is called
    Path(path).write_text("done", encoding="utf-8")
    raise ValueError("构建已失败")


def test_a_discarded_job_is_waited_for_and_its_error_ignored(tmp_path) -> None:
    if not can_fork():
        pytest.skip("needs fork and no other thread")
    marker = tmp_path / "written"
    job = SideJob(writes_late_then_fails, str(marker), background=True)
    job.discard()  # returns only once the child has ended; raises nothing
    assert marker.read_text(encoding="utf-8") == "done"
