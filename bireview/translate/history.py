"""What changed in a stale unit: the Chinese it was translated from, found in git, beside the Chinese now.

An English unit records only the fingerprint of the Chinese it translates. The text
behind that fingerprint is in the history of the Chinese file: each committed version
is parsed with the project's own page parser, and the first unit (newest version first)
whose fingerprint matches is the earlier text. Without git, without history or without a
match the earlier text is unknown, and every reader of it says so. Versions are read once
per file and cached, so a page with many stale units costs one `git log`.
"""

from __future__ import annotations

import difflib
import subprocess
from pathlib import Path

from bireview.model.alignment import PageAlignment, Pair, Status
from bireview.model.markdown import make_markdown
from bireview.model.pages import make_page
from bireview.model.sources import parse_source
from bireview.records import record

GIT_TIMEOUT = 20  # seconds for one git command; a slower repository counts as no history


@record
class Piece:
    """A run of characters of a character-level diff: kept, removed or added."""

    kind: str  # "same", "removed" or "added"
    text: str


@record
class Change:
    """A stale unit's Chinese then and now. `earlier` is None where history does not know it."""

    unit: str
    earlier: str | None
    current: str
    pieces: tuple[Piece, ...]  # empty when the earlier text is unknown

    @property
    def known(self) -> bool:
        return self.earlier is not None

    def as_text(self) -> str:
        """The diff in one line of text, wdiff style: `[-removed-]{+added+}`."""
        if self.earlier is None:
            return "the earlier Chinese text is unknown (no git history holds it)"
        marks = {"same": "{}", "removed": "[-{}-]", "added": "{{+{}+}}"}
        return "".join(marks[piece.kind].format(piece.text) for piece in self.pieces)


def char_diff(earlier: str, current: str) -> tuple[Piece, ...]:
    """A diff by characters: Chinese has no spaces to split words at."""
    matcher = difflib.SequenceMatcher(None, earlier, current, autojunk=False)
    pieces: list[Piece] = []
    for operation, a1, a2, b1, b2 in matcher.get_opcodes():
        if operation == "equal":
            pieces.append(Piece("same", earlier[a1:a2]))
            continue
        if a2 > a1:
            pieces.append(Piece("removed", earlier[a1:a2]))
        if b2 > b1:
            pieces.append(Piece("added", current[b1:b2]))
    return tuple(pieces)


class ChineseHistory:
    """Earlier texts of the Chinese units, by fingerprint, from the git history of each file."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.versions: dict[Path, dict[str, str]] = {}  # file -> fingerprint -> unit text

    def earlier_text(self, path: Path, fingerprint: str) -> str | None:
        if path not in self.versions:
            self.versions[path] = self.read_versions(path)
        return self.versions[path].get(fingerprint)

    def change(self, path: Path, pair: Pair) -> Change:
        """What changed in the Chinese of a stale pair since its English was made."""
        recorded = pair.en.recorded if pair.en is not None else ""
        earlier = self.earlier_text(path, recorded) if recorded else None
        pieces = char_diff(earlier, pair.zh.text) if earlier is not None else ()
        return Change(unit=pair.zh.id, earlier=earlier, current=pair.zh.text, pieces=pieces)

    def changes(self, alignment: PageAlignment) -> dict[str, Change]:
        """Every stale unit of a page, by id."""
        return {
            pair.zh.id: self.change(alignment.zh.source.path, pair)
            for pair in alignment.pairs
            if pair.status is Status.STALE
        }

    def read_versions(self, path: Path) -> dict[str, str]:
        """Each unit text of every committed version of the file, newest first wins."""
        found: dict[str, str] = {}
        md = make_markdown()
        try:
            relative = "./" + path.resolve().relative_to(self.root.resolve()).as_posix()
        except ValueError:
            return found
        for revision in self.git("log", "--format=%H", "--", relative).split():
            text = self.git("show", f"{revision}:{relative}")
            source = parse_source(text, path, "zh", self.root, []) if text else None
            if source is None:
                continue
            for unit in make_page(source, md, []).units:
                found.setdefault(unit.fingerprint, unit.text)
        return found

    def git(self, *arguments: str) -> str:
        """A git command's output, or "" where there is no git, no repository or no such version."""
        try:
            result = subprocess.run(
                ["git", *arguments],
                cwd=self.root,
                capture_output=True,
                timeout=GIT_TIMEOUT,
                check=False,
                stdin=subprocess.DEVNULL,
            )
        except (OSError, subprocess.TimeoutExpired):
            return ""
        return result.stdout.decode("utf-8", errors="replace") if result.returncode == 0 else ""
