"""What every page tells machines and readers about the article it belongs to.

Google Scholar and Zotero read Highwire Press `citation_*` tags, search engines read JSON-LD,
canonical links and hreflang alternates, social previews read Open Graph; readers get a cite panel.
All of it is built from the same Article records, in the page's edition. Only the edition's landing
page (its overview, the full text) carries `citation_*` tags and the `ScholarlyArticle`; every other
page is a `WebPage` `isPartOf` it. The English edition is described as the translation it is. Links between the two
editions (`workTranslation` / `translationOfWork`) say in machine-readable form what the language
switch says to a reader.
"""

from __future__ import annotations

import json
import re

from markupsafe import Markup

from bireview.build.links import relative_href
from bireview.build.publish.downloads import article_path, pdf_path, references_path
from bireview.config import HTML_LANG, LANGUAGES, SOURCE_LANG, other_lang
from bireview.model.article import Article
from bireview.model.bibliography import Reference
from bireview.model.settings import Settings
from bireview.records import record

OG_LOCALE = {"zh": "zh_CN", "en": "en_GB"}
CHOOSER = "index.html"
DESCRIPTION_LIMIT = {"zh": 110, "en": 200}  # characters: about what a search result shows in each script
# Up to this many references the landing page names them all (citation_reference, JSON-LD citation);
# beyond it, the references its text cites.
ALL_REFERENCES_LIMIT = 100


@record
class Alternate:
    hreflang: str
    href: str


@record
class Download:
    format: str  # what the link says: "BibTeX", "RIS", "CSL-JSON", "PDF"
    href: str
    type: str  # its media type


@record
class CitePanel:
    """The article as this edition cites it (a template macro styles it) and the files to import."""

    article: Article
    original: Article | None  # the Chinese original, on the English edition
    original_href: str  # a link to the original's overview page
    url: str | None  # the edition's public address, with a base URL
    doi_url: str
    article_downloads: tuple[Download, ...]
    reference_downloads: tuple[Download, ...]
    reference_count: int
    pdf: Download | None


@record
class PageHead:
    description: str  # "" where the template describes the page itself (generated pages)
    canonical: str | None  # None without a base URL
    alternates: tuple[Alternate, ...]
    og_locale: str
    og_locale_alternates: tuple[str, ...]
    highwire: tuple[tuple[str, str], ...]  # (meta name, content), in order
    json_ld: Markup


