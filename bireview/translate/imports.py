"""Translations read back from exchange files -> line edits of content/en/, all or nothing.

Every unit is checked before any file is touched: it must still exist, its Chinese must
be the Chinese it was exported with (the fingerprint and the source the file carries), its
target must be English (not a copy of the Chinese, nor a Chinese clause left in it), its
placeholders must be the source's, each once, and its citations the source's (a translator's
note may cite more). A
unit that brings nothing new is left alone, so importing an untouched export changes no
byte. The new text of each English file is parsed again before it is written, and any
unit other than the imported ones that would change text or fingerprint stops the import:
no translator's text is ever lost to an edit in the wrong place.
"""

from __future__ import annotations

import dataclasses
import re
from collections import Counter
from pathlib import Path

import yaml

from bireview.config import Config
from bireview.model.alignment import CJK, PageAlignment, Status, still_chinese, untranslated
from bireview.model.attributes import attribute_problems
from bireview.model.markdown import CITATION_KEY, make_markdown
from bireview.model.pages import Page, Unit, make_page
from bireview.model.review import Review
from bireview.model.sources import parse_source
from bireview.problems import Problem, relative
from bireview.records import record
from bireview.translate.edits import block_edit, new_translation_file, read_lines, title_edit
from bireview.translate.exchange import ImportedUnit, po_pieces
from bireview.translate.placeholders import HEADING_MARK, ITEM_MARK, Piece, codes, segment_text, split_markup

CELL = re.compile(r"\.r(\d+)c(\d+)$")


@record
class UnitWrite:
    """What the import does to one English unit: new text (None: keep it) and the fingerprint to record."""

    zh: Unit
    text: str | None
    recorded: str
    draft: bool  # left marked for review: text written, fingerprint kept as it was
    source: ImportedUnit


@record
class Edit:
    start: int  # 0-based index of the first line replaced
    end: int  # 0-based index after the last line replaced (== start: an insertion)
    lines: tuple[str, ...]
    order: int = 0  # among insertions at one place, the reading order


@record
class FileResult:
    path: Path
    text: str
    writes: tuple[UnitWrite, ...]


def plan_import(config: Config, review: Review, units: list[ImportedUnit]) -> tuple[list[FileResult], list[Problem]]:
    """The new text of each English file an import changes, or the problems that stop it."""
    problems: list[Problem] = []
    by_page: dict[str, list[UnitWrite]] = {}
    seen: dict[tuple[str, str], ImportedUnit] = {}
    for unit in units:
        if not unit.id:
            found = find_by_source(review, unit, problems)
            if found is None:
                continue
            unit = found
        alignment = find_page(review, unit, problems)
        if alignment is None:
            continue
        first = seen.setdefault((alignment.zh.slug, unit.id), unit)
        if first is not unit:
            problems.append(
                Problem(
                    unit.path,
                    unit.line,
                    "import/duplicate",
                    f"unit '{unit.id}' is imported twice (also {first.path}:{first.line})",
                    "import each unit from one file only",
                )
            )
            continue
        write = plan_unit(alignment, unit, problems)
        if write is not None:
            by_page.setdefault(alignment.zh.slug, []).append(write)
    results = []
    for slug, writes in by_page.items():
        result = edit_file(config, review.alignment(slug), writes, problems)
        if result is not None:
            results.append(result)
    return results, problems


def find_page(review: Review, unit: ImportedUnit, problems: list[Problem]) -> PageAlignment | None:
    """The page a unit belongs to: the file it was exported from, else the one page with its id."""
    pages = [a for a in review.alignments if a.zh.rel == unit.page]
    if not unit.id:
        return None  # see find_by_source
    if not pages:
        pages = [a for a in review.alignments if any(pair.zh.id == unit.id for pair in a.pairs)]
    if len(pages) == 1 and any(pair.zh.id == unit.id for pair in pages[0].pairs):
        return pages[0]
    where = unit.page or "any Chinese page"
    problems.append(
        Problem(
            unit.path,
            unit.line,
            "import/unknown-unit",
            f"unit '{unit.id}' is not a unit of {where}",
            "export again: the Chinese no longer has this unit",
        )
    )
    return None


