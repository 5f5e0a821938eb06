"""The PDF editions, read back with pypdf: text, outline, metadata, citation links, fonts, tags, determinism."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import make_scenario, run
from lxml import html
from pypdf import PdfReader

import bireview.build.publish.pdf
import bireview.build.site

LANGS = ("zh", "en")
GENERATED = ("references", "glossary", "studies")


def reader(site: Path, lang: str) -> PdfReader:
    return PdfReader(site / "downloads" / f"review-{lang}.pdf")


def outline_titles(outline: list) -> list[str]:
    titles = []
    for item in outline:
        titles += outline_titles(item) if isinstance(item, list) else [item.title]
    return titles


def content_pages(site: Path, lang: str) -> list[Path]:
    """The edition's content pages (not their side-by-side views, not the generated pages), in reading order."""
    return sorted(
        (p for p in (site / lang).rglob("index.html") if p.parent.name not in GENERATED),
        key=lambda p: (p.parent != site / lang, p.as_posix()),
    )


def squeeze(text: str) -> str:
    return re.sub(r"\s+", "", text)


def citation_link_targets(pdf: PdfReader) -> list[str]:
    """Every internal link's named destination (WeasyPrint links an <a href="#id"> to the name 'id')."""
    targets = []
    for page in pdf.pages:
        for annotation in page.get("/Annots") or []:
            annotation = annotation.get_object()
            if annotation.get("/Subtype") != "/Link":
                continue
            action = annotation.get("/A")
            destination = annotation.get("/Dest") or (
                action.get("/D") if action and action.get("/S") == "/GoTo" else None
            )
            if destination is not None:
                targets.append(str(destination))
    return targets


@pytest.mark.parametrize("lang", LANGS)
def test_pdf_text_outline_and_metadata(real_site: Path, lang: str) -> None:
    pdf = reader(real_site, lang)
    pages = content_pages(real_site, lang)
    overview = html.fromstring(pages[0].read_bytes())
    title = overview.findtext(".//title")
    first_page = squeeze(pdf.pages[0].extract_text())
    assert first_page.startswith(squeeze(title)), first_page[:200]
    authors = overview.xpath('//p[@class="authors"]//span[@class="author"]/text()')
    assert authors and squeeze(authors[0]) in first_page
    paragraph = html.fromstring((real_site / lang / "ra" / "index.html").read_bytes()).xpath('//p[@id="ra-2"]')[0]
    sample = squeeze(paragraph.text_content())[:40]
    assert sample in squeeze("".join(page.extract_text() for page in pdf.pages)), sample
    headings = [
        squeeze(html.fromstring(page.read_bytes()).xpath("//h1")[0].text_content().rstrip("#")) for page in pages
    ]
    outline = [squeeze(item) for item in outline_titles(pdf.outline)]
    assert outline[0] == headings[0]  # the title, then every section with its number, then the references
    assert sorted(outline[1:-1]) == sorted(headings[1:]) and len(outline) == len(pages) + 1
    assert outline[-1] == ("参考文献" if lang == "zh" else "References")
    assert pdf.metadata.title == title
    assert pdf.metadata.author.split(", ")[0] == authors[0].strip()
    assert pdf.trailer["/Root"]["/Lang"] == ("zh-Hans" if lang == "zh" else "en")


@pytest.mark.parametrize("lang", LANGS)
def test_pdf_citations_link_to_its_reference_list(real_site: Path, lang: str) -> None:
    """Every citation number of the edition's pages is a link inside the PDF, to its entry at the end."""
    # the text's citations once each (the landing page repeats every section's); the reference list's own
    # (a translator's note on an entry may cite another) once, as the landing page's full list has them
    in_html = [
        a.get("href").removeprefix("#")
        for page in content_pages(real_site, lang)
        for a in html.fromstring(page.read_bytes()).xpath(
            '//span[@class="citation"][not(ancestor::section[@class="article-section"])]/a'
            if page.parent == real_site / lang
            else '//span[@class="citation"][not(ancestor::ol[@class="references"])]/a'
        )
    ]
    targets = [t for t in citation_link_targets(reader(real_site, lang)) if t.startswith("ref-")]
    assert len(in_html) > 47
    assert sorted(targets) == sorted(in_html)


