"""A unit's inline Markdown split into text and the codes a translator must not break.

A CAT tool shows protected codes as tags the translator moves but cannot edit:
citations `[@key]`, superscripts `^6^` and inline code are atoms (one placeholder each);
emphasis, strong emphasis, spans `[…]{.class}` and links wrap translatable text and are
pairs (an opening and a closing placeholder). Each code is named after its kind and its
place in the unit (`cite1`, `sup2`, `em1`), and the name leads back to the exact Markdown
it stands for, so joining the pieces again gives the text byte for byte.
"""

from __future__ import annotations

import re
from collections import Counter

from bireview.model.markdown import CITATION
from bireview.records import record

SUPERSCRIPT = re.compile(r"\^(?:\\.|[^\^\s\\])+\^")
CODE_SPAN = re.compile(r"(`+)(?:(?!\1).)+?\1", re.DOTALL)
ATTRIBUTES = re.compile(r"\{[^{}\n]*\}")
LINK_TARGET = re.compile(r"\([^()\s]*\)")
STRONG = re.compile(r"\*\*(?=\S)(?:\\.|[^*\\])+?(?<=\S)\*\*")
EMPHASIS = re.compile(r"\*(?=[^\s*])(?:\\.|[^*\\])+?(?<=[^\s*])\*")
NAME = re.compile(r"^(?P<kind>[a-z]+)(?P<number>\d+)$")
# How XLIFF 1.2 calls each kind (`ctype`): its own values where there is one, `x-` otherwise.
CTYPES = {
    "cite": "x-citation",
    "sup": "x-superscript",
    "code": "x-code",
    "em": "italic",
    "strong": "bold",
    "span": "x-span",
    "note": "x-translator-note",
    "link": "link",
}


@record
class Piece:
    """Text, or one protected code: an atom, or the opening or closing half of a pair."""

    role: str  # "text", "atom", "open" or "close" ("mark": a PO `{name}`, atom or opening by the source)
    markdown: str  # exactly what it stands for in the unit's Markdown
    kind: str = ""  # "cite", "sup", "code", "em", "strong", "span", "note", "link"
    name: str = ""  # its placeholder name in the unit, e.g. "cite1"; "" for text

    @property
    def ctype(self) -> str:
        return CTYPES[self.kind]


def split_markup(text: str) -> tuple[Piece, ...]:
    """The pieces of a unit's Markdown, with every code named; joining them gives `text` again."""
    counter: Counter[str] = Counter()
    pieces: list[Piece] = []
    for piece in scan(text):
        if piece.role in ("atom", "open"):
            counter[piece.kind] += 1
            name = f"{piece.kind}{counter[piece.kind]}"
            pieces.append(Piece(piece.role, piece.markdown, piece.kind, name))
        elif piece.role == "close":
            pieces.append(Piece("close", piece.markdown, piece.kind, ""))
        else:
            pieces.append(piece)
    return tuple(pair_closings(pieces))


def pair_closings(pieces: list[Piece]) -> list[Piece]:
    """Give each closing piece the name of its opening piece."""
    stack: list[str] = []
    named = []
    for piece in pieces:
        if piece.role == "open":
            stack.append(piece.name)
        elif piece.role == "close":
            piece = Piece("close", piece.markdown, piece.kind, stack.pop())
        named.append(piece)
    return named


def join(pieces: tuple[Piece, ...] | list[Piece]) -> str:
    return "".join(piece.markdown for piece in pieces)


def scan(text: str) -> list[Piece]:
    """Unnamed pieces, left to right; nested pairs are scanned inside."""
    pieces: list[Piece] = []
    plain: list[str] = []
    position = 0
    while position < len(text):
        found = code_at(text, position)
        if found is None:
            step = 2 if text[position] == "\\" else 1  # a backslash escape is text, never a code
            plain.append(text[position : position + step])
            position += step
            continue
        if plain:
            pieces.append(Piece("text", "".join(plain)))
            plain = []
        code, position = found
        pieces += code
    if plain:
        pieces.append(Piece("text", "".join(plain)))
    return pieces