class Publication:
    """Builds each page's head metadata and cite panel from the article records."""

    def __init__(
        self, articles: dict[str, Article], settings: Settings, pdfs: bool, references: list[Reference]
    ) -> None:
        self.articles = articles
        self.settings = settings
        self.references = references
        self.by_key = {reference.key: reference for reference in references}
        self.pdfs = pdfs
        self.reference_tags: dict[str, tuple[str, str]] = {}  # each reference's Highwire tag, made once

    def named(self, cited: tuple[str, ...]) -> list[Reference]:
        """The references a page's metadata names: all of them, or in a long review the page's own."""
        if len(self.references) <= ALL_REFERENCES_LIMIT:
            return self.references
        return [self.by_key[key] for key in cited if key in self.by_key]

    def link(self, here: str, target: str) -> str:
        """An absolute URL with a base URL (what crawlers require), otherwise a relative one."""
        return self.settings.absolute(target) or relative_href(here, target)

    def head(self, lang: str, here: str, paragraph: str, name: str, cited: tuple[str, ...] = ()) -> PageHead:
        """The head of the page at site path `here`: `paragraph` is its first paragraph as plain text,
        `cited` the keys the page cites."""
        twin = other_lang(lang) + here[len(lang) :]
        alternates = (
            Alternate(HTML_LANG[lang], self.link(here, here)),
            Alternate(HTML_LANG[other_lang(lang)], self.link(here, twin)),
            Alternate("x-default", self.link(here, CHOOSER)),
        )
        return PageHead(
            description=describe(paragraph, lang),
            canonical=self.settings.absolute(here),
            alternates=alternates,
            og_locale=OG_LOCALE[lang],
            og_locale_alternates=tuple(OG_LOCALE[code] for code in LANGUAGES if code != lang),
            highwire=self.highwire(lang, here, cited) if lang in self.articles and here == landing(lang) else (),
            json_ld=self.json_ld(lang, here, name, cited) if lang in self.articles else Markup(""),
        )

    # -- Highwire Press tags -----------------------------------------------------------------------------
    def highwire(self, lang: str, here: str, cited: tuple[str, ...] = ()) -> tuple[tuple[str, str], ...]:
        """The landing page's tags: the original as a journal article; the translation as itself, with no
        DOI, journal, issue or pages of its own (it names the original in Dublin Core instead)."""
        article = self.articles[lang]
        tags = [("citation_title", article.title)]
        for author in article.authors:
            tags.append(("citation_author", author.name))
            tags += [("citation_author_institution", place) for place in author.affiliations]
        if article.is_translation:
            if article.date:
                tags.append(("citation_publication_date", article.date.replace("-", "/")))
        else:
            tags += journal_tags(article)
        tags.append(("citation_language", lang))
        if article.keywords:
            tags.append(("citation_keywords", "; ".join(article.keywords)))
        tags.append(("citation_fulltext_html_url", self.link(here, here)))
        if self.pdfs:
            tags.append(("citation_pdf_url", self.link(here, pdf_path(lang))))
        if article.is_translation:  # Dublin Core says what Highwire cannot: this is a translation, of what, by whom
            original = self.articles[SOURCE_LANG]
            tags += [
                ("DC.type", "Text.Translation"),
                ("DC.language", lang),
                ("DC.relation.isTranslationOf", original.title + (f" (doi:{original.doi})" if original.doi else "")),
            ]
            if article.translation and article.translation.translator:
                tags.append(("DC.contributor", article.translation.translator))
        tags += [self.reference_tag(reference) for reference in self.named(cited)]
        return tuple(tags)

    def reference_tag(self, reference: Reference) -> tuple[str, str]:
        if reference.key not in self.reference_tags:
            self.reference_tags[reference.key] = ("citation_reference", highwire_reference(reference))
        return self.reference_tags[reference.key]

    # -- JSON-LD ---------------------------------------------------------------------------------------------
    def json_ld(self, lang: str, here: str, name: str, cited: tuple[str, ...] = ()) -> Markup:
        if here == landing(lang):
            data = {"@context": "https://schema.org", **self.scholarly_article(lang, here, cited)}
        else:
            data = {
                "@context": "https://schema.org",
                "@type": "WebPage",
                "@id": self.link(here, here),
                "url": self.link(here, here),
                "inLanguage": HTML_LANG[lang],
                "isPartOf": self.article_stub(lang, here),
            }
            if name:
                data["name"] = name
        return script_json(data)

    def article_stub(self, lang: str, here: str) -> dict[str, object]:
        """Enough to identify an edition: its @id (the overview page), type, name and language."""
        article = self.articles[lang]
        return {
            "@type": "ScholarlyArticle",
            "@id": self.link(here, f"{lang}/index.html"),
            "name": article.title,
            "inLanguage": article.html_lang,
        }

    def scholarly_article(self, lang: str, here: str, cited: tuple[str, ...] = ()) -> dict[str, object]:
        article = self.articles[lang]
        data: dict[str, object] = {
            **self.article_stub(lang, here),
            "headline": article.title,
            "url": self.link(here, here),
            "author": authors_ld(article),
        }
        if article.keywords:
            data["keywords"] = list(article.keywords)
        if self.pdfs:
            data["encoding"] = {
                "@type": "MediaObject",
                "encodingFormat": "application/pdf",
                "contentUrl": self.link(here, pdf_path(lang)),
            }
        if article.is_translation:
            original = self.articles[SOURCE_LANG]
            data.update(translation_ld(article))
            data["translationOfWork"] = {
                **self.article_stub(SOURCE_LANG, here),
                "author": authors_ld(original),
                **published_ld(original),
                **doi_properties(original),
            }
        else:
            data.update(published_ld(article))
            data.update(doi_properties(article))
            data["workTranslation"] = [
                self.article_stub(code, here) for code in LANGUAGES if code != lang and code in self.articles
            ]
        data["citation"] = [creative_work(reference) for reference in self.named(cited)]
        return data

    # -- the cite panel ----------------------------------------------------------------------------------------
    def cite_panel(self, lang: str, here: str) -> CitePanel | None:
        if lang not in self.articles:
            return None
        article = self.articles[lang]
        original = self.articles[SOURCE_LANG] if article.is_translation else None
        formats = (
            ("BibTeX", "bib", "application/x-bibtex"),
            ("RIS", "ris", "application/x-research-info-systems"),
            ("CSL-JSON", "json", "application/vnd.citationstyles.csl+json"),
        )
        return CitePanel(
            article=article,
            original=original,
            original_href=relative_href(here, f"{SOURCE_LANG}/index.html"),
            url=self.settings.absolute(f"{lang}/index.html"),
            doi_url=f"https://doi.org/{article.doi}" if article.doi else "",
            article_downloads=tuple(
                Download(label, relative_href(here, article_path(lang, extension)), media)
                for label, extension, media in formats
            ),
            reference_downloads=tuple(
                Download(label, relative_href(here, references_path(extension)), media)
                for label, extension, media in formats
            ),
            reference_count=len(self.references),
            pdf=Download("PDF", relative_href(here, pdf_path(lang)), "application/pdf") if self.pdfs else None,
        )


