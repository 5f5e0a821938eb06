"""Translation quality checks run by `check`: citation, number and terminology parity, and house style.

Each check compares one English unit with the Chinese unit it translates and
reports at the English unit's line, quoting both texts so the fix is obvious.
"""

from __future__ import annotations

import re

from bireview.model.alignment import Pair, Status, untranslated
from bireview.model.citations import CitationIndex, label_runs, unit_keys
from bireview.model.glossary import Term
from bireview.model.pages import Unit, plain_text
from bireview.model.review import Review
from bireview.model.studies import Study
from bireview.problems import Problem, relative
from bireview.records import record

NUMBER = re.compile(r"\d+(?:\.\d+)?")


@record
class StyleRule:
    """A form the English edition does not print, and the form it prints instead."""

    pattern: re.Pattern[str]
    name: str
    fix: str


# Matched against the text as written (10^6^ is a superscript 6), as a translator will search for it.
ENGLISH_STYLE = (
    StyleRule(
        re.compile(r"×10\^\d+\^ ?/ ?kg"), "a dose per kilogram without its unit", "write doses as '1×10^6^ cells/kg'"
    ),
    StyleRule(
        re.compile(r"(?<![\w.])\d+(?:\.\d+)?-\d+(?:\.\d+)?(?![\w.])"),
        "a range with a hyphen",
        "write ranges with an en dash: '6–19 months'",
    ),
    StyleRule(
        re.compile(r"monocyte chemotactic protein", re.I),
        "'monocyte chemotactic protein'",
        "write 'monocyte chemoattractant protein-1 (MCP-1)'",
    ),
)
CENTURY_DECADE = re.compile(r"(\d+)世纪(\d+)年代")  # 20世纪70年代 is the 1970s


def numbers(text: str) -> set[str]:
    text = CENTURY_DECADE.sub(lambda m: str((int(m.group(1)) - 1) * 100 + int(m.group(2))), text)
    return set(NUMBER.findall(text))


def label(numbers_cited: set[int]) -> str:
    runs = label_runs(sorted(numbers_cited))
    return "[" + ",".join(str(r.first) if r.first == r.last else f"{r.first}-{r.last}" for r in runs) + "]"


def check_translations(review: Review, index: CitationIndex, terms: list[Term]) -> list[Problem]:
    problems: list[Problem] = []
    for alignment in review.alignments:
        if alignment.en is None:
            continue
        for pair in alignment.pairs:
            if pair.en is None or not pair.en.recorded:
                continue
            where = (alignment.en.rel, english_line(pair.en))
            if untranslated(pair.zh, pair.en):
                problems.append(
                    Problem(
                        *where,
                        "translation/still-chinese",
                        f"'{pair.zh.id}' is recorded as translated but still holds the Chinese text",
                        "translate it, then run `python build.py mark-current " + pair.zh.id + "`",
                    )
                )
                continue
            problems += citation_parity(pair.zh, pair.en, index, where)
            problems += number_parity(pair.zh, pair.en, where)
            problems += link_parity(pair.zh, pair.en, where)
            problems += terminology(pair.zh, pair.en, terms, where)
            problems += english_style(pair.en.text, f"'{pair.en.id}'", where)
    return problems


# A Markdown link's or image's target: `](target)` or `](target "title")`
LINK_TARGET = re.compile(r"\]\(\s*<?([^\s)>]+)")


def link_parity(zh: Unit, en: Unit, where: tuple[str, int]) -> list[Problem]:
    """A link or image the Chinese does not have: an imported translation could bring a link to any
    site; the English links where the Chinese links (a translator's note names a source in words)."""
    foreign = sorted(set(LINK_TARGET.findall(en.text)) - set(LINK_TARGET.findall(zh.text)))
    return [
        Problem(
            *where,
            "translation/foreign-link",
            f"'{zh.id}' links to {target}, which the Chinese does not",
            "link only where the Chinese links; name another source in words in a translator's note",
        )
        for target in foreign
    ]


def english_style(text: str, what: str, where: tuple[str, int]) -> list[Problem]:
    """The house style of the English edition: doses, ranges and terms in the one form it prints."""
    return [
        Problem(*where, "translation/style", f"style: {what} writes {rule.name}: “{match.group()}”", rule.fix)
        for rule in ENGLISH_STYLE
        for match in rule.pattern.finditer(text)
    ]


