"""The downloads a reference manager imports: the article (BibTeX, RIS, CSL-JSON) and its reference list.

Zotero, EndNote and Mendeley all read BibTeX and RIS; CSL-JSON is what citation processors
(pandoc, Zotero's citeproc) take directly. Everything is written from the same records the pages
show, in citation order, so a download never disagrees with the page.
"""

from __future__ import annotations

import html
import json
import re

import bibtexparser
from bibtexparser import Library
from bibtexparser.middlewares import AddEnclosingMiddleware
from bibtexparser.model import Entry, Field

from bireview.config import SOURCE_LANG
from bireview.model.article import Article
from bireview.model.bibliography import Reference

DOWNLOADS = "downloads"
LANGID = {"zh": "chinese", "en": "english"}
RIS_LANGUAGE = {"zh": "zh", "en": "en"}


def pdf_path(lang: str) -> str:
    return f"{DOWNLOADS}/review-{lang}.pdf"


def article_path(lang: str, extension: str) -> str:
    """The article's citation in one format: downloads/review-zh.bib, .ris, .json."""
    return f"{DOWNLOADS}/review-{lang}.{extension}"


def references_path(extension: str) -> str:
    return f"{DOWNLOADS}/references.{extension}"


def export_files(
    articles: dict[str, Article], urls: dict[str, str | None], references: list[Reference]
) -> dict[str, str]:
    """Every download: each edition's citation in three formats, and the references in two."""
    files = {}
    for lang, article in articles.items():
        original = articles[SOURCE_LANG] if article.is_translation else None
        files[article_path(lang, "bib")] = article_bibtex(article, original, urls[lang], citation_key(articles, lang))
        files[article_path(lang, "ris")] = article_ris(article, original, urls[lang])
        files[article_path(lang, "json")] = article_csl_json(
            article, original, urls[lang], citation_key(articles, lang)
        )
    files[references_path("bib")] = references_bibtex(references)
    files[references_path("ris")] = references_ris(references)
    files[references_path("json")] = references_csl_json(references)
    return files


def citation_key(articles: dict[str, Article], lang: str) -> str:
    """'wang2022zh': the first author's (romanised) family name, the year and the edition."""
    english = articles.get("en")
    romanised = [a for a in (english.authors[:1] if english else ()) if not a.is_chinese]
    name = re.sub(r"[^a-z]", "", romanised[0].family.lower()) if romanised else "article"
    return f"{name}{articles[lang].year}{lang}"


# -- the article ------------------------------------------------------------------------------------------
# The original is a journal article (@article, RIS JOUR, CSL article-journal) with its journal, issue, pages
# and DOI. The translation is a work of its own (@misc, RIS GEN, CSL article): its title, language, date
# and version, its translator where site.yaml names one, and the original named with its DOI and pages in
# the fields each format has for that (biblatex origtitle, RIS OP, CSL original-title) and in a note.
def original_note(original: Article) -> str:
    """'English translation of: 间充质… ISSN 1007-6611, 2022(2): 251-256. doi:10.13753/…'"""
    parts = [f"English translation of: {original.title}"]
    journal, number = original.journal, original.number
    place = ", ".join(
        part
        for part in (
            journal.name("en") if journal else "",
            f"ISSN {journal.issn}" if journal and journal.issn else "",
            (
                f"{number.year}"
                + (f", {journal.volume}" if journal and journal.volume else "")
                + f"({number.issue}): {original.pages}"
            )
            if number
            else "",
        )
        if part
    )
    if place:
        parts.append(place)
    if original.doi:
        parts.append(f"doi:{original.doi}")
    return ". ".join(parts)


