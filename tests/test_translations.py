"""The structured translation: status, scaffold, mark-current, notices and the quality checks."""

from __future__ import annotations

import hashlib
import json
import re
import unicodedata
from pathlib import Path

import pytest
from conftest import make_scenario, run
from htmltext import read_page

from bireview.model.pages import fingerprint


@pytest.fixture
def site(tmp_path: Path) -> Path:
    return make_scenario(tmp_path, "translated")


def test_status_counts_and_lists_units(site: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(site, "status") == 0
    out = capsys.readouterr().out.splitlines()
    assert out[1].split()[:4] == ["index", "2", "1", "0"]
    assert out[-1] == (
        "content/zh/index.md:11: stale overview-2: 第二段引用了两篇[@beta2021second… "
        "(English at content/en/index.md:10)"
    )
    assert run(site, "status", "--strict") == 1
    capsys.readouterr()
    assert run(site, "status", "--format", "json") == 0
    report = json.loads(capsys.readouterr().out)
    assert report["total"] == {"translated": 4, "stale": 1, "missing": 0}
    assert report["pages"][0]["units"][0]["english"] == "content/en/index.md:10"


def test_editing_one_chinese_paragraph_makes_exactly_that_unit_stale(
    site: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(site, "mark-current", "overview-2") == 0
    assert run(site, "status", "--strict") == 0
    chinese = site / "content" / "zh" / "ra.md"
    chinese.write_text(
        chinese.read_text(encoding="utf-8").replace("共 9 例患者", "共 9 例难治性患者"), encoding="utf-8"
    )
    capsys.readouterr()
    assert run(site, "status", "--format", "json") == 0
    report = json.loads(capsys.readouterr().out)
    assert report["total"] == {"translated": 4, "stale": 1, "missing": 0}
    assert [unit["id"] for page in report["pages"] for unit in page["units"]] == ["ra-1"]
    assert run(site, "check") == 0
    english = (site / "_site" / "en" / "ra" / "index.html").read_text(encoding="utf-8")
    notice = re.search(r'<p class="notice notice-stale" role="note">(.*?)</p>', english, re.S)
    assert notice and 'href="../../zh/ra/index.html#ra-1"' in notice.group(1)
    assert "The dose was 1×10<sup>6</sup> cells/kg" in english
    chinese_html = (site / "_site" / "zh" / "ra" / "index.html").read_text(encoding="utf-8")
    assert "notice" not in chinese_html.split("<main")[1]


def test_missing_unit_shows_the_chinese_marked_as_chinese(site: Path) -> None:
    chinese = site / "content" / "zh" / "ra.md"
    chinese.write_text(
        chinese.read_text(encoding="utf-8") + "\n{#ra-2}\n新增的一段[@alpha2020first]。\n", encoding="utf-8"
    )
    assert run(site, "build") == 0
    english = (site / "_site" / "en" / "ra" / "index.html").read_text(encoding="utf-8")
    block = english.split('<div class="unit unit-missing">')[1].split("</div>\n    </div>")[0]
    assert "has not been translated yet" in block
    assert '<div lang="zh-Hans"><p id="ra-2">新增的一段' in block


def test_untranslated_page_falls_back_with_a_page_notice(tmp_path: Path) -> None:
    site = make_scenario(tmp_path)  # no English files at all
    assert run(site, "build") == 0
    english = (site / "_site" / "en" / "ra" / "index.html").read_text(encoding="utf-8")
    assert '<html lang="en">' in english
    assert "This page has not been translated into English yet" in english
    assert '<div class="unit" lang="zh-Hans"><p id="ra-1">' in english
    assert '<h1 id="ra-title" lang="zh-Hans">' in english


def without_lines(text: str, added: set[int]) -> str:
    return "\n".join(line for number, line in enumerate(text.split("\n")) if number not in added)


def test_scaffold_adds_units_and_keeps_every_english_byte(site: Path, capsys: pytest.CaptureFixture[str]) -> None:
    chinese = site / "content" / "zh" / "ra.md"
    text = chinese.read_text(encoding="utf-8")
    chinese.write_text(
        text.replace("{#ra-1}", "{#ra-0}\n新的第一段。\n\n{#ra-1}") + "\n{#ra-2}\n新的最后一段。\n", encoding="utf-8"
    )
    english = site / "content" / "en" / "ra.md"
    before = english.read_text(encoding="utf-8")
    assert run(site, "scaffold") == 0
    assert "added 2 block(s) to translate: ra-0, ra-2" in capsys.readouterr().out
    after = english.read_text(encoding="utf-8")
    lines = after.split("\n")
    added = {i for i, line in enumerate(lines) if line in ("{#ra-0}", "新的第一段。", "{#ra-2}", "新的最后一段。")}
    added |= {i - 1 for i in added if lines[i].startswith("{#") and lines[i - 1] == ""}
    assert without_lines(after, added) == before
    assert after.index("{#ra-0}") < after.index("{#ra-1 ") < after.index("{#ra-2}")
    assert run(site, "scaffold") == 0  # a second run adds nothing and writes nothing
    assert english.read_text(encoding="utf-8") == after
    capsys.readouterr()
    assert run(site, "status", "--format", "json") == 0
    assert json.loads(capsys.readouterr().out)["total"]["missing"] == 2


def test_mark_current_rewrites_only_the_id_line(site: Path, capsys: pytest.CaptureFixture[str]) -> None:
    english = site / "content" / "en" / "index.md"
    before = english.read_text(encoding="utf-8").split("\n")
    assert run(site, "mark-current", "overview-2") == 0
    after = english.read_text(encoding="utf-8").split("\n")
    changed = [i for i, (a, b) in enumerate(zip(before, after, strict=False)) if a != b]
    assert len(before) == len(after) and len(changed) == 1
    assert (
        after[changed[0]]
        == "{#overview-2 source=" + fingerprint("第二段引用了两篇[@beta2021second; @alpha2020first]。") + "}"
    )


PADDED = "新段[@alpha2020first; @beta2021second; @gamma2019third]。"


def scaffold_paragraph(site: Path, paragraph: str) -> Path:
    """A new Chinese paragraph ra-2, scaffolded into the English: the English file, holding the Chinese."""
    chinese = site / "content" / "zh" / "ra.md"
    chinese.write_text(chinese.read_text(encoding="utf-8") + f"\n{{#ra-2}}\n{paragraph}\n", encoding="utf-8")
    assert run(site, "scaffold") == 0
    return site / "content" / "en" / "ra.md"


@pytest.mark.parametrize("paragraph", ["新的最后一段。", PADDED])
def test_mark_current_refuses_a_unit_still_in_chinese(
    site: Path, capsys: pytest.CaptureFixture[str], paragraph: str
) -> None:
    """However Latin its citation keys look, a short Chinese paragraph is still Chinese."""
    english = scaffold_paragraph(site, paragraph)
    before = english.read_bytes()
    assert run(site, "mark-current", "ra-2") == 1
    assert "not marked: ra-2 has no English text yet" in capsys.readouterr().out
    assert english.read_bytes() == before


def test_scaffold_writes_a_whole_file_for_a_new_page(tmp_path: Path) -> None:
    site = make_scenario(tmp_path)
    assert run(site, "scaffold") == 0
    created = (site / "content" / "en" / "ra.md").read_text(encoding="utf-8")
    assert created.startswith("---\ntitle: 类风湿关节炎\n")
    assert "{#ra-1}\n剂量为 1×10^6^/kg,共 9 例患者[@gamma2019third]。\n" in created


QUALITY = {
    "wrong_citation": "content/en/ra.md:7: citation parity: 'ra-1' cites [1] but the Chinese cites [3] — cite the "
    "same references on the same sentences, or explain a correction in a "
    "[Translator's note: …]{.translator-note} that cites both",
    "wrong_number": "content/en/ra.md:7: number parity: 'ra-1' lacks 9 of the Chinese; zh: “剂量为 1×10^6^/kg,共 9 "
    "例患者[@gamma2019third]。” en: “The dose was 1×10^6^ cells/kg, in nine patients in all "
    "[@gamma2019third].” — write every number of the Chinese in the English, as digits",
    "wrong_term": "content/en/ra.md:7: terminology: the Chinese of 'ra-1' uses 患者 but the English has neither "
    "'patient' — use the glossary's translation (data/glossary.yaml) or change the glossary",
}


@pytest.mark.parametrize("case", sorted(QUALITY))
def test_quality_checks_fire(tmp_path: Path, capsys: pytest.CaptureFixture[str], case: str) -> None:
    site = make_scenario(tmp_path, "translated", case)
    assert run(site, "check") == 1
    assert capsys.readouterr().out.splitlines() == [QUALITY[case], "check: 1 problem"]


ENGLISH_STYLE = [
    "content/en/ra.md:7: style: 'ra-1' writes a dose per kilogram without its unit: “×10^6^/kg” — "
    "write doses as '1×10^6^ cells/kg'",
    "content/en/ra.md:7: style: 'ra-1' writes a range with a hyphen: “6-19” — "
    "write ranges with an en dash: '6–19 months'",
    "content/en/ra.md:7: style: 'ra-1' writes 'monocyte chemotactic protein': “monocyte chemotactic protein” — "
    "write 'monocyte chemoattractant protein-1 (MCP-1)'",
]


def test_english_style_points_are_checked(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """The edition's house style (issue 24) stays: doses in cells/kg, ranges with an en dash, the MCP-1 term."""
    site = make_scenario(tmp_path, "translated", "english_style")
    assert run(site, "check") == 1
    assert capsys.readouterr().out.splitlines() == [*ENGLISH_STYLE, "check: 3 problems"]
    english = site / "content" / "en" / "ra.md"
    english.write_text(
        english.read_text(encoding="utf-8")
        .replace("1×10^6^/kg", "1×10^6^ cells/kg")
        .replace("6-19", "6–19")
        .replace("chemotactic", "chemoattractant"),
        encoding="utf-8",
    )
    assert run(site, "check") == 0
    capsys.readouterr()


def test_a_study_record_keeps_the_dose_style(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    site = make_scenario(tmp_path, "translated", "studies")
    studies = site / "data" / "studies.yaml"
    text = studies.read_text(encoding="utf-8").split("- id: wrong-ra")[0]
    studies.write_text(text.replace('en: "1×10^6^ cells/kg"', 'en: "1×10^6^/kg"'), encoding="utf-8")
    assert run(site, "check") == 1
    assert capsys.readouterr().out.splitlines() == [
        "data/studies.yaml:1: style: study 'gamma-ra' (dose) writes a dose per kilogram without its unit: "
        "“×10^6^/kg” — write doses as '1×10^6^ cells/kg'",
        "check: 1 problem",
    ]


def test_citation_ranges_take_an_en_dash_in_english_only(site: Path) -> None:
    """[1–3] on the English page, [1-3] as the Chinese edition prints it."""
    for lang, old in (
        ("zh", "第二段引用了两篇[@beta2021second; @alpha2020first]"),
        ("en", "The second paragraph cites two [@beta2021second; @alpha2020first]"),
    ):
        page = site / "content" / lang / "index.md"
        page.write_text(
            page.read_text(encoding="utf-8").replace(
                old, old.replace("[@beta2021second;", "[@beta2021second; @gamma2019third;")
            ),
            encoding="utf-8",
        )
    assert run(site, "mark-current", "overview-2") == 0
    assert run(site, "check") == 0
    # the landing page holds the whole article: the overview's labels come first
    assert read_page(site / "_site" / "en" / "index.html").labels[:2] == ["[1]", "[1–3]"]
    assert read_page(site / "_site" / "zh" / "index.html").labels[:2] == ["[1]", "[1-3]"]


def test_a_correction_explained_in_a_translators_note_passes(site: Path) -> None:
    english = site / "content" / "en" / "ra.md"
    original = english.read_text(encoding="utf-8")

    def correct(note: str) -> None:
        english.write_text(
            original.replace("in all [@gamma2019third].", f"in all [@alpha2020first]. {note}"), encoding="utf-8"
        )

    correct("[Translator's note: the Chinese cites another study.]{.translator-note}")
    assert run(site, "check") == 1, "a note that does not cite the Chinese reference explains nothing"
    correct(
        "[Translator's note: the Chinese cites [@gamma2019third] here; the study is "
        "[@alpha2020first].]{.translator-note}"
    )
    assert run(site, "check") == 0
    page = read_page(site / "_site" / "en" / "ra" / "index.html")
    assert page.labels == ["[1]", "[3]", "[1]"]


CJK = re.compile(r"[\u3400-\u9fff]")


def test_english_edition_has_no_chinese_outside_marked_spans(real_site: Path) -> None:
    """Chinese on English pages only inside lang="zh-Hans" (reference titles, quotations)."""
    for page in (real_site / "en").rglob("index.html"):
        html = page.read_text(encoding="utf-8")
        body = html.split("<body>", 1)[1]
        outside = re.sub(r'<(\w+)[^>]*\blang="zh-Hans"[^>]*>.*?</\1>', "", body, flags=re.S)
        assert not CJK.findall(outside), (page, CJK.findall(outside)[:10])
    overview = (real_site / "en" / "index.html").read_text(encoding="utf-8")
    assert "November 4, 2021" in overview and "Yajing Wang" in overview
    assert "Translator's note" in (real_site / "en" / "ra" / "index.html").read_text(encoding="utf-8")


def test_real_review_translation_is_complete(capsys: pytest.CaptureFixture[str]) -> None:
    from conftest import PROJECT

    assert run(PROJECT, "status", "--strict") == 0
    assert capsys.readouterr().out.splitlines()[-1].split()[:4] == ["total", "32", "0", "0"]


def test_ids_writes_derived_ids_once_and_nothing_else(site: Path, capsys: pytest.CaptureFixture[str]) -> None:
    chinese = site / "content" / "zh" / "ra.md"
    before = chinese.read_text(encoding="utf-8") + "\n新段落，没有编号。\n"
    chinese.write_text(before, encoding="utf-8")
    assert run(site, "ids") == 0
    assert "content/zh/ra.md: wrote ids ra-2" in capsys.readouterr().out
    after = chinese.read_text(encoding="utf-8")
    assert after.replace("{#ra-2}\n", "", 1) == before
    assert run(site, "ids") == 0 and chinese.read_text(encoding="utf-8") == after


# ---- Lists and tables: each item and each cell is a unit of its own ---------------------------------------


@pytest.fixture
def table_site(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    site = make_scenario(tmp_path, "lists_tables")
    assert run(site, "mark-current", "--page", "ss") == 0
    capsys.readouterr()
    return site


def test_list_items_and_table_cells_are_units(table_site: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(table_site, "status", "--format", "json") == 0
    page = next(p for p in json.loads(capsys.readouterr().out)["pages"] if p["page"] == "ss")
    assert (page["translated"], page["stale"], page["missing"]) == (1 + 1 + 2 + 4 + 1, 0, 0)  # title, paragraph,
    # two items, four cells, a heading
    english = (table_site / "content" / "en" / "ss.md").read_text(encoding="utf-8")
    sources = re.findall(r'\{#(ss-\d) source="?([0-9a-f,]+)"?\}', english)
    assert [(block, len(values.split(","))) for block, values in sources] == [
        ("ss-1", 1),
        ("ss-2", 2),
        ("ss-3", 4),
        ("ss-4", 1),
    ]
    assert "Dry mouth for 3 years" in english  # the translator's words are untouched
    assert run(table_site, "check") == 0
    html = (table_site / "_site" / "en" / "ss" / "index.html").read_text(encoding="utf-8")
    assert '<li id="ss-2.1">Dry mouth for 3 years</li>' in html
    assert '<td id="ss-3.r2c2">24</td>' in html


def test_changing_one_list_item_makes_only_that_item_stale(
    table_site: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    chinese = table_site / "content" / "zh" / "ss.md"
    chinese.write_text(chinese.read_text(encoding="utf-8").replace("- 眼干", "- 双眼干涩"), encoding="utf-8")
    assert run(table_site, "status", "--format", "json") == 0
    report = json.loads(capsys.readouterr().out)
    assert [unit["id"] for page in report["pages"] if page["page"] == "ss" for unit in page["units"]] == ["ss-2.2"]
    assert run(table_site, "build") == 0
    html = (table_site / "_site" / "en" / "ss" / "index.html").read_text(encoding="utf-8")
    stale = html.split('<div class="unit unit-stale">')[1].split("</div>")[0]
    assert 'href="../../zh/ss/index.html#ss-2"' in stale and "Dry eyes" in stale
    english = table_site / "content" / "en" / "ss.md"
    before = english.read_text(encoding="utf-8")
    assert run(table_site, "mark-current", "ss-2.2") == 0
    after = english.read_text(encoding="utf-8")
    old_line = next(line for line in before.split("\n") if line.startswith("{#ss-2 "))
    new_line = next(line for line in after.split("\n") if line.startswith("{#ss-2 "))
    assert old_line.split(",")[0] == new_line.split(",")[0]  # item 1's fingerprint kept
    assert old_line != new_line and after.replace(new_line, old_line) == before


def test_number_parity_checks_each_table_cell(table_site: Path, capsys: pytest.CaptureFixture[str]) -> None:
    english = table_site / "content" / "en" / "ss.md"
    english.write_text(
        english.read_text(encoding="utf-8").replace("| A | 24 |", "| A | twenty-four |"), encoding="utf-8"
    )
    assert run(table_site, "check") == 1
    out = capsys.readouterr().out
    assert "content/en/ss.md:17: number parity: 'ss-3.r2c2' lacks 24 of the Chinese" in out


def test_scaffold_copies_a_new_table_whole(table_site: Path, capsys: pytest.CaptureFixture[str]) -> None:
    chinese = table_site / "content" / "zh" / "ss.md"
    chinese.write_text(
        chinese.read_text(encoding="utf-8") + "\n{#ss-5}\n| 指标 |\n|---|\n| 唾液流率 |\n", encoding="utf-8"
    )
    assert run(table_site, "scaffold", "ss") == 0
    assert "added 1 block(s) to translate: ss-5" in capsys.readouterr().out
    english = (table_site / "content" / "en" / "ss.md").read_text(encoding="utf-8")
    assert "## Summary\n\n{#ss-5}\n| 指标 |\n|---|\n| 唾液流率 |" in english
    assert run(table_site, "build") == 0
    html = (table_site / "_site" / "en" / "ss" / "index.html").read_text(encoding="utf-8")
    assert '<td id="ss-5.r2c1">唾液流率</td>' in html.split('<div class="unit unit-missing">')[1]


def test_body_headings_are_units_with_anchors(table_site: Path) -> None:
    assert run(table_site, "build") == 0
    html = (table_site / "_site" / "en" / "ss" / "index.html").read_text(encoding="utf-8")
    assert (
        '<h2 id="ss-4">Summary<a class="heading-anchor" href="#ss-4" aria-label="Link to this heading">#</a></h2>'
        in html
    )


def test_mark_current_keeps_windows_line_endings(site: Path) -> None:
    english = site / "content" / "en" / "index.md"
    english.write_bytes(english.read_bytes().replace(b"\n", b"\r\n"))
    before = english.read_bytes()
    assert run(site, "mark-current", "overview-2") == 0
    after = english.read_bytes()
    assert after.count(b"\r\n") == before.count(b"\r\n") and b"\n" not in after.replace(b"\r\n", b"")
    assert [line for line in after.split(b"\r\n") if line not in before.split(b"\r\n")] == [
        b"{#overview-2 source=" + fingerprint("第二段引用了两篇[@beta2021second; @alpha2020first]。").encode() + b"}"
    ]


def test_check_refuses_chinese_recorded_as_translated(site: Path, capsys: pytest.CaptureFixture[str]) -> None:
    english = scaffold_paragraph(site, PADDED)
    english.write_text(
        english.read_text(encoding="utf-8").replace("{#ra-2}", "{#ra-2 source=" + fingerprint(PADDED) + "}"),
        encoding="utf-8",
    )
    capsys.readouterr()
    assert run(site, "check") == 1
    assert (
        "content/en/ra.md:10: 'ra-2' is recorded as translated but still holds the Chinese text — translate it, "
        "then run `python build.py mark-current ra-2`"
    ) in capsys.readouterr().out


def test_scaffold_honours_the_chinese_slug(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    site = make_scenario(tmp_path)
    (site / "content" / "zh" / "custom.md").write_text(
        "---\ntitle: 新页\nslug: newpage\norder: 5\n---\n\n{#newpage-1}\n新页的一段。\n", encoding="utf-8"
    )
    assert run(site, "scaffold") == 0
    assert sorted(p.name for p in (site / "content" / "en").glob("*.md")) == ["index.md", "newpage.md", "ra.md"]
    assert run(site, "build") == 0 and (site / "_site" / "en" / "newpage" / "index.html").exists()
    assert run(site, "scaffold") == 0  # nothing more to add, and no second copy
    assert sorted(p.name for p in (site / "content" / "en").glob("*.md")) == ["index.md", "newpage.md", "ra.md"]


def test_scaffold_never_replaces_a_file_in_the_way(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    site = make_scenario(tmp_path)
    (site / "content" / "en").mkdir(parents=True)
    mine = site / "content" / "en" / "ra.md"
    mine.write_text("---\ntitle: My draft\nslug: rheumatoid\n---\n\n{#x-1}\nMy words.\n", encoding="utf-8")
    before = mine.read_bytes()
    assert run(site, "scaffold") == 1
    assert mine.read_bytes() == before


def test_a_title_fingerprint_of_digits_is_recorded_as_text(site: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A fingerprint is ten hex digits, all of them decimal for about one title in a hundred: written
    bare, YAML reads a number, and the next build refused the front matter that mark-current wrote
    (found at 2,000 pages, where 16 titles were refused)."""
    title = next(title for title in (f"类风湿关节炎{n}" for n in range(10_000)) if fingerprint(title).isdigit())
    chinese = site / "content" / "zh" / "ra.md"
    chinese.write_text(
        chinese.read_text(encoding="utf-8").replace("title: 类风湿关节炎\n", f"title: {title}\n", 1), encoding="utf-8"
    )
    assert run(site, "mark-current", "ra-title") == 0
    english = (site / "content" / "en" / "ra.md").read_text(encoding="utf-8")
    assert f'\ntitle_source: "{fingerprint(title)}"\n' in english
    capsys.readouterr()
    assert run(site, "status", "--format", "json") == 0
    [page] = [page for page in json.loads(capsys.readouterr().out)["pages"] if page["page"] == "ra"]
    assert "ra-title" not in {unit["id"] for unit in page["units"]}  # current, as marked
    assert run(site, "--no-pdf", "build") == 0


def test_fingerprints_ignore_every_white_space_and_width_form_as_they_always_did() -> None:
    """Recorded fingerprints must not change when the code does: every English unit would turn stale.
    The white space dropped is what `str.split` splits at; it must be exactly what `\\s` matched."""
    spaces = [chr(point) for point in range(0x110000) if chr(point).isspace()]
    assert spaces == [chr(point) for point in range(0x110000) if re.fullmatch(r"\s", chr(point))]
    for text in [
        "共 9 例患者",
        "10^6^ cells/kg\n",
        "ＡＢＣ　全角",
        "a\u00a0b\u2029c\u3000d\x1ce\x85f",
        "".join(spaces) + "x",
    ]:
        normal = re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))
        assert fingerprint(text) == hashlib.sha256(normal.encode("utf-8")).hexdigest()[:10]
    assert fingerprint("共 9 例患者") == fingerprint("共9例患者") == fingerprint("共９例　患者")


NOTE = re.compile(r"\[Translator's note: (.*?)\]\{\.translator-note\}")
SENTENCE_END = re.compile(r"(?<!\bal)(?<!\be\.g)(?<!\bi\.e)[.;?!]\s+(?=[A-Z0-9\"\[(])")


def sentences(paragraph: str) -> list[str]:
    """A paragraph's sentences, each translator's note apart; 'et al.' ends none."""
    text = re.sub(r"\[@[^\]]*\]", "[1]", paragraph)
    pieces = [NOTE.sub("", text), *NOTE.findall(text)]
    return [s for piece in pieces for s in SENTENCE_END.split(piece) if s.strip()]


def test_no_sentence_of_the_english_review_runs_over_45_words() -> None:
    """An editor's limit for the English edition (issue 24), notes included."""
    from conftest import PROJECT

    long = []
    for page in sorted((PROJECT / "content" / "en").glob("*.md")):
        for block in page.read_text(encoding="utf-8").split("\n\n"):
            if block.startswith("{#"):
                long += [
                    (page.name, len(s.split()), s[:60])
                    for s in sentences(block.split("\n", 1)[1])
                    if len(s.split()) > 45
                ]
    assert long == []
    assert len(max(sentences("Liang et al. [@x] gave " + "one more word " * 20 + "in all."), key=len).split()) == 67