def find_by_source(review: Review, unit: ImportedUnit, problems: list[Problem]) -> ImportedUnit | None:
    """A unit whose key a converter dropped (xliff2po keeps only `#: file:line`), found by its Chinese:
    the one unit of its page whose source, with placeholders or as Markdown, is the file's msgid."""
    pages = [a for a in review.alignments if a.zh.rel == unit.page] or list(review.alignments)
    found = [pair.zh.id for alignment in pages for pair in alignment.pairs if unit.source in source_forms(pair.zh)]
    if len(set(found)) == 1:
        target = unit.target
        if all(piece.role == "text" for piece in target):  # placeholders carried as `{cite1}` text (po2xliff)
            target = po_pieces("".join(piece.markdown for piece in target))
        return dataclasses.replace(unit, id=found[0], target=target)
    problems.append(
        Problem(
            unit.path,
            unit.line,
            "import/key",
            "the entry has no unit key (msgctxt) and its Chinese matches "
            + ("no unit of " + (unit.page or "the review") if not found else "several units"),
            "export the page again and translate the new file (a converter may have dropped the keys)",
        )
    )
    return None


def source_forms(zh: Unit) -> tuple[str, str]:
    """A unit's Chinese as an exchange file carries it: with PO placeholders, or as plain Markdown."""
    from bireview.translate.exchange import po_string

    text = segment_text(zh.kind, zh.text)
    return po_string(split_markup(text)), text


def plan_unit(alignment: PageAlignment, unit: ImportedUnit, problems: list[Problem]) -> UnitWrite | None:
    """What importing one unit changes, after every check; None when it changes nothing or is refused."""
    pair = next(p for p in alignment.pairs if p.zh.id == unit.id)
    source = split_markup(segment_text(pair.zh.kind, pair.zh.text))
    text, problem = resolve(unit.target, source)
    english = pair.en if pair.en is not None and not untranslated(pair.zh, pair.en) else None
    current = segment_text(english.kind, english.text) if english is not None else None
    recorded_now = pair.en.recorded if pair.en is not None else ""
    # left for review: a translated unit loses its record (so status, the site and the next export say
    # so); a stale one keeps the Chinese it was made from
    recorded = pair.zh.fingerprint if unit.approved else "" if pair.status is Status.TRANSLATED else recorded_now
    if text is not None and text == current and recorded == recorded_now:
        return None
    where = (unit.path, unit.line)
    if (unit.fingerprint and unit.fingerprint != pair.zh.fingerprint) or (
        unit.source and unit.source not in source_forms(pair.zh)
    ):
        exported = unit.fingerprint or "its source text differs"
        problems.append(
            Problem(
                *where,
                "import/stale-source",
                f"the Chinese of '{unit.id}' changed since the export (exported {exported}, now {pair.zh.fingerprint})",
                "export the page again and translate the current Chinese (the export shows what changed)",
            )
        )
        return None
    if text is None:
        problems.append(
            Problem(
                *where,
                "import/placeholders",
                f"'{unit.id}': {problem}",
                "keep the placeholders of the source, each once and in pairs where they open and close",
            )
        )
        return None
    if still_chinese(prose_of(text)) or (text == segment_text(pair.zh.kind, pair.zh.text) and CJK.search(text)):
        problems.append(
            Problem(
                *where,
                "import/still-chinese",
                f"unit {unit.id}: the target is still Chinese",
                "translate it or leave it empty",
            )
        )
        return None
    mismatch = (
        markup_mismatch(pair.zh.id, source, split_markup(text))
        or shape_problem(pair.zh, text)
        or attribute_problem(pair.zh, text)
    )
    if mismatch:
        problems.append(Problem(*where, "import/markup", mismatch[0], mismatch[1]))
        return None
    return UnitWrite(
        zh=pair.zh, text=text if text != current else None, recorded=recorded, draft=not unit.approved, source=unit
    )


def prose_of(text: str) -> str:
    """What a reader reads of a unit's Markdown, without citations and translator's notes, nor white space."""
    parts, depth = [], 0
    for piece in split_markup(text):
        if piece.kind == "note" and piece.role in ("open", "close"):
            depth += 1 if piece.role == "open" else -1
        elif not depth and piece.kind != "cite" and piece.role in ("text", "atom"):
            parts.append(piece.markdown)
    return "".join("".join(parts).split())


