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
from bireview.model.review import load_review
from bireview.translate.exchange import XLIFF_NS, po_pieces, po_string
from bireview.translate.placeholders import join, split_markup

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


def git(root: Path, *args: str) -> None:
    subprocess.run(
        ["git", "-c", "user.email=test@example.org", "-c", "user.name=test", *args],
        cwd=root,
        check=True,
        capture_output=True,
    )


@pytest.fixture
def mixed(project: Path) -> Path:
    """The real review under git with a unit in every state: ra-6 stale (its Chinese changed after a
    commit, so the export carries the previous Chinese), ra-5 a draft (English never recorded),
    ra-4 new (no English block), the rest translated."""
    git(project, "init", "-q")
    git(project, "add", "-A")
    git(project, "commit", "-qm", "review")
    chinese = project / "content" / "zh" / "ra.md"
    chinese.write_text(chinese.read_text(encoding="utf-8").replace("综上, MSCs", "总之, MSCs"), encoding="utf-8")
    english = project / "content" / "en" / "ra.md"
    text = english.read_text(encoding="utf-8").replace("{#ra-5 source=2a227b3754}", "{#ra-5}")
    start = text.index("{#ra-4 ")
    english.write_text(text[:start] + text[text.index("{#ra-5}") :], encoding="utf-8")
    git(project, "commit", "-qam", "a change of the Chinese, an unrecorded and a missing English unit")
    return project


def english_files(root: Path) -> dict[str, bytes]:
    return {path.name: path.read_bytes() for path in sorted((root / "content" / "en").glob("*"))}


def chinese_pages(root: Path) -> list[str]:
    return sorted(path.stem for path in (root / "content" / "zh").glob("*.md"))


@pytest.mark.parametrize("fmt,suffix", [("xliff", ".xlf"), ("po", ".po")])
def test_export_then_import_without_edits_changes_no_byte(
    project: Path, fmt: str, suffix: str, capsys: pytest.CaptureFixture[str]
) -> None:
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
    assert {p.name: p.read_bytes() for p in (tmp_path / "a").iterdir()} == {
        p.name: p.read_bytes() for p in (tmp_path / "b").iterdir()
    }


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
        assert [u.get("id") for u in units] == [p.zh.id for p in alignment.pairs]  # stable: no fingerprint
        assert all(u.get("approved") == "yes" for u in units)
        assert [u.find("x:context-group/x:context[@context-type='x-chinese-fingerprint']", X).text for u in units] == [
            p.zh.fingerprint for p in alignment.pairs
        ]
        for unit, pair in zip(units, alignment.pairs, strict=True):
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
        expected = {p.zh.id for p in alignment.pairs}
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

    from bireview.translate.quality import numbers

    assert run(project, "export", "--format", "po") == 0
    assert run(project, "export", "--format", "xliff") == 0
    for tests in (["variables", "pythonbraceformat", "printf"], ["numbers"]):
        for fmt in ("po", "xlf"):
            out = tmp_path / f"out-{tests[0]}-{fmt}"
            inputs = tmp_path / f"in-{tests[0]}-{fmt}"
            inputs.mkdir()
            for path in (project / "translations").glob(f"*.{fmt}"):
                shutil.copy(path, inputs)
            arguments = [
                a for test in tests if not (fmt == "xlf" and test == "pythonbraceformat") for a in ("-t", test)
            ]
            subprocess.run(
                ["pofilter", "--progress=none", *arguments, "-i", str(inputs), "-o", str(out)],
                check=True,
                capture_output=True,
            )
            found = set()
            for path in out.glob("*"):
                store = factory.getobject(str(path))
                found |= {
                    (unit.getcontext() or xliff_id(unit)).split("@")[0] for unit in store.units if not unit.isheader()
                }
            if tests[0] == "variables":
                assert found == set(), f"pofilter {tests} on {fmt}: {sorted(found)}"
            else:
                assert found <= set(COUNTED_DIFFERENTLY), (
                    f"pofilter numbers on {fmt}: {sorted(found - set(COUNTED_DIFFERENTLY))}"
                )
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
    path.write_text(
        path.read_text(encoding="utf-8").replace("cause of death {cite1}.", "cause of death."), encoding="utf-8"
    )
    subprocess.run(
        ["pofilter", "--progress=none", "-t", "pythonbraceformat", "-i", str(path), "-o", str(tmp_path / "out.po")],
        check=True,
        capture_output=True,
    )
    assert 'msgctxt "ra-1"' in (tmp_path / "out.po").read_text(encoding="utf-8")


# -- importing edits ---------------------------------------------------------------------------------
def edit_po(path: Path, key_prefix: str, new_msgstr: str, unfuzzy: bool = False) -> None:
    """Replace one entry's msgstr, as Poedit would."""
    text = path.read_text(encoding="utf-8")
    entries = text.split("\n\n")
    for index, entry in enumerate(entries):
        if f'msgctxt "{key_prefix}"' in entry:
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
    changed = [i for i, (a, b) in enumerate(zip(old, new, strict=True)) if a != b]
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


