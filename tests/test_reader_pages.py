"""The reader's extra pages, as built: search index, glossary, studies tables, parallel view."""

from __future__ import annotations

import re
from pathlib import Path

import yaml
from conftest import PROJECT
from htmltext import read_page
from search_shards import entries as search_entries
from test_studies_data import BILINGUAL

STUDIES = yaml.safe_load((PROJECT / "data" / "studies.yaml").read_text(encoding="utf-8"))


def search_index(site: Path, lang: str) -> list[dict[str, str]]:
    return search_entries(site / lang / "search")


def test_search_index_holds_every_unit_in_the_readers_language(real_site: Path) -> None:
    zh, en = search_index(real_site, "zh"), search_index(real_site, "en")
    assert len(zh) == len(en) == 32
    assert any("脐带间充质" in entry["text"] and entry["href"].startswith("ra/index.html#ra-") for entry in zh)
    assert any("lupus nephritis" in entry["text"] for entry in en)
    assert not any(
        re.search(r"[\u4e00-\u9fff]", entry["text"]) for entry in en if entry["href"] != "index.html#index-title"
    )
    for entry in zh:
        page, _, anchor = entry["href"].partition("#")
        assert f'id="{anchor}"' in (real_site / "zh" / page).read_text(encoding="utf-8")


def test_each_disease_page_shows_its_studies(real_site: Path) -> None:
    for disease in ("ra", "sle", "ss", "pm-dm", "ssc"):
        html = (real_site / "en" / disease / "index.html").read_text(encoding="utf-8")
        expected = [s["id"] for s in STUDIES if s["disease"] == disease]
        assert re.findall(r'<tr id="study-([^"]+)"', html) == expected
    comparison = (real_site / "zh" / "studies" / "index.html").read_text(encoding="utf-8")
    assert len(re.findall(r'<tr id="study-', comparison)) == len(STUDIES)
    assert 'href="../ra/index.html#ra-2"' in comparison  # each row links to its paragraph
    assert 'href="../references/index.html#ref-ghoryani2019amelioration"' in comparison


def test_glossary_pages_link_terms_to_their_paragraphs(real_site: Path) -> None:
    en = (real_site / "en" / "glossary" / "index.html").read_text(encoding="utf-8")
    row = en.split('<th scope="row">erythrocyte sedimentation rate</th>')[1].split("</tr>")[0]
    assert "<abbr" in row and "ESR" in row and '<td lang="zh-Hans">红细胞沉降率</td>' in row
    assert 'href="../ra/index.html#ra-2"' in row
    zh = (real_site / "zh" / "glossary" / "index.html").read_text(encoding="utf-8")
    assert '<th scope="row">红细胞沉降率</th>' in zh


def test_abbreviations_expand_in_the_pages_language(real_site: Path) -> None:
    assert '<abbr title="erythrocyte sedimentation rate">ESR</abbr>' in (
        real_site / "en" / "ra" / "index.html"
    ).read_text(encoding="utf-8")
    assert '<abbr title="红细胞沉降率">ESR</abbr>' in (real_site / "zh" / "ra" / "index.html").read_text(
        encoding="utf-8"
    )


def test_parallel_view_pairs_every_unit(real_site: Path) -> None:
    html = (real_site / "en" / "sle" / "parallel.html").read_text(encoding="utf-8")
    rows = re.findall(r'class="parallel-row[^"]*" role="row" id="([^"]+)"', html)
    assert rows == ["sle-title"] + [f"sle-{n}" for n in range(1, 6)]
    assert html.count('class="parallel-zh" role="cell" lang="zh-Hans"') == len(rows)
    assert "Lisnevskaia" in html and "Lisnevskaja" in html


def test_per_page_references_lead_back_to_the_citing_paragraph(real_site: Path) -> None:
    html = (real_site / "zh" / "pm-dm" / "index.html").read_text(encoding="utf-8")
    entry = html.split('id="ref-liang2018safety"')[1].split("</li>")[0]
    assert re.findall(r'href="(#pm-dm-\d)"', entry) == ["#pm-dm-1", "#pm-dm-2"]


