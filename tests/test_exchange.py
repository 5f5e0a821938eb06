"""XLIFF and PO round trips of the real review: export, translate, import; and the refusals.

Each test works on a copy of the real project in a temporary folder, so content/en/ of the
repository is never touched. The files are read back with lxml and translate-toolkit.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from conftest import PROJECT, make_scenario, run
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree

from bireview.config import make_config
from bireview.exchange import XLIFF_NS, po_pieces, po_string
from bireview.placeholders import join, split_markup
from bireview.review import load_review

X = {"x": XLIFF_NS}
COPIED = ("content", "bib", "data", "templates", "locale", "static")
# pofilter's `numbers` test counts each number; these units repeat a number in the Chinese (an English gloss
# in brackets, a century) that the English rightly says once. The test below checks that each has every
# number of the Chinese all the same.
COUNTED_DIFFERENTLY = {
    "overview-1": "20世纪70年代 is the 1970s",
    "ra-1": "白细胞介素6(interleukin-6, IL-6), 转化生长因子-β1(…, TGF-β1): the gloss repeats the number",
    "ra-2": "28 个关节疾病活动度评分 (28-joint …, DAS28): the gloss repeats 28",
    "ss-2": "the Chinese glosses names that carry numbers (IL-17, CD4) twice",
    "ss-3": "the English spells the cell type out once more",
    "outlook-1": "the translator's note quotes numbers of the Chinese",
    "ra-3": "the translator's note on the 3, 6 and 8 months names its reference and numbers again",
    "ra-4": "the translator's note on phase Ia cites its reference",
    "sle-3": "the translator's note writes CA19-9 where the Chinese prints CA199",
    "pm-dm-3": "the translator's note cites its reference",
    "sle-2": "the translator's note gives the cited study's 3 of 6 patients, 82 of 87 and 27 months",
    "pm-dm-2": "the translator's note gives the cited study's follow-up and mortality (43.4 months, 404 patients)",
    "ssc-2": "the translator's note gives the cited study's follow-up and mortality (43.4 months, 404 patients)",
    "ssc-1": "the translator's note gives the cited review's 47 sets of criteria",
}


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A copy of the real review, safe to import into."""
    root = tmp_path / "review"
    for folder in COPIED:
        shutil.copytree(PROJECT / folder, root / folder)
    return root


def english_files(root: Path) -> dict[str, bytes]:
    return {path.name: path.read_bytes() for path in sorted((root / "content" / "en").glob("*"))}


def chinese_pages(root: Path) -> list[str]:
    return sorted(path.stem for path in (root / "content" / "zh").glob("*.md"))


@pytest.mark.parametrize("fmt,suffix", [("xliff", ".xlf"), ("po", ".po")])
def test_export_then_import_without_edits_changes_no_byte(project: Path, fmt: str, suffix: str,
                                                          capsys: pytest.CaptureFixture[str]) -> None:
    before = english_files(project)
    assert run(project, "export", "--format", fmt) == 0
    files = sorted((project / "translations").glob(f"*{suffix}"))
    assert [path.stem for path in files] == chinese_pages(project)
    assert run(project, "import", *map(str, files)) == 0
    assert "nothing to change" in capsys.readouterr().out
    assert english_files(project) == before


def test_export_is_byte_identical_for_the_same_input(project: Path, tmp_path: Path) -> None:
    for fmt in ("xliff", "po"):
        assert run(project, "export", "--format", fmt, "--out", str(tmp_path / "a")) == 0
        assert run(project, "export", "--format", fmt, "--out", str(tmp_path / "b")) == 0
    assert {p.name: p.read_bytes() for p in (tmp_path / "a").iterdir()} == \
        {p.name: p.read_bytes() for p in (tmp_path / "b").iterdir()}


