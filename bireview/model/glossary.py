"""data/glossary.yaml -> Term records: the review's bilingual terms and abbreviations."""

from __future__ import annotations

import re
from pathlib import Path

from bireview.model.inputs import TEXT, check_types
from bireview.model.sources import read_yaml_list
from bireview.problems import Problem, relative
from bireview.records import record

TERM = {"zh": TEXT, "en": TEXT, "abbr": TEXT}


@record
class Term:
    zh: str
    en: str
    abbr: str
    line: int


def load_glossary(path: Path, root: Path) -> tuple[list[Term], list[Problem]]:
    """data/glossary.yaml: a list of {zh, en, abbr} entries."""
    entries, problems = read_yaml_list(path, root, "glossary")
    terms = []
    rel = relative(path, root)
    for entry, line in entries:
        if not isinstance(entry, dict) or not entry.get("zh") or not entry.get("en"):
            problems.append(
                Problem(
                    rel,
                    line,
                    "glossary/entry",
                    "a glossary entry needs 'zh' and 'en'",
                    "write it as '- zh: …' with 'en: …' (and 'abbr: …' if there is one)",
                )
            )
            continue
        wrong = check_types(entry, TERM, rel, line, "glossary/type")
        if wrong:
            problems += wrong
            continue
        terms.append(Term(zh=str(entry["zh"]), en=str(entry["en"]), abbr=str(entry.get("abbr") or ""), line=line))
    return terms, problems


def abbreviation_pattern(terms: list[Term]) -> re.Pattern[str] | None:
    """One regex for every abbreviation, longest first, not inside a longer Latin word."""
    abbreviations = sorted({t.abbr for t in terms if t.abbr}, key=lambda a: (-len(a), a))
    if not abbreviations:
        return None
    alternatives = "|".join(re.escape(a) for a in abbreviations)
    return re.compile(rf"(?<![A-Za-z0-9\-])(?:{alternatives})(?![A-Za-z0-9\-])")
