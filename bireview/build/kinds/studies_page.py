"""The clinical studies: a disease page's own, and the studies page comparing all of them."""

from __future__ import annotations

import re
from typing import Any

from markupsafe import Markup

from bireview.build.links import REFERENCES, STUDIES, Link, page_path, relative_href
from bireview.build.views import Views
from bireview.config import HTML_LANG
from bireview.model.pages import SUPERSCRIPT_DIGITS
from bireview.model.studies import Study
from bireview.records import record


@record
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


def study_views(views: Views, lang: str, here: str, disease: str | None = None) -> list[StudyView]:
    renderer = views.renderers[lang]
    found = []
    for study in views.review.studies:
        if disease is not None and study.disease != disease:
            continue
        values = {field: renderer.inline(study.value(field, lang)) for field in study.fields}
        patients = study.value("patients", "zh")
        digits = "".join(ch if ch.isdigit() else " " for ch in patients).split()
        found.append(
            StudyView(
                study=study,
                values=values,
                disease=views.nav_link(lang, study.disease, here),
                discussion=views.place_link(lang, study.disease, study.unit, here),
                reference=Link(
                    label=str(views.index.numbers[study.cite]),
                    href=relative_href(here, page_path(lang, REFERENCES) + "#ref-" + study.cite),
                    lang=HTML_LANG[lang],
                ),
                number=views.index.numbers[study.cite],
                patients=digits[0] if digits else "",
                dose=plain_superscripts(" ".join(study.value("dose", lang).split())),
                notes={
                    field: renderer.inline(study.note_on(field, lang))
                    for field in study.fields
                    if study.note_on(field, lang)
                },
            )
        )
    return found


def studies_page(views: Views, lang: str) -> dict[str, Any]:
    context = views.common(lang, STUDIES)
    found = study_views(views, lang, context["here"])
    context.update(
        studies=found,
        diseases=[
            views.nav_link(lang, slug, context["here"]) for slug in dict.fromkeys(v.study.disease for v in found)
        ],
        doses=sorted({v.dose for v in found if v.dose}),
        source_kinds=[
            kind for kind in ("bm", "uc", "adipose", "unspecified") if any(v.study.source_kind == kind for v in found)
        ],
    )
    return context


def plain_superscripts(text: str) -> str:
    """`1×10^6^/kg` as plain text for a form control, where no <sup> can go: 1×10⁶/kg."""
    return re.sub(r"\^([^^]*)\^", lambda m: m.group(1).translate(SUPERSCRIPT_DIGITS), text)
