"""data/glossary.yaml -> Term records: the review's bilingual terms and abbreviations."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import yaml

from .problems import Problem, relative


@dataclass(frozen=True, slots=True)
class Term:
    zh: str
    en: str
    abbr: str
    line: int


def load_glossary(path: Path, root: Path) -> tuple[list[Term], list[Problem]]:
    """data/glossary.yaml: a list of {zh, en, abbr} entries."""
    if not path.exists():
        return [], []
    rel = relative(path, root)
    text = path.read_text(encoding="utf-8")
    try:
        entries = yaml.safe_load(text) or []
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        return [], [Problem(rel, mark.line + 1 if mark else 1, "glossary/yaml", f"malformed glossary YAML: {error}",
                            "fix the YAML syntax")]
    starts = [number for number, line in enumerate(text.split("\n"), start=1) if line.startswith("- ")]
    terms, problems = [], []
    for position, entry in enumerate(entries):
        line = starts[position] if position < len(starts) else 1
        if not isinstance(entry, dict) or not entry.get("zh") or not entry.get("en"):
            problems.append(Problem(rel, line, "glossary/entry", "a glossary entry needs 'zh' and 'en'",
                                    "write it as '- zh: …' with 'en: …' (and 'abbr: …' if there is one)"))
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
