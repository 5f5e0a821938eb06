"""`ids`: the derived id of every block written into its file."""

from __future__ import annotations

from typing import TYPE_CHECKING

from bireview.config import Config
from bireview.translate.edits import write_ids

if TYPE_CHECKING:
    pass

from bireview.commands import load_or_fail


def ids_command(config: Config) -> int:
    review = load_or_fail(config)
    for page in [*review.zh, *review.en.values()]:
        written = write_ids(page)
        if written:
            print(f"{page.rel}: wrote ids {', '.join(written)}")
    return 0