def test_phrases_in_the_other_language_carry_their_lang(real_site: Path) -> None:
    zh = (real_site / "zh" / "ra" / "index.html").read_text(encoding="utf-8")
    assert '<span lang="en">rheumatoid arthritis, <abbr title="类风湿关节炎">RA</abbr></span>' in zh
    assert '<span lang="en">I b</span>' not in zh  # phase numerals are not English words
    en = (real_site / "en" / "ra" / "index.html").read_text(encoding="utf-8")
    assert '<span lang="zh-Hans">' in en.split('class="page-references"')[1]  # Chinese reference titles


def test_check_holds_each_study_record_to_its_paragraph(tmp_path: Path, capsys) -> None:
    from conftest import make_scenario, run

    root = make_scenario(tmp_path, "studies")
    assert run(root, "check") == 1
    assert capsys.readouterr().out.splitlines() == [
        "data/studies.yaml:8: study 'wrong-ra': paragraph ra-1 does not cite 'alpha2020first' — "
        "point 'unit' at the paragraph that discusses the study",
        "data/studies.yaml:8: study 'wrong-ra': 12 in patients (zh) does not occur in paragraph ra-1 — "
        "state only what the paragraph states, or fix the record",
        "check: 2 problems",
    ]
    html = (root / "_site" / "zh" / "ra" / "index.html").read_text(encoding="utf-8")
    assert '<tr id="study-gamma-ra"' in html


def test_first_use_of_an_abbreviation_on_a_page_is_spelled_out_once(real_site: Path) -> None:
    ss = (real_site / "en" / "ss" / "index.html").read_text(encoding="utf-8")
    expanded = re.findall(r'<abbr title="[^"]*" class="abbr-expanded" data-expansion="([^"]*)">([^<]*)</abbr>', ss)
    assert ("mesenchymal stem cells", "MSCs") in expanded
    assert len(expanded) == len({abbr for _, abbr in expanded})  # once per abbreviation
    assert ss.count('data-expansion="mesenchymal stem cells">MSCs') == 1 and ss.count(">MSCs</abbr>") > 1
    # where the text spells an abbreviation out itself, as the source does, nothing is added
    ra = (real_site / "en" / "ra" / "index.html").read_text(encoding="utf-8")
    assert 'data-expansion="rheumatoid arthritis">RA<' not in ra


def test_search_snippets_keep_superscripts(real_site: Path) -> None:
    zh = {entry["href"]: entry["text"] for entry in search_index(real_site, "zh")}
    en = {entry["href"]: entry["text"] for entry in search_index(real_site, "en")}
    assert "细胞数为 1×10⁷/人次" in zh["ra/index.html#ra-3"] and "1×107" not in zh["ra/index.html#ra-3"]
    assert "1×10⁷ cells per infusion" in en["ra/index.html#ra-3"]
    assert "CD4⁺FoxP3⁺ Tregs" in en["sle/index.html#sle-4"]
    assert "(0.2–1.8)×10⁶ cells/kg" in en["ssc/index.html#ssc-3"]


TAG = re.compile(r"<[^>]+>")
NOTED_STUDIES = {  # record -> (field, words of its English note), each repeating its paragraph's translator's note
    "wang2013-ra": ("schedule", "cannot follow three different intervals"),
    "park2018-ra": ("source", "umbilical cord blood-derived MSCs"),
    "wang2017-sle": ("source", "umbilical cord mesenchymal stem cells"),
    "lai2015-pm-dm": ("source", "umbilical cord blood mesenchymal stem cells"),
    "alvarogracia2017-ra": ("schedule", "three infusions on days 1, 8 and 15"),
    "wang2013-sle": ("outcome", "3 of the 6 patients followed up for 4 years"),
    "liang2018-sle": ("adverse_events", "transplantation-related mortality of 0.2%"),
    "liang2018-pm-dm": ("follow_up", "mean follow-up of 43.4 months"),
    "liang2018-ssc": ("follow_up", "mean follow-up of 43.4 months"),
}


