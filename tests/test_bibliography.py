"""The 47 references parse, every citation resolves, and numbers follow first use."""

from __future__ import annotations

import re
from pathlib import Path

from conftest import PROJECT

from bireview.config import make_config
from bireview.model.bibliography import latex_to_markup, load_bibliography, load_reference_translations, nlm_pages
from bireview.model.citations import Run, label_runs, number_citations
from bireview.model.review import load_review

CHINESE = {"wang2010qidai", "yang2015qidai", "gong2015jianchongzhi", "lai2015qixue", "li2020xinxing"}


def test_47_references_parse_without_problems() -> None:
    references, problems = load_bibliography(PROJECT / "bib", PROJECT)
    assert problems == []
    assert len(references) == 47
    assert {key for key, ref in references.items() if ref.is_chinese} == CHINESE


def test_fields_are_as_the_seed_prints_them() -> None:
    references, _ = load_bibliography(PROJECT / "bib", PROJECT)
    first = references["yang2016bone"]
    assert [p.family for p in first.authors] == ["Yang", "Li", "Xue"] and first.et_al
    assert (first.journal, first.year, first.volume, first.number, first.pages) == (
        "Eur Rev Med Pharmacol Sci",
        "2016",
        "20",
        "13",
        "2899-2907",
    )
    assert references["pankajakshan2014mesenchymal"].doi == "10.19104/jbtr.2014.107"
    assert [key for key, ref in references.items() if ref.doi] == ["pankajakshan2014mesenchymal"]
    assert not references["benami2011mesenchymal"].et_al
    assert references["benami2011mesenchymal"].authors[0].family == "Ben-Ami"


def test_every_citation_resolves_and_numbers_follow_first_use() -> None:
    review, problems = load_review(make_config(PROJECT))
    assert problems == []
    index = number_citations(review.zh)
    assert set(index.numbers) == set(review.references)
    bib_order = [
        line.split("{", 1)[1].rstrip(",")
        for line in (PROJECT / "bib" / "references.bib").read_text(encoding="utf-8").splitlines()
        if line.startswith("@article{")
    ]
    assert sorted(index.numbers, key=index.numbers.__getitem__) == bib_order  # the seed's 1..47
    assert index.numbers["liang2018safety"] == 28


def test_labels_collapse_runs_of_three_and_keep_pairs() -> None:
    assert label_runs([5, 6, 7, 8]) == [Run(5, 8)]
    assert label_runs([12, 11]) == [Run(11, 11), Run(12, 12)]
    assert label_runs([28, 38, 39]) == [Run(28, 28), Run(38, 38), Run(39, 39)]
    assert label_runs([1, 2, 3, 7, 9, 10]) == [Run(1, 3), Run(7, 7), Run(9, 9), Run(10, 10)]


def test_reference_list_and_back_links(real_site: Path) -> None:
    page = (real_site / "zh" / "references" / "index.html").read_text(encoding="utf-8")
    assert page.count('<li id="ref-') == 47
    assert (
        "Yang YJ, Li XL, Xue Y, et al. Bone marrow cells differentiation into organ cells using stem cell "
        "therapy[J]. Eur Rev Med Pharmacol Sci, 2016, 20(13): 2899-2907."
    ) in page
    assert (
        "王黎明, 周建军, 白雯, 等. 脐带间充质干细胞治疗 17 例类风湿性关节炎患者的临床疗效观察[J]. "
        "中国免疫学杂志, 2010, 26(7): 659-662." in page
    )
    # [28] is cited in SLE, PM/DM (twice in one paragraph) and SSc: each paragraph once
    entry = page.split('id="ref-liang2018safety"')[1].split("</li>")[0]
    assert entry.count('href="../sle/index.html#sle-3"') == 1
    assert 'href="../pm-dm/index.html#pm-dm-1"' in entry and 'href="../ssc/index.html#ssc-2"' in entry


def test_a_pages_back_links_name_their_paragraphs(real_site: Path) -> None:
    """Each entry of a page's reference list leads back to the paragraphs citing it there: "↩ ¶3", read out
    in full (the page and the paragraph), one link after another."""
    for lang, label in (
        ("zh", "返回引用段落：系统性红斑狼疮 ¶"),
        ("en", "Back to the citing paragraph: Systemic lupus erythematosus ¶"),
    ):
        page = (real_site / lang / "sle" / "index.html").read_text(encoding="utf-8")
        links = re.findall(
            r'<a href="#(sle-\d+)" aria-label="([^"]*)">↩ ¶(\d+)</a>',
            page.split('class="page-references"')[1].split('id="ref-liang2018safety"')[1].split("</li>")[0],
        )
        assert links and all(aria == f"{label}{number}" for _, aria, number in links)
        numbers = [number for _, _, number in links]
        assert numbers == sorted(set(numbers), key=int)  # each citing paragraph once, in reading order