def test_xliff_has_the_structure_of_xliff_1_2(project: Path) -> None:
    assert run(project, "export", "--page", "ra", "--page", "sle") == 0
    review, _ = load_review(make_config(project))
    for slug in ("ra", "sle"):
        tree = etree.parse(str(project / "translations" / f"{slug}.xlf"))  # well-formed, or this raises
        root = tree.getroot()
        assert root.tag == f"{{{XLIFF_NS}}}xliff" and root.get("version") == "1.2"
        [file] = root.findall("x:file", X)
        assert file.get("original") == f"content/zh/{slug}.md"
        assert file.get("source-language") == "zh-Hans" and file.get("target-language") == "en"
        assert file.get("datatype") and file.find("x:body", X) is not None
        units = file.findall("x:body/x:trans-unit", X)
        alignment = review.alignment(slug)
        assert [u.get("id") for u in units] == [f"{p.zh.id}@{p.zh.fingerprint}" for p in alignment.pairs]
        for unit, pair in zip(units, alignment.pairs):
            source, target = unit.find("x:source", X), unit.find("x:target", X)
            assert target.get("state") == "translated"
            for element in (source, target):  # only XLIFF inline elements inside
                assert {etree.QName(e).localname for e in element.iter() if e is not element} <= {"ph", "g"}
            placeholders = [(e.get("id"), e.text) for e in source.iter(f"{{{XLIFF_NS}}}ph")]
            assert sorted(placeholders) == sorted((e.get("id"), e.text) for e in target.iter(f"{{{XLIFF_NS}}}ph"))
            keys = re.findall(r"@([\w:.\-]+)", pair.zh.text)
            assert keys == re.findall(r"@([\w:.\-]+)", "".join(text for _, text in placeholders))
            assert "".join(source.itertext()) == pair.zh.text.split("\n", 1)[-1] or pair.zh.kind != "paragraph"
            notes = [note.text for note in unit.findall("x:note", X)]
            assert any(f"#{pair.zh.id}" in note for note in notes)  # the link to the paragraph
    ra2 = etree.parse(str(project / "translations" / "ra.xlf")).find(".//x:trans-unit[@resname='ra-2']", X)
    assert any(n.text.startswith("Translator's note: the Chinese text expands ESR") for n in ra2.findall("x:note", X))
    assert any("红细胞沉降率 = erythrocyte sedimentation rate (ESR)" in n.text for n in ra2.findall("x:note", X))


def test_translate_toolkit_reads_both_formats_with_every_unit_and_placeholder(project: Path, tmp_path: Path) -> None:
    from translate.convert import po2xliff, xliff2po
    from translate.storage import factory

    assert run(project, "export", "--format", "xliff") == 0
    assert run(project, "export", "--format", "po") == 0
    review, _ = load_review(make_config(project))
    for alignment in review.alignments:
        slug = alignment.zh.slug
        expected = {f"{p.zh.id}@{p.zh.fingerprint}" for p in alignment.pairs}
        xliff = factory.getobject(str(project / "translations" / f"{slug}.xlf"))
        po = factory.getobject(str(project / "translations" / f"{slug}.po"))
        po_units = [unit for unit in po.units if not unit.isheader()]
        assert {xliff_id(unit) for unit in xliff.units} == expected
        assert {unit.getcontext() for unit in po_units} == expected
        by_key = {unit.getcontext(): unit for unit in po_units}
        for unit in xliff.units:
            names = placeholder_names(unit.rich_source)
            assert names == placeholder_names(unit.rich_target)
            assert set(re.findall(r"\{(\w+?)\}", by_key[xliff_id(unit)].source)) == names
            assert set(re.findall(r"\{(\w+?)\}", by_key[xliff_id(unit)].target)) == names
        # the toolkit's own conversions keep every unit and every placeholder
        converted = tmp_path / f"{slug}.from-po.xlf"
        with (project / "translations" / f"{slug}.po").open("rb") as source, converted.open("wb") as out:
            po2xliff.convertpo(source, out, None)
        again = [unit for unit in factory.getobject(str(converted)).units if not unit.isheader()]
        assert sorted((u.source, u.target) for u in again) == sorted((u.source, u.target) for u in po_units)
        back = tmp_path / f"{slug}.from-xliff.po"
        with (project / "translations" / f"{slug}.xlf").open("rb") as source, back.open("wb") as out:
            xliff2po.convertxliff(source, out, None)
        round_po = [u for u in factory.getobject(str(back)).units if not u.isheader()]
        assert len(round_po) == len(expected)
        assert all(name in unit.source for unit in round_po for name in re.findall(r"\[@[^\]]+\]", unit.source))


def xliff_id(unit) -> str:  # type: ignore[no-untyped-def]
    """translate-toolkit prefixes a trans-unit id with its file's `original`."""
    return unit.getid().split("\x04")[-1]


def placeholder_names(rich: list) -> set[str]:
    names = set()
    for element in rich:
        for sub in element.flatten():
            if getattr(sub, "id", None):
                names.add(sub.id)
    return names


