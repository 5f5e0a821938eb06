"""The context of a content page: its title and blocks as the edition's reader sees them."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from bireview.build.kinds.studies_page import study_views
from bireview.build.links import page_path, parallel_path, relative_href
from bireview.build.render import PageMarks
from bireview.build.views import UnitView, Views
from bireview.config import HTML_LANG, SOURCE_LANG
from bireview.model.alignment import PageAlignment, Pair
from bireview.model.pages import Block


def content_page(views: Views, lang: str, alignment: PageAlignment, landing: bool = False) -> dict[str, Any]:
    """A content page's context. `landing`: the overview as the edition's landing page, which in a
    review of up to FULL_NAVIGATION_LIMIT pages holds the whole text (every section, all references)
    and otherwise lists the sections; the PDF, which has every section already, asks without it."""
    zh = alignment.zh
    translated_page = alignment.en if lang != SOURCE_LANG else None
    title, body = page_units(views, lang, alignment)
    shown = translated_page if translated_page is not None else zh
    meta_lang = HTML_LANG[lang] if (lang == SOURCE_LANG or translated_page) else HTML_LANG[SOURCE_LANG]
    full_text = landing and zh.slug == "index" and views.full_navigation
    cited = views.all_cited() if full_text else views.cited_keys(lang, alignment)
    context = views.common(lang, zh.slug, cited)
    if landing and zh.slug == "index":
        context.update(landing_sections(views, lang, full_text))
    context.update(
        title=title,
        number=str(zh.meta.get("number", "")),
        meta=shown.meta,
        meta_lang=meta_lang,
        untranslated_page=lang != SOURCE_LANG and translated_page is None,
        units=body,
        references=views.landing_references(lang, cited)
        if full_text
        else [views.reference_view(lang, key, back_to=zh.slug) for key in cited],
        is_overview=zh.slug == "index",
        parallel=relative_href(page_path(lang, zh.slug), parallel_path(lang, zh.slug)),
        studies=study_views(views, lang, page_path(lang, zh.slug), disease=zh.slug),
    )
    return context


def landing_sections(views: Views, lang: str, full_text: bool) -> dict[str, Any]:
    """The landing page's sections after the overview: each with its number, title and link to its own
    page, and (full text) its blocks; a contents list is made of them."""
    here = page_path(lang, "index")
    sections = []
    for alignment in views.review.alignments[1:]:
        title, body = (
            page_units(views, lang, alignment)
            if full_text
            else (unit_view(views, lang, alignment, alignment.pairs[0]), [])
        )
        # a stale unit's notice links to its Chinese: from the landing page, not from its own page
        body = [
            replace(unit, source_href=relative_href(here, page_path(SOURCE_LANG, alignment.zh.slug) + "#" + unit.id))
            if unit.source_href
            else unit
            for unit in body
        ]
        if title.source_href:
            title = replace(
                title, source_href=relative_href(here, page_path(SOURCE_LANG, alignment.zh.slug) + "#" + title.id)
            )
        sections.append(
            {
                "slug": alignment.zh.slug,
                "number": str(alignment.zh.meta.get("number", "")),
                "title": title,
                "units": body,
                "href": relative_href(here, page_path(lang, alignment.zh.slug)),
            }
        )
    return {"landing": True, "full_text": full_text, "sections": sections}


def page_units(views: Views, lang: str, alignment: PageAlignment) -> tuple[UnitView, list[UnitView]]:
    """The title and the body's blocks; the first use of each abbreviation on the page is spelled out."""
    title = unit_view(views, lang, alignment, alignment.pairs[0])
    marks = {code: PageMarks() for code in views.renderers}  # an English page may show Chinese blocks
    body = [block_view(views, lang, alignment, block, marks) for block in alignment.zh.blocks]
    return title, body


def unit_view(views: Views, lang: str, alignment: PageAlignment, pair: Pair) -> UnitView:
    """The page title, a unit of its own outside the body's blocks."""
    unit, status, unit_lang = views.shown(lang, pair)
    html = views.renderers[unit_lang].inline(unit.text)
    stale = status == "stale"
    return UnitView(
        id=pair.zh.id,
        kind=unit.kind,
        html=html,
        lang=HTML_LANG[unit_lang],
        status=status,
        source_href=source_href(lang, alignment, pair.zh.id) if stale else "",
        changes=views.changes(alignment, (pair.zh.id,)) if stale else (),
    )


def block_view(
    views: Views, lang: str, alignment: PageAlignment, block: Block, marks: dict[str, PageMarks] | None = None
) -> UnitView:
    """A block as its page shows it; `marks`: what the page's rendering has met so far, by language."""
    shown, status, shown_lang = views.shown_block(lang, alignment, block)
    # a Chinese fallback is Chinese text, marked up as such
    html = views.renderers[shown_lang].html(shown, page=marks[shown_lang] if marks is not None else None)
    stale = status == "stale"
    return UnitView(
        id=block.id,
        kind=block.kind,
        html=html,
        lang=HTML_LANG[shown_lang],
        status=status,
        source_href=source_href(lang, alignment, block.id) if stale else "",
        changes=views.changes(alignment, block.units) if stale else (),
    )


def source_href(lang: str, alignment: PageAlignment, unit_id: str) -> str:
    """The Chinese of a unit, which a stale unit's notice links to."""
    return relative_href(page_path(lang, alignment.zh.slug), page_path(SOURCE_LANG, alignment.zh.slug) + "#" + unit_id)
