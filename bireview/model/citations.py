"""Citation numbers by first use across the whole review, labels like [5-8], and back-links."""

from __future__ import annotations

from typing import TYPE_CHECKING

from bireview.model.bibliography import Reference
from bireview.model.pages import Block, Page, Unit
from bireview.problems import Problem
from bireview.records import record

if TYPE_CHECKING:
    from bireview.model.memo import Memo


@record
class Place:
    """Where a reference is cited: a page and the unit (paragraph) that cites it."""

    slug: str
    unit: str


@record
class Run:
    """A run of numbers in a label: one number, or a range of three or more."""

    first: int
    last: int


@record
class CitationIndex:
    numbers: dict[str, int]  # key -> global number, by first citation in reading order
    places: dict[str, tuple[Place, ...]]  # key -> every place citing it, in reading order
    by_number: dict[int, str]


def unit_keys(unit: Unit | Block, *, notes: bool = True, text: bool = True) -> list[str]:
    """Keys cited by a unit in order: in its text, in its translator's notes, or (default) both."""
    return [key for key, in_note in unit.cites if (notes if in_note else text)]


def number_citations(pages: tuple[Page, ...]) -> CitationIndex:
    """Number references by their first citation in the given (reading) order."""
    numbers: dict[str, int] = {}
    places: dict[str, list[Place]] = {}
    seen: set[tuple[str, str, str]] = set()
    for page in pages:
        for unit_id, key in page.cites:
            numbers.setdefault(key, len(numbers) + 1)
            if (key, page.slug, unit_id) not in seen:
                seen.add((key, page.slug, unit_id))
                places.setdefault(key, []).append(Place(page.slug, unit_id))
    return CitationIndex(
        numbers=numbers, places={k: tuple(v) for k, v in places.items()}, by_number={n: k for k, n in numbers.items()}
    )


def unknown_keys(pages: list[Page], references: dict[str, Reference]) -> list[Problem]:
    problems = []
    for page in pages:
        if all(key in references for _, key in page.cites):
            continue
        for unit in page.units:
            for key in unit_keys(unit):
                if key not in references:
                    problems.append(
                        Problem(
                            page.rel,
                            unit.line,
                            "citation/unknown-key",
                            f"unknown citation key '{key}'",
                            "add it to bib/references.bib or fix the key",
                        )
                    )
    return problems


def label_runs(numbers: list[int]) -> list[Run]:
    """[5,6,7,8] -> 5-8; [11,12] -> 11,12 (pairs stay a list); [28,38,39] -> 28,38,39."""
    runs: list[Run] = []
    for number in sorted(set(numbers)):
        if runs and number == runs[-1].last + 1:
            runs[-1] = Run(runs[-1].first, number)
        else:
            runs.append(Run(number, number))
    split: list[Run] = []
    for run in runs:
        if run.last - run.first == 1:
            split += [Run(run.first, run.first), Run(run.last, run.last)]
        else:
            split.append(run)
    return split


def uncited_on_page(page: Page, index: CitationIndex, references: dict[str, Reference]) -> list[Problem]:
    """The keys an English page cites that the Chinese edition never cites."""
    if all(key in index.numbers or key not in references for _, key in page.cites):
        return []
    fix = (
        "cite only references that the Chinese text cites; to point at another, name it in a translator's "
        "note without [@…]"
    )
    return [
        Problem(
            page.rel,
            unit.line,
            "citation/not-in-chinese",
            f"'{key}' is cited here but nowhere in the Chinese edition, so it has no number",
            fix,
        )
        for unit in page.units
        for key in dict.fromkeys(unit_keys(unit))
        if key in references and key not in index.numbers
    ]


def numbered(pages: tuple[Page, ...], memo: Memo) -> CitationIndex:
    """The references' numbers, made again only when the Chinese pages' citations changed."""
    cites = tuple((page.slug, page.cites) for page in pages)  # the numbers follow from these alone
    return memo.keep_equal("numbers", "", (cites,), lambda: number_citations(pages))
