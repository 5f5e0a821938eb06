"""bib/*.bib -> Reference records, every malformed or duplicate entry reported with its line."""

from __future__ import annotations

import logging
import re
from pathlib import Path

import bibtexparser
import bibtexparser.middlewares as middlewares
from bibtexparser.model import DuplicateBlockKeyBlock, Entry
from markupsafe import Markup, escape

from bireview.model.inputs import DOI, DOI_FIX, TEXT, check_types, read_text
from bireview.model.markdown import CITATION_KEY
from bireview.model.sources import read_yaml, yaml_key_lines
from bireview.problems import Problem, relative
from bireview.records import record

REQUIRED = ("author", "title", "journal", "year")
# content/en/references.yaml: the English of a Chinese reference.
REFERENCE_TRANSLATION = {"authors": [TEXT], "title": TEXT, "journal": TEXT, "note": TEXT}
SUPERSCRIPT = re.compile(r"\\textsuperscript\{([^{}]*)\}")


@record
class Person:
    family: str
    given: str  # initials as printed, e.g. "YJ"; empty for Chinese names


@record
class Reference:
    key: str
    path: str
    line: int
    authors: tuple[Person, ...]
    et_al: bool  # the source lists only the first authors ("and others")
    title: Markup
    journal: str
    year: str
    volume: str
    number: str
    pages: str
    doi: str
    language: str  # "chinese" or "english", from langid
    raw: str = ""  # the entry as the .bib writes it (braces, LaTeX commands): what references.bib gives back

    @property
    def is_chinese(self) -> bool:
        return self.language == "chinese"


def load_bibliography(folder: Path, root: Path) -> tuple[dict[str, Reference], list[Problem]]:
    """All references of every `.bib` file in `folder`, keyed by citation key."""
    references: dict[str, Reference] = {}
    problems: list[Problem] = []
    logging.getLogger("bibtexparser").setLevel(logging.CRITICAL)  # we report failures ourselves
    for path in sorted(folder.glob("*.bib")):
        rel = relative(path, root)
        text = read_text(path, root)
        if isinstance(text, Problem):
            problems.append(text)
            continue
        library = bibtexparser.parse_string(
            text,
            append_middleware=[middlewares.SeparateCoAuthors(), middlewares.SplitNameParts()],
        )
        problems += [failed_block_problem(block, rel) for block in library.failed_blocks]
        for entry in library.entries:
            reference = make_reference(entry, rel, problems)
            if reference is None:
                continue
            if reference.key in references:
                first = references[reference.key]
                problems.append(
                    Problem(
                        rel,
                        reference.line,
                        "bib/duplicate-key",
                        f"duplicate citation key '{reference.key}', first defined at {first.path}:{first.line}",
                        "rename or remove one of the two entries",
                    )
                )
                continue
            references[reference.key] = reference
    return references, problems


def failed_block_problem(block: object, rel: str) -> Problem:
    line = getattr(block, "start_line", 0) + 1
    raw = getattr(block, "raw", "").strip().splitlines()
    head = raw[0] if raw else ""
    if isinstance(block, DuplicateBlockKeyBlock):
        return Problem(
            rel,
            line,
            "bib/duplicate-key",
            f"duplicate citation key '{block.key}'",
            "rename or remove one of the entries with this key",
        )
    return Problem(
        rel,
        line,
        "bib/malformed",
        f"malformed BibTeX entry '{head}'",
        "check that every field reads 'name = {value},' and that the braces balance",
    )


def make_reference(entry: Entry, rel: str, problems: list[Problem]) -> Reference | None:
    fields = {name: field.value for name, field in entry.fields_dict.items()}
    line = (entry.start_line or 0) + 1  # bibtexparser gives every entry read from a file its line
    missing = [name for name in REQUIRED if not fields.get(name)]
    if missing:
        problems.append(
            Problem(
                rel,
                line,
                "bib/missing-field",
                f"entry '{entry.key}' has no {', '.join(missing)}",
                "add the field as the source prints it",
            )
        )
        return None
    doi = unbrace(fields.get("doi", ""))
    if doi and not DOI.fullmatch(doi):
        problems.append(
            Problem(rel, line, "bib/doi", f"entry '{entry.key}' gives the DOI {doi!r}, which is not one", DOI_FIX)
        )
    names = [name for name in fields["author"] if not (name.last == ["others"] and not name.first)]
    return Reference(
        key=entry.key,
        path=rel,
        line=line,
        authors=tuple(
            Person(family=unbrace(" ".join(n.von + n.last)), given=unbrace(" ".join(n.first))) for n in names
        ),
        et_al=len(names) < len(fields["author"]),
        title=latex_to_markup(fields["title"]),
        journal=unbrace(fields["journal"]),
        year=unbrace(fields["year"]),
        volume=unbrace(fields.get("volume", "")),
        number=unbrace(fields.get("number", "")),
        pages=unbrace(fields.get("pages", "")).replace("--", "-"),
        doi=unbrace(fields.get("doi", "")),
        language=unbrace(fields.get("langid", "english")).lower(),
        raw=(entry.raw or "").strip(),
    )