def test_study_records_that_repeat_a_flagged_error_show_its_note(real_site: Path) -> None:
    records = {s["id"]: s for s in STUDIES}
    assert {sid for sid, s in records.items() if "note" in s} == set(NOTED_STUDIES)
    for lang, marker in (("en", "[Translator's note: "), ("zh", "［译者注：")):
        for page in ("studies/index.html", None):
            for sid, (field, words) in NOTED_STUDIES.items():
                path = page or f"{records[sid]['disease']}/index.html"
                html = (real_site / lang / path).read_text(encoding="utf-8")
                row = html.split(f'<tr id="study-{sid}"')[1].split("</tr>")[0]
                cell_notes = re.findall(r'<span class="translator-note study-note">(.*?)</span></td>', row)
                notes = [TAG.sub("", note) for note in cell_notes]
                assert len(notes) == 1 and notes[0].startswith(marker), (lang, path, sid)
                if lang == "en":
                    assert words in notes[0]
                cells = re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)
                column = ["ref", *BILINGUAL].index(field)  # the table's columns, as the records name them
                column += 1 if page else 0  # the comparison page has a disease column
                assert "study-note" in cells[column], (lang, path, sid, field)


def test_the_new_translators_notes_are_on_the_english_pages_only(real_site: Path) -> None:
    notes = {
        "ra": ("targeted synthetic DMARD, a Janus kinase (JAK) inhibitor", "cannot follow three different intervals"),
        "outlook": (
            "no study described in this review gave more than 4×106 cells/kg [17]",
            "In the study by Park et al. [18], 1×108 is a dose in cells per infusion, not per kilogram",
        ),
        "ssc": ("a systematic review of the methodological properties of 47 sets of classification criteria",),
        "pm-dm": ("a mean follow-up of 43.4 months (range 1–109 months)",),
        "sle": ("the Chinese text writes CA199 for CA19-9",),
    }
    for slug, phrases in notes.items():
        notes = read_page(real_site / "en" / slug / "index.html").notes
        for phrase in phrases:
            assert any(phrase in note for note in notes), (slug, phrase)
        chinese = (real_site / "zh" / slug / "index.html").read_text(encoding="utf-8")
        assert 'class="translator-note"' not in chinese
    outlook = (real_site / "zh" / "outlook" / "index.html").read_text(encoding="utf-8")
    assert "不超过 1×10<sup>8</sup>/kg" in outlook  # as published


def test_check_wants_a_note_on_a_study_whose_paragraph_note_corrects_it(tmp_path: Path, capsys) -> None:
    from conftest import make_scenario, run

    root = make_scenario(tmp_path, "translated", "studies_note")
    assert run(root, "check") == 1
    assert capsys.readouterr().out.splitlines() == [
        "data/studies.yaml:3: study 'gamma-ra': the translator's note in ra-1 corrects what the source says of "
        "'gamma2019third', but the record has no note — repeat the correction in the record: "
        "note: {field: …, zh: …, en: …}",
        "check: 1 problem",
    ]
    studies = root / "data" / "studies.yaml"
    studies.write_text(
        studies.read_text(encoding="utf-8")
        + '  note: {field: "patients", zh: "所引研究另有记载。", en: "the cited study says otherwise."}\n',
        encoding="utf-8",
    )
    assert run(root, "check") == 0
    row = (root / "_site" / "en" / "ra" / "index.html").read_text(encoding="utf-8").split('<tr id="study-gamma-ra"')[1]
    assert (
        '9 patients <span class="translator-note study-note">[Translator\'s note: the cited study says '
        "otherwise.]</span></td>"
    ) in row.split("</tr>")[0]
