"""Problems found in the input, each tied to a file and a line.

A build collects every problem it can find before it stops, so that an author
fixes them all in one pass instead of one per run (as mkdocs and Sphinx do).
"""

from __future__ import annotations

from pathlib import Path

from bireview.records import record


@record
class Problem:
    """One thing wrong with the input: where, what, and how to fix it."""

    path: str
    line: int
    category: str
    message: str
    fix: str

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else self.path  # line 0: an option or a whole folder
        return f"{where}: {self.message} — {self.fix}"


class BuildFailed(Exception):
    """Raised once, with every problem of a stage, when the build cannot go on."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__("\n".join(str(p) for p in problems))
        self.problems = sorted(problems, key=lambda p: (p.path, p.line, p.message))

    def __reduce__(self) -> tuple[type, tuple[list[Problem]]]:
        return (BuildFailed, (self.problems,))  # a worker process's failure reaches the parent whole


def relative(path: Path, root: Path) -> str:
    """The path as a reader types it: relative to the project root where possible."""
    try:
        return path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return path.as_posix()


def raise_if_any(problems: list[Problem]) -> None:
    if problems:
        raise BuildFailed(problems)