def test_pofilter_finds_no_broken_variables_and_only_known_number_counts(project: Path, tmp_path: Path) -> None:
    from translate.filters.checks import CheckerConfig, StandardChecker
    from translate.storage import factory

    from bireview.quality import numbers

    assert run(project, "export", "--format", "po") == 0
    assert run(project, "export", "--format", "xliff") == 0
    for tests in (["variables", "pythonbraceformat", "printf"], ["numbers"]):
        for fmt in ("po", "xlf"):
            out = tmp_path / f"out-{tests[0]}-{fmt}"
            inputs = tmp_path / f"in-{tests[0]}-{fmt}"
            inputs.mkdir()
            for path in (project / "translations").glob(f"*.{fmt}"):
                shutil.copy(path, inputs)
            arguments = [a for test in tests if not (fmt == "xlf" and test == "pythonbraceformat")
                         for a in ("-t", test)]
            subprocess.run(["pofilter", "--progress=none", *arguments, "-i", str(inputs), "-o", str(out)],
                           check=True, capture_output=True)
            found = set()
            for path in out.glob("*"):
                store = factory.getobject(str(path))
                found |= {(unit.getcontext() or xliff_id(unit)).split("@")[0] for unit in store.units if not unit.isheader()}
            if tests[0] == "variables":
                assert found == set(), f"pofilter {tests} on {fmt}: {sorted(found)}"
            else:
                assert found <= set(COUNTED_DIFFERENTLY), f"pofilter numbers on {fmt}: {sorted(found - set(COUNTED_DIFFERENTLY))}"
    # braces as variables too: a placeholder dropped or added would show here
    checker = StandardChecker(CheckerConfig(varmatches=[("{", "}")]))
    review, _ = load_review(make_config(project))
    for path in (project / "translations").glob("*.po"):
        for unit in factory.getobject(str(path)).units:
            if unit.isheader() or not unit.target:
                continue
            failures = checker.run_filters(unit)
            assert not {"variables", "pythonbraceformat"} & set(failures), (unit.getcontext(), failures)
    # where pofilter counts differently, every number of the Chinese is in the English all the same
    for unit_id in COUNTED_DIFFERENTLY:
        pair = next(p for a in review.alignments for p in a.pairs if p.zh.id == unit_id)
        assert pair.en is not None and numbers(pair.zh.text) <= numbers(pair.en.text)


def test_pofilter_catches_a_dropped_placeholder(project: Path, tmp_path: Path) -> None:
    """The check is real: remove `{cite1}` from a translation and pofilter reports it."""
    assert run(project, "export", "--format", "po", "--page", "ra") == 0
    path = project / "translations" / "ra.po"
    path.write_text(path.read_text(encoding="utf-8").replace("cause of death {cite1}.", "cause of death."),
                    encoding="utf-8")
    subprocess.run(["pofilter", "--progress=none", "-t", "pythonbraceformat", "-i", str(path),
                    "-o", str(tmp_path / "out.po")], check=True, capture_output=True)
    assert 'msgctxt "ra-1@' in (tmp_path / "out.po").read_text(encoding="utf-8")


# -- importing edits ---------------------------------------------------------------------------------
def edit_po(path: Path, key_prefix: str, new_msgstr: str, unfuzzy: bool = False) -> None:
    """Replace one entry's msgstr, as Poedit would."""
    text = path.read_text(encoding="utf-8")
    entries = text.split("\n\n")
    for index, entry in enumerate(entries):
        if f'msgctxt "{key_prefix}@' in entry:
            entry = re.sub(r'msgstr ".*"$', f"msgstr {quote_po(new_msgstr)}", entry, flags=re.DOTALL)
            if unfuzzy:
                entry = entry.replace("#, fuzzy, python-brace-format", "#, python-brace-format")
            entries[index] = entry
    path.write_text("\n\n".join(entries), encoding="utf-8")


