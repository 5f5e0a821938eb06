"""Source records -> Page records made of translation units (one per Markdown block).

A unit is the block a translator works on: a heading, a paragraph, a list or a
table. Every unit has an id, written once in the Chinese source as `{#ra-3}`;
a block without one gets the next free number of its page until an author
writes it in.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass, field
from typing import Any, Iterator

from markdown_it import MarkdownIt
from markdown_it.token import Token

from .content import Source
from .problems import Problem

ID_LINE = re.compile(r"^\{#(?P<id>[A-Za-z][\w\-]*)(?P<rest>[^}]*)\}\s*$")
WHITESPACE = re.compile(r"\s+")


@dataclass(frozen=True, slots=True)
class Unit:
    id: str
    kind: str  # "title", "paragraph", "heading", "bullet_list", "table", …
    line: int  # 1-based line of the block's text in its file
    id_line: int  # 1-based line of its `{#id …}` line; 0 when the id is derived
    text: str  # the block's Markdown, as written
    tokens: tuple[Token, ...] = field(compare=False, repr=False)
    recorded: str = ""  # English only: fingerprint of the Chinese it was translated from
    todo: bool = False  # English only: scaffolded, not yet translated

    @property
    def fingerprint(self) -> str:
        return fingerprint(self.text)


@dataclass(frozen=True, slots=True)
class Page:
    lang: str
    slug: str
    source: Source
    title: str
    units: tuple[Unit, ...]

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


def fingerprint(text: str) -> str:
    """A short digest of a unit's text that ignores layout: width forms and white space."""
    normal = WHITESPACE.sub("", unicodedata.normalize("NFKC", text))
    return hashlib.sha256(normal.encode("utf-8")).hexdigest()[:10]


def make_page(source: Source, md: MarkdownIt, problems: list[Problem]) -> Page:
    tokens = md.parse(source.body)
    lines = source.body.split("\n")
    title = str(source.meta.get("title", ""))
    title_unit = Unit(id=f"{source.slug}-title", kind="title", line=source.key_lines.get("title", 2),
                      id_line=0, text=title, tokens=(), recorded=str(source.meta.get("title_source", "")))
    blocks = list(split_blocks(tokens))
    taken = {str(b[0].attrs["id"]) for b in blocks if "id" in b[0].attrs}
    next_number = iter(n for n in range(1, 10**6) if f"{source.slug}-{n}" not in taken)
    units = [title_unit]
    seen: dict[str, int] = {}
    for block in blocks:
        unit = make_unit(block, lines, source, next_number)
        if unit.id in seen:
            problems.append(Problem(source.rel, unit.id_line or unit.line, "unit/duplicate-id",
                                    f"duplicate unit id '{unit.id}', first used on line {seen[unit.id]}",
                                    "give each block its own {#id}"))
        seen.setdefault(unit.id, unit.id_line or unit.line)
        units.append(unit)
    return Page(lang=source.lang, slug=source.slug, source=source, title=title, units=tuple(units))


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


def make_unit(block: list[Token], lines: list[str], source: Source, next_number: Any) -> Unit:
    opening = block[0]
    start, end = opening.map or (0, 0)
    id_line = 0
    recorded = ""
    todo = False
    if start > 0 and (match := ID_LINE.match(lines[start - 1])):
        id_line = source.body_line + start - 1
        rest = match.group("rest")
        recorded = (re.search(r"source=([0-9a-f]+)", rest) or [None, ""])[1] or ""
        todo = ".todo" in rest.split()
    unit_id = str(opening.attrs.get("id") or f"{source.slug}-{next(next_number)}")
    opening.attrs = {"id": unit_id}  # the recorded fingerprint is bookkeeping, never HTML
    return Unit(id=unit_id, kind=opening.type.removesuffix("_open"), line=source.body_line + start,
                id_line=id_line, text="\n".join(lines[start:end]).strip(), tokens=tuple(block),
                recorded=recorded, todo=todo)


def inline_children(unit: Unit) -> Iterator[tuple[Token, bool]]:
    """Every inline token of a unit, with whether it stands inside a translator's note."""
    for token in unit.tokens:
        depth = 0
        for child in token.children or ():
            if child.type == "span_open" and "translator-note" in str(child.attrs.get("class", "")):
                depth += 1
            elif child.type == "span_close" and depth:
                depth -= 1
            else:
                yield child, depth > 0


def plain_text(unit: Unit, *, notes: bool = True, separator: str = " ") -> str:
    """The words a reader sees, without citation labels; by default pieces joined by spaces (10^6^ -> '10 6')."""
    if not unit.tokens:
        return unit.text
    return separator.join(child.content for child, in_note in inline_children(unit)
                          if child.type in ("text", "code_inline") and (notes or not in_note))