def entry(site: Path, lang: str, key: str) -> str:
    page = (site / lang / "references" / "index.html").read_text(encoding="utf-8")
    return page.split(f'id="ref-{key}"')[1].split("</li>")[0]


def test_a_superscript_keeps_the_space_after_it(real_site: Path) -> None:
    assert (
        latex_to_markup(r"{CD4\textsuperscript{+}CD25\textsuperscript{+}} regulatory {T} cells")
        == "CD4<sup>+</sup>CD25<sup>+</sup> regulatory T cells"
    )
    for lang in ("zh", "en"):  # as the seed prints [29], [30] and [32]
        assert "CD4<sup>+</sup>CD25<sup>high</sup> T regulatory cell" in entry(real_site, lang, "valencia2007deficient")
        for key in ("azab2008cd4", "marie2005tgf"):
            assert "CD4<sup>+</sup>CD25<sup>+</sup> regulatory T cells" in entry(real_site, lang, key)


def test_english_page_ranges_follow_nlm_and_chinese_ones_stay_full(real_site: Path) -> None:
    assert [nlm_pages(p) for p in ("331-340", "2899-2907", "74-85", "1061-1067", "1843", "R79", "e001890")] == [
        "331-40",
        "2899-907",
        "74-85",
        "1061-7",
        "1843",
        "R79",
        "e001890",
    ]
    assert "1974;17(4):331-40." in entry(real_site, "en", "friedenstein1974stromal")
    assert "1974, 17(4): 331-340." in entry(real_site, "zh", "friedenstein1974stromal")
    assert "2016;20(13):2899-907." in entry(real_site, "en", "yang2016bone")


def test_english_citing_places_follow_the_english_text(real_site: Path) -> None:
    """The outlook's Chinese cites [30] where the English, with a translator's note, cites [27]: each edition's
    back-links follow its own text, a key named only in a note is no citing place, and numbers stay the Chinese's."""
    outlook = 'href="../outlook/index.html#outlook-1"'
    assert outlook in entry(real_site, "zh", "azab2008cd4") and outlook not in entry(real_site, "zh", "wang2017long")
    assert outlook not in entry(real_site, "en", "azab2008cd4") and outlook in entry(real_site, "en", "wang2017long")
    assert 'href="../sle/index.html#sle-4"' in entry(real_site, "en", "azab2008cd4")
    assert entry(real_site, "en", "azab2008cd4").startswith(' value="30"')
    page = (real_site / "en" / "outlook" / "index.html").read_text(encoding="utf-8")
    listed = page.split('class="page-references"')[1]
    assert 'id="ref-azab2008cd4"' in listed  # the note's citation still leads to the entry
    assert "#outlook-1" not in listed.split('id="ref-azab2008cd4"')[1].split("</li>")[0]
    assert "#outlook-1" in listed.split('id="ref-wang2017long"')[1].split("</li>")[0]


def test_a_translators_note_on_a_reference_entry(real_site: Path, tmp_path: Path) -> None:
    english = entry(real_site, "en", "liang2015overview")
    note = english.split('<span class="translator-note">')[1]
    assert note.startswith(
        "[Translator's note: the Chinese reference list gives the authors as Liang J, Zhang H, Kong W"
    )
    assert "repeats the author list of" in note and 'href="#ref-liang2018safety"' in note and ">28</a>" in note
    assert "the article's authors are Findlay AR, Goyal NA and Mozaffar T" in note
    assert "translator-note" not in entry(real_site, "zh", "liang2015overview")  # the Chinese stays as published
    translations = tmp_path / "references.yaml"
    translations.write_text('liang2015overview:\n  note: "repeats [@nosuch1999key]"\n', encoding="utf-8")
    _, problems = load_reference_translations(translations, tmp_path, {"liang2015overview"})
    assert [(p.line, p.message) for p in problems] == [
        (1, "the note on 'liang2015overview' cites unknown citation key 'nosuch1999key'")
    ]