@pytest.mark.parametrize("lang", LANGS)
def test_pdf_fonts_are_embedded_and_it_is_tagged(real_site: Path, lang: str) -> None:
    pdf = reader(real_site, lang)
    fonts = {}
    for page in pdf.pages:
        for font in (page["/Resources"].get("/Font") or {}).values():
            font = font.get_object()
            described = font["/DescendantFonts"][0].get_object() if "/DescendantFonts" in font else font
            fonts[str(font["/BaseFont"])] = described["/FontDescriptor"].get_object()
    assert fonts and any("CJK" in name for name in fonts), fonts.keys()
    for name, descriptor in fonts.items():
        assert {"/FontFile", "/FontFile2", "/FontFile3"} & set(descriptor), f"{name} is not embedded"
    root = pdf.trailer["/Root"]
    assert "/StructTreeRoot" in root and root["/MarkInfo"]["/Marked"]
    assert b"pdfuaid" in root["/Metadata"].get_object().get_data()


def test_same_input_gives_the_same_pdf_bytes(tmp_path: Path) -> None:
    root = make_scenario(tmp_path)
    outputs = []
    for name in ("one", "two"):
        assert run(root, "--quiet", "--out", str(tmp_path / name), "build") == 0
        outputs.append([(tmp_path / name / "downloads" / f"review-{lang}.pdf").read_bytes() for lang in LANGS])
    assert outputs[0] == outputs[1]
    assert all(pdf.startswith(b"%PDF-1.7") for pdf in outputs[0])


