"""Source records -> Page records made of blocks and their translation units.

A unit is what a translator works on: a heading, a paragraph, a list item or a
table cell. A block is what the page is made of: a heading, a paragraph, a list
or a table. Every block has an id, written once in the Chinese source as
`{#ra-3}` (a block without one gets the next free number of its page until
`build.py ids` writes it in); the units of a list or a table take theirs from
it: `ra-7.2` is the second item of list `ra-7`, `ra-8.r2c1` the first cell of
the table's second row. An English block records, on its id line, the
fingerprint of each Chinese unit it translates: `{#ra-7 source="a1…,b2…"}`.
"""

from __future__ import annotations

import hashlib
import marshal
import re
import sys
import unicodedata
import zlib
from collections import OrderedDict
from collections.abc import Iterable, Iterator
from dataclasses import field, replace
from itertools import accumulate
from typing import Any

from markdown_it import MarkdownIt
from markdown_it.token import Token

from bireview.build.workers import sent_as_arguments
from bireview.model.attributes import attribute_problems
from bireview.model.markdown import draft
from bireview.model.sources import Source
from bireview.problems import Problem
from bireview.records import record

ID_LINE = re.compile(r"^\{#(?P<id>[A-Za-z][\w\-]*)(?P<rest>[^}]*)\}\s*$")
SUPERSCRIPT_DIGITS = str.maketrans("0123456789+-", "⁰¹²³⁴⁵⁶⁷⁸⁹⁺⁻")


NOTE, RAISED = 1, 2  # flags of a piece of text: inside a translator's note, superscript
BREAK = "\x00"  # between two pieces of text: markdown-it turns every NUL of a text into U+FFFD


@sent_as_arguments
@record
class Words:
    """What a unit says, read from its tokens once when the page is parsed: checks, citation
    numbering, search and page heads read these, so that a page loaded without its tokens (see
    `make_page`) never needs parsing again outside the process that renders it.

    The text pieces a reader sees (no citation labels) are kept as one string, BREAK between them:
    a light page travels between processes and stays in memory, and one string is the lightest."""

    flow: str
    flags: tuple[int, ...] = ()  # each piece's NOTE and RAISED flags; () when no piece has any
    cites: tuple[tuple[str, bool], ...] = ()  # (key, inside a translator's note), in order

    @property
    def joined(self) -> str:
        """The pieces joined with nothing: 10^6^ -> "106"."""
        return self.flow.replace(BREAK, "")

    @property
    def plain(self) -> str:
        """The pieces joined by spaces: 10^6^ -> "10 6"."""
        return self.flow.replace(BREAK, " ")

    @property
    def prose(self) -> str:
        """Joined, without the translator's notes."""
        if not any(flags & NOTE for flags in self.flags):
            return self.joined
        return "".join(text for text, flags in zip(self.flow.split(BREAK), self.flags, strict=True) if not flags & NOTE)

    @property
    def search(self) -> str:
        """Joined, superscript digits as Unicode superscripts: 10^6^ -> "10⁶"."""
        if not any(flags & RAISED for flags in self.flags):
            return self.joined
        return "".join(
            text.translate(SUPERSCRIPT_DIGITS) if flags & RAISED else text
            for text, flags in zip(self.flow.split(BREAK), self.flags, strict=True)
        )


@sent_as_arguments
@record
class Unit:
    id: str
    kind: str  # "title", "paragraph", "heading", "list_item", "table_cell", …
    line: int  # 1-based line of the unit's text in its file
    id_line: int  # 1-based line of its block's `{#id …}` line; 0 when the id is derived
    written: str  # its Markdown, where it is not a slice of its file's body (a title, a table cell); see text
    tokens: tuple[Token, ...] = field(compare=False, repr=False)
    words: Words = field(default=Words(""), compare=False, repr=False)
    recorded: str = ""  # English only: fingerprint of the Chinese it was translated from
    block: str = ""  # the id of the block it belongs to (its own id for a paragraph or heading)
    position: int = 0  # its place among its block's units, for the block's `source=` list
    source: Source | None = None  # the file whose body[start:end] it is, if it is a slice of one
    start: int = 0
    end: int = 0

    @property
    def text(self) -> str:
        """The unit's Markdown, as written. Most units are a slice of their file's body, which the
        page keeps anyway: 168,000 units at 2,000 pages per language would otherwise hold a second
        copy of every page's text (31 MiB)."""
        return self.source.body[self.start : self.end] if self.source is not None else self.written

    @property
    def fingerprint(self) -> str:
        return fingerprint(self.text)

    @property
    def cites(self) -> tuple[tuple[str, bool], ...]:
        return self.words.cites


