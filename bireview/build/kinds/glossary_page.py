"""The context of the glossary page: every term, its translation and where the review uses it."""

from __future__ import annotations

from typing import Any

from bireview.build.links import GLOSSARY, Link
from bireview.build.views import Views
from bireview.config import HTML_LANG, SOURCE_LANG, other_lang
from bireview.model.glossary import Term
from bireview.model.pages import plain_text
from bireview.records import record


@record
class TermView:
    term: Term
    name: str  # the term in the page's language
    other: str  # the term in the other language
    other_lang: str
    places: tuple[Link, ...]


def glossary_page(views: Views, lang: str) -> dict[str, Any]:
    context = views.common(lang, GLOSSARY)
    here = context["here"]
    texts = [
        (alignment.zh.slug, pair.zh.id, plain_text(pair.zh, separator=""))
        for alignment in views.review.alignments
        for pair in alignment.pairs
        if pair.zh.kind != "title"
    ]
    terms = []
    for term in views.review.terms:
        places = tuple(
            views.place_link(lang, slug, unit_id, here)
            for slug, unit_id, text in texts
            if term.zh in text or (term.abbr and term.abbr in text)
        )
        terms.append(
            TermView(
                term=term,
                name=term.zh if lang == SOURCE_LANG else term.en,
                other=term.en if lang == SOURCE_LANG else term.zh,
                other_lang=HTML_LANG[other_lang(lang)],
                places=places,
            )
        )
    if lang != SOURCE_LANG:  # English readers look terms up A to Z; the Chinese keeps the glossary's order
        terms.sort(key=lambda view: view.name.casefold())
    context["terms"] = terms
    return context