def resolve(pieces: tuple[Piece, ...], source: tuple[Piece, ...]) -> tuple[str | None, str]:
    """A target's Markdown: each placeholder replaced by the source's Markdown it names, each once."""
    named = codes(source)
    out: list[str] = []
    open_names: list[str] = []
    used: set[str] = set()
    for piece in pieces:
        if piece.role == "text":
            out.append(piece.markdown)
            continue
        if piece.name not in named:
            return None, f"unknown placeholder '{piece.name}' (the source has {', '.join(named) or 'none'})"
        if piece.role != "close":
            if piece.name in used:
                return None, f"placeholder '{piece.name}' is used twice (the source has it once)"
            used.add(piece.name)
        first, last = named[piece.name]
        paired = first.role == "open"
        if piece.role == "mark":  # PO's `{name}`: whatever the source's code is
            piece = Piece("open" if paired else "atom", "", "", piece.name)
        if (piece.role == "atom") == paired:
            return None, f"placeholder '{piece.name}' is {'a pair' if paired else 'a single code'} in the source"
        if piece.role == "close":
            if not open_names or open_names[-1] != piece.name:
                return None, f"placeholder '{piece.name}' closes where it was not opened last"
            open_names.pop()
        elif piece.role == "open":
            open_names.append(piece.name)
        out.append(last.markdown if piece.role == "close" and last is not None else first.markdown)
    if open_names:
        return None, f"placeholder '{open_names[-1]}' is opened but never closed"
    return "".join(out), ""


def markup_mismatch(unit_id: str, source: tuple[Piece, ...], target: tuple[Piece, ...]) -> tuple[str, str] | None:
    """Citations and superscripts of the target against the source's; a translator's note may cite more."""
    src_keys, src_sups, _ = protected(source)
    keys, sups, note_keys = protected(target)
    if (set(src_keys) ^ set(keys)) - set(note_keys):
        return (
            f"'{unit_id}' cites {sorted(set(keys))} but the Chinese cites {sorted(set(src_keys))}",
            "keep every citation placeholder of the source; explain a correction in a translator's note that cites it",
        )
    if Counter(src_sups) != Counter(sups):
        return (
            f"'{unit_id}' has superscripts {sorted(sups)} but the Chinese has {sorted(src_sups)}",
            "keep every superscript placeholder of the source",
        )
    return None


def protected(pieces: tuple[Piece, ...]) -> tuple[list[str], list[str], list[str]]:
    """Citation keys and superscripts outside translator's notes, and the keys cited inside them."""
    keys: list[str] = []
    sups: list[str] = []
    note_keys: list[str] = []
    depth = 0
    for piece in pieces:
        if piece.kind == "note" and piece.role in ("open", "close"):
            depth += 1 if piece.role == "open" else -1
        elif piece.kind == "cite":
            (note_keys if depth else keys).extend(CITATION_KEY.findall(piece.markdown))
        elif piece.kind == "sup" and not depth:
            sups.append(piece.markdown)
    return keys, sups, note_keys


def shape_problem(zh: Unit, text: str) -> tuple[str, str] | None:
    if "\n" in text and zh.kind in ("title", "heading", "table_cell"):
        return (
            f"'{zh.id}': a {zh.kind.replace('_', ' ')} is one line, the translation has several",
            "write it on one line",
        )
    if re.search(r"\n[ \t]*\n", text):
        return f"'{zh.id}': the translation has an empty line, which would split the unit", "remove the empty line"
    if not text.strip():
        return f"'{zh.id}': the translation is empty", "translate the unit, or leave the target out"
    read_as = block_kinds(zh.kind, text) if zh.kind in BLOCK_OF else []
    if zh.kind in BLOCK_OF and read_as != [BLOCK_OF[zh.kind]]:
        seen = " and ".join(read_as) or "nothing"
        return (
            f"'{zh.id}': Markdown would read the translation as {seen}, not as a {zh.kind.replace('_', ' ')}",
            "escape the character that starts a block with a backslash (\\-, \\#, 1\\.) or reword",
        )
    return None


def attribute_problem(zh: Unit, text: str) -> tuple[str, str] | None:
    """What the content's allow-list refuses (attributes, links and images leaving the site), refused
    in a translator's file before it reaches content/en/."""
    found = attribute_problems(LONE_MARKDOWN.parse(text), "", 0)
    return (f"'{zh.id}': {found[0].message}", found[0].fix) if found else None


# The block a unit's text must make alone (a list item: in a list of its own).
BLOCK_OF = {"paragraph": "paragraph", "heading": "heading", "list_item": "bullet_list"}
LONE_MARKDOWN = make_markdown()


def block_kinds(kind: str, text: str) -> list[str]:
    """The top-level blocks Markdown makes of a unit's text, written as its kind is written."""
    written = {"heading": "## " + text, "list_item": "- " + text.replace("\n", "\n  ")}.get(kind, text)
    tokens = LONE_MARKDOWN.parse(written)
    kinds = [token.type.removesuffix("_open") for token in tokens if token.level == 0 and token.nesting == 1]
    if kind == "list_item" and kinds == ["bullet_list"]:
        items = [token for token in tokens if token.type == "list_item_open" and token.level == 1]
        return kinds if len(items) == 1 else kinds * len(items)
    return kinds