def landing(lang: str) -> str:
    """The edition's landing page: the one page that is the article (full text, citation tags)."""
    return f"{lang}/index.html"


def journal_tags(article: Article) -> list[tuple[str, str]]:
    """The original's place in its journal, as far as known: journal, ISSN, volume, issue, pages, DOI."""
    tags = []
    journal, number = article.journal, article.number
    if journal and journal.name(SOURCE_LANG):
        tags.append(("citation_journal_title", journal.name(SOURCE_LANG)))
    if journal and journal.abbreviation:
        tags.append(("citation_journal_abbrev", journal.abbreviation))
    if number:
        tags.append(("citation_publication_date", number.year))
    if journal and journal.issn:
        tags.append(("citation_issn", journal.issn))
    if journal and journal.volume:
        tags.append(("citation_volume", journal.volume))
    if number:
        tags += [
            ("citation_issue", number.issue),
            ("citation_firstpage", str(number.first_page)),
            ("citation_lastpage", str(number.last_page)),
        ]
    if article.doi:
        tags.append(("citation_doi", article.doi))
    return tags


def authors_ld(article: Article) -> list[dict[str, object]]:
    return [
        {
            "@type": "Person",
            "name": author.name,
            "affiliation": [{"@type": "Organization", "name": place} for place in author.affiliations],
        }
        for author in article.authors
    ]


def published_ld(article: Article) -> dict[str, object]:
    """Where the original appeared: Periodical > PublicationVolume (when known) > PublicationIssue, and its pages."""
    number, journal = article.number, article.journal
    if number is None and journal is None:
        return {}
    periodical: dict[str, object] = {"@type": "Periodical"}
    if journal:
        periodical.update(
            {
                key: value
                for key, value in (
                    ("name", journal.name(SOURCE_LANG)),
                    ("alternateName", journal.title_en if journal.title else ""),
                    ("issn", journal.issn),
                )
                if value
            }
        )
    container: dict[str, object] = periodical
    if journal and journal.volume:
        container = {"@type": "PublicationVolume", "volumeNumber": journal.volume, "isPartOf": periodical}
    if number is None:
        return {"isPartOf": container}
    return {
        "datePublished": number.year,
        "pageStart": str(number.first_page),
        "pageEnd": str(number.last_page),
        "isPartOf": {
            "@type": "PublicationIssue",
            "issueNumber": number.issue,
            "datePublished": number.year,
            "isPartOf": container,
        },
    }


