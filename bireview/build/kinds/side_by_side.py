"""The context of a side-by-side view: the Chinese and the English, unit by unit.

Both editions' views of a page show the same rows, so the rows are rendered once per page
and shared (the renderer keeps the last page's rows: the two views are rendered one after
the other).
"""

from __future__ import annotations

from typing import Any

from markupsafe import Markup

from bireview.build.links import Link, page_path, parallel_path, relative_href
from bireview.build.views import Views
from bireview.config import HTML_LANG, SOURCE_LANG, other_lang
from bireview.model.alignment import PageAlignment, Status
from bireview.records import record
from bireview.translate.history import Change


@record
class ParallelRow:
    id: str
    zh: Markup
    en: Markup | None  # None: not translated yet
    status: str
    changes: tuple[Change, ...] = ()  # stale: what changed in the Chinese


@record
class ParallelRows:
    alignment: PageAlignment
    rows: tuple[ParallelRow, ...]
    cited: tuple[str, ...]  # the keys either edition of the page cites, by number


def parallel_page(views: Views, lang: str, alignment: PageAlignment) -> dict[str, Any]:
    zh = alignment.zh
    here = parallel_path(lang, zh.slug)
    shared = parallel_rows(views, alignment)
    # the page itself names the references it cites in its head; its side-by-side view, the same text
    # again, does not name them twice (in a long review: in a short one every page names all of them)
    context = views.common(lang, zh.slug, here=here)
    label, label_lang = views.short_title(lang, zh.slug)
    context.update(
        switch=Link(
            label="",
            href=relative_href(here, parallel_path(other_lang(lang), zh.slug)),
            lang=HTML_LANG[other_lang(lang)],
        ),
        rows=list(shared.rows),
        page_link=Link(label=label, href=relative_href(here, page_path(lang, zh.slug)), lang=label_lang),
        references=[views.reference_view(lang, key) for key in shared.cited],
    )
    return context


def parallel_rows(views: Views, alignment: PageAlignment) -> ParallelRows:
    """The rows of both editions' views of a page, made once for the two."""
    cached = views.parallel_cache
    if isinstance(cached, ParallelRows) and cached.alignment is alignment:
        return cached
    zh = alignment.zh
    zh_renderer, en_renderer = views.renderers[SOURCE_LANG], views.renderers["en"]
    title = alignment.pairs[0]
    english_title = title.en is not None and title.status is not Status.MISSING
    rows = [
        ParallelRow(
            id=title.zh.id,
            zh=zh_renderer.inline(title.zh.text),
            en=en_renderer.inline(title.en.text) if english_title and title.en else None,
            status=title.status.value,
            changes=views.changes(alignment, (title.zh.id,)),
        )
    ]
    for block in zh.blocks:
        shown, status, shown_lang = views.shown_block("en", alignment, block)
        rows.append(
            ParallelRow(
                id=block.id,
                zh=zh_renderer.html(block, anchor=False),
                en=en_renderer.html(shown, anchor=False) if shown_lang == "en" else None,
                status=status,
                changes=views.changes(alignment, block.units) if status == "stale" else (),
            )
        )
    cited = sorted(
        set(views.cited_keys(SOURCE_LANG, alignment)) | set(views.cited_keys("en", alignment)),
        key=views.index.numbers.__getitem__,
    )
    made = views.parallel_cache = ParallelRows(alignment, tuple(rows), tuple(cited))
    return made
