"""data/studies.yaml -> Study records: the clinical studies the review describes, field by field."""

from __future__ import annotations

from dataclasses import field
from pathlib import Path

from bireview.model.inputs import TEXT, TEXT_OR_NUMBER, check_types
from bireview.model.sources import read_yaml_list
from bireview.problems import Problem, relative
from bireview.records import record

# The bilingual fields of a study, in table order; a field the review does not state stays empty.
FIELDS = ("design", "patients", "source", "dose", "route", "schedule", "follow_up", "outcome", "adverse_events")
SOURCE_KINDS = ("bm", "uc", "adipose", "unspecified")
BILINGUAL = {"zh": TEXT_OR_NUMBER, "en": TEXT_OR_NUMBER}
RECORD = {
    "id": TEXT,
    "cite": TEXT,
    "disease": TEXT,
    "unit": TEXT,
    "source_kind": TEXT,
    **{name: BILINGUAL for name in FIELDS},
}


@record
class Study:
    id: str
    cite: str
    disease: str
    unit: str
    source_kind: str
    fields: dict[str, dict[str, str]]  # field -> {"zh": …, "en": …}
    line: int
    # where a field repeats an evident error of the source, flagged by a translator's note in the text:
    # {"field": one of FIELDS, "zh": …, "en": …}; empty where there is none
    note: dict[str, str] = field(default_factory=dict)

    def value(self, field: str, lang: str) -> str:
        return self.fields.get(field, {}).get(lang, "")

    def note_on(self, field: str, lang: str) -> str:
        """The note shown in `field`'s cell, in `lang`."""
        return self.note.get(lang, "") if self.note.get("field") == field else ""


def load_studies(
    path: Path, root: Path, units: dict[str, set[str]], keys: set[str]
) -> tuple[list[Study], list[Problem]]:
    """Read the records; `units` maps each page slug to its unit ids, `keys` are the citation keys."""
    rel = relative(path, root)
    entries, problems = read_yaml_list(path, root, "studies")
    studies: list[Study] = []
    for entry, line in entries:
        study = make_study(entry, line, rel, units, keys, problems)
        if study is not None:
            studies.append(study)
    return studies, problems


def text_of(value: object) -> str:
    return "" if value is None else str(value)


def make_study(
    record: object, line: int, rel: str, units: dict[str, set[str]], keys: set[str], problems: list[Problem]
) -> Study | None:
    if not isinstance(record, dict):
        problems.append(
            Problem(
                rel,
                line,
                "studies/record",
                "a study record must be a mapping",
                "write '- id: …' followed by its fields",
            )
        )
        return None
    wrong = check_types(record, RECORD, rel, line, "studies/type")
    if wrong:
        problems += [
            Problem(p.path, p.line, p.category, f"study '{record.get('id')}': {p.message}", p.fix) for p in wrong
        ]
        return None
    found = []
    disease = str(record.get("disease", ""))
    if disease not in units:
        found.append(f"unknown disease page '{disease}'")
    elif str(record.get("unit", "")) not in units[disease]:
        found.append(f"no paragraph '{record.get('unit')}' on page '{disease}'")
    if str(record.get("cite", "")) not in keys:
        found.append(f"unknown citation key '{record.get('cite')}'")
    if record.get("source_kind") not in SOURCE_KINDS:
        found.append(f"source_kind must be one of {', '.join(SOURCE_KINDS)}")
    note = record.get("note") or {}
    if note and not (isinstance(note, dict) and note.get("field") in FIELDS and note.get("zh") and note.get("en")):
        found.append(f"a note needs 'field' (one of {', '.join(FIELDS)}), 'zh' and 'en'")
    problems += [
        Problem(
            rel, line, "studies/record", f"study '{record.get('id')}': {what}", "fix the record in data/studies.yaml"
        )
        for what in found
    ]
    if found:
        return None
    fields = {name: {lang: text_of((record.get(name) or {}).get(lang)) for lang in ("zh", "en")} for name in FIELDS}
    return Study(
        id=str(record["id"]),
        cite=str(record["cite"]),
        disease=disease,
        unit=str(record["unit"]),
        source_kind=str(record["source_kind"]),
        fields=fields,
        line=line,
        note={key: str(note[key]) for key in ("field", "zh", "en")} if note else {},
    )