def code_at(text: str, position: int) -> tuple[list[Piece], int] | None:
    """The code starting at `position`, as pieces, and where it ends; None when it is text."""
    for kind, pattern in (("cite", CITATION), ("code", CODE_SPAN), ("sup", SUPERSCRIPT)):
        if match := pattern.match(text, position):
            return [Piece("atom", match.group(), kind)], match.end()
    if text[position] == "[":
        return bracketed(text, position)
    for kind, pattern, width in (("strong", STRONG, 2), ("em", EMPHASIS, 1)):
        if match := pattern.match(text, position):
            inner = match.group()[width:-width]
            return wrap(
                kind, text[position : position + width], inner, text[match.end() - width : match.end()]
            ), match.end()
    return None


def bracketed(text: str, position: int) -> tuple[list[Piece], int] | None:
    """`[inner]{attributes}` (a span; a translator's note by its class) or `[inner](target)` (a link)."""
    close = matching_bracket(text, position)
    if close is None:
        return None
    inner = text[position + 1 : close]
    if match := ATTRIBUTES.match(text, close + 1):
        kind = "note" if "translator-note" in match.group() else "span"
        return wrap(kind, "[", inner, "]" + match.group()), match.end()
    if match := LINK_TARGET.match(text, close + 1):
        return wrap("link", "[", inner, "]" + match.group()), match.end()
    return None


def matching_bracket(text: str, position: int) -> int | None:
    depth, index = 0, position
    while index < len(text):
        character = text[index]
        if character == "\\":
            index += 2
            continue
        if character == "[":
            depth += 1
        elif character == "]":
            depth -= 1
            if depth == 0:
                return index
        index += 1
    return None


def wrap(kind: str, opening: str, inner: str, closing: str) -> list[Piece]:
    return [Piece("open", opening, kind), *scan(inner), Piece("close", closing, kind)]


def codes(pieces: tuple[Piece, ...]) -> dict[str, tuple[Piece, Piece | None]]:
    """Each placeholder name of a unit: its atom, or its opening and closing piece."""
    found: dict[str, tuple[Piece, Piece | None]] = {}
    for piece in pieces:
        if piece.role in ("atom", "open"):
            found[piece.name] = (piece, None)
        elif piece.role == "close":
            found[piece.name] = (found[piece.name][0], piece)
    return found


def rename_like(target: tuple[Piece, ...], source: tuple[Piece, ...]) -> tuple[Piece, ...]:
    """The translation's pieces, its codes named after the source's same codes.

    A code the source lacks (a translator's note, a citation the English adds) has no
    placeholder to stand for: it stays in the text as the Markdown it is.
    """
    available: dict[tuple[str, str, str], list[str]] = {}
    closings = {piece.name: piece.markdown for piece in source if piece.role == "close"}
    for piece in source:
        if piece.role in ("atom", "open"):
            key = (piece.kind, piece.markdown, closings.get(piece.name, ""))
            available.setdefault(key, []).append(piece.name)
    target_closings = {piece.name: piece.markdown for piece in target if piece.role == "close"}
    names: dict[str, str] = {}
    for piece in target:
        if piece.role in ("atom", "open"):
            free = available.get((piece.kind, piece.markdown, target_closings.get(piece.name, "")), [])
            if free:
                names[piece.name] = free.pop(0)
    renamed = []
    for piece in target:
        if piece.role == "text" or piece.name not in names:
            renamed.append(Piece("text", piece.markdown))
        else:
            renamed.append(Piece(piece.role, piece.markdown, piece.kind, names[piece.name]))
    return tuple(merge_text(renamed))


def merge_text(pieces: list[Piece]) -> list[Piece]:
    merged: list[Piece] = []
    for piece in pieces:
        if piece.role == "text" and merged and merged[-1].role == "text":
            merged[-1] = Piece("text", merged[-1].markdown + piece.markdown)
        elif piece.role != "text" or piece.markdown:
            merged.append(piece)
    return merged


HEADING_MARK = re.compile(r"^ {0,3}#{1,6}(?:[ \t]+|$)")
ITEM_MARK = re.compile(r"^ {0,3}(?:[-*+]|\d{1,9}[.)])(?:[ \t]+|$)")


def segment_text(kind: str, text: str) -> str:
    """What a translator translates of a unit: its inline Markdown, without the heading's `##`
    or the list item's `-` (those belong to the block, and the import writes them back)."""
    if kind == "heading" and (match := HEADING_MARK.match(text)):
        return text[match.end() :]
    if kind == "list_item" and (match := ITEM_MARK.match(text)):
        first, *rest = text[match.end() :].split("\n")
        return "\n".join([first, *(line.strip() for line in rest)])
    return text
