"""The site as a publication: settings, the metadata crawlers and reference managers read, the sitemap,
the 404 page and the downloads, each read back by the program that consumes it."""

from __future__ import annotations

import io
import json
import re
import subprocess
import sys
import tomllib
from pathlib import Path
from urllib.parse import urljoin

import bibtexparser
import extruct
import pytest
import rispy
from conftest import BASE_URL, PROJECT, make_scenario, run
from lxml import etree, html

from bireview.build.publish.metadata import describe
from bireview.cli import console
from bireview.model.article import parse_article_number

LANGS = ("zh", "en")
DOI = "10.13753/j.issn.1007-6611.2022.02.020"
ZH_TITLE = "间充质干细胞在自身免疫性疾病治疗中的临床应用进展"
EN_TITLE = "Advances in the clinical application of mesenchymal stem cells in the treatment of autoimmune diseases"
SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"
XHTML_NS = "http://www.w3.org/1999/xhtml"


def pages(site: Path) -> list[Path]:
    return sorted(p for p in site.rglob("*.html") if p.name != "404.html" and p.parent != site)


def url_of(site: Path, page: Path) -> str:
    return BASE_URL + page.relative_to(site).as_posix().removesuffix("index.html")


def meta(doc: html.HtmlElement, name: str) -> list[str]:
    return doc.xpath(f'//meta[@name="{name}"]/@content') + doc.xpath(f'//meta[@property="{name}"]/@content')


def parse(page: Path) -> html.HtmlElement:
    return html.fromstring(page.read_bytes())


def source_references() -> dict[str, dict[str, str]]:
    library = bibtexparser.parse_string((PROJECT / "bib" / "references.bib").read_text(encoding="utf-8"))
    return {entry.key: {name: field.value for name, field in entry.fields_dict.items()} for entry in library.entries}


def normal(text: str) -> str:
    """BibTeX text as read: superscript commands and case-protecting braces do not change the words."""
    return " ".join(re.sub(r"\\textsuperscript\{([^{}]*)\}", r"\1", text).replace("{", "").replace("}", "").split())


# ---- the article number ---------------------------------------------------------------------------------------


def test_article_number_gives_issn_year_issue_and_pages() -> None:
    number = parse_article_number("1007-6611(2022)02-0251-06")
    assert number is not None
    assert (number.issn, number.year, number.issue, number.first_page, number.last_page) == (
        "1007-6611",
        "2022",
        "2",
        251,
        256,
    )
    assert parse_article_number("1671-167X(2019)11-0009-12").last_page == 20  # an ISSN with its X check digit
    for wrong in ("1007-6611(2022)02-0251", "2022-02", "1007-6611(22)02-0251-06", "1007-6611(2022)02-0251-00"):
        assert parse_article_number(wrong) is None, wrong