# -- editing one English file ------------------------------------------------------------------------
def edit_file(
    config: Config, alignment: PageAlignment, writes: list[UnitWrite], problems: list[Problem]
) -> FileResult | None:
    """Apply the writes of one page to its English file (made from the Chinese where there is none)."""
    path = (
        alignment.en.source.path
        if alignment.en is not None
        else config.content_dir("en") / alignment.zh.source.path.name
    )
    if alignment.en is not None:
        lines, newline = read_lines(path)
        en = alignment.en
    else:
        text = new_translation_file(alignment.zh)
        lines, newline = text.split("\n"), "\n"
        en = parse_page(text, path, config)
    edits = unit_edits(en, alignment.zh, writes, problems)
    if edits is None:
        return None
    for edit in sorted(edits, key=lambda e: (e.start, e.end, e.order), reverse=True):
        lines[edit.start : edit.end] = list(edit.lines)
    text = newline.join(lines)
    if not verify(
        en, parse_page(text.replace("\r\n", "\n"), path, config), writes, relative(path, config.root), problems
    ):
        return None
    return FileResult(path=path, text=text, writes=tuple(writes))


def parse_page(text: str, path: Path, config: Config) -> Page:
    source = parse_source(text, path, "en", config.root, [])
    assert source is not None, "a file written by the import always has front matter"
    return make_page(source, make_markdown(), [])


def unit_edits(en: Page, zh: Page, writes: list[UnitWrite], problems: list[Problem]) -> list[Edit] | None:
    edits: list[Edit] = []
    texts: list[tuple[Unit, str]] = []
    fingerprints: dict[str, dict[int, str]] = {}
    new_blocks: dict[str, list[UnitWrite]] = {}
    for write in writes:
        english = en.unit(write.zh.id)
        if english is None:
            if en.block(write.zh.block) is not None:
                problems.append(
                    Problem(
                        write.source.path,
                        write.source.line,
                        "import/no-english-unit",
                        f"the English block '{write.zh.block}' lacks the unit '{write.zh.id}'",
                        f"add the item or cell to {en.rel} (or run `build.py scaffold`), then import again",
                    )
                )
                return None
            new_blocks.setdefault(write.zh.block, []).append(write)
            continue
        if write.text is not None:
            texts.append((english, write.text))
        if write.recorded != english.recorded:
            if english.kind == "title":
                index, replace, line = title_edit(en, write.recorded)
                edits.append(Edit(index, index + replace, (line,)))
            else:
                fingerprints.setdefault(english.block, {})[english.position] = write.recorded
    for block_id, changed in fingerprints.items():
        index, replace, line = block_edit(en, block_id, changed)
        edits.append(Edit(index, index + replace, (line,)))
    edits += text_edits(en, texts) + block_insertions(en, zh, new_blocks)
    return edits


def text_edits(page: Page, texts: list[tuple[Unit, str]]) -> list[Edit]:
    """The edits that write new texts into units; the cells of one table row become one edit of the row."""
    edits = [text_edit(page, unit, text) for unit, text in texts if unit.kind != "table_cell"]
    rows: dict[int, list[tuple[Unit, str]]] = {}
    for unit, text in texts:
        if unit.kind == "table_cell":
            rows.setdefault(unit.line, []).append((unit, text))
    body = page.source.body.split("\n")
    for line, cells in rows.items():
        row = body[line - page.source.body_line]
        for unit, text in cells:
            row = replace_cell(row, cell_column(unit.id), text)
        edits.append(Edit(line - 1, line, (row,)))
    return edits


def text_edit(page: Page, unit: Unit, text: str) -> Edit:
    """Replace a unit's text in its file, keeping the block's own syntax (`##`, `-`, `|`)."""
    if unit.kind == "title":
        index = page.source.key_lines["title"] - 1
        line = yaml.safe_dump({"title": text}, allow_unicode=True, width=10**9).rstrip("\n")
        return Edit(index, index + 1, (line,))
    body = page.source.body.split("\n")
    offset = page.source.body_line - 1
    start, end = unit.tokens[0].map or (0, 0)
    while end > start + 1 and not body[end - 1].strip():
        end -= 1
    first, *rest = text.split("\n")
    if unit.kind == "heading" and (mark := HEADING_MARK.match(body[start])):
        return Edit(offset + start, offset + end, (mark.group() + first, *rest))
    if unit.kind == "list_item" and (mark := ITEM_MARK.match(body[start])):
        indent = " " * len(mark.group())
        return Edit(offset + start, offset + end, (mark.group() + first, *(indent + line for line in rest)))
    return Edit(offset + start, offset + end, tuple(text.split("\n")))