def translation_ld(article: Article) -> dict[str, object]:
    """The translation's own facts: its date and version (the English text's last commit), its translator."""
    data: dict[str, object] = {}
    translation = article.translation
    if translation and translation.version:
        data.update(
            datePublished=translation.version.date,
            dateModified=translation.version.date,
            version=translation.version.commit,
        )
    if translation and translation.translator:
        data["translator"] = {"@type": translation.translator_kind, "name": translation.translator}
    return data


def doi_properties(article: Article) -> dict[str, object]:
    if not article.doi:
        return {}
    return {
        "identifier": {"@type": "PropertyValue", "propertyID": "DOI", "value": article.doi},
        "sameAs": f"https://doi.org/{article.doi}",
    }


def creative_work(reference: Reference) -> dict[str, object]:
    """A cited reference as schema.org understands it; its DOI where the .bib has one."""
    work: dict[str, object] = {
        "@type": "CreativeWork",
        "name": plain(reference.title),
        "author": [{"@type": "Person", "name": f"{p.family} {p.given}".strip()} for p in reference.authors],
        "datePublished": reference.year,
        "isPartOf": {"@type": "Periodical", "name": reference.journal},
        "inLanguage": "zh-Hans" if reference.is_chinese else "en",
    }
    if reference.doi:
        work["identifier"] = {"@type": "PropertyValue", "propertyID": "DOI", "value": reference.doi}
        work["sameAs"] = f"https://doi.org/{reference.doi}"
    return work


def highwire_reference(reference: Reference) -> str:
    """One cited work in the `citation_reference` form Scholar reads: 'citation_title=…; citation_author=…'."""
    first, _, last = reference.pages.partition("-")
    parts = [("citation_author", f"{p.family} {p.given}".strip()) for p in reference.authors]
    parts += [
        ("citation_title", plain(reference.title)),
        ("citation_journal_title", reference.journal),
        ("citation_publication_date", reference.year),
        ("citation_volume", reference.volume),
        ("citation_issue", reference.number),
        ("citation_firstpage", first),
        ("citation_lastpage", last),
        ("citation_doi", reference.doi),
    ]
    return "; ".join(f"{name}={value.replace(';', ',')}" for name, value in parts if value)


def plain(html: str) -> str:
    return Markup(re.sub(r"<[^>]+>", "", str(html))).unescape()


# A full stop ends a sentence; "et al." and "e.g." do not.
SENTENCE_END = {"zh": re.compile("[。！？]"), "en": re.compile(r"(?<!\bal)(?<!\be\.g)(?<!\bi\.e)[.!?](?= |$)")}


def describe(text: str, lang: str) -> str:
    """A page's description: its first paragraph, trimmed at a sentence end where one falls late enough,
    else at a word boundary (English) or a character (Chinese has no spaces), ending with an ellipsis."""
    text = re.sub(r"\s+([.,;:!?)])", r"\1", " ".join(text.split()))  # where a citation label was taken out
    limit = DESCRIPTION_LIMIT[lang]
    if len(text) <= limit:
        return text
    head = text[:limit]
    ends = [match.end() for match in SENTENCE_END[lang].finditer(head)]
    if ends and ends[-1] >= limit // 2:
        return head[: ends[-1]]
    if lang == "zh":
        return head[: limit - 1].rstrip("，、；：,;: ") + "…"
    cut = head[: limit - 1].rsplit(" ", 1)[0]
    return cut.rstrip(",;:") + "…"


# What JSON inside <script> must not hold as itself: `</script>` ends the element, `<!--` starts a
# comment that swallows the rest of the page, and U+2028/2029 end a line in older JavaScript.
SCRIPT_UNSAFE = str.maketrans(
    {"<": "\\u003c", ">": "\\u003e", "&": "\\u0026", "\u2028": "\\u2028", "\u2029": "\\u2029"}
)


def script_json(data: object) -> Markup:
    """JSON to write inside a <script> element: the same data to any JSON reader, nothing the HTML
    parser reads as markup."""
    return Markup(json.dumps(data, ensure_ascii=False, separators=(",", ":")).translate(SCRIPT_UNSAFE))