@sent_as_arguments
@record
class Block:
    """A top-level block of a page: what is rendered, and what `scaffold` copies."""

    id: str
    kind: str  # "paragraph", "heading", "bullet_list", "ordered_list", "table", …
    line: int  # 1-based first line of its Markdown
    end: int  # 1-based line just after it
    id_line: int  # 1-based line of its `{#id …}` line; 0 when the id is derived
    tokens: tuple[Token, ...] = field(compare=False, repr=False)  # () in a light page
    units: tuple[str, ...] = ()  # the ids of its units, in order
    html: str = field(default="", compare=False, repr=False)  # its draft (markdown.py), finished by render.py
    packed: bytes = field(default=b"", compare=False, repr=False)  # a light page's: its page's drafts, see `draft_of`
    position: int = 0  # its place among its page's blocks
    cites: tuple[tuple[str, bool], ...] = ()  # its units' citations, see Words


@sent_as_arguments
@record
class Page:
    lang: str
    slug: str
    source: Source
    title: str
    units: tuple[Unit, ...]  # the title first, then every unit of every block
    blocks: tuple[Block, ...] = ()
    cites: tuple[tuple[str, str], ...] = ()  # (unit id, key) of every citation, notes too, in reading order

    @property
    def meta(self) -> dict[str, Any]:
        return self.source.meta

    @property
    def rel(self) -> str:
        return self.source.rel

    @property
    def order(self) -> int:
        return self.source.order

    def unit(self, unit_id: str) -> Unit | None:
        return next((u for u in self.units if u.id == unit_id), None)

    def block(self, block_id: str) -> Block | None:
        return next((b for b in self.blocks if b.id == block_id), None)


def fingerprint(text: str) -> str:
    """A short digest of a unit's text that ignores layout: width forms and white space. The white
    space is what `str.split` splits at, the very characters `\\s` matches (a test compares them),
    in a third of the time: the build fingerprints every Chinese unit that has a translation."""
    normal = "".join(unicodedata.normalize("NFKC", text).split())
    return hashlib.sha256(normal.encode("utf-8")).hexdigest()[:10]


def make_page(source: Source, md: MarkdownIt, problems: list[Problem], light: bool = False) -> Page:
    """A content file's page. A `light` page has no Markdown tokens, which are most of a page's
    weight: what a worker that parsed it sends back. Its blocks are rendered from their drafts,
    kept packed: one compressed string for the page (a quarter of the drafts' weight, which is a
    sixth of a light page's), unpacked where the page is rendered (`draft_of`)."""
    tokens = md.parse(source.body)
    problems += nesting_problems(tokens, source, md.options["maxNesting"])
    problems += attribute_problems(tokens, source.rel, source.body_line)
    lines = source.body.split("\n")
    offsets = list(accumulate((len(line) + 1 for line in lines), initial=0))  # where each line starts
    title = str(source.meta.get("title", ""))
    title_unit = Unit(
        id=f"{source.slug}-title",
        kind="title",
        line=source.key_lines.get("title", 2),
        id_line=0,
        written=title,
        tokens=(),
        words=Words(title.replace(BREAK, "\ufffd")),
        recorded=str(source.meta.get("title_source", "")),
    )
    pieces = split_blocks(tokens)
    taken = {str(b[0].attrs["id"]) for b in pieces if "id" in b[0].attrs}
    next_number = iter(n for n in range(1, 10**6) if f"{source.slug}-{n}" not in taken)
    units = [title_unit]
    blocks = []
    seen: dict[str, int] = {}
    for piece in pieces:
        block, block_units = make_block(piece, lines, offsets, source, next_number, md, light)
        if block.id in seen:
            problems.append(
                Problem(
                    source.rel,
                    block.id_line or block.line,
                    "unit/duplicate-id",
                    f"duplicate unit id '{block.id}', first used on line {seen[block.id]}",
                    "give each block its own {#id}",
                )
            )
        seen.setdefault(block.id, block.id_line or block.line)
        blocks.append(block)
        units += block_units
    if light:
        packed = zlib.compress(marshal.dumps(tuple(block.html for block in blocks)), 1)
        blocks = [replace(block, html="", packed=packed, position=position) for position, block in enumerate(blocks)]
    return Page(
        lang=source.lang,
        slug=source.slug,
        source=source,
        title=title,
        units=tuple(units),
        blocks=tuple(blocks),
        cites=tuple((unit.id, key) for unit in units for key, _ in unit.cites),
    )


