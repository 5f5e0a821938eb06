"""Work on every core (parallel.fork_map): the results in order, and work given up on request."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from bireview.build.workers import Abandoned, fork_map


def test_results_come_back_in_order_however_many_workers() -> None:
    assert fork_map(lambda number: number * number, 7, workers=2) == [0, 1, 4, 9, 16, 25, 36]
    assert fork_map(lambda number: number * number, 7, workers=1) == [0, 1, 4, 9, 16, 25, 36]


def test_abandoned_work_stops_its_workers_at_once(tmp_path: Path) -> None:
    """serve gives up the search index of an edit when a newer edit comes: the workers must stop
    then, not finish what they were doing (and write into a folder that is being removed)."""

    def work(number: int) -> int:
        time.sleep(1.0)
        (tmp_path / f"done-{number}").write_text("finished", encoding="utf-8")
        return number

    started = time.monotonic()
    with pytest.raises(Abandoned):
        fork_map(work, 2, workers=2, abandon=lambda: time.monotonic() > started + 0.1)
    assert time.monotonic() - started < 0.8  # not after the work's second
    time.sleep(1.2 - (time.monotonic() - started))
    assert list(tmp_path.iterdir()) == []  # the workers were stopped, not left to finish


def test_work_not_abandoned_is_all_done() -> None:
    asked = []
    assert fork_map(lambda number: number + 1, 3, workers=2, abandon=lambda: asked.append(1) and False) == [1, 2, 3]


@pytest.mark.parametrize("workers", [1, 2])
def test_meanwhile_is_done_here_while_the_workers_run(tmp_path: Path, workers: int) -> None:
    """The build writes the downloads while the pages render: done once, by this process, and (with
    workers) without waiting for them to finish."""
    done: list[float] = []

    def work(number: int) -> tuple[float, float]:
        started = time.monotonic()
        time.sleep(0.4)
        return started, time.monotonic()

    def meanwhile() -> None:
        (tmp_path / "meanwhile").write_text(str(os.getpid()), encoding="utf-8")
        done.append(time.monotonic())

    spans = fork_map(work, 2, workers=workers, meanwhile=meanwhile)
    assert len(done) == 1 and (tmp_path / "meanwhile").read_text(encoding="utf-8") == str(os.getpid())
    if workers > 1:
        assert all(done[0] < ended for _, ended in spans)
