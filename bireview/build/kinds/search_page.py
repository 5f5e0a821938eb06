"""What search finds: every unit as the reader of an edition sees it, as plain text."""

from __future__ import annotations

from collections.abc import Iterator

from bireview.build.links import page_path
from bireview.build.views import Views
from bireview.model.pages import Unit


def search_entries(views: Views, lang: str) -> Iterator[dict[str, str]]:
    """Every unit as the reader of `lang` sees it, as it is made (the search index reads them a few
    thousand at a time): the page's label, a link, the plain text."""
    for alignment in views.review.alignments:
        label = views.short_title(lang, alignment.zh.slug)[0]
        target = page_path(lang, alignment.zh.slug).removeprefix(f"{lang}/")
        for pair in alignment.pairs:
            shown = views.shown(lang, pair)[0]
            yield {"page": label, "href": f"{target}#{pair.zh.id}", "text": " ".join(search_text(shown).split())}


def search_size(views: Views, lang: str) -> int:
    """About how much text an edition's index holds (characters), to share the work without making it."""
    return sum(
        len(views.shown(lang, pair)[0].words.flow) for alignment in views.review.alignments for pair in alignment.pairs
    )


def search_text(unit: Unit) -> str:
    """A unit's words for a search snippet, where no <sup> can go: superscripts as Unicode
    superscripts, so that 1×10^7^/人次 reads 1×10⁷/人次 and not 1×107/人次."""
    return unit.words.search
