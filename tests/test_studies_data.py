"""data/studies.yaml: every clinical-study record is checked against the text of the unit it names."""

from __future__ import annotations

import copy
import re
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
STUDIES = ROOT / "data" / "studies.yaml"
BIB = ROOT / "bib" / "references.bib"
CONTENT = ROOT / "content"

DISEASES = ("ra", "sle", "ss", "pm-dm", "ssc")
SOURCE_KINDS = ("bm", "uc", "adipose", "unspecified")
BILINGUAL = (
    "design",
    "patients",
    "source",
    "dose",
    "route",
    "schedule",
    "follow_up",
    "outcome",
    "adverse_events",
)
KEYS = ["id", "cite", "disease", "unit", "source_kind", *BILINGUAL]

# What each source kind must be visible as in the record's `source` text.
KIND_MARKERS = {
    "bm": {"zh": ("骨髓", "BM"), "en": ("BM", "bone marrow")},
    "uc": {"zh": ("脐", "UC"), "en": ("UC", "umbilical")},
    "adipose": {"zh": ("脂肪",), "en": ("adipose",)},
}

NUMBER = re.compile(r"\d+(?:\.\d+)?")
CITATION = re.compile(r"\[@[^\]]*\]")
TRANSLATOR_NOTE = re.compile(r"\[[^\[\]]*\]\{\.translator-note\}")
CJK = re.compile(r"[\u3400-\u9fff]")


def load_studies(path: Path = STUDIES) -> list[dict]:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def bib_keys(path: Path = BIB) -> set[str]:
    return set(re.findall(r"@article\{([^,]+),", path.read_text(encoding="utf-8")))


def unit_texts(lang: str, disease: str) -> dict[str, str]:
    """Unit id -> raw text: the line(s) after `{#unit …}` up to the next blank line."""
    units: dict[str, str] = {}
    current: str | None = None
    lines: list[str] = []
    for line in (CONTENT / lang / f"{disease}.md").read_text(encoding="utf-8").splitlines():
        marker = re.match(r"\{#([\w-]+)[\s}]", line)
        if marker:
            current, lines = marker.group(1), []
            units[current] = ""
            continue
        if current is None:
            continue
        if not line.strip():
            current = None
            continue
        lines.append(line)
        units[current] = "\n".join(lines)
    return units


def cited_keys(text: str) -> set[str]:
    keys: set[str] = set()
    for group in CITATION.findall(text):
        keys.update(re.findall(r"@([^\s;,\]]+)", group))
    return keys


def numbers(text: str) -> set[str]:
    return set(NUMBER.findall(text))


def unit_numbers(text: str) -> set[str]:
    """Numbers of a unit's own text: citations and translator's notes removed."""
    return numbers(TRANSLATOR_NOTE.sub("", CITATION.sub("", text)))


def number_problems(record: dict, zh_text: str, en_text: str) -> list[str]:
    """Every number in a record's zh (en) values that the Chinese (English) unit text lacks."""
    allowed = {"zh": unit_numbers(zh_text), "en": unit_numbers(en_text)}
    # a field that repeats an error of the source (its note says so) may hold the source's numbers,
    # which an English unit that translates correctly gives only in its translator's note
    quoted = numbers(CITATION.sub("", en_text))
    problems = []
    for field in BILINGUAL:
        for lang in ("zh", "en"):
            known = quoted if lang == "en" and record.get("note", {}).get("field") == field else allowed[lang]
            for n in sorted(numbers(record[field][lang]) - known):
                problems.append(f"{record['id']}: {field}.{lang} has {n}, not in unit {record['unit']} ({lang})")
    return problems


def kinds_in(text: str, lang: str) -> set[str]:
    return {kind for kind, markers in KIND_MARKERS.items() if any(m in text for m in markers[lang])}


STUDY_LIST = load_studies()
UNITS = {(lang, d): unit_texts(lang, d) for lang in ("zh", "en") for d in DISEASES}


def ids(record: dict) -> str:
    return record.get("id", "?")


# --- file-level checks ------------------------------------------------------


def test_file_parses_to_a_list_of_records() -> None:
    assert isinstance(STUDY_LIST, list) and len(STUDY_LIST) >= 15
    assert all(isinstance(r, dict) for r in STUDY_LIST)


def test_ids_unique_and_lower_case() -> None:
    all_ids = [r["id"] for r in STUDY_LIST]
    assert len(all_ids) == len(set(all_ids))
    for i in all_ids:
        assert re.fullmatch(r"[a-z0-9][a-z0-9-]*", i), i


def test_every_string_value_is_quoted() -> None:
    for n, line in enumerate(STUDIES.read_text(encoding="utf-8").splitlines(), 1):
        m = re.match(r"^\s*-?\s*(\w+):\s*(\S.*)$", line)
        if m and not line.lstrip().startswith("#") and not m.group(2).startswith("{"):
            assert m.group(2).startswith('"'), f"line {n}: unquoted value {m.group(2)!r}"
        for value in re.findall(r"\b(?:zh|en):\s*([^,}]+)", line):
            assert value.strip().startswith('"'), f"line {n}: unquoted value {value!r}"


# --- per-record checks ------------------------------------------------------


@pytest.mark.parametrize("record", STUDY_LIST, ids=ids)
def test_schema(record: dict) -> None:
    assert list(record) in (KEYS, [*KEYS, "note"])
    if "note" in record:  # a translator's note on the one field that repeats an error of the source
        assert list(record["note"]) == ["field", "zh", "en"] and record["note"]["field"] in BILINGUAL
        assert all(isinstance(v, str) and v for v in record["note"].values())
    for key in ("id", "cite", "disease", "unit", "source_kind"):
        assert isinstance(record[key], str) and record[key]
    assert record["disease"] in DISEASES
    assert record["source_kind"] in SOURCE_KINDS
    for field in BILINGUAL:
        value = record[field]
        assert isinstance(value, dict) and list(value) == ["zh", "en"], field
        assert all(isinstance(v, str) for v in value.values()), field


