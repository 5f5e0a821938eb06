"""The commands that edit content files: scaffold, mark-current and ids.

Each only inserts lines or rewrites a unit's `{#id …}` line (or the `title_source:`
line); an author's or translator's words are never rewritten, and every write is atomic.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import yaml

from .pages import Page, Unit
from .translations import PageAlignment, Status, still_chinese

# Front matter that belongs to the Chinese page only: the English page takes it from there.
SHARED_KEYS = ("order", "number", "slug")


def write_atomic(path: Path, text: str) -> None:
    """Write beside the target, then rename over it: a reader never sees half a file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="") as stream:
            stream.write(text)
            stream.flush()
            os.fsync(stream.fileno())
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def scaffold(alignment: PageAlignment, en_path: Path) -> list[str]:
    """Add the Chinese text of each unit the English file lacks, as a unit to translate."""
    zh = alignment.zh
    if alignment.en is None:
        write_atomic(en_path, new_translation_file(zh))
        return [unit.id for unit in zh.units]
    en = alignment.en
    lines = en.source.path.read_text(encoding="utf-8").split("\n")
    insertions: list[tuple[int, list[str]]] = []
    previous_end = en.source.body_line - 1  # 0-based index of the first body line
    added = []
    for pair in alignment.pairs:
        if pair.zh.kind == "title":
            continue
        if pair.en is not None:
            previous_end = block_end(pair.en, lines)
            continue
        insertions.append((previous_end, ["", f"{{#{pair.zh.id}}}", *pair.zh.text.split("\n")]))
        added.append(pair.zh.id)
    for index, new_lines in reversed(insertions):
        lines[index:index] = new_lines
    if added:
        write_atomic(en_path, "\n".join(lines))
    return added


def block_end(unit: Unit, lines: list[str]) -> int:
    """0-based index just after the unit's last line in its file."""
    index = unit.line - 1 + len(unit.text.split("\n"))
    return min(index, len(lines))


def new_translation_file(zh: Page) -> str:
    meta = {key: value for key, value in zh.meta.items() if key not in SHARED_KEYS}
    front = yaml.safe_dump(meta, allow_unicode=True, sort_keys=False, width=1000)
    units = [f"{{#{unit.id}}}\n{unit.text}\n" for unit in zh.units if unit.kind != "title"]
    return "---\n" + front + "---\n\n" + "\n".join(units)


def mark_current(alignment: PageAlignment, unit_ids: set[str] | None) -> tuple[list[str], list[str]]:
    """Record the current Chinese fingerprint on reviewed English units.

    `unit_ids` None means every unit of the page that holds English text. Returns
    the ids marked and the ids refused (still Chinese, or no English unit).
    """
    en = alignment.en
    if en is None:
        return [], sorted(unit_ids or [])
    lines = en.source.path.read_text(encoding="utf-8").split("\n")
    marked, refused = [], []
    edits: list[tuple[int, bool, str]] = []  # (0-based line, replace?, text)
    for pair in alignment.pairs:
        if unit_ids is not None and pair.zh.id not in unit_ids:
            continue
        if pair.en is None or still_chinese(pair.en):
            refused.append(pair.zh.id)
            continue
        if pair.status is Status.TRANSLATED:
            continue
        edits.append(fingerprint_edit(en, pair.en, pair.zh.fingerprint))
        marked.append(pair.zh.id)
    for index, replace, text in sorted(edits, reverse=True):
        lines[index:index + replace] = [text]
    if marked:
        write_atomic(en.source.path, "\n".join(lines))
    return marked, refused


def fingerprint_edit(en: Page, unit: Unit, value: str) -> tuple[int, bool, str]:
    """The one line to replace (or insert) so that the unit records `value`."""
    if unit.kind == "title":
        if "title_source" in en.source.key_lines:
            return en.source.key_lines["title_source"] - 1, True, f"title_source: {value}"
        return en.source.key_lines.get("title", 2), False, f"title_source: {value}"
    if unit.id_line:
        return unit.id_line - 1, True, f"{{#{unit.id} source={value}}}"
    return unit.line - 1, False, f"{{#{unit.id} source={value}}}"


def write_ids(page: Page) -> list[str]:
    """Write the derived id of every block that has none, so that it never moves again."""
    lines = page.source.path.read_text(encoding="utf-8").split("\n")
    missing = [unit for unit in page.units if unit.kind != "title" and not unit.id_line]
    for unit in reversed(missing):
        lines.insert(unit.line - 1, f"{{#{unit.id}}}")
    if missing:
        write_atomic(page.source.path, "\n".join(lines))
    return [unit.id for unit in missing]
