"""Where a build's time went (`build.py --timings`): each stage, and each kind of work the workers did.

Like Hugo's `--templateMetrics`, for the people who keep a journal's templates and want to see what
a change costs, or where a long review's build spends its time. A stage's CPU time is counted apart
for this process and for the workers it forked (user + system, from the kernel's accounts of each,
`resource.getrusage`); each page is timed by the CPU time of the process that rendered it
(`time.process_time`), so that two workers sharing two cores with this process are not counted
twice. Timing changes nothing that is written: the site is byte-identical with or without it.
"""

from __future__ import annotations

import resource
import time
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from itertools import pairwise
from typing import TypeVar

from bireview.build.workers import cores
from bireview.records import record

# One kind of work: how many, their CPU seconds in all, and the costliest (its seconds and what it made).
Tally = tuple[int, float, float, str]
T = TypeVar("T")


@record
class Mark:
    stage: str
    wall: float  # seconds since the build started
    here: float  # CPU seconds of this process so far
    workers: float  # CPU seconds of the workers it forked that have ended so far


class Timings:
    """A progress callback (see `site.build`) that notes when each stage starts, and the tally of the
    work done in it, kind by kind (`timed`, `take`)."""

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        """Made when the command starts: what comes before the build's first stage (the libraries
        imported, the check for an unchanged site) is the stage "starting"."""
        self.clock = clock
        self.started = clock()
        self.marks = [self.mark("starting")]
        self.tallies: dict[str, Tally] = {}

    def __call__(self, stage: str) -> None:
        self.marks.append(self.mark(stage))

    def mark(self, stage: str) -> Mark:
        here = resource.getrusage(resource.RUSAGE_SELF)
        workers = resource.getrusage(resource.RUSAGE_CHILDREN)
        return Mark(
            stage, self.clock() - self.started, here.ru_utime + here.ru_stime, workers.ru_utime + workers.ru_stime
        )

    @contextmanager
    def timed(self, kind: str, made: str) -> Iterator[None]:
        """Tally the CPU time of what the body does as one piece of work of `kind`, which made `made`."""
        started = time.process_time()
        try:
            yield
        finally:
            self.add(kind, time.process_time() - started, made)

    def timing(self, kind: str, made: str, task: Callable[[], T]) -> Callable[[], T]:
        """`task`, tallied when it runs (see `timed`)."""

        def run() -> T:
            with self.timed(kind, made):
                return task()

        return run

    def add(self, kind: str, seconds: float, made: str) -> None:
        count, total, most, costliest = self.tallies.get(kind, (0, 0.0, -1.0, ""))
        if seconds > most:
            most, costliest = seconds, made
        self.tallies[kind] = (count + 1, total + seconds, most, costliest)

    def handed_over(self) -> dict[str, Tally]:
        """The tallies of this process since it last handed them over: a worker sends them back to
        the process that forked it (see `take`)."""
        tallies, self.tallies = self.tallies, {}
        return tallies

    def take(self, tallies: Mapping[str, Tally]) -> None:
        """A worker's tallies, added to these."""
        for kind, (count, total, most, costliest) in tallies.items():
            mine = self.tallies.get(kind, (0, 0.0, -1.0, ""))
            best = (most, costliest) if most > mine[2] else mine[2:]
            self.tallies[kind] = (mine[0] + count, mine[1] + total, *best)

    def report(self) -> str:
        """The stages with their wall and CPU time, then the work by kind, costliest first."""
        marks = [*self.marks, self.mark("")]
        used = cores()
        lines = [
            (
                f"timings: {marks[-1].wall:.2f} s in all on {used} core{'s' if used != 1 else ''}; "
                "CPU seconds are user + system, of this process and of the workers it forked"
            ),
            f"  {'stage':<26}{'wall s':>8}{'CPU here':>10}{'CPU workers':>13}",
        ]
        for mark, after in pairwise(marks):
            lines.append(
                f"  {mark.stage:<26}{after.wall - mark.wall:>8.2f}{after.here - mark.here:>10.2f}"
                f"{after.workers - mark.workers:>13.2f}"
            )
        first, last = marks[0], marks[-1]
        lines.append(
            f"  {'in all':<26}{last.wall - first.wall:>8.2f}{last.here - first.here:>10.2f}"
            f"{last.workers - first.workers:>13.2f}"
        )
        if self.tallies:
            lines.append(f"  {'work':<26}{'count':>8}{'CPU s':>10}{'mean ms':>10}{'max ms':>10}  costliest")
            costliest_first = sorted(self.tallies.items(), key=lambda item: (-item[1][1], item[0]))
            for kind, (count, total, most, costliest) in costliest_first:
                lines.append(
                    f"  {kind:<26}{count:>8,}{total:>10.2f}{1000 * total / count:>10.2f}{1000 * most:>10.2f}"
                    f"  {costliest}"
                )
        return "\n".join(lines)
