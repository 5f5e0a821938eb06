"""The article as a citable work: its bibliographic facts, from the overview pages' front matter.

Chinese journals print an article number (文章编号) in the form ISSN(year)issue-first page-page
count, e.g. `1007-6611(2022)02-0251-06`: ISSN 1007-6611, 2022, issue 2, pages 251-256. The ISSN,
year, issue and pages are derived from it here, so no template types a fact the source does not state.

The journal is data too: the overview's `journal` block (title in both languages, abbreviation, ISSN,
volume), each value given only where it is confirmed; what is absent is left out everywhere, never
guessed. The ISSN falls back to the article number's.

The English edition is a translation, not a second article: it has the original's authors, its own
title, language and date (the last commit of content/en), the translator configured in site.yaml (if
any), and names the original, with the original's DOI, journal, issue and pages, as what it translates.
It never carries the original's DOI, ISSN, issue or pages as its own.
"""

from __future__ import annotations

import re
from typing import Any

from bireview.config import HTML_LANG, LANGUAGES, SOURCE_LANG
from bireview.model.inputs import DOI, DOI_FIX
from bireview.model.pages import Page
from bireview.problems import Problem
from bireview.records import record
from bireview.translate.versions import TextVersion

ARTICLE_NUMBER = re.compile(
    r"^(?P<issn>\d{4}-\d{3}[\dX])\((?P<year>\d{4})\)(?P<issue>\d{1,2})-(?P<first>\d{4})-(?P<count>\d{2})$"
)


@record
class ArticleNumber:
    issn: str
    year: str
    issue: str  # without leading zeros, as cited: "2"
    first_page: int
    page_count: int

    @property
    def last_page(self) -> int:
        return self.first_page + self.page_count - 1


def parse_article_number(text: str) -> ArticleNumber | None:
    """`1007-6611(2022)02-0251-06` -> ISSN 1007-6611, 2022, issue 2, pages 251-256; None if not in that form."""
    match = ARTICLE_NUMBER.match(text.strip())
    if match is None or int(match["count"]) < 1:
        return None
    return ArticleNumber(
        issn=match["issn"],
        year=match["year"],
        issue=str(int(match["issue"])),
        first_page=int(match["first"]),
        page_count=int(match["count"]),
    )


@record
class Author:
    name: str  # as printed in this edition: 王亚静, Yajing Wang
    affiliations: tuple[str, ...]  # the institutions' names, in this edition's language

    @property
    def is_chinese(self) -> bool:
        """A Chinese name is cited whole (王亚静); an English one as family name and initials (Wang Y)."""
        return any("\u3400" <= ch <= "\u9fff" for ch in self.name)

    @property
    def family(self) -> str:
        return self.name if self.is_chinese else self.name.split()[-1]

    @property
    def given(self) -> str:
        return "" if self.is_chinese else " ".join(self.name.split()[:-1])

    @property
    def initials(self) -> str:
        """'Yajing' -> 'Y', 'Li-Yun' -> 'LY': Vancouver's initials without stops."""
        return "".join(part[0] for part in self.given.replace("-", " ").split())


@record
class Journal:
    """The journal the original appeared in, as far as confirmed: every field may be empty."""

    title: str  # in Chinese, as the journal prints it
    title_en: str
    abbreviation: str
    issn: str
    volume: str

    def name(self, lang: str) -> str:
        """The journal's name for an edition: the English name on the English edition where known."""
        return (self.title_en or self.title) if lang != SOURCE_LANG else (self.title or self.title_en)


@record
class Translation:
    """What the English edition is a translation of, by whom and as of when."""

    translator: str  # as configured in site.yaml; "" when none is named
    translator_kind: str  # "Person" or "Organization" (schema.org's types)
    version: TextVersion | None  # the English text's last commit
    source_version: TextVersion | None  # the Chinese text's last commit


