"""Aligning English units with the Chinese units they translate: a pure function.

Staleness comes from the fingerprint of the Chinese text recorded in the English
unit (`{#ra-3 source=…}`), never from file times (pelican's process_translations
pairs pages the same way, as data in and data out).
"""

from __future__ import annotations

import re
from enum import StrEnum

from bireview.model.pages import Page, Unit, plain_text
from bireview.problems import Problem
from bireview.records import record

CJK = re.compile(r"[\u3400-\u9fff]")
# A clause left in Chinese: eight ideographs in a row (white space aside). The English edition allows
# Chinese only in translator's notes and citations; a name or a quoted term is shorter.
CHINESE_RUN = re.compile(r"[\u3400-\u9fff]{8,}")


class Status(StrEnum):
    TRANSLATED = "translated"
    STALE = "stale"
    MISSING = "missing"


@record
class Pair:
    """One Chinese unit and what the English edition has for it."""

    zh: Unit
    en: Unit | None
    status: Status


@record
class PageAlignment:
    zh: Page
    en: Page | None  # None: no English file at all, the page falls back to Chinese
    pairs: tuple[Pair, ...]
    statuses: dict[str, Status]  # the same statuses, by Chinese unit id

    def count(self, status: Status) -> int:
        return sum(1 for pair in self.pairs if pair.status is status)

    def status(self, unit_id: str) -> Status:
        return self.statuses[unit_id]


def unit_status(zh: Unit, en: Unit | None) -> Status:
    """Missing where there is no English, none recorded, or English that still holds the Chinese."""
    if en is None or not en.recorded or untranslated(zh, en):
        return Status.MISSING
    return Status.TRANSLATED if en.recorded == zh.fingerprint else Status.STALE


def align(zh: Page, en: Page | None) -> tuple[PageAlignment, list[Problem]]:
    """Pair every Chinese unit with its English unit by id; report English units with no source."""
    english = {unit.id: unit for unit in en.units} if en else {}
    pairs = tuple(
        Pair(zh=unit, en=english.get(unit.id), status=unit_status(unit, english.get(unit.id))) for unit in zh.units
    )
    problems = []
    if en is not None:
        known = {unit.id for unit in zh.units}
        problems = [
            Problem(
                en.rel,
                unit.id_line or unit.line,
                "translation/orphan",
                f"English unit '{unit.id}' translates no Chinese unit of {zh.rel}",
                "remove it, or fix its {#id} to match the Chinese paragraph",
            )
            for unit in en.units
            if unit.id not in known
        ]
    statuses = {pair.zh.id: pair.status for pair in pairs}
    return PageAlignment(zh=zh, en=en, pairs=pairs, statuses=statuses), problems


def untranslated(zh: Unit, en: Unit) -> bool:
    """The English unit still holds Chinese: the very text of the Chinese unit (as `scaffold` inserts
    it), or prose (citation keys and translator's notes set aside) that is over a quarter Chinese or
    keeps a Chinese clause. A cell such as '24' reads the same in both languages and is not untranslated."""
    flow = en.words.flow  # every unit's status asks: the common case (no Chinese at all) returns at once
    if flow.isascii() or CJK.search(flow) is None:
        return False
    prose = plain_text(en, notes=False, separator="")
    if CJK.search(prose) is None:
        return False
    return en.fingerprint == zh.fingerprint or still_chinese("".join(prose.split()))


def still_chinese(prose: str) -> bool:
    """Prose (citations and translator's notes set aside, white space removed) that is not English yet:
    more than a quarter Chinese, or a Chinese clause left in it (a sentence without a match in a CAT tool)."""
    chinese = len(CJK.findall(prose))
    return chinese > 0 and (chinese > len(prose) // 4 or CHINESE_RUN.search(prose) is not None)
