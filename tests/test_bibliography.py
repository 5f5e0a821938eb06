"""The 47 references parse, every citation resolves, and numbers follow first use."""

from __future__ import annotations

from pathlib import Path

from conftest import PROJECT

from bireview.bibliography import load_bibliography
from bireview.citations import Run, label_runs, number_citations
from bireview.config import make_config
from bireview.review import load_review

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
    assert (first.journal, first.year, first.volume, first.number, first.pages) == \
        ("Eur Rev Med Pharmacol Sci", "2016", "20", "13", "2899-2907")
    assert references["pankajakshan2014mesenchymal"].doi == "10.19104/jbtr.2014.107"
    assert [key for key, ref in references.items() if ref.doi] == ["pankajakshan2014mesenchymal"]
    assert not references["benami2011mesenchymal"].et_al
    assert references["benami2011mesenchymal"].authors[0].family == "Ben-Ami"


def test_every_citation_resolves_and_numbers_follow_first_use() -> None:
    review, problems = load_review(make_config(PROJECT))
    assert problems == []
    index = number_citations(review.zh)
    assert set(index.numbers) == set(review.references)
    bib_order = [line.split("{", 1)[1].rstrip(",") for line in
                 (PROJECT / "bib" / "references.bib").read_text(encoding="utf-8").splitlines()
                 if line.startswith("@article{")]
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
    assert ('Yang YJ, Li XL, Xue Y, et al. Bone marrow cells differentiation into organ cells using stem cell '
            'therapy[J]. Eur Rev Med Pharmacol Sci, 2016, 20(13): 2899-2907.') in page
    assert "王黎明, 周建军, 白雯, 等. 脐带间充质干细胞治疗 17 例类风湿性关节炎患者的临床疗效观察[J]. 中国免疫学杂志, 2010, 26(7): 659-662." in page
    # [28] is cited in SLE, PM/DM (twice in one paragraph) and SSc: each paragraph once
    entry = page.split('id="ref-liang2018safety"')[1].split("</li>")[0]
    assert entry.count('href="../sle/index.html#sle-3"') == 1
    assert 'href="../pm-dm/index.html#pm-dm-1"' in entry and 'href="../ssc/index.html#ssc-2"' in entry