def test_an_unchanged_pdf_is_reused_and_a_changed_one_rendered(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = make_scenario(tmp_path)
    assert run(root, "--quiet", "build") == 0
    before = {lang: (root / "_site" / "downloads" / f"review-{lang}.pdf").read_bytes() for lang in LANGS}
    rendered: list[str] = []
    real_render = bireview.build.publish.pdf.render_pdf
    monkeypatch.setattr(
        bireview.build.publish.pdf, "render_pdf", lambda html, *args: rendered.append(html) or real_render(html, *args)
    )
    assert run(root, "--quiet", "build") == 0
    assert rendered == []
    assert {lang: (root / "_site" / "downloads" / f"review-{lang}.pdf").read_bytes() for lang in LANGS} == before
    page = root / "content" / "zh" / "ra.md"
    page.write_text(page.read_text(encoding="utf-8").replace("共 9 例患者", "共 12 例患者"), encoding="utf-8")
    assert run(root, "--quiet", "build") == 0
    assert len(rendered) == 2 and all("共 12 例患者" in html for html in rendered)  # both editions show it


def test_no_cjk_font_is_a_problem_not_a_pdf_of_boxes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    root = make_scenario(tmp_path)
    monkeypatch.setattr(bireview.build.site, "cjk_fonts", lambda: ())
    assert run(root, "build") == 1
    css = (root / "templates" / "print.css").read_text(encoding="utf-8").split("\n")
    line = next(number for number, text in enumerate(css, start=1) if "font-family" in text)
    assert capsys.readouterr().err.splitlines() == [
        f"templates/print.css:{line}: no font with Chinese glyphs is installed (fontconfig lists none for :lang=zh), "
        "so the PDF would print boxes — install one, e.g. `apt-get install fonts-noto-cjk`, and build again",
        "1 problem; nothing was written.",
    ]
    assert not (root / "_site").exists()


def test_fontconfig_finds_the_cjk_font() -> None:
    assert any("CJK" in path for path in bireview.build.publish.pdf.cjk_fonts())


def test_weasyprint_that_cannot_start_is_a_problem(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    root = make_scenario(tmp_path)
    monkeypatch.setitem(sys.modules, "weasyprint", None)  # as when Pango's libraries are missing
    assert run(root, "build") == 1
    errors = capsys.readouterr().err.splitlines()
    assert errors[0].startswith("templates/print.html:1: WeasyPrint, which makes the PDF editions, cannot start: ")
    assert errors[0].endswith(
        "— install it and Pango: `pip install weasyprint` and "
        "`apt-get install libpango-1.0-0 libpangoft2-1.0-0` (scripts/test.sh does both)"
    )
    assert errors[1:] == ["1 problem; nothing was written."]
    assert not (root / "_site").exists()


# ---- issue 23: languages, link texts, notes, no generated text, dates ----------------------------------------


def struct_langs(pdf: PdfReader) -> dict[str, int]:
    """How many structure elements carry each /Lang (PDF/UA: a passage in another language says so)."""
    found: dict[str, int] = {}
    stack, seen = [pdf.trailer["/Root"]["/StructTreeRoot"]], set()
    while stack:
        node = stack.pop()
        node = node.get_object() if hasattr(node, "get_object") else node
        if not hasattr(node, "get") or id(node) in seen:
            continue
        seen.add(id(node))
        if "/Lang" in node:
            found[str(node["/Lang"])] = found.get(str(node["/Lang"]), 0) + 1
        kids = node.get("/K")
        stack.extend(kids if isinstance(kids, list) else [kids] if kids is not None else [])
    return found


def test_chinese_in_the_english_pdf_is_tagged_zh(real_site: Path) -> None:
    assert struct_langs(reader(real_site, "en")).get("zh-Hans", 0) >= 3  # the original's title, Chinese references
    assert struct_langs(reader(real_site, "zh")).get("en", 0) >= 40  # English references and phrases in the Chinese


@pytest.mark.parametrize("lang", LANGS)
def test_pdf_link_texts_are_speakable(real_site: Path, lang: str) -> None:
    texts = [
        str(annotation.get_object().get("/Contents"))
        for page in reader(real_site, lang).pages
        for annotation in page.get("/Annots") or []
    ]
    assert texts and not [text for text in texts if text.startswith(("ref-", "tn-", "tnref-"))]
    word = "参考文献" if lang == "zh" else "Reference"
    assert f"{word} 1, Yang YJ" in texts and f"{word} 2, Friedenstein AJ" in texts


def pdftotext(site: Path, lang: str) -> str:
    return subprocess.run(
        ["pdftotext", str(site / "downloads" / f"review-{lang}.pdf"), "-"], capture_output=True, text=True, check=True
    ).stdout


def test_the_pdf_prints_no_generated_expansion(real_site: Path) -> None:
    """The site spells out an abbreviation's first use as generated content; the print edition prints the
    authors' words only (poppler's pdftotext reads the text back)."""
    page = (real_site / "zh" / "index.html").read_text(encoding="utf-8")
    expansions = set(re.findall(r'class="abbr-expanded" data-expansion="([^"]+)"', page))
    text = pdftotext(real_site, "zh")
    assert expansions and not [e for e in expansions if f"（{e}）" in text or f"({e})" in text.replace(" ", "")]


def test_the_english_pdf_numbers_translators_notes_and_links_them_both_ways(real_site: Path) -> None:
    text = pdftotext(real_site, "en")
    assert re.search(r"\d\. Translator's note: the Chinese text writes CA199", text)  # numbered, below its paragraph
    targets = citation_link_targets(reader(real_site, "en"))
    notes = {t for t in targets if t.startswith("tn-")}
    backs = {t for t in targets if t.startswith("tnref-")}
    assert notes and {t.replace("tn-", "tnref-", 1) for t in notes} == backs


def test_pdffonts_sees_every_font_embedded(real_site: Path) -> None:
    for lang in LANGS:
        lines = subprocess.run(
            ["pdffonts", str(real_site / "downloads" / f"review-{lang}.pdf")],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.splitlines()[2:]
        assert lines and all(line.split()[-5] == "yes" for line in lines), lines


def test_creation_date_follows_source_date_epoch(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = make_scenario(tmp_path)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    assert run(root, "--quiet", "build") == 0
    assert reader(root / "_site", "en").metadata["/CreationDate"] == "D:20231114221320Z"
    monkeypatch.delenv("SOURCE_DATE_EPOCH")
    assert run(root, "--quiet", "--out", str(tmp_path / "two"), "build") == 0
    assert reader(tmp_path / "two", "en").metadata.get("/CreationDate") != "D:20231114221320Z"


def test_the_real_review_pdf_is_dated_by_its_last_commit(real_site: Path) -> None:
    from bireview.translate.versions import iso_date, text_version

    root = Path(__file__).resolve().parent.parent
    versions = [text_version(root, root / "content" / lang) for lang in LANGS]
    newest = max(version.epoch for version in versions if version)
    date = reader(real_site, "en").metadata["/CreationDate"]
    assert date.startswith("D:" + iso_date(newest).replace("-", "")), date


def test_the_pdfs_first_page_and_metadata_name_the_journal_issue_and_the_original(real_site: Path) -> None:
    zh, en = reader(real_site, "zh"), reader(real_site, "en")
    assert zh.metadata["/Subject"] == "ISSN 1007-6611, 2022(2): 251-256. DOI: 10.13753/j.issn.1007-6611.2022.02.020"
    assert en.metadata["/Subject"].startswith("English translation of: 间充质干细胞")
    first = " ".join(
        subprocess.run(
            ["pdftotext", "-l", "1", str(real_site / "downloads" / "review-en.pdf"), "-"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.split()
    )
    assert (
        "English translation of: 间充质干细胞在自身免疫性疾病治疗中的临床应用进展, 2022(2): 251-256 (ISSN 1007-6611)"
        in first
    )
    assert "This translation has no DOI of its own" in first and "The translator is not named." in first
    assert re.search(r"Translation version [0-9a-f]{7,} \(20\d\d-\d\d-\d\d\)", first)