def article_fields(article: Article, original: Article | None, url: str | None) -> list[tuple[str, str]]:
    """The article's fields, in BibTeX's (biblatex's) names."""
    fields = [
        ("author", " and ".join(bibtex_name(a.family, a.given, a.is_chinese) for a in article.authors)),
        ("title", article.title),
    ]
    number, journal = article.number, article.journal
    if original is None:
        if journal:  # BibTeX's article requires a journal: without a confirmed name, the ISSN designates it
            name = journal.name(article.lang) or (f"ISSN {journal.issn}" if journal.issn else "")
            fields += [("journal", name), ("shortjournal", journal.abbreviation), ("volume", journal.volume)]
        if number:
            fields += [
                ("year", number.year),
                ("number", number.issue),
                ("pages", f"{number.first_page}--{number.last_page}"),
            ]
        if journal:
            fields.append(("issn", journal.issn))
        fields.append(("doi", article.doi))
    else:
        translation = article.translation
        fields += [
            ("year", article.own_year),
            ("date", article.date),
            ("translator", translation.translator if translation else ""),
            ("version", translation.version.commit if translation and translation.version else ""),
            ("origtitle", original.title),
            ("origlanguage", LANGID[original.lang]),
        ]
    if url:
        fields.append(("url", url))
        if original is not None:
            fields.append(("howpublished", "\\url{" + url + "}"))
    if article.keywords:
        fields.append(("keywords", ", ".join(article.keywords)))
    fields.append(("langid", LANGID[article.lang]))
    if original is not None:
        fields.append(("note", original_note(original)))
    return [(name, value) for name, value in fields if value]


def article_bibtex(article: Article, original: Article | None, url: str | None, key: str) -> str:
    kind = "misc" if original is not None else "article"
    entry = Entry(
        kind,
        key,
        [
            Field(name, value if name == "howpublished" else bibtex_escape(value))
            for name, value in article_fields(article, original, url)
        ],
    )
    return bibtex(Library([entry]))


def article_ris(article: Article, original: Article | None, url: str | None) -> str:
    lines = [("TY", "GEN" if original is not None else "JOUR")]
    lines += [("AU", ris_name(a.family, a.given, a.is_chinese)) for a in article.authors]
    lines.append(("TI", article.title))
    journal, number = article.journal, article.number
    if original is None:
        if journal:
            lines += [("T2", journal.name(article.lang)), ("J2", journal.abbreviation)]
        if number:
            lines += [
                ("PY", number.year),
                ("VL", journal.volume if journal else ""),
                ("IS", number.issue),
                ("SP", str(number.first_page)),
                ("EP", str(number.last_page)),
            ]
        lines += [("SN", journal.issn if journal else ""), ("DO", article.doi)]
    else:
        translation = article.translation
        lines += [
            ("PY", article.own_year),
            ("DA", article.date.replace("-", "/")),
            ("A4", translation.translator if translation else ""),  # RIS's translator
            ("ET", translation.version.commit if translation and translation.version else ""),
            ("OP", original.title),
        ]  # RIS's original publication: the Chinese the translation renders
    lines += [("KW", word) for word in article.keywords]
    lines += [("UR", url or ""), ("LA", RIS_LANGUAGE[article.lang])]
    if original is not None:
        lines.append(("N1", original_note(original)))
    return ris_record(lines)


def article_csl_json(article: Article, original: Article | None, url: str | None, key: str) -> str:
    item: dict[str, object] = {
        "id": key,
        "type": "article-journal" if original is None else "webpage",
        "title": article.title,
        "author": [csl_name(a.family, a.given, a.is_chinese) for a in article.authors],
        "language": article.html_lang,
    }
    journal, number = article.journal, article.number
    if original is None:
        if journal:
            item.update(
                {
                    key: value
                    for key, value in (
                        ("container-title", journal.name(article.lang)),
                        ("container-title-short", journal.abbreviation),
                        ("volume", journal.volume),
                        ("ISSN", journal.issn),
                    )
                    if value
                }
            )
        if number:
            item.update(
                {
                    "issued": {"date-parts": [[int(number.year)]]},
                    "issue": number.issue,
                    "page": f"{number.first_page}-{number.last_page}",
                }
            )
        if article.doi:
            item["DOI"] = article.doi
    else:
        translation = article.translation
        if article.date:
            item["issued"] = {"date-parts": [[int(part) for part in article.date.split("-")]]}
        if translation and translation.translator:
            item["translator"] = [{"literal": translation.translator}]
        if translation and translation.version:
            item["version"] = translation.version.commit
        item["original-title"] = original.title
        item["note"] = original_note(original)
    if url:
        item["URL"] = url
    if article.keywords:
        item["keyword"] = ", ".join(article.keywords)
    return json.dumps([item], ensure_ascii=False, indent=2) + "\n"


# -- the reference list -------------------------------------------------------------------------------------
def references_bibtex(references: list[Reference]) -> str:
    """Every entry exactly as bib/ writes it (case-protecting braces, LaTeX commands), in citation order:
    nothing a BibTeX style needs is lost in the download."""
    if all(reference.raw for reference in references):
        return "".join(reference.raw + "\n\n" for reference in references)
    return bibtex(Library([reference_entry(reference) for reference in references]))