def quote_po(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


def test_importing_an_edited_xliff_unit_changes_that_unit_only(project: Path) -> None:
    before = english_files(project)
    assert run(project, "export", "--page", "ra") == 0
    path = project / "translations" / "ra.xlf"
    tree = etree.parse(str(path))
    target = tree.find(".//x:trans-unit[@resname='ra-5']/x:target", X)
    target.text = "Gowhari and colleagues "  # the first text run, before <ph id="cite1">
    tree.write(str(path), xml_declaration=True, encoding="UTF-8")
    assert run(project, "import", str(path)) == 0
    after = english_files(project)
    assert {name for name in after if after[name] != before[name]} == {"ra.md"}
    old, new = before["ra.md"].decode().split("\n"), after["ra.md"].decode().split("\n")
    assert len(old) == len(new)
    changed = [i for i, (a, b) in enumerate(zip(old, new)) if a != b]
    assert len(changed) == 1 and new[changed[0]].startswith("Gowhari and colleagues [@gowhari2020significant] showed")
    assert run(project, "status", "--strict") == 0
    assert run(project, "check") == 0


def test_import_keeps_crlf_line_endings(project: Path) -> None:
    english = project / "content" / "en" / "sle.md"
    english.write_bytes(english.read_bytes().replace(b"\n", b"\r\n"))
    before = english.read_bytes()
    assert run(project, "export", "--format", "po", "--page", "sle") == 0
    assert run(project, "import", str(project / "translations" / "sle.po")) == 0
    assert english.read_bytes() == before  # the round trip
    edit_po(project / "translations" / "sle.po", "sle-title", "MSCs in systemic lupus erythematosus")
    assert run(project, "import", str(project / "translations" / "sle.po")) == 0
    after = english.read_bytes()
    assert b"title: MSCs in systemic lupus erythematosus\r\n" in after
    assert after.count(b"\r\n") == before.count(b"\r\n") and b"\n" not in after.replace(b"\r\n", b"")


def test_import_refuses_a_unit_whose_chinese_changed_and_writes_nothing(project: Path,
                                                                        capsys: pytest.CaptureFixture[str]) -> None:
    assert run(project, "export", "--format", "po") == 0
    edit_po(project / "translations" / "ss.po", "ss-1", "A fine new translation {cite1}.")
    edit_po(project / "translations" / "ra.po", "ra-6", "A changed ending.")
    chinese = project / "content" / "zh" / "ra.md"
    chinese.write_text(chinese.read_text(encoding="utf-8").replace("综上, MSCs", "总之, MSCs"), encoding="utf-8")
    before = english_files(project)
    capsys.readouterr()
    assert run(project, "import", *map(str, sorted((project / "translations").glob("*.po")))) == 1
    err = capsys.readouterr().err
    line = next(n for n, text in enumerate((project / "translations" / "ra.po").read_text().split("\n"), 1)
                if text.startswith("msgid") and n > 1 and "ra-6@" in
                (project / "translations" / "ra.po").read_text().split("\n")[n - 2])
    assert f"translations/ra.po:{line}: the Chinese of 'ra-6' changed since the export" in err
    assert "nothing was written" in err
    assert english_files(project) == before  # the good ss-1 was not written either


def test_import_refuses_a_paragraph_that_markdown_reads_as_a_list(project: Path,
                                                                capsys: pytest.CaptureFixture[str]) -> None:
    assert run(project, "export", "--format", "po", "--page", "ra") == 0
    edit_po(project / "translations" / "ra.po", "ra-6", "- In summary, MSC transplantation is effective.")
    before = english_files(project)
    assert run(project, "import", str(project / "translations" / "ra.po")) == 1
    assert "'ra-6': Markdown would read the translation as bullet_list, not as a paragraph" in capsys.readouterr().err
    assert english_files(project) == before
    edit_po(project / "translations" / "ra.po", "ra-6", "\\- In summary, MSC transplantation is effective.")
    assert run(project, "import", str(project / "translations" / "ra.po")) == 0
    assert "\n\\- In summary, MSC transplantation is effective.\n" in (project / "content" / "en" / "ra.md").read_text()


@pytest.mark.parametrize("msgstr,problem", [
    ("Ghoryani et al. reported nothing {sup1} {sup2}.", "cites [] but the Chinese cites"),
    ("Liang et al. {cite1} {cite2} {cite9} {sup1} {sup2}.", "unknown placeholder 'cite9'"),
    ("Liang et al. {cite1} {cite2} {sup1}.", "superscripts"),
    ("Liang et al. [@wang2013human] {cite1} {cite2} {sup1} {sup2}.", "cites"),
])
def test_import_refuses_broken_placeholders(project: Path, capsys: pytest.CaptureFixture[str], msgstr: str,
                                            problem: str) -> None:
    assert run(project, "export", "--format", "po", "--page", "ra") == 0
    edit_po(project / "translations" / "ra.po", "ra-2", msgstr)
    before = english_files(project)
    assert run(project, "import", str(project / "translations" / "ra.po")) == 1
    err = capsys.readouterr().err
    assert re.search(r"translations/ra\.po:\d+: 'ra-2'", err) and problem in err
    assert english_files(project) == before


def test_import_refuses_an_xliff_placeholder_the_source_lacks(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(project, "export", "--page", "ra") == 0
    path = project / "translations" / "ra.xlf"
    text = path.read_text(encoding="utf-8")
    text = text.replace('<target state="translated">Liang et al. <ph id="cite1"',
                        '<target state="translated">Liang et al. <ph id="cite7"', 1)
    path.write_text(text, encoding="utf-8")
    before = english_files(project)
    assert run(project, "import", str(path)) == 1
    assert "unknown placeholder 'cite7'" in capsys.readouterr().err
    assert english_files(project) == before


def test_a_reviewed_stale_unit_becomes_translated(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    site = make_scenario(tmp_path, "translated")  # overview-2 is stale
    assert run(site, "export", "--format", "po") == 0
    po = (site / "translations" / "index.po").read_text(encoding="utf-8")
    assert "#, fuzzy, python-brace-format" in po
    edit_po(site / "translations" / "index.po", "overview-2", "The second paragraph cites two {cite1}.", unfuzzy=True)
    assert run(site, "import", str(site / "translations" / "index.po")) == 0
    capsys.readouterr()
    assert run(site, "status", "--strict") == 0
    english = (site / "content" / "en" / "index.md").read_text(encoding="utf-8")
    assert "{#overview-2 source=" in english and "0000000000" not in english


def test_a_fuzzy_edit_is_written_as_a_draft_and_stays_stale(tmp_path: Path) -> None:
    site = make_scenario(tmp_path, "translated")
    assert run(site, "export", "--format", "po") == 0
    edit_po(site / "translations" / "index.po", "overview-2", "A draft {cite1}.")
    assert run(site, "import", str(site / "translations" / "index.po")) == 0
    english = (site / "content" / "en" / "index.md").read_text(encoding="utf-8")
    assert "{#overview-2 source=0000000000}\nA draft [@beta2021second; @alpha2020first]." in english
    assert run(site, "status", "--strict") == 1


def test_missing_blocks_are_inserted_from_the_chinese_structure(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    site = make_scenario(tmp_path, "lists_tables")
    english = site / "content" / "en" / "ss.md"
    english.write_text(english.read_text(encoding="utf-8").split("{#ss-2}")[0].rstrip() + "\n", encoding="utf-8")
    kept = english.read_text(encoding="utf-8")
    assert run(site, "export", "--format", "xliff", "--page", "ss") == 0
    path = site / "translations" / "ss.xlf"
    tree = etree.parse(str(path))
    translations = {"ss-2.1": "Dry mouth for 3 years", "ss-2.2": "Dry eyes ", "ss-3.r1c1": "Study",
                    "ss-3.r1c2": "Patients", "ss-3.r2c2": "24", "ss-4": "Summary"}
    for unit in tree.iterfind(".//x:trans-unit", X):
        resname = unit.get("resname")
        if resname in translations:
            target = etree.SubElement(unit, f"{{{XLIFF_NS}}}target", state="translated")
            unit.remove(target)
            unit.find("x:source", X).addnext(target)
            target.text = translations[resname]
            for ph in unit.find("x:source", X).iterfind("x:ph", X):
                target.append(etree.fromstring(etree.tostring(ph)))
                target[-1].tail = None
    tree.write(str(path), xml_declaration=True, encoding="UTF-8")
    capsys.readouterr()
    assert run(site, "import", str(path)) == 0
    text = english.read_text(encoding="utf-8")
    assert text.startswith(kept.rstrip("\n"))
    added = text[len(kept.rstrip("\n")):]
    assert added.startswith("\n\n{#ss-2 source=\"")
    assert "- Dry mouth for 3 years\n- Dry eyes [@gamma2019third]\n" in added
    assert "| Study | Patients |\n|---|---|\n| 甲 | 24 |" in added  # 甲 is left for the translator
    assert "{#ss-4 source=" in added and "## Summary" in added
    capsys.readouterr()
    assert run(site, "status", "--format", "json") == 0
    [page] = [page for page in json.loads(capsys.readouterr().out)["pages"] if page["page"] == "ss"]
    # the cell left in Chinese, and the two units the scenario's English never recorded
    assert {unit["id"] for unit in page["units"]} == {"ss-3.r2c1", "ss-title", "ss-1"}
    assert page["translated"] == 6


def test_import_into_a_page_without_english_creates_it(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    site = make_scenario(tmp_path)  # no English at all
    assert run(site, "export", "--format", "po", "--page", "ra") == 0
    edit_po(site / "translations" / "ra.po", "ra-title", "Rheumatoid arthritis", unfuzzy=True)
    edit_po(site / "translations" / "ra.po", "ra-1", "The dose was 1×10{sup1}/kg, in 9 patients in all {cite1}.")
    assert run(site, "import", str(site / "translations" / "ra.po")) == 0
    english = (site / "content" / "en" / "ra.md").read_text(encoding="utf-8")
    assert "title: Rheumatoid arthritis\ntitle_source: " in english
    assert "\n{#ra-1 source=" in english and "The dose was 1×10^6^/kg, in 9 patients in all [@gamma2019third]." in english
    capsys.readouterr()
    assert run(site, "status", "--format", "json") == 0
    [page] = [page for page in json.loads(capsys.readouterr().out)["pages"] if page["page"] == "ra"]
    assert (page["translated"], page["missing"], page["stale"]) == (2, 0, 0)


def test_export_never_overwrites_translations_not_yet_imported(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(project, "export", "--format", "po", "--page", "ss") == 0
    assert run(project, "export", "--format", "po", "--page", "ss") == 0  # nothing pending: fine
    path = project / "translations" / "ss.po"
    edit_po(path, "ss-1", "Work in progress {cite1}.")
    edited = path.read_bytes()
    capsys.readouterr()
    assert run(project, "export", "--format", "po", "--page", "ss") == 1
    assert "holds a translation that was not imported" in capsys.readouterr().err
    assert path.read_bytes() == edited


def test_export_refuses_to_write_into_content(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    before = english_files(project)
    assert run(project, "export", "--out", str(project / "content" / "en")) == 1
    assert "will not write into content" in capsys.readouterr().err
    assert english_files(project) == before


def test_import_reports_a_broken_file_with_its_line(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(project, "export", "--page", "ra") == 0
    path = project / "translations" / "ra.xlf"
    lines = path.read_text(encoding="utf-8").split("\n")
    lines[9] = lines[9] + "<unclosed>"
    path.write_text("\n".join(lines), encoding="utf-8")
    assert run(project, "import", str(path)) == 1
    assert re.search(r"translations/ra\.xlf:\d+: not well-formed XML", capsys.readouterr().err)


# -- properties: nothing is lost between Markdown, placeholders and the files -----------------------
MARKDOWN = st.lists(st.sampled_from(list("ab 中文,。*^[]{}()@;`\\|_-.#1\n") + ["[@k1]", "^6^", "**", "{.translator-note}"]),
                   max_size=30).map("".join)


@settings(max_examples=200, deadline=None, database=None)
@given(MARKDOWN)
def test_split_markup_loses_nothing(text: str) -> None:
    assert join(split_markup(text)) == text


@settings(max_examples=200, deadline=None, database=None)
@given(MARKDOWN)
def test_po_placeholders_round_trip(text: str) -> None:
    from bireview.imports import resolve

    pieces = split_markup(text)
    assert resolve(po_pieces(po_string(pieces)), pieces) == (text, "")


@settings(max_examples=25, deadline=None, database=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.text(alphabet=st.sampled_from(list("Tranlsted wod,.;:'\"!?()-—") + ["é", "中", "{", "}", "&", "<"]),
               min_size=1, max_size=30).filter(lambda s: s.strip() == s and s.strip()))
def test_any_translation_is_written_exactly(tmp_path_factory: pytest.TempPathFactory, words: str) -> None:
    """Whatever a translator types (quotes, braces, ampersands, Chinese) arrives in the file as typed."""
    site = make_scenario(tmp_path_factory.mktemp("typed"), "translated")
    assert run(site, "export", "--page", "ra") == 0
    path = site / "translations" / "ra.xlf"
    tree = etree.parse(str(path))
    target = tree.find(".//x:trans-unit[@resname='ra-1']/x:target", X)
    target.text = words + " 1×10"
    tree.write(str(path), xml_declaration=True, encoding="UTF-8")
    before = english_files(site)
    if run(site, "import", str(path)) == 1:  # refused (e.g. "- …" would make a list): nothing written
        assert english_files(site) == before
        assert not words.lstrip("-—'\"").strip() or words[0] in "-#"
        return
    english = (site / "content" / "en" / "ra.md").read_text(encoding="utf-8")
    assert f"\n{words} 1×10^6^ cells/kg, in 9 patients in all [@gamma2019third].\n" in english + "\n"
    assert english_files(site)["index.md"] == before["index.md"]
