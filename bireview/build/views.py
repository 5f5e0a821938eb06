"""The pieces every kind of page draws on, computed once per edition rather than once per page.

Navigation labels and links (per folder: a link depends on where the page sits, not on which page
it is), short titles, reference entries in each edition's style, where each reference is cited,
the page head and the cite panel. The page kinds (content.py, parallel.py, references.py, …) each
turn these into one template's context.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from markupsafe import Markup

from bireview.build.links import CONTENTS, GENERATED, Link, page_path, relative_href
from bireview.build.publish.metadata import PageHead, Publication
from bireview.build.render import UnitRenderer, kept
from bireview.config import HTML_LANG, SOURCE_LANG, Config, other_lang
from bireview.model.alignment import PageAlignment, Pair, Status
from bireview.model.bibliography import Reference
from bireview.model.citations import CitationIndex, Place, unit_keys
from bireview.model.memo import Memo
from bireview.model.pages import Block, Page, Unit, plain_text
from bireview.model.review import Review
from bireview.records import record
from bireview.translate.history import Change, ChineseHistory

# Up to this many content pages every page lists every page; beyond it a page lists its neighbours
# (NEIGHBOURS on each side, with the overview and the generated pages) and links to a contents page.
FULL_NAVIGATION_LIMIT = 40
NUMBERED_KEPT = 4096  # pages whose paragraph numbers a Views keeps at hand (a few MB at most): the references
# page labels every citing paragraph of the review, in the order of the references, not of the pages
NEIGHBOURS = 5


@record
class UnitView:
    id: str
    kind: str
    html: Markup
    lang: str  # the HTML lang of the text shown
    status: str  # "source" (Chinese edition), "translated", "stale" or "missing"
    source_href: str  # the Chinese paragraph, for the notice of a stale unit ("" for any other)
    changes: tuple[Change, ...] = ()  # stale: what changed in the Chinese of each stale unit


@record
class ReferenceView:
    number: int
    key: str
    reference: Reference
    html: Markup  # the entry in the style of the edition (a template macro)
    places: tuple[Link, ...]  # where it is cited, on this edition


class Views:
    """The loaded review's shared view pieces; page kinds build their contexts from them."""

    def __init__(
        self,
        config: Config,
        review: Review,
        index: CitationIndex,
        renderers: dict[str, UnitRenderer],
        memo: Memo | None = None,
    ) -> None:
        self.config = config
        self.memo = memo or Memo(keeping=False)
        self.review = review
        self.index = index
        self.renderers = renderers
        self.entries: dict[tuple[str, str], Markup] = {}
        self.listed: dict[tuple[str, str], ReferenceView] = {}  # see reference_view()
        self.places: dict[str, dict[str, tuple[Place, ...]]] = {}  # by edition, see edition_places()
        # the last page's back-links: its edition and slug, what they were made of, the links (see back_links())
        self.citing: tuple[tuple[str, str], tuple[Any, ...], dict[str, tuple[Link, ...]]] = (("", ""), (), {})
        self.link_bases: dict[tuple[str, str, str], tuple[str, str, dict[str, int], str]] = {}  # see place_link()
        self.numbered: dict[str, dict[str, int]] = {}  # see paragraph_numbers()
        self.cited: tuple[PageAlignment | None, dict[str, tuple[str, ...]]] = (None, {})  # see cited_keys()
        self.titles: dict[tuple[str, str], tuple[str, str]] = {}
        self.navigation: dict[tuple[str, str], tuple[Link, ...]] = {}  # by edition and folder
        self.history = ChineseHistory(config.root)
        self.parallel_cache: Any = None  # the last page's side-by-side rows, see parallel.py
        self.content_slugs = [page.slug for page in review.zh]
        self.slugs = self.content_slugs + list(GENERATED)
        self.positions = {slug: position for position, slug in enumerate(self.slugs)}
        self.full_navigation = len(self.content_slugs) <= FULL_NAVIGATION_LIMIT
        self.publication = Publication(
            review.articles,
            review.settings,
            config.pdf,
            [review.references[key] for key in sorted(index.numbers, key=index.numbers.__getitem__)],
        )

    # -- shared by every page -------------------------------------------------
    def common(self, lang: str, slug: str, cited: tuple[str, ...] = (), here: str | None = None) -> dict[str, Any]:
        """What base.html needs; `cited` are the keys the page cites, for its metadata. `here`: the
        file's path where it is not the page itself but another view of it in the same folder (its
        side-by-side view), whose navigation is the page's."""
        page = page_path(lang, slug)
        here = here or page
        position = self.positions.get(slug)
        return {
            "lang": lang,
            "html_lang": HTML_LANG[lang],
            "slug": slug,
            "here": here,
            "stylesheet": relative_href(here, "static/style.css"),
            "nav": self.nav(lang, page, position),
            "contents": None if self.full_navigation else self.contents_link(lang, page),
            "previous": self.nav_link(lang, self.slugs[position - 1], page) if position else None,
            "next": self.nav_link(lang, self.slugs[position + 1], page)
            if position is not None and position + 1 < len(self.slugs)
            else None,
            "switch": Link(
                label=self.short_title(other_lang(lang), slug)[0],
                href=relative_href(here, page_path(other_lang(lang), slug)),
                lang=HTML_LANG[other_lang(lang)],
            ),
            "lang_root": relative_href(here, f"{lang}/index.html").removesuffix("index.html"),
            "script": relative_href(here, "static/review.js"),
            "search_index": relative_href(here, f"{lang}/search-index.js"),
            "other_lang": other_lang(lang),
            "chooser": relative_href(here, "index.html"),
            "self_href": relative_href(here, here),
            "site_title": self.site_title(lang, here),
            "head": self.page_head(lang, slug, here, cited),
            "cite": self.publication.cite_panel(lang, here),
            "landing": False,
            "full_text": False,
            "sections": (),  # the landing page sets these (content.py)
        }

    def nav(self, lang: str, here: str, position: int | None) -> list[Link]:
        """Every page (a small review), or this page's neighbourhood, the overview and the generated pages."""
        if not self.full_navigation:
            content = len(self.content_slugs)
            centre = position if position is not None and position < content else content
            window = range(max(1, centre - NEIGHBOURS), min(content, centre + NEIGHBOURS + 1))
            return [
                self.nav_link(lang, slug, here)
                for slug in (self.slugs[0], *(self.slugs[i] for i in window), *self.slugs[content:])
            ]
        links = self.folder_navigation(lang, here.rpartition("/")[0])
        return [
            replace(link, current=True) if position is not None and link.slug == self.slugs[position] else link
            for link in links
        ]

    def folder_navigation(self, lang: str, folder: str) -> tuple[Link, ...]:
        """The navigation links as seen from one folder: the same for every page in it."""
        if (lang, folder) not in self.navigation:
            here = f"{folder}/"  # no page: no link is marked current here, nav() marks it
            self.navigation[(lang, folder)] = tuple(self.nav_link(lang, slug, here) for slug in self.slugs)
        return self.navigation[(lang, folder)]

    def contents_link(self, lang: str, here: str) -> Link:
        target = page_path(lang, CONTENTS)
        return Link(
            label="", href=relative_href(here, target), lang=HTML_LANG[lang], current=target == here, slug=CONTENTS
        )

    def page_head(self, lang: str, slug: str, here: str, cited: tuple[str, ...] = ()) -> PageHead:
        """Metadata in the page's edition; a content page is described by its first paragraph."""
        if slug in GENERATED or slug == CONTENTS:
            return self.publication.head(lang, here, "", "", cited)
        alignment = self.review.alignment(slug)
        first = next((pair for pair in alignment.pairs if pair.zh.kind == "paragraph"), None)
        paragraph = plain_text(self.shown(lang, first)[0], separator="") if first else ""
        return self.publication.head(lang, here, paragraph, self.edition_page(lang, slug)[0].title, cited)

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
        if slug in GENERATED or slug == CONTENTS:
            return "", HTML_LANG[lang]  # the template supplies the translated word
        if (lang, slug) not in self.titles:
            page, page_lang = self.edition_page(lang, slug)
            self.titles[(lang, slug)] = (str(page.meta.get("short_title") or page.title), page_lang)
        return self.titles[(lang, slug)]

    # -- what a reader of each edition sees ---------------------------------------
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

    def changes(self, alignment: PageAlignment, unit_ids: tuple[str, ...]) -> tuple[Change, ...]:
        """What changed in the Chinese of the stale units among `unit_ids`, from the git history."""
        return tuple(
            self.history.change(alignment.zh.source.path, pair)
            for pair in alignment.pairs
            if pair.zh.id in unit_ids and pair.status is Status.STALE
        )

    def cited_keys(self, lang: str, alignment: PageAlignment) -> tuple[str, ...]:
        """The references a reader of `lang` sees cited on a page, by number: asked for by the page
        and by both side-by-side views (the last page's are kept)."""
        if self.cited[0] is not alignment:
            self.cited = (alignment, {})
        if lang not in self.cited[1]:
            keys = {
                key for block in alignment.zh.blocks for key in unit_keys(self.shown_block(lang, alignment, block)[0])
            }
            self.cited[1][lang] = tuple(
                sorted((k for k in keys if k in self.index.numbers), key=self.index.numbers.__getitem__)
            )
        return self.cited[1][lang]

    def all_cited(self) -> tuple[str, ...]:
        """Every cited reference, by number: what the full-text landing page cites."""
        return tuple(sorted(self.index.numbers, key=self.index.numbers.__getitem__))

    def landing_references(self, lang: str, keys: tuple[str, ...]) -> list[ReferenceView]:
        """The full-text landing page's reference list: each entry links back to the paragraphs citing
        it on the landing page itself, labelled like the references page ("Rheumatoid arthritis ¶2")."""
        places = self.edition_places(lang)
        here = page_path(lang, "index")
        views = []
        for key in keys:
            links = []
            for place in places.get(key, ()):
                link = self.place_link(lang, place.slug, place.unit, here)
                links.append(replace(link, href="#" + place.unit))
            views.append(self.entry_view(lang, key, tuple(links)))
        return views

    # -- references --------------------------------------------------------------
    def reference_view(self, lang: str, key: str, here: str | None = None, back_to: str = "") -> ReferenceView:
        """An entry; with `here`, links to every citing paragraph; with `back_to`, to those on that page."""
        if here is not None:
            return self.entry_view(
                lang,
                key,
                tuple(
                    self.place_link(lang, place.slug, place.unit, here)
                    for place in self.edition_places(lang).get(key, ())
                ),
            )
        if back_to:
            return self.entry_view(lang, key, self.back_links(lang, back_to).get(key, ()))
        if (lang, key) not in self.listed:  # the same on every page that lists it (side-by-side views)
            self.listed[(lang, key)] = self.entry_view(lang, key, ())
        return self.listed[(lang, key)]

    def entry_view(self, lang: str, key: str, places: tuple[Link, ...]) -> ReferenceView:
        return ReferenceView(
            number=self.index.numbers[key],
            key=key,
            reference=self.review.references[key],
            html=self.entry_html(lang, key),
            places=places,
        )

    def edition_places(self, lang: str) -> dict[str, tuple[Place, ...]]:
        """Where each reference is cited in the text a reader of `lang` sees. An English unit cites
        what its text cites: a translator's note saying "the Chinese cites [30] here" does not make
        that paragraph a citing place of [30]. Numbers stay those of the Chinese."""
        if lang == SOURCE_LANG:
            return self.index.places
        if lang not in self.places:
            found: dict[str, list[Place]] = {}
            for alignment in self.review.alignments:
                for key, place in self.own_places(lang, alignment):
                    found.setdefault(key, []).append(place)
            self.places[lang] = {key: tuple(places) for key, places in found.items()}
        return self.places[lang]

    def back_links(self, lang: str, slug: str) -> dict[str, tuple[Link, ...]]:
        """Each reference's links back to where one page cites it: its reference list shows these
        (a reference cited on hundreds of pages is not searched for each). A paragraph citing
        several references has one link, shared by their entries. The last page's are kept."""
        if self.citing[0] != (lang, slug):
            places = self.own_places(lang, self.review.alignment(slug))
            made_of = (slug, self.short_title(lang, slug), places)
            if made_of == self.citing[1]:  # the other edition's page, showing the same (not translated yet)
                self.citing = ((lang, slug), made_of, self.citing[2])
            else:
                here = page_path(lang, slug)
                links: dict[str, Link] = {}
                found: dict[str, list[Link]] = {}
                for key, place in places:
                    if place.unit not in links:
                        links[place.unit] = self.place_link(lang, slug, place.unit, here)
                    found.setdefault(key, []).append(links[place.unit])
                self.citing = ((lang, slug), made_of, {key: tuple(links) for key, links in found.items()})
        return self.citing[2]

    def own_places(self, lang: str, alignment: PageAlignment) -> list[tuple[str, Place]]:
        """`page_places`, kept in the memo until one of the page's files changes."""
        return self.memo.keep(
            f"places-{lang}", alignment.zh.slug, (alignment.zh, alignment.en), lambda: self.page_places(lang, alignment)
        )

    def page_places(self, lang: str, alignment: PageAlignment) -> list[tuple[str, Place]]:
        """Where one page cites each reference, as a reader of `lang` sees it."""
        found: list[tuple[str, Place]] = []
        seen: set[tuple[str, str]] = set()
        for pair in alignment.pairs:
            unit, _, unit_lang = self.shown(lang, pair)
            if not unit.words.cites:  # most units cite nothing
                continue
            for key in unit_keys(unit, notes=unit_lang == SOURCE_LANG):
                if (key, pair.zh.id) not in seen:
                    seen.add((key, pair.zh.id))
                    found.append((key, Place(alignment.zh.slug, pair.zh.id)))
        return found

    def entry_html(self, lang: str, key: str) -> Markup:
        """Each reference is styled once per edition, however many pages list it."""
        if (lang, key) not in self.entries:
            translation = self.review.reference_translations.get(key, {}) if lang != SOURCE_LANG else {}
            english = translation if translation.get("title") else None
            note = self.renderers[lang].inline(str(translation["note"])) if translation.get("note") else None
            macro = self.renderers[lang].reference_entry
            self.entries[(lang, key)] = Markup(str(macro(self.review.references[key], english, lang, note)))
        return self.entries[(lang, key)]

    def paragraph_numbers(self, slug: str) -> dict[str, int]:
        """Each paragraph's number on its page, for labels like "Rheumatoid arthritis ¶2": made when
        a page is first asked for (kept per page file in serve), not for every page up front."""
        # a page's back-links ask for the same few pages again and again
        return kept(self.numbered, slug, lambda: self.numbering(self.review.alignment(slug).zh), NUMBERED_KEPT)

    def numbering(self, page: Page) -> dict[str, int]:
        return self.memo.keep(
            "paragraph-numbers",
            page.slug,
            (page,),
            lambda: {
                unit.id: number for number, unit in enumerate((u for u in page.units if u.kind != "title"), start=1)
            },
        )

    def place_link(self, lang: str, slug: str, unit_id: str, here: str) -> Link:
        """A link from `here` to a paragraph, labelled like "Rheumatoid arthritis ¶2"."""
        label, label_lang, numbers, target = kept(
            self.link_bases, (lang, slug, here), lambda: self.link_base(lang, slug, here), NUMBERED_KEPT
        )
        mark = f"¶{numbers[unit_id]}"
        return Link(label=f"{label} {mark}", href=target + unit_id, lang=label_lang, mark=mark)

    def link_base(self, lang: str, slug: str, here: str) -> tuple[str, str, dict[str, int], str]:
        """What every link from `here` to a paragraph of `slug` shares (a references page links
        to hundreds of paragraphs of each page): its label, lang, the page's paragraph numbers, and
        its href without the paragraph's id."""
        label, label_lang = self.short_title(lang, slug)
        target = page_path(lang, slug)
        return (
            label,
            label_lang,
            self.paragraph_numbers(slug),
            "#" if target == here else relative_href(here, target) + "#",
        )
