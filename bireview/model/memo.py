"""What a running `serve` keeps between builds: what reading an input gave, and what was derived from it."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any, TypeVar

V = TypeVar("V")


class Memo:
    """What reading an input gave, kept between the builds of a running `serve`: an entry is read
    again only after one of its files changed (`forget`), and what is derived from entries is made
    again only when they changed (`keep`, `keep_equal`). A build without one reads everything."""

    def __init__(self, keeping: bool = True) -> None:
        self.entries: dict[tuple[str, Path], Any] = {}
        self.kept: dict[tuple[str, str], tuple[tuple[Any, ...], Any]] = {}  # see keep
        # A build that is not followed by another (not serve's) keeps nothing derived: it would
        # only weigh on every process (20 MiB at 2,000 pages per language).
        self.keeping = keeping

    def keep(self, kind: str, key: str, inputs: tuple[Any, ...], compute: Callable[[], V]) -> V:
        """`compute()`, made again only when one of `inputs` is not the very object it was made from
        (what is read again after a change is a new object; what is not is the same one)."""
        if not self.keeping:
            return compute()
        entry = self.kept.get((kind, key))
        if (
            entry is None
            or len(entry[0]) != len(inputs)
            or any(a is not b for a, b in zip(entry[0], inputs, strict=True))
        ):
            entry = self.kept[(kind, key)] = (inputs, compute())
        kept: V = entry[1]
        return kept

    def keep_equal(self, kind: str, key: str, inputs: tuple[Any, ...], compute: Callable[[], V]) -> V:
        """`compute()`, made again only when `inputs` are no longer equal to those it was made from
        (each compared by identity first, then by value)."""
        if not self.keeping:
            return compute()
        entry = self.kept.get((kind, key))
        if entry is None or entry[0] != inputs:
            entry = self.kept[(kind, key)] = (inputs, compute())
        kept: V = entry[1]
        return kept

    def get(self, kind: str, path: Path, compute: Callable[[], V]) -> V:
        """The result of `compute` for the file or folder `path`, made once until it changes."""
        if (kind, path) not in self.entries:
            self.entries[(kind, path)] = compute()
        found: V = self.entries[(kind, path)]
        return found

    def forget(self, changed: Iterable[Path]) -> None:
        names = {str(file) for file in changed}
        for kind, path in list(self.entries):
            # a file itself, a file in a folder read whole (bib/), or a folder that changed (a move, a rename)
            name = str(path)
            if name in names or any(file.startswith(name + "/") or name.startswith(file + "/") for file in names):
                del self.entries[(kind, path)]