def cell_column(unit_id: str) -> int:
    match = CELL.search(unit_id)
    assert match is not None
    return int(match.group(2))


def replace_cell(row: str, column: int, text: str) -> str:
    """A table row with one cell's content replaced; its padding and the other cells kept."""
    pipes = [i for i, character in enumerate(row) if character == "|" and (i == 0 or row[i - 1] != "\\")]
    content = row.rstrip()
    bounds = list(pipes)
    if not content.lstrip().startswith("|"):
        bounds.insert(0, len(row) - len(row.lstrip()) - 1)
    if not content.endswith("|") or content.endswith("\\|"):
        bounds.append(len(content))
    left, right = bounds[column - 1], bounds[column]
    cell = row[left + 1 : right]
    lead = cell[: len(cell) - len(cell.lstrip())] or " "
    trail = cell[len(cell.rstrip()) :] or " "
    escaped = re.sub(r"(?<!\\)\|", r"\\|", text)
    return row[: left + 1] + lead + escaped + trail + row[right:]


def block_insertions(en: Page, zh: Page, new_blocks: dict[str, list[UnitWrite]]) -> list[Edit]:
    """Blocks the English lacks, made from the Chinese block with the imported units translated
    (the others keep their Chinese, for the translator to finish), each after its predecessor."""
    edits = []
    lines = zh.source.body.split("\n")
    previous_end = en.source.body_line - 1
    for order, block in enumerate(zh.blocks):
        english = en.block(block.id)
        if english is not None:
            previous_end = english.end - 1
            continue
        if block.id not in new_blocks:
            continue
        writes = {write.zh.id: write for write in new_blocks[block.id]}
        first = block.line - zh.source.body_line
        local = [line.rstrip() for line in lines[first : block.end - zh.source.body_line]]
        shifted = text_edits(
            zh,
            [
                (unit, writes[unit.id].text or segment_text(unit.kind, unit.text))
                for unit in zh.units
                if unit.id in writes
            ],
        )
        for edit in sorted(shifted, key=lambda e: (e.start, e.end), reverse=True):
            start = edit.start - (zh.source.body_line - 1) - first
            local[start : start + edit.end - edit.start] = list(edit.lines)
        values = [writes[unit_id].recorded if unit_id in writes else "" for unit_id in block.units]
        edits.append(Edit(previous_end, previous_end, ("", id_line(block.id, values), *local), order))
    return edits


def id_line(block_id: str, values: list[str]) -> str:
    if not any(values):
        return f"{{#{block_id}}}"
    joined = ",".join(value or "-" for value in values)
    return f'{{#{block_id} source="{joined}"}}' if len(values) > 1 else f"{{#{block_id} source={joined}}}"


def verify(before: Page, after: Page, writes: list[UnitWrite], rel: str, problems: list[Problem]) -> bool:
    """The edited file holds exactly the imported units, and every other unit as it was."""
    wanted = {write.zh.id: write for write in writes}
    for unit in after.units:
        old = before.unit(unit.id)
        write = wanted.get(unit.id)
        if write is None:
            expected = (old.text, old.recorded) if old is not None else None
            if expected is not None and expected != (unit.text, unit.recorded):
                break
            continue
        text = segment_text(unit.kind, unit.text)
        if (write.text is not None and text != write.text) or unit.recorded != write.recorded:
            break
    else:
        if {unit.id for unit in before.units} <= {unit.id for unit in after.units} and set(wanted) <= {
            unit.id for unit in after.units
        }:
            return True
    problems.append(
        Problem(
            rel,
            1,
            "import/verify",
            "the import would change more than the imported units of this file",
            "nothing was written; report this with the file you imported",
        )
    )
    return False


def pending_units(review: Review, units: list[ImportedUnit]) -> list[ImportedUnit]:
    """Units of an exchange file that hold something content/en/ lacks: an export must not overwrite them."""
    pending = []
    for unit in units:
        problems: list[Problem] = []
        alignment = find_page(review, unit, problems)
        if alignment is not None and (plan_unit(alignment, unit, problems) is not None or problems):
            pending.append(unit)
    return pending