def nesting_problems(tokens: list[Token], source: Source, limit: int) -> list[Problem]:
    """markdown-it stops reading a document at its nesting limit and drops the rest without a word."""
    deepest = next((i for i, token in enumerate(tokens) if token.level >= limit - 1), None)
    if deepest is None:
        return []
    line = next((t.map[0] for t in reversed(tokens[: deepest + 1]) if t.map), 0)
    return [
        Problem(
            source.rel,
            source.body_line + line,
            "markdown/nesting",
            f"the text nests deeper than {limit} levels (quotes or lists inside each other), which cannot be shown",
            "flatten the quotes or lists",
        )
    ]


def split_blocks(tokens: list[Token]) -> list[list[Token]]:
    """Top-level blocks: from each level-0 opening token to its closing token."""
    blocks: list[list[Token]] = []
    current: list[Token] = []
    for token in tokens:
        current.append(token)
        if token.level == 0 and token.nesting <= 0:
            blocks.append(current)
            current = []
    return blocks


def make_block(
    tokens: list[Token],
    lines: list[str],
    offsets: list[int],
    source: Source,
    next_number: Any,
    md: MarkdownIt,
    light: bool,
) -> tuple[Block, list[Unit]]:
    opening = tokens[0]
    start, end = opening.map or (0, 0)
    id_line, recorded = 0, [""]
    if start > 0 and (match := ID_LINE.match(lines[start - 1])):
        id_line = source.body_line + start - 1
        rest = match.group("rest")
        found = re.search(r'source="?([0-9a-f,\-]+)"?', rest)
        recorded = [("" if value == "-" else value) for value in found.group(1).split(",")] if found else [""]
    block_id = str(opening.attrs.get("id") or f"{source.slug}-{next(next_number)}")
    opening.attrs = {"id": block_id}  # the recorded fingerprints are bookkeeping, never HTML
    kind = sys.intern(opening.type.removesuffix("_open"))  # one string for every block of a kind
    parts = [(block_id, kind, tokens, start, end)] if kind not in CONTAINERS else CONTAINERS[kind](block_id, tokens)
    units = []
    for position, (unit_id, unit_kind, unit_tokens, unit_start, unit_end) in enumerate(parts):
        words = words_of(unit_tokens)
        if unit_kind == "table_cell":  # its text as markdown-it read it (an escaped | unescaped)
            written, sliced, start_at, end_at = unit_tokens[1].content, None, 0, 0
            if words.flow == written:  # plain text: one string for both
                words = replace(words, flow=written)
        else:
            written, sliced = "", source
            lines_text = source.body[offsets[unit_start] : max(offsets[unit_start], offsets[unit_end] - 1)]
            start_at = offsets[unit_start] + len(lines_text) - len(lines_text.lstrip())
            end_at = start_at + len(lines_text.strip())
        units.append(
            Unit(
                id=unit_id,
                kind=unit_kind,
                line=source.body_line + unit_start,
                id_line=id_line,
                written=written,
                tokens=() if light else tuple(unit_tokens),
                words=words,
                recorded=recorded[position] if position < len(recorded) else "",
                block=block_id,
                position=position,
                source=sliced,
                start=start_at,
                end=end_at,
            )
        )
    block = Block(
        id=block_id,
        kind=kind,
        line=source.body_line + start,
        end=source.body_line + end,
        id_line=id_line,
        tokens=() if light else tuple(tokens),
        units=tuple(unit.id for unit in units),
        html=draft(md, tokens),
        cites=tuple(cite for unit in units for cite in unit.cites),
    )
    return block, units


