"""Template contexts: what each page of each edition shows, as small view records."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import yaml
from markupsafe import Markup

from .bibliography import Reference
from .citations import CitationIndex
from .config import HTML_LANG, LANGUAGES, SOURCE_LANG, Config
from .render import Link, UnitRenderer, relative_href
from .review import Review
from .translations import PageAlignment, Status

REFERENCES = "references"


@dataclass(frozen=True, slots=True)
class UnitView:
    id: str
    kind: str
    html: Markup
    lang: str  # the HTML lang of the text shown
    status: str  # "source" (Chinese edition), "translated", "stale" or "missing"
    source_href: str  # the Chinese paragraph, for notices on the English edition


@dataclass(frozen=True, slots=True)
class ReferenceView:
    number: int
    key: str
    reference: Reference
    english: dict[str, Any] | None  # the translator's English rendering of a Chinese reference
    places: tuple[Link, ...]  # where it is cited, on this edition


def page_path(lang: str, slug: str) -> str:
    return f"{lang}/index.html" if slug == "index" else f"{lang}/{slug}/index.html"


def other(lang: str) -> str:
    return next(code for code in LANGUAGES if code != lang)


class Contexts:
    """Builds every template context of the site from the loaded review."""

    def __init__(self, config: Config, review: Review, index: CitationIndex,
                 renderers: dict[str, UnitRenderer]) -> None:
        self.config = config
        self.review = review
        self.index = index
        self.renderers = renderers
        self.english_references = load_english_references(config)
        self.slugs = [page.slug for page in review.zh] + [REFERENCES]

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
            "root": relative_href(here, "index.html").removesuffix("index.html"),
            "stylesheet": relative_href(here, "static/style.css"),
            "nav": nav,
            "previous": nav[position - 1] if position > 0 else None,
            "next": nav[position + 1] if position + 1 < len(nav) else None,
            "switch": Link(label=self.short_title(other(lang), slug)[0],
                           href=relative_href(here, page_path(other(lang), slug)), lang=HTML_LANG[other(lang)]),
            "other_lang": other(lang),
            "chooser": relative_href(here, "index.html"),
            "self_href": relative_href(here, here),
            "site_title": self.site_title(lang, here),
        }

    def site_title(self, lang: str, here: str) -> Link:
        page = self.review.en.get("index") if lang != SOURCE_LANG else None
        title = (page or self.review.alignment("index").zh).title
        return Link(label=title, href=relative_href(here, page_path(lang, "index")),
                    lang=HTML_LANG[lang if page or lang == SOURCE_LANG else SOURCE_LANG])

    def nav_link(self, lang: str, slug: str, here: str) -> Link:
        label, label_lang = self.short_title(lang, slug)
        target = page_path(lang, slug)
        return Link(label=label, href=relative_href(here, target), lang=label_lang, current=target == here)

    def short_title(self, lang: str, slug: str) -> tuple[str, str]:
        """A page's navigation label in `lang`, or the Chinese one (with its lang) as fallback."""
        if slug == REFERENCES:
            return "", HTML_LANG[lang]  # the template supplies the translated word
        page = self.review.en.get(slug) if lang != SOURCE_LANG else None
        source = page or self.review.alignment(slug).zh
        label = str(source.meta.get("short_title") or source.title)
        return label, HTML_LANG[lang if page or lang == SOURCE_LANG else SOURCE_LANG]

    # -- content pages ---------------------------------------------------------
    def content_page(self, lang: str, alignment: PageAlignment) -> dict[str, Any]:
        zh = alignment.zh
        translated_page = alignment.en if lang != SOURCE_LANG else None
        units = [self.unit_view(lang, alignment, pair) for pair in alignment.pairs]
        title = units[0]
        body = units[1:]
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
            references=[self.reference_view(lang, key) for key in cited],
            is_overview=zh.slug == "index",
        )
        return context

    def unit_view(self, lang: str, alignment: PageAlignment, pair: Any) -> UnitView:
        renderer = self.renderers[lang]
        source_href = relative_href(page_path(lang, alignment.zh.slug),
                                    page_path(SOURCE_LANG, alignment.zh.slug) + "#" + pair.zh.id)
        if lang == SOURCE_LANG or pair.en is None or pair.status is Status.MISSING:
            unit, status, unit_lang = pair.zh, ("source" if lang == SOURCE_LANG else "missing"), SOURCE_LANG
        else:
            unit, status, unit_lang = pair.en, pair.status.value, lang
        html = renderer.inline(unit.text) if unit.kind == "title" else renderer.html(unit)
        return UnitView(id=pair.zh.id, kind=unit.kind, html=html, lang=HTML_LANG[unit_lang],
                        status=status, source_href=source_href)

    def cited_keys(self, lang: str, alignment: PageAlignment) -> list[str]:
        from .citations import unit_keys

        keys = set()
        for pair in alignment.pairs:
            shown = pair.en if (lang != SOURCE_LANG and pair.en is not None
                                and pair.status is not Status.MISSING) else pair.zh
            keys.update(unit_keys(shown))
        return sorted((k for k in keys if k in self.index.numbers), key=self.index.numbers.__getitem__)

    # -- references --------------------------------------------------------------
    def reference_view(self, lang: str, key: str, here: str | None = None) -> ReferenceView:
        places = ()
        if here is not None:
            places = tuple(self.place_link(lang, place.slug, place.unit, here)
                           for place in self.index.places.get(key, ()))
        return ReferenceView(number=self.index.numbers[key], key=key, reference=self.review.references[key],
                             english=self.english_references.get(key) if lang != SOURCE_LANG else None,
                             places=places)

    def place_link(self, lang: str, slug: str, unit_id: str, here: str) -> Link:
        label, label_lang = self.short_title(lang, slug)
        zh = self.review.alignment(slug).zh
        paragraph = [u.id for u in zh.units if u.kind != "title"].index(unit_id) + 1
        return Link(label=f"{label} ¶{paragraph}", href=relative_href(here, page_path(lang, slug) + "#" + unit_id),
                    lang=label_lang)

    def references_page(self, lang: str) -> dict[str, Any]:
        context = self.common(lang, REFERENCES)
        here = context["here"]
        keys = sorted(self.index.numbers, key=self.index.numbers.__getitem__)
        context["references"] = [self.reference_view(lang, key, here) for key in keys]
        return context

    def chooser(self) -> dict[str, Any]:
        zh_title = self.review.alignment("index").zh.title
        en_page = self.review.en.get("index")
        return {"zh_title": zh_title, "en_title": en_page.title if en_page else zh_title,
                "stylesheet": "static/style.css", "html_lang": HTML_LANG}


def load_english_references(config: Config) -> dict[str, dict[str, Any]]:
    path = config.content_dir("en") / "references.yaml"
    if not path.exists():
        return {}
    return yaml.safe_load(path.read_text(encoding="utf-8")) or {}
