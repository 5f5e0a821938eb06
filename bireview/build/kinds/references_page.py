"""The context of the references page: every reference, with every paragraph citing it."""

from __future__ import annotations

from typing import Any

from bireview.build.links import REFERENCES
from bireview.build.views import Views


def references_page(views: Views, lang: str) -> dict[str, Any]:
    context = views.common(lang, REFERENCES)
    here = context["here"]
    keys = sorted(views.index.numbers, key=views.index.numbers.__getitem__)
    # made as the template reaches them: the page lists thousands in a long review
    context["references"] = (views.reference_view(lang, key, here) for key in keys)
    return context