def test_import_refuses_a_unit_whose_chinese_changed_and_writes_nothing(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(project, "export", "--format", "po") == 0
    edit_po(project / "translations" / "ss.po", "ss-1", "A fine new translation {cite1}.")
    edit_po(project / "translations" / "ra.po", "ra-6", "A changed ending.")
    chinese = project / "content" / "zh" / "ra.md"
    chinese.write_text(chinese.read_text(encoding="utf-8").replace("综上, MSCs", "总之, MSCs"), encoding="utf-8")
    before = english_files(project)
    capsys.readouterr()
    assert run(project, "import", *map(str, sorted((project / "translations").glob("*.po")))) == 1
    err = capsys.readouterr().err
    line = next(
        n
        for n, text in enumerate((project / "translations" / "ra.po").read_text().split("\n"), 1)
        if text.startswith("msgid")
        and n > 1
        and 'msgctxt "ra-6"' in (project / "translations" / "ra.po").read_text().split("\n")[n - 2]
    )
    assert f"translations/ra.po:{line}: the Chinese of 'ra-6' changed since the export" in err
    assert "nothing was written" in err
    assert english_files(project) == before  # the good ss-1 was not written either


def test_import_refuses_a_paragraph_that_markdown_reads_as_a_list(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(project, "export", "--format", "po", "--page", "ra") == 0
    edit_po(project / "translations" / "ra.po", "ra-6", "- In summary, MSC transplantation is effective.")
    before = english_files(project)
    assert run(project, "import", str(project / "translations" / "ra.po")) == 1
    assert "'ra-6': Markdown would read the translation as bullet_list, not as a paragraph" in capsys.readouterr().err
    assert english_files(project) == before
    edit_po(project / "translations" / "ra.po", "ra-6", "\\- In summary, MSC transplantation is effective.")
    assert run(project, "import", str(project / "translations" / "ra.po")) == 0
    assert "\n\\- In summary, MSC transplantation is effective.\n" in (project / "content" / "en" / "ra.md").read_text()


@pytest.mark.parametrize(
    "msgstr,problem",
    [
        ("Ghoryani et al. reported nothing {sup1} {sup2}.", "cites [] but the Chinese cites"),
        ("Liang et al. {cite1} {cite2} {cite9} {sup1} {sup2}.", "unknown placeholder 'cite9'"),
        ("Liang et al. {cite1} {cite2} {sup1}.", "superscripts"),
        ("Liang et al. [@wang2013human] {cite1} {cite2} {sup1} {sup2}.", "cites"),
    ],
)
def test_import_refuses_broken_placeholders(
    project: Path, capsys: pytest.CaptureFixture[str], msgstr: str, problem: str
) -> None:
    assert run(project, "export", "--format", "po", "--page", "ra") == 0
    edit_po(project / "translations" / "ra.po", "ra-2", msgstr)
    before = english_files(project)
    assert run(project, "import", str(project / "translations" / "ra.po")) == 1
    err = capsys.readouterr().err
    assert re.search(r"translations/ra\.po:\d+: 'ra-2'", err) and problem in err
    assert english_files(project) == before


def test_import_refuses_an_xliff_placeholder_the_source_lacks(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(project, "export", "--page", "ra") == 0
    path = project / "translations" / "ra.xlf"
    text = path.read_text(encoding="utf-8")
    text = text.replace(
        '<target state="translated">Liang et al. <ph id="cite1"',
        '<target state="translated">Liang et al. <ph id="cite7"',
        1,
    )
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


def test_missing_blocks_are_inserted_from_the_chinese_structure(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    site = make_scenario(tmp_path, "lists_tables")
    english = site / "content" / "en" / "ss.md"
    english.write_text(english.read_text(encoding="utf-8").split("{#ss-2}")[0].rstrip() + "\n", encoding="utf-8")
    kept = english.read_text(encoding="utf-8")
    assert run(site, "export", "--format", "xliff", "--page", "ss") == 0
    path = site / "translations" / "ss.xlf"
    tree = etree.parse(str(path))
    translations = {
        "ss-2.1": "Dry mouth for 3 years",
        "ss-2.2": "Dry eyes ",
        "ss-3.r1c1": "Study",
        "ss-3.r1c2": "Patients",
        "ss-3.r2c2": "24",
        "ss-4": "Summary",
    }
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
    added = text[len(kept.rstrip("\n")) :]
    assert added.startswith('\n\n{#ss-2 source="')
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
    assert (
        "\n{#ra-1 source=" in english and "The dose was 1×10^6^/kg, in 9 patients in all [@gamma2019third]." in english
    )
    capsys.readouterr()
    assert run(site, "status", "--format", "json") == 0
    [page] = [page for page in json.loads(capsys.readouterr().out)["pages"] if page["page"] == "ra"]
    assert (page["translated"], page["missing"], page["stale"]) == (2, 0, 0)


def test_export_never_overwrites_translations_not_yet_imported(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
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
    assert "is the project's source folder 'content' or lies inside it" in capsys.readouterr().err
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
MARKDOWN = st.lists(
    st.sampled_from([*"ab 中文,。*^[]{}()@;`\\|_-.#1\n", "[@k1]", "^6^", "**", "{.translator-note}"]), max_size=30
).map("".join)


@settings(max_examples=200, deadline=None, database=None)
@given(MARKDOWN)
def test_split_markup_loses_nothing(text: str) -> None:
    assert join(split_markup(text)) == text


@settings(max_examples=200, deadline=None, database=None)
@given(MARKDOWN)
def test_po_placeholders_round_trip(text: str) -> None:
    from bireview.translate.imports import resolve

    pieces = split_markup(text)
    assert resolve(po_pieces(po_string(pieces)), pieces) == (text, "")


@settings(max_examples=25, deadline=None, database=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    st.text(
        alphabet=st.sampled_from([*"Tranlsted wod,.;:'\"!?()-—", "é", "中", "{", "}", "&", "<"]),
        min_size=1,
        max_size=30,
    ).filter(lambda s: s.strip() == s and s.strip())
)
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
        from bireview.model.alignment import still_chinese
        from bireview.translate.imports import prose_of

        assert english_files(site) == before
        written = f"{words} 1×10^6^/kg, in 9 patients in all [@gamma2019third]."
        assert not words.lstrip("-—'\"").strip() or words[0] in "-#" or still_chinese(prose_of(written))
        return
    english = (site / "content" / "en" / "ra.md").read_text(encoding="utf-8")
    assert f"\n{words} 1×10^6^ cells/kg, in 9 patients in all [@gamma2019third].\n" in english + "\n"
    assert english_files(site)["index.md"] == before["index.md"]


# -- the files as gettext, translate-toolkit and the CAT tools read them --------------------------------
def states_of(root: Path, slug: str) -> dict[str, str]:
    review, _ = load_review(make_config(root))
    return {pair.zh.id: pair.status.value for pair in review.alignment(slug).pairs}


def test_gettext_reads_a_po_export_with_stale_new_draft_and_translated_units(mixed: Path, tmp_path: Path) -> None:
    """Issue 25 item 1: the `#| msgid` of a stale unit was wrapped without quotes; msgfmt stopped."""
    assert run(mixed, "export", "--format", "po") == 0
    path = mixed / "translations" / "ra.po"
    text = path.read_text(encoding="utf-8")
    assert '#| msgid "综上, MSCs 移植是治疗 RA 的有效方法' in text  # the Chinese the English was made from
    assert all(line.startswith(('#| msgid "', '#| "')) for line in text.split("\n") if line.startswith("#|"))
    assert "#, fuzzy, python-brace-format" in text and 'msgstr ""\n' in text  # stale/draft and new units
    for po in sorted((mixed / "translations").glob("*.po")):
        checked = subprocess.run(["msgfmt", "-c", "-o", "/dev/null", str(po)], capture_output=True, text=True)
        assert (checked.returncode, checked.stderr) == (0, ""), checked.stderr
        for command in (
            ["msgcat", str(po)],
            ["msgmerge", "-q", str(po), str(po)],
            ["msgcat", "--use-first", str(po), str(po)],
        ):
            done = subprocess.run(command, capture_output=True, text=True)
            assert (done.returncode, done.stderr) == (0, ""), (command, done.stderr)
    for command in (
        ["pocount", "--csv", str(path)],
        ["pofilter", "--progress=none", str(path), str(tmp_path / "f.po")],
        ["po2xliff", "--progress=none", str(path), str(tmp_path / "ra.xlf")],
    ):
        done = subprocess.run(command, capture_output=True, text=True)
        assert (done.returncode, done.stderr) == (0, ""), (command, done.stderr)
    from translate.storage import factory

    units = [unit for unit in factory.getobject(str(path)).units if not unit.isheader()]
    assert len(units) == 7
    [stale] = [unit for unit in units if "总之" in unit.source]
    assert stale.isfuzzy() and "综上, MSCs" in stale.prev_source


# -- what an import takes, and what it refuses (issue 25 items 2, 4, 5, 7, 8, 9) --------------------------
def set_target(path: Path, resname: str, inner: str | None, state: str | None = "translated") -> None:
    """Give one trans-unit a target with this inner XML (None: no target), as a CAT tool would."""
    tree = etree.parse(str(path))
    unit = tree.find(f".//x:trans-unit[@resname='{resname}']", X)
    old = unit.find("x:target", X)
    if old is not None:
        unit.remove(old)
    if inner is not None:
        attributes = f' state="{state}"' if state else ""
        target = etree.fromstring(f'<target xmlns="{XLIFF_NS}"{attributes}>{inner}</target>')
        unit.find("x:source", X).addnext(target)
    tree.write(str(path), xml_declaration=True, encoding="UTF-8")


def source_xml(path: Path, resname: str) -> str:
    unit = etree.parse(str(path)).find(f".//x:trans-unit[@resname='{resname}']/x:source", X)
    text = etree.tostring(unit, encoding="unicode")
    return text[text.index(">") + 1 : text.rindex("<")]


@pytest.mark.parametrize("state", ["new", None, "translated"])
def test_an_xliff_target_that_copies_the_chinese_is_refused(
    project: Path, capsys: pytest.CaptureFixture[str], state: str | None
) -> None:
    assert run(project, "export", "--page", "ra") == 0
    path = project / "translations" / "ra.xlf"
    set_target(path, "ra-2", source_xml(path, "ra-2"), state)
    before = english_files(project)
    capsys.readouterr()
    assert run(project, "import", str(path)) == 1
    assert re.search(
        r"translations/ra\.xlf:\d+: unit ra-2: the target is still Chinese — translate it or leave it empty",
        capsys.readouterr().err,
    )
    assert english_files(project) == before


@pytest.mark.parametrize("fuzzy", [True, False])
def test_a_po_msgstr_that_copies_the_msgid_is_refused(
    project: Path, capsys: pytest.CaptureFixture[str], fuzzy: bool
) -> None:
    assert run(project, "export", "--format", "po", "--page", "ra") == 0
    path = project / "translations" / "ra.po"
    text = path.read_text(encoding="utf-8")
    entry = next(e for e in text.split("\n\n") if 'msgctxt "ra-6"' in e)
    msgid = re.search(r'^msgid (".*")$', entry, re.MULTILINE).group(1)
    copied = re.sub(r'msgstr ".*"$', f"msgstr {msgid}", entry, flags=re.DOTALL)
    if fuzzy:
        copied = copied.replace("#, python-brace-format", "#, fuzzy, python-brace-format")
    path.write_text(text.replace(entry, copied), encoding="utf-8")
    before = english_files(project)
    capsys.readouterr()
    assert run(project, "import", str(path)) == 1
    assert "unit ra-6: the target is still Chinese" in capsys.readouterr().err
    assert english_files(project) == before


def test_a_paragraph_translated_in_part_is_refused_and_counted_missing(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """OmegaT with sentence segmentation leaves a sentence without a match in Chinese."""
    assert run(project, "export", "--format", "po", "--page", "ra") == 0
    edit_po(
        project / "translations" / "ra.po",
        "ra-6",
        "In summary, MSC transplantation is an effective treatment for RA. MSCs 移植可能成为临床治疗 RA 的新选择。",
    )
    before = english_files(project)
    assert run(project, "import", str(project / "translations" / "ra.po")) == 1
    assert "unit ra-6: the target is still Chinese" in capsys.readouterr().err
    assert english_files(project) == before
    # written by hand and recorded, the same English is not counted translated, and `check` names it
    english = project / "content" / "en" / "ra.md"
    text = english.read_text(encoding="utf-8")
    english.write_text(
        text.replace(
            "may become a new option in the clinical treatment of RA.",
            "may become a new option. MSCs 移植可能成为临床治疗 RA 的新选择。",
        ),
        encoding="utf-8",
    )
    capsys.readouterr()
    assert run(project, "status", "--format", "json", "--strict") == 1
    [page] = [page for page in json.loads(capsys.readouterr().out)["pages"] if page["page"] == "ra"]
    assert [(unit["id"], unit["status"]) for unit in page["units"]] == [("ra-6", "missing")]
    assert run(project, "check") == 1
    assert "'ra-6' is recorded as translated but still holds the Chinese text" in capsys.readouterr().out


@pytest.mark.parametrize("edge", [" ", "\n", "\n   "])
def test_white_space_at_a_targets_edges_is_trimmed(project: Path, edge: str) -> None:
    assert run(project, "export", "--page", "ra") == 0
    path = project / "translations" / "ra.xlf"
    set_target(path, "ra-title", edge + "MSCs and RA" + edge)
    set_target(path, "ra-6", edge + "In summary, MSC transplantation works." + edge)
    assert run(project, "import", str(path)) == 0
    english = (project / "content" / "en" / "ra.md").read_text(encoding="utf-8")
    assert "\ntitle: MSCs and RA\n" in english
    assert "\nIn summary, MSC transplantation works.\n" in english + "\n"
    assert run(project, "check") == 0


def test_a_target_rewrapped_with_indentation_is_written_without_it(project: Path) -> None:
    assert run(project, "export", "--page", "ra") == 0
    path = project / "translations" / "ra.xlf"
    set_target(path, "ra-6", "\n      In summary, MSC transplantation\n      works well.\n    ")
    assert run(project, "import", str(path)) == 0
    english = (project / "content" / "en" / "ra.md").read_text(encoding="utf-8")
    assert "\nIn summary, MSC transplantation\nworks well." in english


@pytest.mark.parametrize("inner,state", [("", "translated"), ("", "new"), ("  \n ", "translated"), (None, None)])
def test_an_empty_xliff_target_is_skipped_like_an_empty_msgstr(
    project: Path, capsys: pytest.CaptureFixture[str], inner: str | None, state: str | None
) -> None:
    before = english_files(project)
    assert run(project, "export", "--page", "ra") == 0
    path = project / "translations" / "ra.xlf"
    set_target(path, "ra-2", inner, state)  # ra-2 cites: the old message was "cites [] but the Chinese cites …"
    set_target(path, "ra-6", "In summary, it works.")
    assert run(project, "import", str(path)) == 0
    assert run(project, "export", "--format", "po", "--page", "ra", "--out", str(project / "po")) == 0
    assert english_files(project) != before
    po = project / "po" / "ra.po"
    edit_po(po, "ra-2", "  ")
    edit_po(po, "ra-5", "")
    capsys.readouterr()
    assert run(project, "import", str(po)) == 0
    assert "nothing to change" in capsys.readouterr().out


def test_a_citation_placeholder_used_twice_is_refused(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(project, "export", "--format", "po", "--page", "ra") == 0
    edit_po(project / "translations" / "ra.po", "ra-5", "Gowhari et al. {cite1} reported {cite1}.")
    before = english_files(project)
    assert run(project, "import", str(project / "translations" / "ra.po")) == 1
    assert "'ra-5': placeholder 'cite1' is used twice" in capsys.readouterr().err
    assert english_files(project) == before


@pytest.mark.parametrize("fmt", ["xliff", "po"])
def test_the_review_flag_survives_into_status_and_the_next_export(
    project: Path, capsys: pytest.CaptureFixture[str], fmt: str
) -> None:
    assert run(project, "export", "--format", fmt, "--page", "ra") == 0
    if fmt == "xliff":
        path = project / "translations" / "ra.xlf"
        set_target(path, "ra-6", "In summary, a draft.", "needs-review-translation")
    else:
        path = project / "translations" / "ra.po"
        edit_po(path, "ra-6", "In summary, a draft.")
        path.write_text(
            re.sub(
                r'(#, )(python-brace-format\n(?:#\|.*\n)*msgctxt "ra-6)',
                r"\1fuzzy, \2",
                path.read_text(encoding="utf-8"),
            ),
            encoding="utf-8",
        )
    capsys.readouterr()
    assert run(project, "import", str(path)) == 0
    assert "1 still marked for review: ra-6" in capsys.readouterr().out
    assert "\nIn summary, a draft." in (project / "content" / "en" / "ra.md").read_text(encoding="utf-8")
    assert run(project, "status", "--format", "json", "--strict") == 1
    [page] = [page for page in json.loads(capsys.readouterr().out)["pages"] if page["page"] == "ra"]
    assert [unit["id"] for unit in page["units"]] == ["ra-6"]
    assert run(project, "export", "--format", "xliff", "--page", "ra", "--out", str(project / "again")) == 0
    target = etree.parse(str(project / "again" / "ra.xlf")).find(".//x:trans-unit[@resname='ra-6']/x:target", X)
    assert target.get("state") == "needs-review-translation" and target.text == "In summary, a draft."
    if fmt == "po":  # the site says so too: the English page shows the Chinese with its notice
        assert run(project, "--no-pdf", "--quiet", "build") == 0
        page = (project / "_site" / "en" / "ra" / "index.html").read_text(encoding="utf-8")
        assert page.count('class="unit unit-missing"') == 1 and "In summary, a draft." not in page


def test_comments_and_processing_instructions_in_a_target_are_ignored(project: Path) -> None:
    assert run(project, "export", "--page", "ra") == 0
    path = project / "translations" / "ra.xlf"
    set_target(path, "ra-6", "In summary, <!-- a tool's remark -->it works<?tool mark?>.")
    assert run(project, "import", str(path)) == 0
    assert "\nIn summary, it works.\n" in (project / "content" / "en" / "ra.md").read_text(encoding="utf-8") + "\n"


# -- one import, several files: all or nothing, and true messages (issue 22 item 8) ---------------------
def test_a_failed_rename_restores_every_file_and_says_so(
    project: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    import os

    assert run(project, "export", "--format", "po", "--page", "ra", "--page", "ss") == 0
    edit_po(project / "translations" / "ra.po", "ra-6", "In summary, it works.")
    edit_po(project / "translations" / "ss.po", "ss-1", "A new first paragraph {cite1}.")
    before = english_files(project)
    real_replace = os.replace

    def replace(source: str, target: str) -> None:
        if str(target).endswith("ss.md"):
            raise PermissionError(13, "Permission denied")
        real_replace(source, target)

    monkeypatch.setattr(os, "replace", replace)
    capsys.readouterr()
    assert run(project, "import", str(project / "translations" / "ra.po"), str(project / "translations" / "ss.po")) == 1
    err = capsys.readouterr().err
    assert "content/en/ss.md: cannot write the file: Permission denied" in err
    assert "internal error" not in err and "restored" in err and "nothing was written" in err
    assert english_files(project) == before
    assert not [p for p in (project / "content" / "en").iterdir() if p.name.endswith(".part")]


def test_a_restore_that_fails_is_reported_as_written(
    project: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    import os

    import bireview.translate.edits

    assert run(project, "export", "--format", "po", "--page", "ra", "--page", "ss") == 0
    edit_po(project / "translations" / "ra.po", "ra-6", "In summary, it works.")
    edit_po(project / "translations" / "ss.po", "ss-1", "A new first paragraph {cite1}.")
    real_replace = os.replace

    def replace(source: str, target: str) -> None:
        if str(target).endswith("ss.md"):
            raise OSError(28, "No space left on device")
        real_replace(source, target)

    def no_restore(path: Path, content: bytes) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", replace)
    monkeypatch.setattr(bireview.translate.edits, "write_atomic", no_restore)
    capsys.readouterr()
    assert run(project, "import", str(project / "translations" / "ra.po"), str(project / "translations" / "ss.po")) == 1
    err = capsys.readouterr().err
    assert "content/en/ra.md: this file WAS written by the import and could not be restored" in err
    assert "nothing was written" not in err
    assert "In summary, it works." in (project / "content" / "en" / "ra.md").read_text(encoding="utf-8")


def test_partial_imports_the_good_units_and_lists_the_refused(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(project, "export", "--format", "po") == 0
    edit_po(project / "translations" / "ra.po", "ra-6", "A changed ending.")
    edit_po(project / "translations" / "ra.po", "ra-5", "Gowhari et al. {cite1} showed it.")
    edit_po(project / "translations" / "ss.po", "ss-1", "A new first paragraph {cite1}.")
    chinese = project / "content" / "zh" / "ra.md"
    chinese.write_text(chinese.read_text(encoding="utf-8").replace("综上, MSCs", "总之, MSCs"), encoding="utf-8")
    files = [str(project / "translations" / name) for name in ("ra.po", "ss.po")]
    before = english_files(project)
    assert run(project, "import", *files) == 1  # without --partial: nothing
    assert english_files(project) == before
    capsys.readouterr()
    assert run(project, "import", "--partial", *files) == 1
    out, err = capsys.readouterr()
    assert "content/en/ra.md: imported ra-5" in out and "content/en/ss.md: imported ss-1" in out
    assert "the Chinese of 'ra-6' changed since the export" in err
    assert "import --partial: 2 unit(s) imported; 1 problem(s) above, their units not imported" in err
    after = english_files(project)
    assert b"Gowhari et al. [@gowhari2020significant] showed it." in after["ra.md"]
    assert b"A changed ending." not in after["ra.md"]


# -- XLIFF states, stable keys and translate-toolkit's conversions (issue 25 item 6) ----------------------
def pocount(path: Path) -> dict[str, int]:
    done = subprocess.run(["pocount", "--csv", str(path)], capture_output=True, text=True, check=True)
    header, row = [line for line in done.stdout.splitlines() if line.strip()][:2]
    return dict(zip([h.strip() for h in header.split(",")][1:], [int(v) for v in row.split(",")[1:]], strict=True))


def test_xliff_states_are_what_pocount_and_xliff2po_read(mixed: Path, tmp_path: Path) -> None:
    from translate.storage import factory

    assert run(mixed, "export", "--page", "ra") == 0
    path = mixed / "translations" / "ra.xlf"
    states = states_of(mixed, "ra")
    units = {u.get("resname"): u for u in etree.parse(str(path)).iterfind(".//x:trans-unit", X)}
    for unit_id, unit in units.items():
        target = unit.find("x:target", X)
        if unit_id == "ra-4":  # new: no English to review, no target
            assert target is None and unit.get("approved") is None
        elif states[unit_id] == "translated":
            assert (unit.get("approved"), target.get("state")) == ("yes", "translated")
        else:
            assert (unit.get("approved"), target.get("state")) == ("no", "needs-review-translation")
    counts = pocount(path)
    assert (counts["Translated Messages"], counts["Fuzzy Messages"], counts["Untranslated Messages"]) == (4, 2, 1)
    back = tmp_path / "ra.po"
    for command in (
        ["xliff2po", "--progress=none", str(path), str(back)],
        ["pocount", str(path)],
        ["pofilter", "--progress=none", str(path), str(tmp_path / "filtered.xlf")],
    ):
        done = subprocess.run(command, capture_output=True, text=True)
        assert (done.returncode, done.stderr) == (0, ""), (command, done.stderr)  # no error, no warning
    entries = [u for u in factory.getobject(str(back)).units if not u.isheader()]
    assert sum(1 for u in entries if u.isfuzzy()) == 2


def test_an_xliff2po_file_is_imported_back_into_the_right_unit(mixed: Path, tmp_path: Path) -> None:
    """xliff2po drops the ids (only `#: content/zh/ra.md:9` is left): the unit is found by its Chinese."""
    assert run(mixed, "export", "--page", "ra") == 0
    back = tmp_path / "ra.po"
    subprocess.run(
        ["xliff2po", "--progress=none", str(mixed / "translations" / "ra.xlf"), str(back)],
        check=True,
        capture_output=True,
    )
    before = english_files(mixed)
    assert run(mixed, "import", str(back)) == 0
    assert english_files(mixed) == before  # untouched: nothing changes
    back.write_text(
        back.read_text(encoding="utf-8").replace(
            "Wang et al. [@wang2010qidai] assessed", "Wang and colleagues [@wang2010qidai] assessed"
        ),
        encoding="utf-8",
    )
    assert run(mixed, "import", str(back)) == 0
    english = (mixed / "content" / "en" / "ra.md").read_text(encoding="utf-8")
    assert "\nWang and colleagues [@wang2010qidai] assessed" in english
    assert states_of(mixed, "ra")["ra-3"] == "translated"  # approved="yes", so not fuzzy in xliff2po's file


def test_a_po2xliff_file_is_imported_back_into_the_right_unit(mixed: Path, tmp_path: Path) -> None:
    """po2xliff writes XLIFF 1.1, numbers the units and keeps `{cite1}` as text."""
    assert run(mixed, "export", "--format", "po", "--page", "ra") == 0
    converted = tmp_path / "ra.xlf"
    subprocess.run(
        ["po2xliff", "--progress=none", str(mixed / "translations" / "ra.po"), str(converted)],
        check=True,
        capture_output=True,
    )
    before = english_files(mixed)
    assert run(mixed, "import", str(converted)) == 0
    assert english_files(mixed) == before
    text = converted.read_text(encoding="utf-8")
    assert "Liang et al. {cite1} reported" in text
    converted.write_text(
        text.replace("Liang et al. {cite1} reported", "Liang and colleagues {cite1} reported"), encoding="utf-8"
    )
    assert run(mixed, "import", str(converted)) == 0
    english = (mixed / "content" / "en" / "ra.md").read_text(encoding="utf-8")
    assert "\nLiang and colleagues [@liang2012allogeneic] reported" in english
    assert states_of(mixed, "ra")["ra-2"] == "translated"


def test_keys_are_stable_so_msgmerge_keeps_the_translation_across_a_change(
    project: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A Weblate or gettext workflow: the translator's PO merged with a new export after the Chinese changed."""
    assert run(project, "export", "--format", "po", "--page", "ra", "--out", str(tmp_path / "old")) == 0
    chinese = project / "content" / "zh" / "ra.md"
    chinese.write_text(chinese.read_text(encoding="utf-8").replace("综上, MSCs", "总之, MSCs"), encoding="utf-8")
    assert run(project, "export", "--format", "po", "--page", "ra", "--out", str(tmp_path / "new")) == 0
    merged = tmp_path / "merged.po"
    subprocess.run(
        [
            "msgmerge",
            "-q",
            "--previous",
            "--no-wrap",
            "-o",
            str(merged),
            str(tmp_path / "old" / "ra.po"),
            str(tmp_path / "new" / "ra.po"),
        ],
        check=True,
        capture_output=True,
    )
    text = merged.read_text(encoding="utf-8")
    entry = next(e for e in text.split("\n\n") if 'msgctxt "ra-6"' in e)
    assert "#, fuzzy" in entry and '#| msgid "综上' in entry and 'msgstr "In summary, MSC transplantation' in entry
    assert (
        len(re.findall(r'^msgctxt "', text, re.MULTILINE)) == 7 and "#~" not in text
    )  # every unit matched, none obsolete
    checked = subprocess.run(["msgfmt", "-c", "-o", "/dev/null", str(merged)], capture_output=True, text=True)
    assert (checked.returncode, checked.stderr) == (0, "")
    before = english_files(project)
    assert run(project, "import", str(merged)) == 0  # fuzzy: the stale unit stays stale, nothing changes
    assert english_files(project) == before
    merged.write_text(
        text.replace(entry, entry.replace("#, fuzzy, python-brace-format", "#, python-brace-format")), encoding="utf-8"
    )
    assert run(project, "import", str(merged)) == 0  # reviewed: now translated from the new Chinese
    assert states_of(project, "ra")["ra-6"] == "translated"
    # an old file the translator did not merge is refused for the changed unit
    edit_po(tmp_path / "old" / "ra.po", "ra-6", "An old-file ending.")
    capsys.readouterr()
    assert run(project, "import", str(tmp_path / "old" / "ra.po")) == 1
    assert "the Chinese of 'ra-6' changed since the export" in capsys.readouterr().err


# -- OmegaT 3.6 (Debian `omegat`), console mode; TMX and TBX (issue 25 items 3 and "What to build") ------
OMEGAT = Path("/usr/share/omegat/OmegaT.jar")  # scripts/test.sh installs it: a missing OmegaT fails, never skips
OMEGAT_PROJECT = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<omegat>
  <project version="1.0">
    <source_dir>__DEFAULT__</source_dir>
    <source_dir_excludes/>
    <target_dir>__DEFAULT__</target_dir>
    <tm_dir>__DEFAULT__</tm_dir>
    <glossary_dir>__DEFAULT__</glossary_dir>
    <glossary_file>__DEFAULT__</glossary_file>
    <dictionary_dir>__DEFAULT__</dictionary_dir>
    <source_lang>zh-CN</source_lang>
    <target_lang>en</target_lang>
    <source_tok>org.omegat.tokenizer.LuceneSmartChineseTokenizer</source_tok>
    <target_tok>org.omegat.tokenizer.LuceneEnglishTokenizer</target_tok>
    <sentence_seg>false</sentence_seg>
    <support_default_translations>true</support_default_translations>
    <remove_tags>false</remove_tags>
  </project>
</omegat>
"""


def omegat_translate(project: Path) -> str:
    assert OMEGAT.is_file(), "OmegaT is not installed: scripts/test.sh installs the Debian package omegat"
    for folder in ("source", "target", "tm/auto", "glossary", "omegat", "dictionary"):
        (project / folder).mkdir(parents=True, exist_ok=True)
    (project / "omegat.project").write_text(OMEGAT_PROJECT, encoding="utf-8")
    done = subprocess.run(
        ["java", "-Djava.awt.headless=true", "-jar", str(OMEGAT), str(project), "--mode=console-translate"],
        capture_output=True,
        text=True,
        timeout=300,
    )
    log = done.stdout + done.stderr
    assert done.returncode == 0 and "Finished" in log, log
    assert not re.search(r"Exception|ERROR|SEVERE|Error", log), log
    return log


def test_omegat_translates_the_po_export_from_the_tmx_and_the_result_is_imported(
    project: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The memory of an earlier state fills a new unit in OmegaT, and the target imports. (Console mode does
    not read glossary/; OmegaT's own TBX reader reads the termbase in the next test.)"""
    omegat = tmp_path / "omegat-project"
    assert (
        run(
            project,
            "export",
            "--format",
            "tmx",
            "--for",
            "omegat",
            "--page",
            "ra",
            "--out",
            str(omegat / "tm" / "auto"),
        )
        == 0
    )
    assert run(project, "export", "--format", "tbx", "--out", str(omegat / "glossary")) == 0
    original = (project / "content" / "en" / "ra.md").read_text(encoding="utf-8")
    paragraph = next(block for block in original.split("\n\n") if block.startswith("{#ra-4 "))
    english = project / "content" / "en" / "ra.md"
    english.write_text(original.replace(paragraph + "\n\n", ""), encoding="utf-8")  # ra-4: new, no English
    assert states_of(project, "ra")["ra-4"] == "missing"
    assert run(project, "export", "--format", "po", "--page", "ra", "--out", str(omegat / "source")) == 0
    omegat_translate(omegat)
    target = omegat / "target" / "ra.po"
    checked = subprocess.run(["msgfmt", "-c", "-o", "/dev/null", str(target)], capture_output=True, text=True)
    assert checked.returncode == 0, checked.stderr
    capsys.readouterr()
    assert run(project, "import", str(target)) == 0
    assert capsys.readouterr().out.startswith("content/en/ra.md: imported ra-4")
    assert paragraph.split("\n", 1)[1] in english.read_text(encoding="utf-8")  # the memory's English, exactly
    assert states_of(project, "ra")["ra-4"] == "translated"
    assert run(project, "check") == 0


def test_tmx_and_tbx_exports_are_read_by_translate_toolkit(mixed: Path) -> None:
    from translate.storage import factory

    assert run(mixed, "export", "--format", "tmx", "--page", "ra") == 0
    assert run(mixed, "export", "--format", "tbx") == 0
    tmx = etree.parse(str(mixed / "translations" / "ra.tmx")).getroot()
    assert tmx.get("version") == "1.4" and tmx.find("header").get("srclang") == "zh-CN"
    units = factory.getobject(str(mixed / "translations" / "ra.tmx")).units
    by_id = {tu.get("tuid"): tu for tu in tmx.iter("tu")}
    # translated units, and the stale one paired with the Chinese its English was made from; no draft, no new unit
    assert sorted(by_id) == ["ra-1", "ra-2", "ra-3", "ra-6", "ra-title"] and len(units) == 5
    assert "综上, MSCs" in "".join(by_id["ra-6"].find("tuv/seg").itertext())
    zh, en = (tuv.find("seg") for tuv in by_id["ra-2"].iter("tuv"))
    assert [(ph.get("x"), ph.text) for ph in zh.iter("ph")][:2] == [("1", "{cite1}"), ("2", "{sup1}")]
    assert sorted((ph.get("x"), ph.text) for ph in zh.iter("ph")) == sorted(
        (ph.get("x"), ph.text) for ph in en.iter("ph")
    )
    review, _ = load_review(make_config(mixed))
    terms = factory.getobject(str(mixed / "translations" / "glossary.tbx")).units
    assert [(unit.source, unit.target) for unit in terms] == [(term.zh, term.en) for term in review.terms]


def test_status_counts_words_per_state_as_pocount_counts_the_export(
    mixed: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(mixed, "export", "--format", "po") == 0
    capsys.readouterr()
    assert run(mixed, "status", "--format", "json") == 0
    report = json.loads(capsys.readouterr().out)
    for page in report["pages"]:
        counted = pocount(mixed / "translations" / f"{page['page']}.po")
        words = page["words"]
        assert words["translated"] == counted["Translated Source Words"], page["page"]
        assert words["stale"] + words["missing"] == counted["Fuzzy Source Words"] + counted["Untranslated Source Words"]
        assert page["characters"]["translated"] > words["translated"] > 0
    [ra] = [page for page in report["pages"] if page["page"] == "ra"]
    assert ra["words"]["stale"] > 0 and ra["words"]["missing"] > 0  # ra-6; ra-4 and ra-5
    assert report["words"]["translated"] == sum(page["words"]["translated"] for page in report["pages"])
    assert run(mixed, "status") == 0
    text = capsys.readouterr().out
    assert text.split("\n")[0].split() == [
        "page",
        "translated",
        "stale",
        "missing",
        "words:",
        "translated",
        "stale",
        "missing",
        "characters:",
        "translated",
        "stale",
        "missing",
    ]
    words, characters = (
        " ".join(str(ra[measure][state]) for state in ("translated", "stale", "missing"))
        for measure in ("words", "characters")
    )
    assert re.search(
        rf"^ra\s+4\s+1\s+2\s+{words.replace(' ', chr(92) + 's+')}\s+{characters.replace(' ', chr(92) + 's+')}$",
        text,
        re.MULTILINE,
    )


def test_the_files_say_what_the_placeholders_mean_and_how_to_import_them(project: Path) -> None:
    assert run(project, "export", "--format", "po", "--page", "ra") == 0
    assert run(project, "export", "--format", "xliff", "--page", "ra") == 0
    po = (project / "translations" / "ra.po").read_text(encoding="utf-8")
    header = po[: po.index('msgid ""')]
    flat = " ".join(line.removeprefix("# ") for line in header.split("\n"))
    assert all(line.startswith("#") for line in header.strip().split("\n"))
    assert "{cite1} a citation [@key]" in flat and "{em1}…{em1_end} emphasis" in flat
    assert "Keep msgctxt (the unit key), msgid (the Chinese)" in flat
    assert "Import: python build.py import translations/ra.po" in flat
    note = etree.parse(str(project / "translations" / "ra.xlf")).find("x:file/x:header/x:note", X).text
    assert "<ph> a citation" in note and "Import: python build.py import translations/ra.xlf" in note
    from translate.storage import factory

    assert [u for u in factory.getobject(str(project / "translations" / "ra.po")).units if u.isheader()]


def test_the_status_page_shows_the_english_beside_the_diff_and_the_next_command(mixed: Path) -> None:
    assert run(mixed, "status", "--format", "html") == 0
    page = (mixed / "translations" / "status.html").read_text(encoding="utf-8")
    unit = page[page.index('id="unit-ra-6"') :]
    unit = unit[: unit.index("</div>")]
    assert "char-diff" in unit and "The English now, translated from the earlier Chinese:" in unit
    assert "In summary, MSC transplantation is an effective treatment" in unit
    assert "<code>python build.py import translations/ra.po</code>" in page
    assert "<code>python build.py mark-current ra-6</code>" in page


def test_omegat_reads_the_tbx_glossary_with_its_own_reader(project: Path, tmp_path: Path) -> None:
    omegat = tmp_path / "omegat-project"
    assert run(project, "export", "--format", "tbx", "--out", str(omegat / "glossary")) == 0
    omegat_translate(omegat)  # the project OmegaT reads the termbase for (zh-CN -> en)
    done = subprocess.run(
        [
            "java",
            "-Djava.awt.headless=true",
            "-cp",
            str(OMEGAT),
            str(Path(__file__).parent / "omegat" / "ReadTbx.java"),
            str(omegat),
            str(omegat / "glossary" / "glossary.tbx"),
        ],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    assert not [line for line in done.stderr.splitlines() if "Info:" not in line], done.stderr
    review, _ = load_review(make_config(project))
    expected = [(term.zh, english) for term in review.terms for english in (term.en, term.abbr) if english]
    assert [tuple(line.split("\t")) for line in done.stdout.splitlines()] == expected
