"""Template contexts: what each page of each edition shows, as small view records."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from markupsafe import Markup

from .bibliography import Reference
from .citations import CitationIndex, Place, unit_keys
from .config import HTML_LANG, SOURCE_LANG, Config, other_lang
from .glossary import Term
from .history import Change, ChineseHistory
from .metadata import PageHead, Publication
from .pages import Block, Page, Unit, inline_children, plain_text
from .render import Link, UnitRenderer, relative_href
from .review import Review
from .studies import Study
from .translations import PageAlignment, Pair, Status

REFERENCES = "references"
GLOSSARY = "glossary"
STUDIES = "studies"
# Pages the generator makes itself; the template names them in the reader's language.
GENERATED = (REFERENCES, STUDIES, GLOSSARY)


@dataclass(frozen=True, slots=True)
class UnitView:
    id: str
    kind: str
    html: Markup
    lang: str  # the HTML lang of the text shown
    status: str  # "source" (Chinese edition), "translated", "stale" or "missing"
    source_href: str  # the Chinese paragraph, for notices on the English edition
    changes: tuple[Change, ...] = ()  # stale: what changed in the Chinese of each stale unit


@dataclass(frozen=True, slots=True)
class ReferenceView:
    number: int
    key: str
    reference: Reference
    html: Markup  # the entry in the style of the edition (a template macro)
    places: tuple[Link, ...]  # where it is cited, on this edition


def page_path(lang: str, slug: str) -> str:
    return f"{lang}/index.html" if slug == "index" else f"{lang}/{slug}/index.html"


def parallel_path(lang: str, slug: str) -> str:
    """The side-by-side view of a page lives beside it: zh/ra/parallel.html."""
    return page_path(lang, slug).removesuffix("index.html") + "parallel.html"


@dataclass(frozen=True, slots=True)
class ParallelRow:
    id: str
    zh: Markup
    en: Markup | None  # None: not translated yet
    status: str
    changes: tuple[Change, ...] = ()  # stale: what changed in the Chinese


@dataclass(frozen=True, slots=True)
class StudyView:
    study: Study
    values: dict[str, Markup]  # field -> the value in the page's language, as inline HTML
    disease: Link
    discussion: Link  # the paragraph that discusses it
    reference: Link
    number: int
    patients: str  # the first number of the patient field, for sorting
    dose: str  # the dose as text, for filtering
    notes: dict[str, Markup]  # field -> the record's translator's note on it, as inline HTML


@dataclass(frozen=True, slots=True)
class TermView:
    term: Term
    name: str  # the term in the page's language
    other: str  # the term in the other language
    other_lang: str
    places: tuple[Link, ...]


class Contexts:
    """Builds every template context of the site from the loaded review."""

    def __init__(self, config: Config, review: Review, index: CitationIndex,
                 renderers: dict[str, UnitRenderer]) -> None:
        self.config = config
        self.review = review
        self.index = index
        self.renderers = renderers
        self.entries: dict[tuple[str, str], Markup] = {}
        self.places: dict[str, dict[str, tuple[Place, ...]]] = {}  # by edition, see edition_places()
        self.history = ChineseHistory(config.root)
        self.slugs = [page.slug for page in review.zh] + list(GENERATED)
        # a paragraph's number on its page, for labels like "Rheumatoid arthritis ¶2"
        self.paragraph_numbers = {unit.id: number for page in review.zh
                                  for number, unit in enumerate((u for u in page.units if u.kind != "title"), start=1)}
        self.publication = Publication(review.articles, review.settings, config.pdf,
                                       [review.references[key] for key in sorted(index.numbers, key=index.numbers.get)])

    # -- shared by every page -------------------------------------------------
    def common(self, lang: str, slug: str) -> dict[str, Any]:
        here = page_path(lang, slug)
        position = self.slugs.index(slug)
        nav = [self.nav_link(lang, s, here) for s in self.slugs]
        return {
            "lang": lang,
            "html_lang": HTML_LANG[lang],
            "slug": slug,
            "here": here,
            "stylesheet": relative_href(here, "static/style.css"),
            "nav": nav,
            "previous": nav[position - 1] if position > 0 else None,
            "next": nav[position + 1] if position + 1 < len(nav) else None,
            "switch": Link(label=self.short_title(other_lang(lang), slug)[0],
                           href=relative_href(here, page_path(other_lang(lang), slug)), lang=HTML_LANG[other_lang(lang)]),
            "lang_root": relative_href(here, f"{lang}/index.html").removesuffix("index.html"),
            "script": relative_href(here, "static/review.js"),
            "search_index": relative_href(here, f"{lang}/search-index.js"),
            "other_lang": other_lang(lang),
            "chooser": relative_href(here, "index.html"),
            "self_href": relative_href(here, here),
            "site_title": self.site_title(lang, here),
            "head": self.page_head(lang, slug, here),
            "cite": self.publication.cite_panel(lang, here),
        }

    def page_head(self, lang: str, slug: str, here: str) -> PageHead:
        """Metadata in the page's edition; a content page is described by its first paragraph."""
        if slug in GENERATED:
            return self.publication.head(lang, here, "", "")
        alignment = self.review.alignment(slug)
        first = next((pair for pair in alignment.pairs if pair.zh.kind == "paragraph"), None)
        paragraph = plain_text(self.shown(lang, first)[0], separator="") if first else ""
        return self.publication.head(lang, here, paragraph, self.edition_page(lang, slug)[0].title)

    def edition_page(self, lang: str, slug: str) -> tuple[Page, str]:
        """The page a reader of `lang` gets for `slug`, and its HTML lang: the Chinese page where
        the English edition has none."""
        page = self.review.en.get(slug) if lang != SOURCE_LANG else None
        if page is None:
            return self.review.alignment(slug).zh, HTML_LANG[SOURCE_LANG]
        return page, HTML_LANG[lang]

    def site_title(self, lang: str, here: str) -> Link:
        page, page_lang = self.edition_page(lang, "index")
        return Link(label=page.title, href=relative_href(here, page_path(lang, "index")), lang=page_lang)

    def nav_link(self, lang: str, slug: str, here: str) -> Link:
        label, label_lang = self.short_title(lang, slug)
        target = page_path(lang, slug)
        return Link(label=label, href=relative_href(here, target), lang=label_lang, current=target == here, slug=slug)

    def short_title(self, lang: str, slug: str) -> tuple[str, str]:
        """A page's navigation label in `lang`, or the Chinese one (with its lang) as fallback."""
        if slug in GENERATED:
            return "", HTML_LANG[lang]  # the template supplies the translated word
        page, page_lang = self.edition_page(lang, slug)
        return str(page.meta.get("short_title") or page.title), page_lang

    # -- content pages ---------------------------------------------------------
    def content_page(self, lang: str, alignment: PageAlignment) -> dict[str, Any]:
        zh = alignment.zh
        translated_page = alignment.en if lang != SOURCE_LANG else None
        title = self.unit_view(lang, alignment, alignment.pairs[0])
        for renderer in self.renderers.values():
            renderer.start_page()
        body = [self.block_view(lang, alignment, block) for block in zh.blocks]
        for renderer in self.renderers.values():
            renderer.end_page()
        shown = translated_page if translated_page is not None else zh
        meta_lang = HTML_LANG[lang] if (lang == SOURCE_LANG or translated_page) else HTML_LANG[SOURCE_LANG]
        cited = self.cited_keys(lang, alignment)
        context = self.common(lang, zh.slug)
        context.update(
            title=title,
            number=str(zh.meta.get("number", "")),
            meta=shown.meta,
            meta_lang=meta_lang,
            untranslated_page=lang != SOURCE_LANG and translated_page is None,
            units=body,
            references=[self.reference_view(lang, key, back_to=zh.slug) for key in cited],
            is_overview=zh.slug == "index",
            parallel=relative_href(page_path(lang, zh.slug), parallel_path(lang, zh.slug)),
            studies=self.study_views(lang, page_path(lang, zh.slug), disease=zh.slug),
        )
        return context

    @staticmethod
    def shown(lang: str, pair: Pair) -> tuple[Unit, str, str]:
        """What a reader of `lang` sees for a unit: (unit, status, its language).

        The English unit where there is one (even stale), otherwise the Chinese original.
        """
        if lang == SOURCE_LANG:
            return pair.zh, "source", SOURCE_LANG
        if pair.en is None or pair.status is Status.MISSING:
            return pair.zh, "missing", SOURCE_LANG
        return pair.en, pair.status.value, lang

    def unit_view(self, lang: str, alignment: PageAlignment, pair: Pair) -> UnitView:
        """The page title, a unit of its own outside the body's blocks."""
        source_href = relative_href(page_path(lang, alignment.zh.slug),
                                    page_path(SOURCE_LANG, alignment.zh.slug) + "#" + pair.zh.id)
        unit, status, unit_lang = self.shown(lang, pair)
        html = self.renderers[unit_lang].inline(unit.text)
        return UnitView(id=pair.zh.id, kind=unit.kind, html=html, lang=HTML_LANG[unit_lang],
                        status=status, source_href=source_href,
                        changes=self.changes(alignment, (pair.zh.id,)) if status == "stale" else ())

    def shown_block(self, lang: str, alignment: PageAlignment, block: Block) -> tuple[Block, str, str]:
        """What a reader of `lang` sees for a block: the English block unless one of its units is
        missing (then the Chinese block), marked stale if any of its units is."""
        if lang == SOURCE_LANG:
            return block, "source", SOURCE_LANG
        english = alignment.en.block(block.id) if alignment.en is not None else None
        statuses = {alignment.status(unit_id) for unit_id in block.units}
        if english is None or Status.MISSING in statuses:
            return block, "missing", SOURCE_LANG
        return english, (Status.STALE if Status.STALE in statuses else Status.TRANSLATED).value, lang

    def block_view(self, lang: str, alignment: PageAlignment, block: Block) -> UnitView:
        source_href = relative_href(page_path(lang, alignment.zh.slug),
                                    page_path(SOURCE_LANG, alignment.zh.slug) + "#" + block.id)
        shown, status, shown_lang = self.shown_block(lang, alignment, block)
        html = self.renderers[shown_lang].html(shown)  # a Chinese fallback is Chinese text, marked up as such
        return UnitView(id=block.id, kind=block.kind, html=html, lang=HTML_LANG[shown_lang],
                        status=status, source_href=source_href,
                        changes=self.changes(alignment, block.units) if status == "stale" else ())

    def changes(self, alignment: PageAlignment, unit_ids: tuple[str, ...]) -> tuple[Change, ...]:
        """What changed in the Chinese of the stale units among `unit_ids`, from the git history."""
        return tuple(self.history.change(alignment.zh.source.path, pair) for pair in alignment.pairs
                     if pair.zh.id in unit_ids and pair.status is Status.STALE)

    def cited_keys(self, lang: str, alignment: PageAlignment) -> list[str]:
        keys = {key for block in alignment.zh.blocks
                for key in unit_keys(self.shown_block(lang, alignment, block)[0])}
        return sorted((k for k in keys if k in self.index.numbers), key=self.index.numbers.__getitem__)

    # -- references --------------------------------------------------------------
    def reference_view(self, lang: str, key: str, here: str | None = None, back_to: str = "") -> ReferenceView:
        """An entry; with `here`, links to every citing paragraph; with `back_to`, to those on that page."""
        places: tuple[Link, ...] = ()
        if here is not None:
            places = tuple(self.place_link(lang, place.slug, place.unit, here)
                           for place in self.edition_places(lang).get(key, ()))
        elif back_to:
            places = tuple(self.place_link(lang, place.slug, place.unit, page_path(lang, back_to))
                           for place in self.edition_places(lang).get(key, ()) if place.slug == back_to)
        return ReferenceView(number=self.index.numbers[key], key=key, reference=self.review.references[key],
                             html=self.entry_html(lang, key), places=places)

    def edition_places(self, lang: str) -> dict[str, tuple[Place, ...]]:
        """Where each reference is cited in the text a reader of `lang` sees. An English unit cites
        what its text cites: a translator's note saying "the Chinese cites [30] here" does not make
        that paragraph a citing place of [30]. Numbers stay those of the Chinese."""
        if lang == SOURCE_LANG:
            return self.index.places
        if lang not in self.places:
            found: dict[str, list[Place]] = {}
            for alignment in self.review.alignments:
                for pair in alignment.pairs:
                    unit, _, unit_lang = self.shown(lang, pair)
                    place = Place(alignment.zh.slug, pair.zh.id)
                    for key in unit_keys(unit, notes=unit_lang == SOURCE_LANG):
                        if place not in found.setdefault(key, []):
                            found[key].append(place)
            self.places[lang] = {key: tuple(places) for key, places in found.items()}
        return self.places[lang]

    def entry_html(self, lang: str, key: str) -> Markup:
        """Each reference is styled once per edition, however many pages list it."""
        if (lang, key) not in self.entries:
            translation = self.review.reference_translations.get(key, {}) if lang != SOURCE_LANG else {}
            english = translation if translation.get("title") else None
            note = self.renderers[lang].inline(str(translation["note"])) if translation.get("note") else None
            macro = self.renderers[lang].reference_entry
            self.entries[(lang, key)] = Markup(str(macro(self.review.references[key], english, lang, note)))
        return self.entries[(lang, key)]

    def place_link(self, lang: str, slug: str, unit_id: str, here: str) -> Link:
        label, label_lang = self.short_title(lang, slug)
        paragraph = self.paragraph_numbers[unit_id]
        return Link(label=f"{label} ¶{paragraph}", href=relative_href(here, page_path(lang, slug) + "#" + unit_id),
                    lang=label_lang)

    def references_page(self, lang: str) -> dict[str, Any]:
        context = self.common(lang, REFERENCES)
        here = context["here"]
        keys = sorted(self.index.numbers, key=self.index.numbers.__getitem__)
        context["references"] = [self.reference_view(lang, key, here) for key in keys]
        return context

    # -- the side-by-side view -------------------------------------------------------
    def parallel_page(self, lang: str, alignment: PageAlignment) -> dict[str, Any]:
        zh = alignment.zh
        here = parallel_path(lang, zh.slug)
        context = self.common(lang, zh.slug)
        zh_renderer, en_renderer = self.renderers[SOURCE_LANG], self.renderers["en"]
        title = alignment.pairs[0]
        english_title = title.en is not None and title.status is not Status.MISSING
        rows = [ParallelRow(id=title.zh.id, zh=zh_renderer.inline(title.zh.text),
                            en=en_renderer.inline(title.en.text) if english_title and title.en else None,
                            status=title.status.value, changes=self.changes(alignment, (title.zh.id,)))]
        for block in zh.blocks:
            shown, status, shown_lang = self.shown_block("en", alignment, block)
            rows.append(ParallelRow(id=block.id, zh=zh_renderer.html(block, anchor=False),
                                    en=en_renderer.html(shown, anchor=False) if shown_lang == "en" else None,
                                    status=status, changes=self.changes(alignment, block.units) if status == "stale" else ()))
        cited = sorted(set(self.cited_keys(SOURCE_LANG, alignment)) | set(self.cited_keys("en", alignment)),
                       key=self.index.numbers.__getitem__)
        context.update(
            here=here,
            head=self.page_head(lang, zh.slug, here),
            cite=self.publication.cite_panel(lang, here),
            self_href=relative_href(here, here),
            stylesheet=relative_href(here, "static/style.css"),
            switch=Link(label="", href=relative_href(here, parallel_path(other_lang(lang), zh.slug)),
                        lang=HTML_LANG[other_lang(lang)]),
            rows=rows,
            page_link=Link(label=self.short_title(lang, zh.slug)[0],
                           href=relative_href(here, page_path(lang, zh.slug)), lang=self.short_title(lang, zh.slug)[1]),
            references=[self.reference_view(lang, key) for key in cited],
        )
        return context

    # -- search --------------------------------------------------------------------------
    def search_entries(self, lang: str) -> list[dict[str, str]]:
        """Every unit as the reader of `lang` sees it: the page's label, a link, the plain text."""
        entries = []
        for alignment in self.review.alignments:
            label = self.short_title(lang, alignment.zh.slug)[0]
            target = page_path(lang, alignment.zh.slug).removeprefix(f"{lang}/")
            for pair in alignment.pairs:
                shown = self.shown(lang, pair)[0]
                entries.append({"page": label, "href": f"{target}#{pair.zh.id}",
                                "text": " ".join(search_text(shown).split())})
        return entries

    # -- glossary ------------------------------------------------------------------------
    def glossary_page(self, lang: str) -> dict[str, Any]:
        context = self.common(lang, GLOSSARY)
        here = context["here"]
        views = []
        for term in self.review.terms:
            places = []
            for alignment in self.review.alignments:
                for pair in alignment.pairs:
                    if pair.zh.kind == "title":
                        continue
                    text = plain_text(pair.zh, separator="")
                    if term.zh in text or (term.abbr and term.abbr in text):
                        places.append(self.place_link(lang, alignment.zh.slug, pair.zh.id, here))
            views.append(TermView(term=term, name=term.zh if lang == SOURCE_LANG else term.en,
                                  other=term.en if lang == SOURCE_LANG else term.zh,
                                  other_lang=HTML_LANG[other_lang(lang)], places=tuple(places)))
        if lang != SOURCE_LANG:  # English readers look terms up A to Z; the Chinese keeps the glossary's order
            views.sort(key=lambda view: view.name.casefold())
        context["terms"] = views
        return context

    # -- studies -------------------------------------------------------------------------
    def study_views(self, lang: str, here: str, disease: str | None = None) -> list[StudyView]:
        renderer = self.renderers[lang]
        views = []
        for study in self.review.studies:
            if disease is not None and study.disease != disease:
                continue
            values = {field: renderer.inline(study.value(field, lang)) for field in study.fields}
            patients = study.value("patients", "zh")
            digits = "".join(ch if ch.isdigit() else " " for ch in patients).split()
            views.append(StudyView(
                study=study, values=values,
                disease=self.nav_link(lang, study.disease, here),
                discussion=self.place_link(lang, study.disease, study.unit, here),
                reference=Link(label=str(self.index.numbers[study.cite]),
                               href=relative_href(here, page_path(lang, REFERENCES) + "#ref-" + study.cite),
                               lang=HTML_LANG[lang]),
                number=self.index.numbers[study.cite],
                patients=digits[0] if digits else "",
                dose=plain_superscripts(" ".join(study.value("dose", lang).split())),
                notes={field: renderer.inline(study.note_on(field, lang))
                       for field in study.fields if study.note_on(field, lang)},
            ))
        return views

    def studies_page(self, lang: str) -> dict[str, Any]:
        context = self.common(lang, STUDIES)
        views = self.study_views(lang, context["here"])
        context.update(
            studies=views,
            diseases=[self.nav_link(lang, slug, context["here"]) for slug in dict.fromkeys(v.study.disease for v in views)],
            doses=sorted({v.dose for v in views if v.dose}),
            source_kinds=[kind for kind in ("bm", "uc", "adipose", "unspecified")
                          if any(v.study.source_kind == kind for v in views)],
        )
        return context

    def chooser(self) -> dict[str, Any]:
        zh_title = self.review.alignment("index").zh.title
        en_page = self.review.en.get("index")
        return {"zh_title": zh_title, "en_title": en_page.title if en_page else zh_title,
                "stylesheet": "static/style.css", "html_lang": HTML_LANG}


SUPERSCRIPT_DIGITS = str.maketrans("0123456789+-", "⁰¹²³⁴⁵⁶⁷⁸⁹⁺⁻")


def plain_superscripts(text: str) -> str:
    """`1×10^6^/kg` as plain text for a form control, where no <sup> can go: 1×10⁶/kg."""
    return re.sub(r"\^([^^]*)\^", lambda m: m.group(1).translate(SUPERSCRIPT_DIGITS), text)


def search_text(unit: Unit) -> str:
    """A unit's words for a search snippet, where no <sup> can go: superscripts as Unicode
    superscripts, so that 1×10^7^/人次 reads 1×10⁷/人次 and not 1×107/人次."""
    if not unit.tokens:
        return unit.text
    pieces, raised = [], 0
    for child, _ in inline_children(unit):
        if child.type in ("sup_open", "sup_close"):
            raised += 1 if child.type == "sup_open" else -1
        elif child.type in ("text", "code_inline"):
            pieces.append(child.content.translate(SUPERSCRIPT_DIGITS) if raised else child.content)
    return "".join(pieces)