def list_items(block_id: str, tokens: list[Token]) -> list[tuple[str, str, list[Token], int, int]]:
    """The items of a list, each a unit `<list>.<n>` that carries its id as its anchor."""
    items: list[tuple[str, str, list[Token], int, int]] = []
    current: list[Token] = []
    for token in tokens[1:-1]:
        current.append(token)
        if token.type == "list_item_close" and token.level == 1:
            opening = current[0]
            unit_id = f"{block_id}.{len(items) + 1}"
            opening.attrs = {"id": unit_id}
            start, end = opening.map or (0, 0)
            items.append((unit_id, "list_item", current, start, end))
            current = []
    return items


def table_cells(block_id: str, tokens: list[Token]) -> list[tuple[str, str, list[Token], int, int]]:
    """The cells of a table, each a unit `<table>.r<row>c<column>` (the header is row 1)."""
    cells, row, column, row_start = [], 0, 0, 0
    for index, token in enumerate(tokens):
        if token.type == "tr_open":
            row, column = row + 1, 0
            row_start = (token.map or (0, 0))[0]
        elif token.type in ("th_open", "td_open"):
            column += 1
            unit_id = f"{block_id}.r{row}c{column}"
            token.attrs = {**{k: v for k, v in token.attrs.items() if k == "style"}, "id": unit_id}
            cells.append((unit_id, "table_cell", tokens[index : index + 3], row_start, row_start + 1))
    return cells


CONTAINERS = {"bullet_list": list_items, "ordered_list": list_items, "table": table_cells}


def inline_children(tokens: Iterable[Token]) -> Iterator[tuple[Token, bool]]:
    """Every inline token, with whether it stands inside a translator's note."""
    for token in tokens:
        depth = 0
        for child in token.children or ():
            if child.type == "span_open" and "translator-note" in str(child.attrs.get("class", "")):
                depth += 1
            elif child.type == "span_close" and depth:
                depth -= 1
            else:
                yield child, depth > 0


# One (key, in a note) pair per process, shared by every citation of it: a light page carries its
# citations to the main process, which holds them all (22 MiB at 2,000 pages per language, unshared).
CITES: dict[tuple[str, bool], tuple[str, bool]] = {}


def words_of(tokens: Iterable[Token]) -> Words:
    texts: list[str] = []
    flags: list[int] = []
    cites: list[tuple[str, bool]] = []
    raised = 0
    for child, in_note in inline_children(tokens):
        if child.type in ("text", "code_inline"):
            texts.append(child.content)
            flags.append((NOTE if in_note else 0) | (RAISED if raised else 0))
        elif child.type == "citation":
            cites += [CITES.setdefault((key, in_note), (key, in_note)) for key in child.meta["keys"]]
        elif child.type in ("sup_open", "sup_close"):
            raised += 1 if child.type == "sup_open" else -1
    return Words(BREAK.join(texts), tuple(flags) if any(flags) else (), tuple(cites))


def plain_text(unit: Unit, *, notes: bool = True, separator: str = " ") -> str:
    """The words a reader sees, without citation labels; by default pieces joined by spaces (10^6^ -> '10 6')."""
    if separator == " " and notes:
        return unit.words.plain
    if separator == "":
        return unit.words.joined if notes else unit.words.prose
    raise ValueError(f"no plain text with separator {separator!r} and notes={notes}")


UNPACKED: OrderedDict[int, tuple[bytes, tuple[str, ...]]] = OrderedDict()
UNPACKED_PAGES = 8  # a rendering process draws the two editions of one or two pages at a time


def draft_of(block: Block) -> str:
    """A block's draft; a light page's unpacked (the last few pages' are kept)."""
    if not block.packed:
        return block.html
    entry = UNPACKED.get(id(block.packed))
    if entry is None or entry[0] is not block.packed:
        entry = UNPACKED[id(block.packed)] = (block.packed, marshal.loads(zlib.decompress(block.packed)))
        while len(UNPACKED) > UNPACKED_PAGES:
            UNPACKED.popitem(last=False)
    UNPACKED.move_to_end(id(block.packed))
    return entry[1][block.position]