@pytest.mark.parametrize("record", STUDY_LIST, ids=ids)
def test_cite_is_in_bibliography(record: dict) -> None:
    assert record["cite"] in bib_keys()


@pytest.mark.parametrize("record", STUDY_LIST, ids=ids)
def test_unit_exists_in_both_languages_and_cites_the_study(record: dict) -> None:
    for lang in ("zh", "en"):
        page = (CONTENT / lang / f"{record['disease']}.md").read_text(encoding="utf-8")
        assert re.search(r"\{#" + re.escape(record["unit"]) + r"[\s}]", page), (lang, record["unit"])
        units = UNITS[(lang, record["disease"])]
        assert record["unit"] in units
        assert record["cite"] in cited_keys(units[record["unit"]]), (lang, record["unit"], record["cite"])


@pytest.mark.parametrize("record", STUDY_LIST, ids=ids)
def test_numbers_come_from_the_unit_text(record: dict) -> None:
    zh_text = UNITS[("zh", record["disease"])][record["unit"]]
    en_text = UNITS[("en", record["disease"])][record["unit"]]
    assert number_problems(record, zh_text, en_text) == []


@pytest.mark.parametrize("record", STUDY_LIST, ids=ids)
def test_zh_and_en_filled_together_and_agree_on_numbers(record: dict) -> None:
    for field in BILINGUAL:
        zh, en = record[field]["zh"].strip(), record[field]["en"].strip()
        assert bool(zh) == bool(en), f"{field}: zh={zh!r} en={en!r}"
        assert numbers(zh) == numbers(en), f"{field}: zh={zh!r} en={en!r}"
        assert not CJK.search(en), f"{field}.en contains Chinese: {en!r}"


@pytest.mark.parametrize("record", STUDY_LIST, ids=ids)
def test_record_says_something(record: dict) -> None:
    assert record["outcome"]["zh"] or record["patients"]["zh"], "neither patients nor outcome stated"


@pytest.mark.parametrize("record", STUDY_LIST, ids=ids)
def test_outcome_is_short(record: dict) -> None:
    assert len(record["outcome"]["zh"]) <= 30
    assert len(record["outcome"]["en"].split()) <= 20


@pytest.mark.parametrize("record", STUDY_LIST, ids=ids)
def test_source_kind_matches_source_text(record: dict) -> None:
    kind = record["source_kind"]
    for lang in ("zh", "en"):
        found = kinds_in(record["source"][lang], lang)
        if kind == "unspecified":
            # no single source named: none, or several (e.g. "BM-MSCs 或 UC-MSCs")
            assert len(found) != 1, (lang, record["source"][lang])
        else:
            assert found == {kind}, (lang, record["source"][lang])


@pytest.mark.parametrize("record", STUDY_LIST, ids=ids)
def test_source_kind_is_not_contradicted_by_the_unit(record: dict) -> None:
    """A bm/uc/adipose record's source wording must occur in its Chinese unit."""
    if record["source_kind"] == "unspecified":
        return
    text = UNITS[("zh", record["disease"])][record["unit"]]
    assert kinds_in(text, "zh") >= {record["source_kind"]}


# --- the checks can fail ----------------------------------------------------


def _record(record_id: str) -> dict:
    return copy.deepcopy(next(r for r in STUDY_LIST if r["id"] == record_id))


def test_number_check_catches_a_wrong_patient_count() -> None:
    record = _record("ghoryani2019-ra")
    zh_text = UNITS[("zh", "ra")]["ra-2"]
    en_text = UNITS[("en", "ra")]["ra-2"]
    assert number_problems(record, zh_text, en_text) == []
    record["patients"] = {"zh": "19 例难治性 RA 患者", "en": "19 patients with refractory RA"}
    assert "19" not in unit_numbers(zh_text)
    problems = number_problems(record, zh_text, en_text)
    assert len(problems) == 2
    assert all("patients" in p and "19" in p for p in problems)


def test_number_check_catches_a_wrong_dose_in_one_language_only() -> None:
    record = _record("liang2018-sle")
    zh_text = UNITS[("zh", "sle")]["sle-3"]
    en_text = UNITS[("en", "sle")]["sle-3"]
    record["dose"]["en"] = "1×10^7^/kg"
    problems = number_problems(record, zh_text, en_text)
    assert problems == ["liang2018-sle: dose.en has 7, not in unit sle-3 (en)"]


def test_number_check_ignores_citation_keys() -> None:
    # "2017" occurs in ra-3 only inside the key [@alvarogracia2017intravenous]: it must not count.
    record = _record("wang2013-ra")
    zh_text = UNITS[("zh", "ra")]["ra-3"]
    en_text = UNITS[("en", "ra")]["ra-3"]
    assert "2017" in numbers(zh_text) and "2017" not in unit_numbers(zh_text)
    record["design"] = {"zh": "2017 年", "en": "2017"}
    assert len(number_problems(record, zh_text, en_text)) == 2


def test_unit_text_stops_at_blank_line() -> None:
    ra = UNITS[("zh", "ra")]
    assert "Ghoryani" in ra["ra-2"] and "王黎明" not in ra["ra-2"]
    assert cited_keys(ra["ra-3"]) == {"wang2010qidai", "wang2013human", "alvarogracia2017intravenous"}
