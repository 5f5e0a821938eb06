"""The commands that edit content files: scaffold, mark-current and ids.

Each only inserts lines or rewrites a unit's `{#id …}` line (or the `title_source:`
line); an author's or translator's words are never rewritten, and every write is atomic.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import yaml

from bireview.build.output import write_atomic
from bireview.model.alignment import PageAlignment, Status, untranslated
from bireview.model.pages import Block, Page
from bireview.problems import Problem

# Front matter that belongs to the Chinese page only: the English page takes it from there.
SHARED_KEYS = ("order", "number", "slug")


def read_lines(path: Path) -> tuple[list[str], str]:
    """A file's lines and its line ending, so that a file written on Windows keeps its CRLFs."""
    with path.open(encoding="utf-8", newline="") as stream:
        text = stream.read()
    newline = "\r\n" if "\r\n" in text else "\n"
    return text.split(newline), newline


def scaffold(alignment: PageAlignment, en_path: Path) -> tuple[list[str], list[str]]:
    """Add, as blocks to translate, the Chinese text of each block the English file lacks.

    Returns the block ids added, and the ids of English blocks that lack some of their units
    (a list item or a table cell): those a translator completes by hand.
    """
    zh = alignment.zh
    if alignment.en is None:
        if en_path.exists():
            raise FileExistsError(en_path)  # never replace a file the translator may have written
        write_atomic(en_path, new_translation_file(zh))
        return [block.id for block in zh.blocks], []
    en = alignment.en
    lines, newline = read_lines(en.source.path)
    insertions: list[tuple[int, list[str]]] = []
    previous_end = en.source.body_line - 1  # 0-based index of the first body line
    added, incomplete = [], []
    for block in zh.blocks:
        english = en.block(block.id)
        if english is not None:
            previous_end = min(english.end - 1, len(lines))
            if len(english.units) < len(block.units):
                incomplete.append(block.id)
            continue
        insertions.append((previous_end, ["", f"{{#{block.id}}}", *block_lines(zh, block)]))
        added.append(block.id)
    for index, new_lines in reversed(insertions):
        lines[index:index] = new_lines
    if added:
        write_atomic(en_path, newline.join(lines))
    return added, incomplete


def block_lines(page: Page, block: Block) -> list[str]:
    """A block's Markdown as written in its file."""
    body = page.source.body.split("\n")
    first = block.line - page.source.body_line
    return [line.rstrip() for line in body[first : block.end - page.source.body_line]]


def new_translation_file(zh: Page) -> str:
    meta = {key: value for key, value in zh.meta.items() if key not in SHARED_KEYS}
    front = yaml.safe_dump(meta, allow_unicode=True, sort_keys=False, width=1000)
    blocks = ["\n".join([f"{{#{block.id}}}", *block_lines(zh, block)]) + "\n" for block in zh.blocks]
    return "---\n" + front + "---\n\n" + "\n".join(blocks)


def mark_current(alignment: PageAlignment, unit_ids: set[str] | None) -> tuple[list[str], list[str]]:
    """Record the current Chinese fingerprint on reviewed English units.

    `unit_ids` None means every unit of the page that holds English text. Returns
    the ids marked and the ids refused (still Chinese, or no English unit).
    """
    en = alignment.en
    if en is None:
        return [], sorted(unit_ids or [])
    lines, newline = read_lines(en.source.path)
    marked, refused = [], []
    edits: list[tuple[int, bool, str]] = []  # (0-based line, replace?, text)
    updates: dict[str, dict[int, str]] = {}  # block id -> {unit position: fingerprint}
    for pair in alignment.pairs:
        if unit_ids is not None and pair.zh.id not in unit_ids:
            continue
        if pair.en is None or untranslated(pair.zh, pair.en):
            refused.append(pair.zh.id)
            continue
        if pair.status is Status.TRANSLATED:
            continue
        if pair.en.kind == "title":
            edits.append(title_edit(en, pair.zh.fingerprint))
        else:
            updates.setdefault(pair.en.block, {})[pair.en.position] = pair.zh.fingerprint
        marked.append(pair.zh.id)
    for block_id, changed in updates.items():
        edits.append(block_edit(en, block_id, changed))
    for index, replace, text in sorted(edits, reverse=True):
        lines[index : index + replace] = [text]
    if marked:
        write_atomic(en.source.path, newline.join(lines))
    return marked, refused