def check_studies(review: Review) -> list[Problem]:
    """Each study record says only what its paragraph says: its numbers occur there, its reference is cited there."""
    problems: list[Problem] = []
    for study in review.studies:
        alignment = review.alignment(study.disease)
        pair = next(p for p in alignment.pairs if p.zh.id == study.unit)
        where = (relative(review.config.data / "studies.yaml", review.config.root), study.line)
        if study.cite not in unit_keys(pair.zh):
            problems.append(
                Problem(
                    *where,
                    "studies/citation",
                    f"study '{study.id}': paragraph {study.unit} does not cite '{study.cite}'",
                    "point 'unit' at the paragraph that discusses the study",
                )
            )
        problems += study_note(study, pair, where)
        for field in study.fields:
            problems += english_style(study.value(field, "en"), f"study '{study.id}' ({field})", where)
        texts = {"zh": numbers(plain_text(pair.zh))}
        if pair.en is not None and pair.status is not Status.MISSING:
            texts["en"] = numbers(plain_text(pair.en))
        for lang, found in texts.items():
            for field in study.fields:
                stray = numbers(study.value(field, lang)) - found
                if stray:
                    problems.append(
                        Problem(
                            *where,
                            "studies/numbers",
                            f"study '{study.id}': {', '.join(sorted(stray, key=float))} in "
                            f"{field} ({lang}) does not occur in paragraph {study.unit}",
                            "state only what the paragraph states, or fix the record",
                        )
                    )
    return problems


def study_note(study: Study, pair: Pair, where: tuple[str, int]) -> list[Problem]:
    """A translator's note in the English of a study's paragraph that cites the study's reference
    corrects what the paragraph says about that study; the record, taken from the same words,
    repeats the error unless it carries a note of its own."""
    if study.note or pair.en is None or pair.status is Status.MISSING:
        return []
    if study.cite not in unit_keys(pair.en, text=False):
        return []
    return [
        Problem(
            *where,
            "studies/note",
            f"study '{study.id}': the translator's note in {study.unit} corrects what the source says "
            f"of '{study.cite}', but the record has no note",
            "repeat the correction in the record: note: {field: …, zh: …, en: …}",
        )
    ]


def english_line(unit: Unit) -> int:
    """Where a translator fixes a unit: its item or table row, else its block's `{#id}` line."""
    if unit.kind in ("list_item", "table_cell"):
        return unit.line
    return unit.id_line or unit.line


def citation_parity(zh: Unit, en: Unit, index: CitationIndex, where: tuple[str, int]) -> list[Problem]:
    numbers = index.numbers
    source = {numbers[k] for k in unit_keys(zh) if k in numbers}
    main = {numbers[k] for k in unit_keys(en, notes=False) if k in numbers}
    explained = {numbers.get(k) for k in unit_keys(en, text=False)}
    if (source ^ main) <= explained:
        return []
    return [
        Problem(
            *where,
            "translation/citations",
            f"citation parity: '{en.id}' cites {label(main)} but the Chinese cites {label(source)}",
            "cite the same references on the same sentences, or explain a correction in a "
            "[Translator's note: …]{.translator-note} that cites both",
        )
    ]


def number_parity(zh: Unit, en: Unit, where: tuple[str, int]) -> list[Problem]:
    missing = numbers(plain_text(zh)) - numbers(plain_text(en))
    if not missing:
        return []
    return [
        Problem(
            *where,
            "translation/numbers",
            f"number parity: '{en.id}' lacks {', '.join(sorted(missing, key=float))} of the Chinese; "
            f"zh: “{flat(zh.text)}” en: “{flat(en.text)}”",
            "write every number of the Chinese in the English, as digits",
        )
    ]


def terminology(zh: Unit, en: Unit, terms: list[Term], where: tuple[str, int]) -> list[Problem]:
    chinese, english = plain_text(zh), plain_text(en).lower()
    return [
        Problem(
            *where,
            "translation/terminology",
            f"terminology: the Chinese of '{en.id}' uses {term.zh} but the English has neither "
            f"'{term.en}'" + (f" nor '{term.abbr}'" if term.abbr else ""),
            "use the glossary's translation (data/glossary.yaml) or change the glossary",
        )
        for term in terms
        if term.zh in chinese and term.en.lower() not in english and not (term.abbr and term.abbr.lower() in english)
    ]


def flat(text: str) -> str:
    return " ".join(text.split())
