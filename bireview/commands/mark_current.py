"""`mark-current`: a reviewed unit's Chinese fingerprint recorded as current."""

from __future__ import annotations

from typing import TYPE_CHECKING

from bireview.config import Config
from bireview.translate.edits import mark_current

if TYPE_CHECKING:
    pass

from bireview.commands import check_slugs, load_or_fail


def mark_current_command(config: Config, unit_ids: list[str], slugs: list[str]) -> int:
    review = load_or_fail(config)
    check_slugs(review, slugs)
    wanted = set(unit_ids)
    found: set[str] = set()
    refused_all: list[str] = []
    for alignment in review.alignments:
        ids = {pair.zh.id for pair in alignment.pairs}
        if alignment.zh.slug in slugs:
            targets = None
        elif wanted & ids:
            targets = wanted & ids
        else:
            continue
        found |= ids & wanted
        marked, refused = mark_current(alignment, targets)
        refused_all += refused
        if marked:
            print(f"{alignment.zh.slug}: marked current: {', '.join(marked)}")
    unknown = sorted(wanted - found)
    for unit_id in unknown:
        print(f"unknown unit id '{unit_id}' — run `python build.py status` to list unit ids")
    for unit_id in refused_all:
        print(
            f"not marked: {unit_id} has no English text yet (it is missing or still the Chinese) — translate it first"
        )
    return 1 if unknown or (refused_all and not slugs) else 0