def title_edit(en: Page, value: str) -> tuple[int, bool, str]:
    """The front-matter line to replace (or insert) so that the title records `value`. Quoted: about
    one fingerprint in a hundred is all digits, which YAML would read as a number."""
    line = f'title_source: "{value}"'
    if "title_source" in en.source.key_lines:
        return en.source.key_lines["title_source"] - 1, True, line
    return en.source.key_lines.get("title", 2), False, line


def block_edit(en: Page, block_id: str, changed: dict[int, str]) -> tuple[int, bool, str]:
    """The block's id line, rewritten (or inserted) with one fingerprint per unit, '-' where none."""
    block = en.block(block_id)
    assert block is not None
    units = [en.unit(unit_id) for unit_id in block.units]
    values = [changed.get(position, unit.recorded if unit else "") for position, unit in enumerate(units)]
    joined = ",".join(value or "-" for value in values)
    text = f'{{#{block.id} source="{joined}"}}' if len(values) > 1 else f"{{#{block.id} source={joined}}}"
    if block.id_line:
        return block.id_line - 1, True, text
    return block.line - 1, False, text


def write_ids(page: Page) -> list[str]:
    """Write the derived id of every block that has none, so that it never moves again."""
    lines, newline = read_lines(page.source.path)
    missing = [block for block in page.blocks if not block.id_line]
    for block in reversed(missing):
        lines.insert(block.line - 1, f"{{#{block.id}}}")
    if missing:
        write_atomic(page.source.path, newline.join(lines))
    return [block.id for block in missing]


def write_all(files: dict[Path, str], root: Path) -> list[Problem]:
    """Write several files as one: each is staged beside its target first, then all are renamed in one
    pass; where a rename fails, the files already replaced get their old bytes back (a new file is
    removed). The problems say truly what is on disk afterwards; none: every file was written."""
    staged: dict[Path, str] = {}
    try:
        for path, text in files.items():
            staged[path] = stage(path, text)
    except OSError as error:
        for temporary in staged.values():
            Path(temporary).unlink(missing_ok=True)
        return [write_problem(path, root, error, " (and the disk not full), then import again; nothing was written")]
    originals = {path: path.read_bytes() if path.is_file() else None for path in files}
    done: list[Path] = []
    for path, temporary in staged.items():
        try:
            os.replace(temporary, path)
        except OSError as error:
            for left in staged.values():
                Path(left).unlink(missing_ok=True)
            return [write_problem(path, root, error, ", then import again"), *restore(done, originals, root)]
        done.append(path)
    return []


def write_problem(path: Path, root: Path, error: OSError, then: str) -> Problem:
    return Problem(
        os.path.relpath(path, root),
        0,
        "import/write",
        f"cannot write the file: {error.strerror or error}",
        f"make the file and its folder writable{then}",
    )


def stage(path: Path, text: str) -> str:
    """The new text written and synced to a temporary file beside `path`, with its mode; the temporary's name."""
    path.parent.mkdir(parents=True, exist_ok=True)
    mode = path.stat().st_mode & 0o777 if path.is_file() else 0o644
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".part")
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(text.encode("utf-8"))
            stream.flush()
            os.fsync(stream.fileno())
        os.chmod(temporary, mode)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return temporary


def restore(done: list[Path], originals: dict[Path, bytes | None], root: Path) -> list[Problem]:
    """Put back the files an interrupted import had replaced; a problem for each that could not be."""
    problems = []
    for path in done:
        try:
            original = originals[path]
            if original is None:
                path.unlink()
            else:
                write_atomic(path, original)
        except OSError as error:
            problems.append(
                Problem(
                    os.path.relpath(path, root),
                    0,
                    "import/restore",
                    f"this file WAS written by the import and could not be restored: {error}",
                    "restore it from git (`git checkout -- FILE`) or keep the imported text",
                )
            )
    if not problems and done:
        problems.append(
            Problem(
                os.path.relpath(done[0], root),
                0,
                "import/restored",
                f"{len(done)} file(s) written before the failure were restored",
                "nothing was written",
            )
        )
    return problems