def references_csl_json(references: list[Reference]) -> str:
    """The references as CSL-JSON; titles keep their superscripts as CSL's <sup> markup."""
    items = []
    for reference in references:
        item: dict[str, object] = {
            "id": reference.key,
            "type": "article-journal",
            "title": html.unescape(str(reference.title)),
            "author": [csl_name(p.family, p.given, reference.is_chinese) for p in reference.authors],
            "container-title": reference.journal,
            "issued": {"date-parts": [[int(reference.year)]]}
            if reference.year.isdigit()
            else {"literal": reference.year},
            "language": "zh-Hans" if reference.is_chinese else "en",
        }
        item.update(
            {
                name: value
                for name, value in (
                    ("volume", reference.volume),
                    ("issue", reference.number),
                    ("page", reference.pages),
                    ("DOI", reference.doi),
                )
                if value
            }
        )
        items.append(item)
    return json.dumps(items, ensure_ascii=False, indent=2) + "\n"


def bibtex(library: Library) -> str:
    """The library written as BibTeX, fields braced as bibtexparser's default writer braces them. The
    library is made for this and nothing else: the writer may brace it in place rather than deep-copy
    it first (0.6 s of 0.64 for 5,000 references)."""
    enclosing = AddEnclosingMiddleware(
        allow_inplace_modification=True, default_enclosing="{", reuse_previous_enclosing=False, enclose_integers=True
    )
    return bibtexparser.write_string(library, unparse_stack=[enclosing])


def reference_entry(reference: Reference) -> Entry:
    authors = [bibtex_name(p.family, p.given, False) for p in reference.authors] + (
        ["others"] if reference.et_al else []
    )
    fields = [
        ("author", " and ".join(authors)),
        ("title", latex_title(reference.title)),
        ("journal", reference.journal),
        ("year", reference.year),
        ("volume", reference.volume),
        ("number", reference.number),
        ("pages", reference.pages.replace("-", "--")),
        ("doi", reference.doi),
        ("langid", reference.language),
    ]
    return Entry(
        "article",
        reference.key,
        [Field(name, value if name == "title" else bibtex_escape(value)) for name, value in fields if value],
    )


def references_ris(references: list[Reference]) -> str:
    records = []
    for reference in references:
        first, _, last = reference.pages.partition("-")
        lines = [("TY", "JOUR"), ("ID", reference.key)]
        lines += [("AU", ris_name(p.family, p.given, False)) for p in reference.authors]
        lines += [
            ("TI", plain_title(reference.title)),
            ("JO", reference.journal),
            ("PY", reference.year),
            ("VL", reference.volume),
            ("IS", reference.number),
            ("SP", first),
            ("EP", last),
            ("DO", reference.doi),
            ("LA", "zh" if reference.is_chinese else "en"),
        ]
        records.append(ris_record(lines))
    return "".join(records)


# -- names and text in each format -----------------------------------------------------------------------------
def bibtex_name(family: str, given: str, whole: bool) -> str:
    """'Wang, Yajing'; a Chinese name braced whole, so BibTeX never splits it."""
    if whole or not given:
        return "{" + family + "}" if whole or " " in family else family
    return f"{family}, {given}"


def ris_name(family: str, given: str, whole: bool) -> str:
    return family if whole or not given else f"{family}, {given}"


def csl_name(family: str, given: str, whole: bool) -> dict[str, str]:
    return {"literal": family} if whole else {"family": family, "given": given}


def ris_record(lines: list[tuple[str, str]]) -> str:
    """One RIS record: two-letter tags, two spaces, a hyphen, a space; ends with 'ER  - '."""
    return "".join(f"{tag}  - {value}\n" for tag, value in lines if value) + "ER  - \n\n"


def bibtex_escape(text: str) -> str:
    return re.sub(r"(?<!\\)([&%#_$])", r"\\\1", text)


def latex_title(title: str) -> str:
    """A title's HTML superscripts back as BibTeX's \\textsuperscript{…}."""
    latex = re.sub(r"<sup>(.*?)</sup>", r"\\textsuperscript{\1}", str(title))
    return bibtex_escape(html.unescape(latex))


def plain_title(title: str) -> str:
    return html.unescape(re.sub(r"<[^>]+>", "", str(title)))
