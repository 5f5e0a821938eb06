"""Work spread over every core: worker processes forked from this one, results back in order.

Forking lets workers see what the parent has loaded without copying or pickling it; only what
they return travels (pickled). The results are the same, in the same order, however many cores.
"""

from __future__ import annotations

import multiprocessing
import operator
import os
from collections.abc import Callable
from typing import Any, TypeVar


def cores(workers: int | None = None) -> int:
    """The cores to use: `workers`, or all this process may run on."""
    if workers:
        return workers
    if hasattr(os, "sched_getaffinity"):  # Linux: the cores this process may run on
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1  # macOS and others have no affinity to ask for


R = TypeVar("R", bound=type[Any])


def sent_as_arguments(cls: R) -> R:
    """A frozen record (a slotted dataclass) pickled as its constructor's arguments. What workers
    send back travels faster: dataclasses' own way calls a Python function per field, per record,
    twice as slow to pickle 4,000 light pages."""
    fields = operator.attrgetter(*cls.__slots__)

    def reduce(record: object) -> tuple[type, Any]:
        return cls, fields(record)

    type.__setattr__(cls, "__reduce__", reduce)  # as `cls.__reduce__ = reduce`, which type checkers refuse
    return cls


T = TypeVar("T")
FORKED: Callable[[int], Any] | None = None  # the work of the running fork_map, inherited by its workers


class Abandoned(Exception):
    """A `fork_map` given up, its workers stopped, because its `abandon` said so."""


ABANDON_POLL = 0.01  # seconds between two looks at `abandon`


def fork_map(
    work: Callable[[int], T],
    count: int,
    workers: int | None = None,
    abandon: Callable[[], bool] | None = None,
    meanwhile: Callable[[], object] | None = None,
) -> list[T]:
    """`[work(0), …, work(count - 1)]`, computed by worker processes forked from this one, on every core.

    Forked workers see everything this process holds without copying or pickling it; only the
    results travel back (pickled), in order. With one core, or where fork is unknown, it runs here.
    `meanwhile` is this process's own work, which needs none of theirs: done here while they run
    (a core's worth of waiting put to use), or first where there are none.
    While workers run, `abandon` is asked every ABANDON_POLL seconds: once it says yes, they are
    stopped and `Abandoned` raised (work done here is never abandoned: it is the small kind).
    """
    workers = min(cores(workers), count)
    if workers <= 1 or "fork" not in multiprocessing.get_all_start_methods():
        if meanwhile is not None:
            meanwhile()
        return [work(number) for number in range(count)]
    global FORKED
    FORKED = work
    try:
        with multiprocessing.get_context("fork").Pool(workers) as pool:  # leaving it stops the workers
            results = pool.map_async(run_forked, range(count), chunksize=1)
            if meanwhile is not None:
                meanwhile()
            while not results.ready():
                if abandon is not None and abandon():
                    raise Abandoned
                results.wait(ABANDON_POLL if abandon is not None else None)
            return results.get()
    finally:
        FORKED = None


def run_forked(number: int) -> Any:
    assert FORKED is not None
    return FORKED(number)