def test_a_malformed_article_number_is_a_problem(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = make_scenario(tmp_path)
    index = root / "content" / "zh" / "index.md"
    index.write_text(
        index.read_text(encoding="utf-8").replace("order: 0\n", "order: 0\narticle_number: 2022-02\n"), encoding="utf-8"
    )
    assert run(root, "build") == 1
    assert capsys.readouterr().err.splitlines() == [
        "content/zh/index.md:5: article number '2022-02' is not in the form ISSN(year)issue-first page-page count "
        "— write it as printed, e.g. 'article_number: 1007-6611(2022)02-0251-06'",
        "1 problem; nothing was written.",
    ]


# ---- settings --------------------------------------------------------------------------------------------------


def test_settings_problems_are_reported_with_their_lines(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = make_scenario(tmp_path)
    (root / "site.yaml").write_text("# where the site lives\nbase_url: 42\ntheme: dark\n", encoding="utf-8")
    assert run(root, "build") == 1
    assert capsys.readouterr().err.splitlines() == [
        "site.yaml:2: 'base_url' must be text, not int 42 — "
        "write an absolute address, e.g. 'base_url: https://example.org/msc-review/'",
        "site.yaml:3: unknown setting 'theme' — use one of: base_url, translation, or remove the line",
        "2 problems; nothing was written.",
    ]
    (root / "site.yaml").write_text("translation:\n  translator: [a]\n  by: x\n", encoding="utf-8")
    assert run(root, "build") == 1
    assert sorted(capsys.readouterr().err.splitlines()[:2]) == [
        "site.yaml:1: translator must be text and translator_type one of Person, Organization — write e.g. "
        "'translation:' then '  translator: Name' and '  translator_type: Person' (or Organization)",
        "site.yaml:1: unknown translation setting 'by' — use one of: translator, translator_type",
    ]
    (root / "site.yaml").write_text("base_url: example.org/review\n", encoding="utf-8")
    assert run(root, "build") == 1
    assert (
        capsys.readouterr()
        .err.splitlines()[0]
        .startswith("site.yaml:1: 'base_url' must be an absolute http(s) address, not 'example.org/review' — ")
    )
    (root / "site.yaml").write_text("base_url: [https://example.org/\n", encoding="utf-8")
    assert run(root, "build") == 1
    assert capsys.readouterr().err.splitlines()[0].startswith("site.yaml:1: malformed YAML: ")


def test_base_url_from_site_yaml_and_the_command_line(tmp_path: Path) -> None:
    root = make_scenario(tmp_path)
    (root / "site.yaml").write_text("base_url: https://one.example/review\n", encoding="utf-8")
    assert run(root, "--quiet", "build") == 0
    canonical = parse(root / "_site" / "zh" / "ra" / "index.html").xpath('//link[@rel="canonical"]/@href')
    assert canonical == ["https://one.example/review/zh/ra/"]
    assert run(root, "--quiet", "--base-url", "https://two.example/", "build") == 0
    canonical = parse(root / "_site" / "zh" / "ra" / "index.html").xpath('//link[@rel="canonical"]/@href')
    assert canonical == ["https://two.example/zh/ra/"]


def test_a_bad_base_url_on_the_command_line_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_status:
        run(make_scenario(tmp_path), "--base-url", "ftp:/nowhere", "build")
    assert exit_status.value.code == 2
    assert "argument --base-url: the base URL must be an absolute http(s) address" in capsys.readouterr().err


def test_without_a_base_url_the_site_stays_relative_and_says_what_it_left_out(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = make_scenario(tmp_path)
    assert run(root, "build") == 0
    out = capsys.readouterr().out
    assert out.count("sitemap.xml, canonical links and og:url were omitted") == 1
    site = root / "_site"
    assert not (site / "sitemap.xml").exists()
    assert "Sitemap:" not in (site / "robots.txt").read_text(encoding="utf-8")
    for page in pages(site):
        doc = parse(page)
        assert not doc.xpath('//link[@rel="canonical"]') and not meta(doc, "og:url"), page
        for href in doc.xpath('//link[@rel="alternate"]/@href'):
            assert not href.startswith(("http:", "https:", "/")) and (page.parent / href).resolve().exists(), href


def test_summary_line_and_quiet(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = make_scenario(tmp_path)
    (root / "site.yaml").write_text("base_url: https://example.org/\n", encoding="utf-8")
    assert run(root, "build") == 0
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 1
    assert re.fullmatch(r"built .*_site: 7 pages zh, 7 pages en, 2 PDFs in \d+\.\d s", lines[0]), lines
    assert run(root, "--quiet", "build") == 0
    assert capsys.readouterr().out == ""


def test_console_script(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """`bireview` (pyproject's [project.scripts]) runs the same commands and exits with their status."""
    scripts = tomllib.loads((PROJECT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["scripts"]
    assert scripts == {"bireview": "bireview.cli:console"}
    root = make_scenario(tmp_path)
    for args, status in ((["status", "--strict"], 1), (["status"], 0)):
        monkeypatch.setattr(sys, "argv", ["bireview", "--root", str(root), *args])
        with pytest.raises(SystemExit) as exit_status:
            console()
        assert exit_status.value.code == status


# ---- head metadata -------------------------------------------------------------------------------------------


@pytest.mark.parametrize("lang", LANGS)
def test_highwire_tags_describe_the_article_in_each_edition(published_site: Path, lang: str) -> None:
    doc = parse(published_site / lang / "index.html")
    assert meta(doc, "citation_title") == [ZH_TITLE if lang == "zh" else EN_TITLE]
    authors = meta(doc, "citation_author")
    assert authors == (
        ["王亚静", "马丹", "武泽文", "张莉芸", "郝慧琴"]
        if lang == "zh"
        else ["Yajing Wang", "Dan Ma", "Zewen Wu", "Liyun Zhang", "Huiqin Hao"]
    )
    # each author's institutions follow the author: the last author has two
    names = [m.get("name") for m in doc.xpath("//meta[@name]")]
    after_last = names[len(names) - names[::-1].index("citation_author") :]
    assert after_last[:3] == ["citation_author_institution"] * 2 + ["citation_publication_date"]
    assert meta(doc, "citation_language") == [lang]
    assert meta(doc, "citation_keywords")[0].split("; ")[0] == (
        "间充质干细胞" if lang == "zh" else "mesenchymal stem cells"
    )
    pdf = meta(doc, "citation_pdf_url")
    assert pdf == [f"{BASE_URL}downloads/review-{lang}.pdf"]
    assert (published_site / pdf[0].removeprefix(BASE_URL)).is_file()
    assert meta(doc, "citation_fulltext_html_url") == [f"{BASE_URL}{lang}/"]
    references = meta(doc, "citation_reference")
    assert len(references) == 47
    assert references[0].startswith(
        "citation_author=Yang YJ; citation_author=Li XL; citation_author=Xue Y; "
        "citation_title=Bone marrow cells differentiation into organ cells"
    )
    # the journal block confirms only the ISSN: no journal name or volume is claimed, and no og:site_name
    # (the article's own title) for Zotero to take as the publication instead
    assert not meta(doc, "citation_journal_title") and not meta(doc, "citation_volume")
    assert not meta(doc, "og:site_name")
    assert meta(parse(published_site / lang / "sle" / "index.html"), "og:site_name") == [
        ZH_TITLE if lang == "zh" else EN_TITLE
    ]
    if lang == "zh":  # the original: a journal article with its DOI, issue and pages
        assert meta(doc, "citation_publication_date") == ["2022"]
        assert meta(doc, "citation_doi") == [DOI]
        assert meta(doc, "citation_issn") == ["1007-6611"] and meta(doc, "citation_issue") == ["2"]
        assert meta(doc, "citation_firstpage") == ["251"] and meta(doc, "citation_lastpage") == ["256"]
        assert not meta(doc, "DC.relation.isTranslationOf")
    else:  # the translation: none of the original's identifiers as its own; it names the original
        for name in ("citation_doi", "citation_issn", "citation_issue", "citation_firstpage", "citation_lastpage"):
            assert not meta(doc, name), name
        assert re.fullmatch(r"20\d\d/\d\d/\d\d", meta(doc, "citation_publication_date")[0])
        assert meta(doc, "DC.type") == ["Text.Translation"]
        assert meta(doc, "DC.relation.isTranslationOf") == [f"{ZH_TITLE} (doi:{DOI})"]


@pytest.mark.parametrize("lang", LANGS)
def test_citation_tags_only_on_the_landing_page(published_site: Path, lang: str) -> None:
    """Scholar expects one page per article: every other page of the edition carries no citation_* tag."""
    with_tags = [
        page.relative_to(published_site).as_posix()
        for page in (published_site / lang).rglob("*.html")
        if meta(parse(page), "citation_title")
    ]
    assert with_tags == [f"{lang}/index.html"]


def test_canonical_alternates_and_social_tags_on_every_page(published_site: Path) -> None:
    for page in pages(published_site):
        doc = parse(page)
        url = url_of(published_site, page)
        lang = page.relative_to(published_site).parts[0]
        other = "en" if lang == "zh" else "zh"
        assert doc.xpath('//link[@rel="canonical"]/@href') == [url]
        alternates = {link.get("hreflang"): link.get("href") for link in doc.xpath('//link[@rel="alternate"]')}
        assert alternates == {
            "zh-Hans" if lang == "zh" else "en": url,
            "en" if lang == "zh" else "zh-Hans": url.replace(f"/{lang}/", f"/{other}/"),
            "x-default": BASE_URL,
        }, page
        assert meta(doc, "og:url") == [url] and meta(doc, "og:type") == ["article"]
        assert meta(doc, "og:locale") == ["zh_CN" if lang == "zh" else "en_GB"]
        assert meta(doc, "og:locale:alternate") == ["en_GB" if lang == "zh" else "zh_CN"]
        assert meta(doc, "og:title") == [doc.findtext(".//title")]
        assert meta(doc, "twitter:card") == ["summary"]  # X falls back to og:title and og:description
        assert not meta(doc, "twitter:title") and not meta(doc, "twitter:description")
        description = meta(doc, "description")
        assert description and description[0] and meta(doc, "og:description") == description, page


def test_description_is_the_first_paragraph_trimmed(published_site: Path) -> None:
    zh = meta(parse(published_site / "zh" / "ra" / "index.html"), "description")[0]
    assert zh.startswith("类风湿性关节炎(rheumatoid arthritis, RA)是一种常见的自身免疫性疾病")
    assert len(zh) <= 110 and zh.endswith(("。", "…"))
    en = meta(parse(published_site / "en" / "index.html"), "description")[0]
    assert en == (
        "Mesenchymal stem cells (MSCs) are stem cells derived from the early mesoderm, with a high capacity "
        "for self-renewal and the potential for multilineage differentiation."
    )
    assert describe("间充质干细胞" * 40, "zh") == ("间充质干细胞" * 40)[:109] + "…"
    assert describe("word " * 60, "en").endswith("word…") and len(describe("word " * 60, "en")) <= 200


# ---- JSON-LD, read as a crawler reads it ------------------------------------------------------------------------


def json_ld(site: Path, path: str) -> dict:
    items = extruct.extract((site / path).read_text(encoding="utf-8"), base_url=BASE_URL + path, syntaxes=["json-ld"])[
        "json-ld"
    ]
    assert len(items) == 1, path
    return items[0]


def test_json_ld_links_the_article_to_its_translation(published_site: Path) -> None:
    zh, en = json_ld(published_site, "zh/index.html"), json_ld(published_site, "en/index.html")
    assert zh["@type"] == en["@type"] == "ScholarlyArticle"
    assert (zh["inLanguage"], en["inLanguage"]) == ("zh-Hans", "en")
    assert (zh["name"], en["name"]) == (ZH_TITLE, EN_TITLE)
    assert zh["workTranslation"][0]["@id"] == en["@id"] == f"{BASE_URL}en/"
    assert en["translationOfWork"]["@id"] == zh["@id"] == f"{BASE_URL}zh/"
    assert zh["identifier"]["value"] == en["translationOfWork"]["identifier"]["value"] == DOI
    assert zh["sameAs"] == f"https://doi.org/{DOI}"
    assert "sameAs" not in en and "identifier" not in en, "the translation is not the work the DOI names"
    assert [a["name"] for a in zh["author"]] == ["王亚静", "马丹", "武泽文", "张莉芸", "郝慧琴"]
    assert [len(a["affiliation"]) for a in en["author"]] == [1, 1, 1, 1, 2]
    assert (
        en["author"][4]["affiliation"][1]["name"]
        == "School of Basic Medical Sciences, Shanxi University of Chinese Medicine"
    )
    assert zh["keywords"][0] == "间充质干细胞"
    assert (zh["pageStart"], zh["pageEnd"], zh["datePublished"]) == ("251", "256", "2022")
    issue = zh["isPartOf"]
    assert issue["@type"] == "PublicationIssue" and issue["issueNumber"] == "2"
    assert issue["isPartOf"] == {"@type": "Periodical", "issn": "1007-6611"}  # no name or volume: none confirmed
    assert en["translationOfWork"]["isPartOf"] == issue and en["translationOfWork"]["pageStart"] == "251"
    assert "pageStart" not in en and "isPartOf" not in en, "the translation has no issue or pages of its own"
    assert re.fullmatch(r"20\d\d-\d\d-\d\d", en["datePublished"]) and en["version"]
    assert "translator" not in en, "site.yaml names no translator, so none is claimed"
    assert zh["encoding"]["contentUrl"] == f"{BASE_URL}downloads/review-zh.pdf"


def test_json_ld_citations_carry_the_dois_of_the_bib(published_site: Path) -> None:
    citations = json_ld(published_site, "en/index.html")["citation"]
    bib = source_references()
    assert len(citations) == len(bib) == 47
    assert all(c["@type"] == "CreativeWork" for c in citations)
    with_doi = {c["identifier"]["value"] for c in citations if "identifier" in c}
    assert with_doi == {fields["doi"] for fields in bib.values() if "doi" in fields}
    assert all(c["sameAs"] == "https://doi.org/" + c["identifier"]["value"] for c in citations if "identifier" in c)


@pytest.mark.parametrize("lang", LANGS)
def test_other_pages_are_web_pages_part_of_the_article(published_site: Path, lang: str) -> None:
    article = json_ld(published_site, f"{lang}/index.html")["@id"]
    for path in (
        f"{lang}/ra/index.html",
        f"{lang}/sle/index.html",
        f"{lang}/references/index.html",
        f"{lang}/ra/parallel.html",
    ):
        page = json_ld(published_site, path)
        assert page["@type"] == "WebPage" and page["url"] == BASE_URL + path.removesuffix("index.html")
        assert page["isPartOf"]["@type"] == "ScholarlyArticle" and page["isPartOf"]["@id"] == article


# ---- crawling: sitemap, robots.txt, 404 -----------------------------------------------------------------------


def test_sitemap_lists_every_page_with_its_twin(published_site: Path) -> None:
    tree = etree.parse(str(published_site / "sitemap.xml"))
    root = tree.getroot()
    assert root.tag == f"{{{SITEMAP_NS}}}urlset" and root.nsmap == {None: SITEMAP_NS, "xhtml": XHTML_NS}
    assert tree.docinfo.encoding.upper() == "UTF-8"
    locs = []
    for url in root.findall(f"{{{SITEMAP_NS}}}url"):
        loc = url.findtext(f"{{{SITEMAP_NS}}}loc")
        assert loc.startswith(BASE_URL), loc
        target = published_site / loc.removeprefix(BASE_URL)
        assert (target / "index.html" if loc.endswith("/") else target).is_file(), loc
        links = {
            link.get("hreflang"): link.get("href")
            for link in url.findall(f"{{{XHTML_NS}}}link")
            if link.get("rel") == "alternate"
        }
        assert set(links) == {"zh-Hans", "en", "x-default"}, loc
        assert loc in links.values() or loc == BASE_URL
        assert all(href.startswith(BASE_URL) for href in links.values())
        locs.append(loc)
    assert len(locs) == len(set(locs))
    assert sorted(locs) == sorted([BASE_URL] + [url_of(published_site, page) for page in pages(published_site)])
    first = [
        url.findtext(f"{{{SITEMAP_NS}}}loc")
        for url in root.findall(f"{{{SITEMAP_NS}}}url")
        if url.findtext(f"{{{SITEMAP_NS}}}priority") == "1.0"
    ]
    assert sorted(first) == [f"{BASE_URL}en/", f"{BASE_URL}zh/"]  # the article: each edition's landing page


def test_robots_txt_names_the_sitemap(published_site: Path) -> None:
    lines = (published_site / "robots.txt").read_text(encoding="utf-8").splitlines()
    assert "User-agent: *" in lines and f"Sitemap: {BASE_URL}sitemap.xml" in lines


def test_404_page_works_at_any_depth(published_site: Path, tmp_path: Path) -> None:
    """A static host serves 404.html for a missing address at any depth: it must load nothing relatively."""
    for site, base in ((published_site, BASE_URL), (make_scenario(tmp_path) / "_site", "")):
        if not base:
            assert run(site.parent, "--quiet", "build") == 0
        doc = parse(site / "404.html")
        assert {"zh-Hans", "en"} <= set(doc.xpath("//@lang"))
        assert not doc.xpath("//script") and not doc.xpath('//link[@rel="stylesheet"]') and doc.xpath("//style")
        hrefs = doc.xpath("//a/@href")
        assert {f"{base}zh/index.html", f"{base}en/index.html"} <= set(hrefs)
        assert all(href.startswith("data:") for href in doc.xpath("//link/@href"))  # the icon, inline
        if base:
            assert all(href.startswith(base) for href in hrefs)
            assert urljoin(BASE_URL + "zh/no/such/page/", hrefs[0]) == hrefs[0]


# ---- the cite panel and the downloads --------------------------------------------------------------------------


@pytest.mark.parametrize("lang", LANGS)
def test_cite_panel_on_every_page(published_site: Path, lang: str) -> None:
    for page in (published_site / lang).rglob("*.html"):
        doc = parse(page)
        panel = doc.xpath('//section[@class="cite-panel"]')
        assert len(panel) == 1, page
        for href in panel[0].xpath(".//a/@href"):
            if not href.startswith("http"):
                assert (page.parent / href).resolve().is_file(), (page, href)
        pdfs = panel[0].xpath('.//a[@class="pdf-link"]/@href')
        assert len(pdfs) == 1 and pdfs[0].endswith(f"downloads/review-{lang}.pdf")


def test_cite_panel_styles(published_site: Path) -> None:
    zh = parse(published_site / "zh" / "sle" / "index.html").xpath('//p[@id="cite-text"]')[0].text_content()
    assert zh == (f"王亚静, 马丹, 武泽文, 等. {ZH_TITLE}[J]. 2022(2): 251-256. DOI: {DOI}.")
    en_text = parse(published_site / "en" / "sle" / "index.html").xpath('//p[@id="cite-text"]')[0]
    text = " ".join(en_text.text_content().split())
    assert re.fullmatch(
        rf"Wang Y, Ma D, Wu Z, Zhang L, Hao H\. {EN_TITLE} \[Internet\]\. English translation of: {ZH_TITLE}\. "
        rf"Version [0-9a-f]{{7,}}, 20\d\d-\d\d-\d\d\. Available from: {re.escape(BASE_URL)}en/\. "
        rf"Original: 2022;\(2\):251-6, ISSN 1007-6611\. Chinese\. doi:{re.escape(DOI)}\.",
        text,
    ), text
    original = en_text.xpath(f'.//a[text()="{ZH_TITLE}"]')[0]
    assert original.get("href") == "../../zh/index.html" and original.get("lang") == "zh-Hans"


def test_reference_list_downloads_read_back(published_site: Path) -> None:
    source = source_references()
    library = bibtexparser.parse_string((published_site / "downloads" / "references.bib").read_text(encoding="utf-8"))
    assert not library.failed_blocks
    exported = {
        entry.key: {name: field.value for name, field in entry.fields_dict.items()} for entry in library.entries
    }
    assert list(exported)[:3] == ["yang2016bone", "friedenstein1974stromal", "benami2011mesenchymal"]  # cited order
    assert set(exported) == set(source)
    for key, fields in source.items():
        for name in ("title", "journal", "year", "volume", "number", "pages", "doi", "author", "langid"):
            assert normal(exported[key].get(name, "")) == normal(fields.get(name, "")), (key, name)
    with (published_site / "downloads" / "references.ris").open(encoding="utf-8") as stream:
        records = rispy.load(stream)
    assert len(records) == 47
    for record in records:
        fields = source[record["id"]]
        assert record["type_of_reference"] == "JOUR"
        assert record["title"] == normal(fields["title"])
        assert record["journal_name"] == normal(fields["journal"]) and record["year"] == fields["year"]
        assert record.get("doi") == fields.get("doi")
        families = [
            name.split(",")[0].strip().strip("{}") for name in fields["author"].split(" and ") if name != "others"
        ]
        assert [author.split(",")[0] for author in record["authors"]] == families
        if "pages" in fields:
            pages = [record["start_page"]] + ([record["end_page"]] if "end_page" in record else [])
            assert "--".join(pages) == fields["pages"], record["id"]


@pytest.mark.parametrize("lang", LANGS)
def test_article_downloads_read_back(published_site: Path, lang: str) -> None:
    downloads = published_site / "downloads"
    library = bibtexparser.parse_string((downloads / f"review-{lang}.bib").read_text(encoding="utf-8"))
    (entry,) = library.entries
    fields = {name: field.value for name, field in entry.fields_dict.items()}
    assert entry.key == f"wang2022{lang}" and fields["url"] == f"{BASE_URL}{lang}/"
    with (downloads / f"review-{lang}.ris").open(encoding="utf-8") as stream:
        (record,) = rispy.load(stream)
    assert record["title"] == (ZH_TITLE if lang == "zh" else EN_TITLE)
    (item,) = json.loads((downloads / f"review-{lang}.json").read_text(encoding="utf-8"))
    if lang == "zh":  # the original: a journal article, designated by its ISSN (no confirmed name)
        assert entry.entry_type == "article"
        assert (fields["year"], fields["number"], fields["pages"], fields["issn"], fields["doi"]) == (
            "2022",
            "2",
            "251--256",
            "1007-6611",
            DOI,
        )
        assert fields["journal"] == "ISSN 1007-6611" and "volume" not in fields
        assert fields["author"] == "{王亚静} and {马丹} and {武泽文} and {张莉芸} and {郝慧琴}"
        assert (
            record["type_of_reference"],
            record["start_page"],
            record["end_page"],
            record["number"],
            record["issn"],
            record["doi"],
        ) == ("JOUR", "251", "256", "2", "1007-6611", DOI)
        assert item["type"] == "article-journal" and item["issued"] == {"date-parts": [[2022]]}
        assert (item["DOI"], item["page"], item["issue"], item["ISSN"]) == (DOI, "251-256", "2", "1007-6611")
        assert item["author"][0] == {"literal": "王亚静"} and "container-title" not in item
    else:  # the translation: its own date and version, the original named, never its DOI, issue or pages
        assert entry.entry_type == "misc"
        assert fields["author"].startswith("Wang, Yajing and Ma, Dan")
        for name in ("doi", "issn", "pages", "number", "journal", "translator"):
            assert name not in fields, name
        assert fields["origtitle"] == ZH_TITLE and fields["langid"] == "english" and fields["version"]
        assert fields["note"] == f"English translation of: {ZH_TITLE}. ISSN 1007-6611, 2022(2): 251-256. doi:{DOI}"
        assert record["type_of_reference"] == "GEN" and record["original_publication"] == ZH_TITLE
        for name in ("doi", "issn", "start_page", "number"):
            assert name not in record, name
        assert item["type"] == "webpage" and item["original-title"] == ZH_TITLE and item["version"]
        for name in ("DOI", "page", "issue", "ISSN", "container-title"):
            assert name not in item, name
        assert item["author"][0] == {"family": "Wang", "given": "Yajing"}
        assert len(item["issued"]["date-parts"][0]) == 3 and item["issued"]["date-parts"][0][0] >= 2022


# ---- the HTML checker and the deploy workflow -------------------------------------------------------------------

VNU = PROJECT / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"


def test_every_page_is_valid_html(published_site: Path) -> None:
    """The W3C Nu HTML Checker (vnu-jar, offline; scripts/test.sh installs it), once over every page."""
    assert VNU.is_file(), "run `bash scripts/test.sh` (it installs vnu-jar into node_modules/)"
    files = sorted(str(p) for p in published_site.rglob("*.html"))
    result = subprocess.run(
        ["java", "-jar", str(VNU), "--errors-only", "--format", "gnu", *files],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0 and not result.stderr.strip(), result.stderr[:4000]


def test_deploy_workflow_is_a_valid_github_workflow() -> None:
    workflow = PROJECT / ".github" / "workflows" / "publish.yml"
    result = subprocess.run(
        [sys.executable, "-m", "check_jsonschema", "--builtin-schema", "vendor.github-workflows", str(workflow)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    text = workflow.read_text(encoding="utf-8")
    for step in (
        "actions/upload-pages-artifact@",
        "actions/deploy-pages@",
        "python build.py check",
        "--base-url",
        "status --strict",
    ):
        assert step in text, step
    import yaml

    build = yaml.safe_load(text)["jobs"]["build"]
    # actions/configure-pages reads the Pages settings: the build job may read them
    assert build["permissions"] == {"contents": "read", "pages": "read"}
    uses = [step.get("uses", "") for step in build["steps"]]
    assert any(use.startswith("actions/configure-pages@") for use in uses)
    cached = [step["with"]["path"] for step in build["steps"] if step.get("uses", "").startswith("actions/cache@")]
    assert "~/apt-archives" in cached  # the CJK font's download, kept between runs
    assert 'Dir::Cache::Archives="$HOME/apt-archives"' in text and "fonts-noto-cjk" in text
    python = next(step for step in build["steps"] if step.get("uses", "").startswith("actions/setup-python@"))
    assert python["with"]["cache"] == "pip"


def test_the_chooser_is_canonical_and_x_default(published_site: Path, tmp_path: Path) -> None:
    doc = parse(published_site / "index.html")
    assert doc.xpath('//link[@rel="canonical"]/@href') == [BASE_URL]
    alternates = {link.get("hreflang"): link.get("href") for link in doc.xpath('//link[@rel="alternate"]')}
    assert alternates == {"zh-Hans": f"{BASE_URL}zh/", "en": f"{BASE_URL}en/", "x-default": BASE_URL}
    root = make_scenario(tmp_path)  # without a base URL: relative, no canonical
    assert run(root, "--quiet", "--no-pdf", "build") == 0
    doc = parse(root / "_site" / "index.html")
    assert not doc.xpath('//link[@rel="canonical"]')
    assert {link.get("hreflang"): link.get("href") for link in doc.xpath('//link[@rel="alternate"]')} == {
        "zh-Hans": "zh/index.html",
        "en": "en/index.html",
        "x-default": "index.html",
    }


def test_progress_only_on_a_terminal(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    root = make_scenario(tmp_path)
    for stream, shown in ((Terminal(), True), (io.StringIO(), False)):
        monkeypatch.setattr(sys, "stdout", stream)
        assert run(root, "build") == 0
        text = stream.getvalue()
        assert ("\rbuilding: making the PDF editions…" in text) is shown
        assert text.rstrip("\n").split("\n")[-1].lstrip("\r ").startswith("built ")


def test_a_long_review_names_each_page_references_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Beyond metadata.ALL_REFERENCES_LIMIT references the landing page names those its text cites; no
    other page (a section, its side-by-side view) names any, so Scholar reads each reference list once."""
    monkeypatch.setattr("bireview.build.publish.metadata.ALL_REFERENCES_LIMIT", 10)
    out = tmp_path / "site"
    assert run(PROJECT, "--out", str(out), "--no-pdf", "build") == 0
    for lang in ("zh", "en"):
        landing = parse(out / lang / "index.html")
        listed = landing.xpath('//ol[@class="references"]/li')
        assert 10 < len(listed) == len(meta(landing, "citation_reference"))
        for path in ("sle/index.html", "sle/parallel.html"):
            page = parse(out / lang / path)
            assert meta(page, "citation_reference") == [] and meta(page, "citation_title") == []


# ---- the landing page: the article in full, once per edition ---------------------------------------------------


@pytest.mark.parametrize("lang", LANGS)
def test_the_landing_page_holds_the_whole_text(published_site: Path, lang: str) -> None:
    landing = parse(published_site / lang / "index.html")
    headings = [
        " ".join(h.text_content().replace("#", "").split())
        for h in landing.xpath('//section[@class="article-section"]/h2')
    ]
    for slug in ("ra", "sle", "ss", "pm-dm", "ssc", "outlook"):
        section = parse(published_site / lang / slug / "index.html")
        title = " ".join(section.xpath("//h1")[0].text_content().replace("#", "").split())
        assert title in headings, (title, headings)
        paragraphs = [p.text_content() for p in section.xpath('//div[@class="review-body"]/p')]
        text = landing.xpath("//main")[0].text_content()
        assert all(paragraph in text for paragraph in paragraphs), slug
    contents = landing.xpath('//nav[@class="article-contents"]//a/@href')
    assert len(contents) == len(headings) + 1 and all(href.startswith("#") for href in contents)
    assert all(landing.xpath(f'//*[@id="{href[1:]}"]') for href in contents)
    ids = landing.xpath("//@id")
    assert len(ids) == len(set(ids))
    assert len(landing.xpath('//ol[@class="references"]/li')) == 47
    assert landing.xpath('//p[@class="page-tools"]/a[@href="#cite-heading"]')


@pytest.mark.parametrize("lang", LANGS)
def test_a_section_page_names_its_article_and_authors(published_site: Path, lang: str) -> None:
    for path in ("sle/index.html", "references/index.html", "studies/index.html", "sle/parallel.html"):
        doc = parse(published_site / lang / path)
        (context,) = doc.xpath('//div[@class="article-context"]')
        link = context.xpath('.//p[@class="article-context-title"]/a')[0]
        assert link.text_content() == (ZH_TITLE if lang == "zh" else EN_TITLE)
        assert (published_site / lang / path).parent.joinpath(link.get("href")).resolve() == (
            published_site / lang / "index.html"
        ).resolve()
        authors = context.xpath('.//p[@class="article-context-authors"]')[0].text_content()
        assert authors.startswith("王亚静, 马丹" if lang == "zh" else "Yajing Wang, Dan Ma"), path
        assert context.xpath('.//a[@href="#cite-heading"]') and doc.xpath('//*[@id="cite-heading"]')


def test_the_english_landing_page_says_it_is_a_translation(published_site: Path) -> None:
    doc = parse(published_site / "en" / "index.html")
    (notice,) = doc.xpath('//aside[contains(@class, "translation-notice")]')
    header = doc.xpath('//header[@class="page-header"]')[0]
    assert notice.getparent() is header  # at the top, before the article's metadata
    text = " ".join(notice.text_content().split())
    assert f"This is an English translation of {ZH_TITLE}" in text
    assert f"doi:{DOI}" in text and "issue 2, pages 251-256" in text and "no DOI of its own" in text
    assert "The translator is not named." in text  # site.yaml names nobody, so nobody is named
    assert re.search(r"version [0-9a-f]{7,} of the translation \(20\d\d-\d\d-\d\d\), made from the Chinese text", text)
    assert notice.xpath('.//a[@href="../zh/index.html"][@lang="zh-Hans"]')
    assert not parse(published_site / "zh" / "index.html").xpath('//aside[contains(@class, "translation-notice")]')


def test_a_named_translator_is_credited_everywhere(tmp_path: Path) -> None:
    root = make_scenario(tmp_path)
    (root / "site.yaml").write_text("translation:\n  translator: Example Translation Team\n", encoding="utf-8")
    assert run(root, "--quiet", "--no-pdf", "build") == 0
    site = root / "_site"
    notice = parse(site / "en" / "index.html").xpath('//aside[contains(@class, "translation-notice")]')[0]
    assert "Translated by Example Translation Team." in notice.text_content()
    assert json_ld(site, "en/index.html")["translator"] == {"@type": "Organization", "name": "Example Translation Team"}
    assert "translator = {Example Translation Team}" in (site / "downloads" / "review-en.bib").read_text(
        encoding="utf-8"
    )
    (item,) = json.loads((site / "downloads" / "review-en.json").read_text(encoding="utf-8"))
    assert item["translator"] == [{"literal": "Example Translation Team"}]


def test_a_confirmed_journal_reaches_every_consumer(tmp_path: Path) -> None:
    """The journal block's values (here a test fixture's, not the review's) appear in the tags, JSON-LD,
    cite panel and downloads of the original; the translation names them only as the original's."""
    root = make_scenario(tmp_path)
    index = root / "content" / "zh" / "index.md"
    index.write_text(
        index.read_text(encoding="utf-8").replace(
            "order: 0\n",
            (
                "order: 0\narticle_number: 1234-5678(2020)03-0010-04\ndoi: 10.9999/test.2020.03\n"
                "journal:\n  title: 测试学报\n  title_en: Journal of Testing\n  abbreviation: J Test\n  volume: 7\n"
            ),
        ),
        encoding="utf-8",
    )
    assert run(root, "--quiet", "--no-pdf", "--base-url", BASE_URL, "build") == 0
    site = root / "_site"
    zh = parse(site / "zh" / "index.html")
    assert meta(zh, "citation_journal_title") == ["测试学报"] and meta(zh, "citation_volume") == ["7"]
    assert meta(zh, "citation_journal_abbrev") == ["J Test"] and meta(zh, "citation_issn") == ["1234-5678"]
    assert meta(zh, "og:site_name") == ["测试学报"]
    assert not meta(parse(site / "en" / "index.html"), "citation_journal_title")
    volume = json_ld(site, "zh/index.html")["isPartOf"]["isPartOf"]
    assert volume["@type"] == "PublicationVolume" and volume["volumeNumber"] == "7"
    assert volume["isPartOf"] == {
        "@type": "Periodical",
        "name": "测试学报",
        "alternateName": "Journal of Testing",
        "issn": "1234-5678",
    }
    cite = zh.xpath('//p[@id="cite-text"]')[0].text_content()
    assert "[J]. 测试学报, 2020, 7(3): 10-13." in cite
    bib = (site / "downloads" / "review-zh.bib").read_text(encoding="utf-8")
    assert "journal = {测试学报}" in bib and "volume = {7}" in bib
    (item,) = json.loads((site / "downloads" / "review-zh.json").read_text(encoding="utf-8"))
    assert item["container-title"] == "测试学报" and item["volume"] == "7"
    en = parse(site / "en" / "index.html").xpath('//p[@id="cite-text"]')[0].text_content()
    assert "Original: Journal of Testing. 2020;7(3):10-3. Chinese." in " ".join(en.split())
