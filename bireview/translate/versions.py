"""Which version of each edition's text a build shows: the last commit of its content folder.

The English landing page says which version of the translation it is and which Chinese text it
renders; the PDFs take their creation date from the same commit (or from SOURCE_DATE_EPOCH, the
reproducible-builds convention), so two builds of the same sources stay byte-identical. Asked of
git once per build; without git or history the versions are unknown and nothing claims one.
"""

from __future__ import annotations

import os
from datetime import UTC, datetime
from pathlib import Path

from bireview.build.unchanged import command_output
from bireview.records import record


@record
class TextVersion:
    """One edition's text as last committed: a short commit id and its date (UTC, ISO 8601)."""

    commit: str
    date: str  # 2026-12-06
    epoch: int


def text_version(root: Path, folder: Path) -> TextVersion | None:
    """The last commit touching `folder`, or None where git does not know it."""
    parts = command_output(["git", "log", "-1", "--format=%h %ct", "--", str(folder)], root).split()
    if len(parts) != 2 or not parts[1].isdigit():
        return None
    epoch = int(parts[1])
    return TextVersion(commit=parts[0], date=iso_date(epoch), epoch=epoch)


def iso_date(epoch: int) -> str:
    return datetime.fromtimestamp(epoch, tz=UTC).strftime("%Y-%m-%d")


def build_epoch(versions: dict[str, TextVersion | None]) -> int | None:
    """The build's own date: SOURCE_DATE_EPOCH if set, else the newest content commit."""
    given = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if given.isdigit():
        return int(given)
    known = [version.epoch for version in versions.values() if version is not None]
    return max(known) if known else None