def unbrace(text: str) -> str:
    """BibTeX case-protecting braces are markup for BibTeX, not text for the reader."""
    return text.replace("{", "").replace("}", "").strip()


def latex_to_markup(text: str) -> Markup:
    """A title as safe HTML: escaped text, `\\textsuperscript{x}` as <sup>x</sup>.

    Only the title's ends are trimmed: the space after a superscript ("CD25^+^ regulatory") is a word break.
    """
    parts = SUPERSCRIPT.split(text.strip())
    html = "".join(
        str(escape(part.replace("{", "").replace("}", ""))) if i % 2 == 0 else f"<sup>{escape(part)}</sup>"
        for i, part in enumerate(parts)
    )
    return Markup(html.strip())


def nlm_pages(pages: str) -> str:
    """A page range as NLM (Citing Medicine) prints it: the last page drops the leading digits it
    shares with the first (331-340 -> 331-40, 2899-2907 -> 2899-907); anything else as it is."""
    first, dash, last = pages.partition("-")
    if not (dash and first.isdigit() and last.isdigit() and len(first) == len(last)):
        return pages
    if first == last:
        return first
    shared = next(i for i, (a, b) in enumerate(zip(first, last, strict=True)) if a != b)
    return f"{first}-{last[shared:]}"


def load_reference_translations(
    path: Path, root: Path, keys: set[str]
) -> tuple[dict[str, dict[str, object]], list[Problem]]:
    """content/en/references.yaml: the translator's English for Chinese references (authors, title, journal),
    and a translator's `note` on any reference whose entry is evidently wrong (Markdown, may cite `[@key]`)."""
    if not path.exists():
        return {}, []
    rel = relative(path, root)
    data, text, problems = read_yaml(path, root, "bib/translation")
    if problems:
        return {}, problems
    data = data or {}
    if not isinstance(data, dict):
        return {}, [
            Problem(
                rel,
                1,
                "bib/translation-yaml",
                "the file must map citation keys to their English",
                "write 'key:' then indented 'authors:', 'title:' and 'journal:'",
            )
        ]
    lines = yaml_key_lines(text)
    wrong: set[str] = set()
    for key, value in data.items():
        if isinstance(value, dict):
            found = check_types(value, REFERENCE_TRANSLATION, rel, lines.get(key, 1), "bib/translation-type")
            problems += [Problem(p.path, p.line, p.category, f"'{key}': {p.message}", p.fix) for p in found]
            wrong |= {key} if found else set()
        if key not in keys:
            problems.append(
                Problem(
                    rel,
                    lines.get(key, 1),
                    "bib/translation-unknown-key",
                    f"unknown citation key '{key}'",
                    "use a key from bib/references.bib",
                )
            )
        elif not isinstance(value, dict) or not (value.get("title") or value.get("note")):
            problems.append(
                Problem(
                    rel,
                    lines.get(key, 1),
                    "bib/translation-entry",
                    f"'{key}' needs at least an English 'title' or a translator's 'note'",
                    "add 'title: …' (or 'note: …') under the key",
                )
            )
        else:
            problems += [
                Problem(
                    rel,
                    lines.get(key, 1),
                    "bib/translation-note",
                    f"the note on '{key}' cites unknown citation key '{cited}'",
                    "use a key from bib/references.bib",
                )
                for cited in CITATION_KEY.findall(str(value.get("note") or ""))
                if cited not in keys
            ]
    return {k: v for k, v in data.items() if k in keys and isinstance(v, dict) and k not in wrong}, problems