@record
class Article:
    """One edition of the article: the Chinese original or its English translation."""

    lang: str
    html_lang: str
    title: str
    authors: tuple[Author, ...]
    keywords: tuple[str, ...]
    doi: str  # the original's DOI: the translation keeps it only to name the original
    number: ArticleNumber | None  # the original's issue and pages (the translation names, never claims them)
    is_translation: bool
    journal: Journal | None = None
    translation: Translation | None = None  # on the translation only

    @property
    def own_doi(self) -> str:
        """The DOI this edition may claim as its own: the original's; the translation has none."""
        return "" if self.is_translation else self.doi

    @property
    def date(self) -> str:
        """This edition's date: the original's year; the translation's version date where known."""
        if self.is_translation:
            version = self.translation.version if self.translation else None
            return version.date if version else ""
        return self.year

    @property
    def own_year(self) -> str:
        return self.date[:4]

    @property
    def year(self) -> str:
        return self.number.year if self.number else ""

    @property
    def pages(self) -> str:
        return f"{self.number.first_page}-{self.number.last_page}" if self.number else ""

    @property
    def pages_abbreviated(self) -> str:
        """Vancouver drops the digits the last page shares with the first: 251-256 -> 251-6."""
        if not self.number:
            return ""
        first, last = str(self.number.first_page), str(self.number.last_page)
        shared = 0
        while shared < len(first) - 1 and len(first) == len(last) and first[shared] == last[shared]:
            shared += 1
        return f"{first}-{last[shared:]}"


def make_articles(
    zh: Page, en: Page | None, translation: Translation | None = None
) -> tuple[dict[str, Article], list[Problem]]:
    """Both editions of the article from the overview pages; the English falls back to the Chinese facts."""
    problems: list[Problem] = []
    number = article_number(zh, problems)
    doi = str(zh.meta.get("doi") or "")
    if doi and not DOI.fullmatch(doi):
        problems.append(
            Problem(zh.rel, zh.source.key_lines.get("doi", 1), "article/doi", f"the DOI {doi!r} is not one", DOI_FIX)
        )
    journal = make_journal(zh.meta.get("journal"), number)
    articles = {}
    for lang in LANGUAGES:
        page = zh if lang == SOURCE_LANG or en is None else en
        articles[lang] = Article(
            lang=lang,
            html_lang=HTML_LANG[lang],
            title=page.title,
            authors=authors(page.meta),
            keywords=tuple(str(word) for word in page.meta.get("keywords") or ()),
            doi=str(zh.meta.get("doi") or ""),
            number=number,
            is_translation=lang != SOURCE_LANG,
            journal=journal,
            translation=translation if lang != SOURCE_LANG else None,
        )
    return articles, problems


def make_journal(block: object, number: ArticleNumber | None) -> Journal | None:
    """The front matter's `journal` block (type-checked where the page is read), the ISSN defaulting
    to the article number's; None when nothing at all is known of the journal."""
    data = block if isinstance(block, dict) else {}
    journal = Journal(
        title=str(data.get("title") or ""),
        title_en=str(data.get("title_en") or ""),
        abbreviation=str(data.get("abbreviation") or ""),
        issn=str(data.get("issn") or (number.issn if number else "")),
        volume=str(data.get("volume") or ""),
    )
    return journal if any((journal.title, journal.title_en, journal.issn, journal.volume)) else None


def article_number(page: Page, problems: list[Problem]) -> ArticleNumber | None:
    raw = page.meta.get("article_number")
    if raw is None:
        return None
    number = parse_article_number(str(raw))
    if number is None:
        problems.append(
            Problem(
                page.rel,
                page.source.key_lines.get("article_number", 1),
                "article/number",
                f"article number {raw!r} is not in the form ISSN(year)issue-first page-page count",
                "write it as printed, e.g. 'article_number: 1007-6611(2022)02-0251-06'",
            )
        )
    return number


def authors(meta: dict[str, Any]) -> tuple[Author, ...]:
    """The front matter's authors with their institutions' names (affiliations are numbered there)."""
    places = {}
    for place in meta.get("affiliations") or ():
        if isinstance(place, dict) and "id" in place:
            places[place["id"]] = ", ".join(str(place[key]) for key in ("name", "place") if place.get(key))
    return tuple(
        Author(
            name=str(author.get("name", "")),
            affiliations=tuple(places[i] for i in author.get("affiliations") or () if i in places),
        )
        for author in meta.get("authors") or ()
        if isinstance(author, dict) and author.get("name")
    )
