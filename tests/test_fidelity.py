"""The Chinese pages carry every word of the seed, and every citation label as the seed prints it."""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

import pytest
from htmltext import read_page

SEED = Path(__file__).resolve().parent.parent / "seeds" / "000_927a681a5c5ffac5.txt"
SECTIONS = [  # (slug, the seed's heading that opens it)
    ("index", None),
    ("ra", "1 MSCs与类风湿关节炎"),
    ("sle", "2 MSCs 与系统性红斑狼疮"),
    ("ss", "3 MSCs与干燥综合征"),
    ("pm-dm", "4 MSCs与多发性肌炎/皮肌炎"),
    ("ssc", "5 MSCs 与系统性硬化症"),
    ("outlook", "6 小结与展望"),
]
FOOTERS = ("基金项目:", "作者简介:", "收稿日期:")
SEED_CITATION = re.compile(r"\^\{?\[([\d,\-]+)\]\}?")


def normalise(text: str) -> str:
    """Compare words, not typesetting: width forms, LaTeX and white space fall away."""
    text = SEED_CITATION.sub("", text)
    text = text.replace("\\times", "×").replace("\\sim", "~")
    text = re.sub(r"\\text\{([^}]*)\}", r"\1", text)
    text = unicodedata.normalize("NFKC", text)
    return re.sub(r"[\s$^{}*]", "", text)


def seed_sections() -> dict[str, list[str]]:
    """The seed's body paragraphs per page, without title block, headings, footers or references."""
    text = SEED.read_text(encoding="utf-8")
    body = text[text.index("间充质干细胞(mesenchymal") : text.index("参考文献:")]
    sections: dict[str, list[str]] = {"index": []}
    current = "index"
    headings = {heading: slug for slug, heading in SECTIONS if heading}
    for paragraph in (p.strip() for p in body.split("\n\n")):
        if not paragraph:
            continue
        if paragraph in headings:
            current = headings[paragraph]
            sections[current] = []
        elif not paragraph.startswith(FOOTERS):
            sections[current].append(paragraph)
    return sections


def built_text(site: Path, slug: str) -> str:
    page = site / "zh" / ("index.html" if slug == "index" else f"{slug}/index.html")
    return normalise("".join(read_page(page).paragraphs.values()))


def test_the_seed_splits_into_seven_sections() -> None:
    sections = seed_sections()
    assert list(sections) == [slug for slug, _ in SECTIONS]
    assert sum(len(paragraphs) for paragraphs in sections.values()) > 30


@pytest.mark.parametrize("slug", [slug for slug, _ in SECTIONS])
def test_every_seed_paragraph_is_on_its_page(real_site: Path, slug: str) -> None:
    text = built_text(real_site, slug)
    for paragraph in seed_sections()[slug]:
        assert normalise(paragraph) in text, paragraph[:40]


@pytest.mark.parametrize("slug", [slug for slug, _ in SECTIONS])
def test_citation_labels_read_as_in_the_seed(real_site: Path, slug: str) -> None:
    # the landing page (index) holds the whole article: every section's labels, in reading order
    sections = [slug] if slug != "index" else [name for name, _ in SECTIONS]
    seed_labels = [f"[{m}]" for name in sections for p in seed_sections()[name] for m in SEED_CITATION.findall(p)]
    page = real_site / "zh" / ("index.html" if slug == "index" else f"{slug}/index.html")
    assert read_page(page).labels == seed_labels


def test_footer_lines_are_metadata_not_body(real_site: Path) -> None:
    ra = built_text(real_site, "ra")
    assert "基金项目" not in ra and "收稿日期" not in ra
    overview = (real_site / "zh" / "index.html").read_text(encoding="utf-8")
    assert "81771768" in overview and "2021年11月4日" in overview


def test_no_latex_reaches_the_html(real_site: Path) -> None:
    for page in real_site.rglob("*.html"):
        body = read_page(page)
        text = "".join(body.paragraphs.values())
        for leftover in ("$", "\\text", "\\times", "^"):
            assert leftover not in text, (page, leftover)
    ra = (real_site / "zh" / "ra" / "index.html").read_text(encoding="utf-8")
    assert "1×10<sup>6</sup>/kg" in ra
    sle = (real_site / "zh" / "sle" / "index.html").read_text(encoding="utf-8")
    assert "CD4<sup>+</sup>" in sle and "TGF-β" in sle and "TNF- α" not in ra
