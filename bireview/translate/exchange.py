"""Translation exchange files: one XLIFF 1.2 or gettext PO file per page, written and read back.

XLIFF is written and read with lxml (it keeps each element's source line, for
`file:line` problems); PO with Babel, the project's i18n library, which writes `#|`
previous msgids and reads back each message's line. Both formats carry the same
records. A unit's key is its id, `ra-2`: the trans-unit `id` and the PO `msgctxt`, the one
part of an entry that every CAT tool keeps, and stable when the Chinese changes (so msgmerge and
a translation memory keep the English). Beside it travel the fingerprint of the Chinese
(`x-chinese-fingerprint` context, `#. Chinese fingerprint:` comment) and the Chinese itself
(the source, the msgid): the import refuses a unit whose Chinese changed since. A converter's
file that lost the keys (xliff2po, po2xliff) is matched by its Chinese. Inline Markdown travels as
placeholders (see placeholders.py):

- XLIFF: an atom is `<ph id="cite1" ctype="x-citation">[@key]</ph>`, a pair is
  `<g id="em1" ctype="italic">…</g>`; a tool may also return `<x/>` or `<bx/>`/`<ex/>`.
- PO (flag `python-brace-format`): an atom is `{cite1}`, a pair `{em1}…{em1_end}`, a
  literal brace is doubled (`{{`); a `#.` comment lists what each placeholder stands for.

Markup that the source lacks (a translator's note, written in the English only) stays in
the target as plain Markdown, and travels again as a note.
"""

from __future__ import annotations

import io
import re
import textwrap
from pathlib import Path

from babel.messages.catalog import Catalog, Message
from babel.messages.pofile import PoFileError, normalize, read_po, write_po
from lxml import etree

from bireview.build.links import page_path
from bireview.config import HTML_LANG, SOURCE_LANG
from bireview.model.alignment import PageAlignment, Status, untranslated
from bireview.model.glossary import Term
from bireview.model.inputs import po_syntax_problems, read_text
from bireview.model.pages import Unit, plain_text
from bireview.model.review import Review
from bireview.problems import Problem, relative
from bireview.records import record
from bireview.translate.history import Change, ChineseHistory
from bireview.translate.placeholders import Piece, codes, rename_like, segment_text, split_markup

XLIFF_NS = "urn:oasis:names:tc:xliff:document:1.2"
XLIFF_1_1 = "urn:oasis:names:tc:xliff:document:1.1"
XML_NS = "http://www.w3.org/XML/1998/namespace"
X = f"{{{XLIFF_NS}}}"
FORMATS = {"xliff": ".xlf", "po": ".po", "tmx": ".tmx", "tbx": ".tbx"}
# Our status -> XLIFF 1.2 target state.
STATES = {"translated": "translated", "stale": "needs-review-translation", "draft": "needs-review-translation"}
DRAFT_STATES = (
    "new",
    "needs-translation",
    "needs-l10n",
    "needs-adaptation",
    "needs-review-translation",
    "needs-review-l10n",
    "needs-review-adaptation",
)
FINGERPRINT_CONTEXT = "x-chinese-fingerprint"
FINGERPRINT_NOTE = "Chinese fingerprint: "  # the PO form, an extracted comment
PO_PLACEHOLDER = re.compile(r"\{\{|\}\}|\{(?P<name>[a-z]+\d+)(?P<end>_end)?\}")
PO_HEADER = (
    'msgid ""\nmsgstr ""\n'
    '"Project-Id-Version: bireview {slug}\\n"\n'
    '"PO-Revision-Date: {revised}\\n"\n'
    '"Last-Translator: see the git history of {english}\\n"\n'
    '"Language-Team: English edition of the review\\n"\n'
    '"Language: en\\n"\n'
    '"MIME-Version: 1.0\\n"\n'
    '"Content-Type: text/plain; charset=UTF-8\\n"\n'
    '"Content-Transfer-Encoding: 8bit\\n"\n'
    '"Plural-Forms: nplurals=2; plural=(n != 1);\\n"\n'
    '"X-Source-Language: zh_Hans\\n"\n'
    '"X-Source-File: {rel}\\n"\n\n'
)


@record
class ExportUnit:
    """One unit as a translator gets it."""

    id: str
    fingerprint: str  # of the Chinese now: the import refuses the unit if that changed
    recorded: str  # the fingerprint the current English was translated from; "" if none
    state: str  # "translated", "stale", "draft" (English without a fingerprint) or "new"
    source: tuple[Piece, ...]
    target: tuple[Piece, ...] | None  # the current English, None where there is none
    previous: tuple[Piece, ...] | None  # the Chinese the English was made from, where known
    line: int  # of the Chinese unit in its file
    notes: tuple[str, ...]

    @property
    def key(self) -> str:
        """Stable across changes of the Chinese, so that msgmerge and a CAT tool's memory keep the
        translation; the fingerprint travels beside it and the source text is compared on import."""
        return self.id


@record
class ExportPage:
    slug: str
    rel: str  # the Chinese file
    english: str  # the English file, as it is or would be
    revised: str  # when the English file last changed in git, as PO's `PO-Revision-Date` writes it
    units: tuple[ExportUnit, ...]


@record
class ImportedUnit:
    """A translated unit read back from an exchange file; its codes still only named."""

    id: str  # "" where a converter dropped it (xliff2po): the unit is then found by its source text
    fingerprint: str  # of the Chinese it was exported with; "" where the file does not carry it
    source: str  # that Chinese, as PO writes it (placeholders `{cite1}`); "" where unknown
    page: str  # the Chinese file it belongs to, as exported ("" where the file does not say)
    path: str  # the exchange file, for problems
    line: int
    target: tuple[Piece, ...]  # placeholders carry a name, their Markdown is the source's
    approved: bool  # False: the translator left it marked for review (fuzzy, needs-review)


# -- what goes out ---------------------------------------------------------------------------------
def export_page(review: Review, alignment: PageAlignment, history: ChineseHistory) -> ExportPage:
    zh = alignment.zh
    numbers = {unit.id: number for number, unit in enumerate((u for u in zh.units if u.kind != "title"), start=1)}
    units = []
    for pair in alignment.pairs:
        source = split_markup(segment_text(pair.zh.kind, pair.zh.text))
        if not "".join(piece.markdown for piece in source).strip():
            continue  # an empty table cell: nothing to translate
        english = pair.en if pair.en is not None and not untranslated(pair.zh, pair.en) else None
        target = rename_like(split_markup(segment_text(english.kind, english.text)), source) if english else None
        state = "new" if target is None else "draft" if pair.status is Status.MISSING else pair.status.value
        change = history.change(zh.source.path, pair) if pair.status is Status.STALE else None
        previous = (
            split_markup(segment_text(pair.zh.kind, change.earlier))
            if change is not None and change.earlier is not None
            else None
        )
        where = "the title" if pair.zh.kind == "title" else f"{pair.zh.kind.replace('_', ' ')} {numbers[pair.zh.id]}"
        notes = (
            f"{zh.title} ({zh.slug}), {where}: {zh.rel}:{pair.zh.line}",
            f"On the site: {page_path(SOURCE_LANG, zh.slug)}#{pair.zh.id} and {page_path('en', zh.slug)}#{pair.zh.id}",
            STATE_NOTES[state]
            + (f" (translated from Chinese {pair.en.recorded})" if pair.en and pair.en.recorded else ""),
            *change_notes(change),
            *placeholder_notes(source),
            *glossary_notes(pair.zh, review.terms),
            *translator_notes(english.text if english else ""),
        )
        units.append(
            ExportUnit(
                id=pair.zh.id,
                fingerprint=pair.zh.fingerprint,
                recorded=pair.en.recorded if pair.en else "",
                state=state,
                source=source,
                target=target,
                previous=previous,
                line=pair.zh.line,
                notes=notes,
            )
        )
    english_file = alignment.en.rel if alignment.en is not None else f"content/en/{alignment.zh.source.path.name}"
    return ExportPage(
        slug=zh.slug,
        rel=zh.rel,
        english=english_file,
        revised=revision_date(history, english_file),
        units=tuple(units),
    )


def revision_date(history: ChineseHistory, english: str) -> str:
    """The last commit of the English file (of the project where it has none yet): the same input gives
    the same file, and gettext's `msgfmt -c` finds a real date, not the template's placeholder."""
    for path in (english, "."):
        date = history.git("log", "-1", "--format=%cd", "--date=format:%Y-%m-%d %H:%M%z", "--", path).strip()
        if date:
            return date
    return "1970-01-01 00:00+0000"  # no git: a fixed date all the same


STATE_NOTES = {
    "translated": "State: translated.",
    "stale": "State: needs review — the Chinese changed after the English was made.",
    "draft": "State: needs review — the English was never recorded as a translation of this Chinese.",
    "new": "State: new — not translated yet.",
}


def change_notes(change: Change | None) -> list[str]:
    if change is None:
        return []
    if not change.known:
        return ["What changed in the Chinese: unknown — the earlier Chinese text is not in the git history."]
    return [f"What changed in the Chinese ([-removed-] {{+added+}}): {change.as_text()}"]


def placeholder_notes(source: tuple[Piece, ...]) -> list[str]:
    named = codes(source)
    if not named:
        return []
    return [
        "Placeholders: "
        + "; ".join(
            f"{name} = {first.markdown}" + (f"…{last.markdown}" if last else "")
            for name, (first, last) in named.items()
        )
    ]


def glossary_notes(unit: Unit, terms: tuple[Term, ...]) -> list[str]:
    text = plain_text(unit, separator="")
    used = [term for term in terms if term.zh in text]
    if not used:
        return []
    return [
        "Glossary: " + "; ".join(f"{term.zh} = {term.en}" + (f" ({term.abbr})" if term.abbr else "") for term in used)
    ]


def translator_notes(english: str) -> list[str]:
    """The translator's notes of the current English, as notes of their own."""
    notes: list[str] = []
    words: list[str] = []
    depth = 0
    for piece in split_markup(english):
        if piece.role == "open" and piece.kind == "note":
            depth += 1
            words = []
        elif piece.role == "close" and piece.kind == "note":
            depth -= 1
            note = "".join(words).strip()
            notes.append(note if note.startswith("Translator's note") else "Translator's note: " + note)
        elif depth:
            words.append(piece.markdown)
    return notes


# -- XLIFF 1.2 -------------------------------------------------------------------------------------
def xliff_bytes(page: ExportPage, path: str = "FILE") -> bytes:
    root = etree.Element(X + "xliff", nsmap={None: XLIFF_NS}, version="1.2")
    file = etree.SubElement(
        root,
        X + "file",
        original=page.rel,
        datatype="x-markdown",
        attrib={"source-language": HTML_LANG[SOURCE_LANG], "target-language": HTML_LANG["en"]},
    )
    header = etree.SubElement(file, X + "header")
    etree.SubElement(header, X + "note").text = instructions(page, path, "xliff")
    body = etree.SubElement(file, X + "body")
    for unit in page.units:
        body.append(trans_unit(unit, page.rel))
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)


def trans_unit(unit: ExportUnit, rel: str) -> etree._Element:
    element = etree.Element(X + "trans-unit", id=unit.key, resname=unit.id)
    if unit.target is not None:
        element.set("approved", "yes" if unit.state == "translated" else "no")
    element.set(f"{{{XML_NS}}}space", "preserve")
    inline_into(
        etree.SubElement(element, X + "source", attrib={f"{{{XML_NS}}}lang": HTML_LANG[SOURCE_LANG]}), unit.source
    )
    if unit.target is not None:
        inline_into(etree.SubElement(element, X + "target", state=STATES[unit.state]), unit.target)
    group = etree.SubElement(element, X + "context-group", purpose="location")
    etree.SubElement(group, X + "context", attrib={"context-type": "sourcefile"}).text = rel
    etree.SubElement(group, X + "context", attrib={"context-type": "linenumber"}).text = str(unit.line)
    etree.SubElement(group, X + "context", attrib={"context-type": FINGERPRINT_CONTEXT}).text = unit.fingerprint
    for note in unit.notes:
        etree.SubElement(element, X + "note", attrib={"from": "bireview"}).text = note
    if unit.previous is not None and unit.target is not None:
        alternative = etree.SubElement(element, X + "alt-trans", alttranstype="previous-version")
        inline_into(etree.SubElement(alternative, X + "source"), unit.previous)
        inline_into(etree.SubElement(alternative, X + "target"), unit.target)
    return element


def inline_into(parent: etree._Element, pieces: tuple[Piece, ...]) -> None:
    """Text and placeholders as XLIFF inline content: `<ph>` for atoms, `<g>` around pairs."""
    stack = [parent]
    for piece in pieces:
        if piece.role == "text":
            append_text(stack[-1], piece.markdown)
        elif piece.role == "atom":
            ph = etree.SubElement(stack[-1], X + "ph", id=piece.name, ctype=piece.ctype)
            ph.text = piece.markdown
        elif piece.role == "open":
            stack.append(etree.SubElement(stack[-1], X + "g", id=piece.name, ctype=piece.ctype))
        else:
            stack.pop()


def append_text(element: etree._Element, text: str) -> None:
    if len(element):
        element[-1].tail = (element[-1].tail or "") + text
    else:
        element.text = (element.text or "") + text


def read_xliff(path: Path, root: Path) -> tuple[list[ImportedUnit], list[Problem]]:
    rel = relative(path, root)
    try:
        tree = etree.parse(str(path), etree.XMLParser(resolve_entities=False, no_network=True))
    except etree.XMLSyntaxError as error:
        return [], [
            Problem(
                rel,
                error.lineno or 1,
                "import/xml",
                f"not well-formed XML: {error.msg}",
                "repair the file, or export again",
            )
        ]
    document = tree.getroot()
    if document.tag == f"{{{XLIFF_1_1}}}xliff":  # what translate-toolkit's po2xliff writes: read it as 1.2
        for element in document.iter():
            if isinstance(element.tag, str) and element.tag.startswith(f"{{{XLIFF_1_1}}}"):
                element.tag = X + etree.QName(element).localname
    if document.tag != X + "xliff":
        return [], [
            Problem(
                rel,
                document.sourceline or 1,
                "import/xliff",
                f"not an XLIFF 1.2 document (root element {etree.QName(document).text})",
                f"import the .xlf file that `build.py export` wrote (namespace {XLIFF_NS})",
            )
        ]
    units: list[ImportedUnit] = []
    problems: list[Problem] = []
    for file in document.iter(X + "file"):
        for element in file.iter(X + "trans-unit"):
            unit = xliff_unit(element, file.get("original", ""), rel, problems)
            if unit is not None:
                units.append(unit)
    return units, problems


def xliff_unit(element: etree._Element, page: str, rel: str, problems: list[Problem]) -> ImportedUnit | None:
    line = element.sourceline or 1
    if element.get("restype") == "x-gettext-domain-header":
        return None  # a PO header, carried by po2xliff
    name = element.get("resname") or element.get("id") or ""
    # a converter's numbered unit (po2xliff: id="3") is found by its source text on import
    key = split_key(name, rel, line, problems) if not name.isdigit() else ("", "")
    location = element.find(f"{X}context-group/{X}context[@context-type='sourcefile']")
    page = location.text.strip() if location is not None and location.text else page
    target = element.find(X + "target")
    if key is None or target is None:
        return None
    exported = element.find(X + "source")
    source: list[Piece] = []
    if exported is None or not xliff_pieces(exported, source, rel, []):
        source = []
    carried = element.find(f"{X}context-group/{X}context[@context-type='{FINGERPRINT_CONTEXT}']")
    fingerprint = key[1] or ((carried.text or "").strip() if carried is not None else "")
    pieces: list[Piece] = []
    if not xliff_pieces(target, pieces, rel, problems):
        return None
    trimmed = trim(pieces)
    if not trimmed:
        return None  # an empty target is left untranslated, as an empty msgstr is
    state = target.get("state", "")
    # the target's state decides (a tool that marks a unit for review may leave `approved` as it was);
    # without one, `approved="no"` marks a draft
    approved = state not in DRAFT_STATES if state else element.get("approved") != "no"
    exported_text = (
        po_string(tuple(source))
        if any(piece.role != "text" for piece in source)
        else "".join(piece.markdown for piece in source)
    )
    return ImportedUnit(
        id=key[0],
        fingerprint=fingerprint,
        source=exported_text,
        page=page,
        path=rel,
        line=target.sourceline or line,
        target=trimmed,
        approved=approved,
    )


def trim(pieces: list[Piece] | tuple[Piece, ...]) -> tuple[Piece, ...]:
    """A target without white space at its edges, and without the indentation a tool that re-wraps
    the text puts after each line break (Markdown would take it for a code block or a hard break)."""
    texts = [
        Piece("text", re.sub(r"[ \t]*\n[ \t]*", "\n", piece.markdown.replace("\r\n", "\n")))
        if piece.role == "text"
        else piece
        for piece in pieces
    ]
    if texts and texts[0].role == "text":
        texts[0] = Piece("text", texts[0].markdown.lstrip())
    if texts and texts[-1].role == "text":
        texts[-1] = Piece("text", texts[-1].markdown.rstrip())
    return tuple(piece for piece in texts if piece.role != "text" or piece.markdown)


def xliff_pieces(element: etree._Element, pieces: list[Piece], rel: str, problems: list[Problem]) -> bool:
    """The inline content of a target as named pieces; a code whose kind is unknown is a problem."""
    if element.text:
        pieces.append(Piece("text", element.text))
    for child in element:
        if not isinstance(child.tag, str):  # a comment or processing instruction: not the translation
            if child.tail:
                pieces.append(Piece("text", child.tail))
            continue
        tag = etree.QName(child).localname
        name = child.get("id", "")
        if tag in ("ph", "x", "it"):
            pieces.append(Piece("atom", "", "", name))
        elif tag in ("bx", "bpt"):
            pieces.append(Piece("open", "", "", name))
        elif tag in ("ex", "ept"):
            pieces.append(Piece("close", "", "", child.get("rid") or name))
        elif tag in ("g", "mrk"):
            if tag == "g":
                pieces.append(Piece("open", "", "", name))
            if not xliff_pieces(child, pieces, rel, problems):
                return False
            if tag == "g":
                pieces.append(Piece("close", "", "", name))
        else:
            problems.append(
                Problem(
                    rel,
                    child.sourceline or 1,
                    "import/inline",
                    f"unknown element <{tag}> in a target",
                    "keep only the placeholders (<ph>, <g>, <x/>) of the source",
                )
            )
            return False
        if child.tail:
            pieces.append(Piece("text", child.tail))
    return True


def split_key(key: str, rel: str, line: int, problems: list[Problem]) -> tuple[str, str] | None:
    """The unit id of a key, and the fingerprint an earlier export appended to it (`ra-2@7a92e04d49`)."""
    unit_id, at, fingerprint = key.partition("@")
    if not re.fullmatch(r"[A-Za-z][\w\-.]*", unit_id) or (at and not re.fullmatch(r"[0-9a-f]{10}", fingerprint)):
        problems.append(
            Problem(
                rel,
                line,
                "import/key",
                f"'{key}' is not a unit key such as 'ra-2'",
                "keep the trans-unit ids and msgctxt lines as exported, or export again",
            )
        )
        return None
    return unit_id, fingerprint


# -- gettext PO ------------------------------------------------------------------------------------
def po_text(page: ExportPage, path: str = "FILE") -> str:
    catalog = Catalog(locale="en", domain=page.slug, fuzzy=False)
    for unit in page.units:
        message = Message(
            po_string(unit.source),
            po_string(unit.target) if unit.target is not None else "",
            locations=[(page.rel, unit.line)],
            context=unit.key,
            auto_comments=[*note_lines(unit.notes), FINGERPRINT_NOTE + unit.fingerprint],
        )
        # Every message is brace-format (literal braces doubled), whatever Babel guesses from its text.
        message.flags = {"python-brace-format", *(["fuzzy"] if unit.state in ("stale", "draft") else [])}
        catalog[message.id] = message
    buffer = io.BytesIO()
    write_po(buffer, catalog, width=0, omit_header=True)
    text = buffer.getvalue().decode("utf-8")
    for unit in page.units:
        if unit.previous is not None:
            text = text.replace(
                f"\nmsgctxt {normalize(unit.key, width=0)}\n",
                f"\n{previous_lines(po_string(unit.previous))}msgctxt {normalize(unit.key, width=0)}\n",
                1,
            )
    comments = "".join(
        f"# {line}".rstrip() + "\n"
        for paragraph in instructions(page, path, "po").split("\n")
        for line in textwrap.wrap(paragraph, 76) or [""]
    )
    return comments + PO_HEADER.format(slug=page.slug, rel=page.rel, revised=page.revised, english=page.english) + text


def instructions(page: ExportPage, path: str, fmt: str) -> str:
    """The header note of an exchange file: what the placeholders mean, what must not change, how to import."""
    if fmt == "po":
        placeholders = (
            "{cite1} a citation [@key], {sup1} a superscript, {code1} inline code; {em1}…{em1_end} "
            "emphasis, {strong1}…{strong1_end} bold, {span1}…{span1_end} a span, {link1}…{link1_end} a "
            "link, {note1}…{note1_end} a translator's note. Write a literal brace twice: {{ }}."
        )
        fixed = "msgctxt (the unit key), msgid (the Chinese) and the '#. Chinese fingerprint' line"
        draft = "An empty msgstr is skipped; a fuzzy one is imported as a draft that still needs review."
    else:
        placeholders = (
            "<ph> a citation, superscript or inline code (ctype x-citation, x-superscript, x-code); "
            "<g> around emphasis (italic), bold, a span, a link or a translator's note."
        )
        fixed = "the trans-unit ids, the <source> (the Chinese) and the x-chinese-fingerprint context"
        draft = (
            "An empty target is skipped; a target in a needs-review state (or new) is imported as a draft "
            "that still needs review; state translated is imported as the translation."
        )
    return (
        f"Page '{page.slug}': the Chinese of {page.rel}, into {page.english}.\n"
        f"Placeholders stand for Markdown the English keeps: {placeholders} Each unit's notes say what each "
        "placeholder of the unit stands for. Keep every placeholder once, and a pair in order.\n"
        f"Keep {fixed} as they are. A target that is still Chinese is refused.\n"
        f"{draft}\n"
        f"Import: python build.py import {path}  (add --partial to import the units that pass when some are refused)"
    )


def previous_lines(previous: str) -> str:
    """The `#| msgid` lines of a stale unit, every line of the string quoted as gettext wants it.
    (Babel wraps this comment at 76 columns without quoting the continuation lines, which
    `msgfmt` and translate-toolkit cannot read.)"""
    return "".join(
        f"#| {'msgid ' if index == 0 else ''}{line}\n"
        for index, line in enumerate(normalize(previous, width=0).split("\n"))
    )


def note_lines(notes: tuple[str, ...]) -> list[str]:
    return [line for note in notes for line in note.split("\n")]


def po_string(pieces: tuple[Piece, ...]) -> str:
    """Placeholders as `{cite1}`, `{em1}…{em1_end}`; literal braces doubled, as python-brace-format wants."""
    parts = []
    for piece in pieces:
        if piece.role == "text":
            parts.append(piece.markdown.replace("{", "{{").replace("}", "}}"))
        else:
            parts.append("{" + piece.name + ("_end" if piece.role == "close" else "") + "}")
    return "".join(parts)


def po_pieces(text: str) -> tuple[Piece, ...]:
    """A msgstr back to named pieces; a brace that names no placeholder is text."""
    pieces: list[Piece] = []
    position = 0
    for match in PO_PLACEHOLDER.finditer(text):
        pieces.append(Piece("text", text[position : match.start()]))
        if match.group() in ("{{", "}}"):
            pieces.append(Piece("text", match.group()[0]))
        else:
            role = "close" if match.group("end") else "mark"  # `{em1}` opens a pair, `{cite1}` is an atom
            pieces.append(Piece(role, "", "", match.group("name")))
        position = match.end()
    pieces.append(Piece("text", text[position:]))
    return tuple(piece for piece in pieces if piece.role != "text" or piece.markdown)


def read_po_file(path: Path, root: Path) -> tuple[list[ImportedUnit], list[Problem]]:
    rel = relative(path, root)
    text = read_text(path, root)
    if isinstance(text, Problem):
        return [], [text]
    malformed = po_syntax_problems(text, rel)  # Babel reads an unclosed quote silently, and wrongly
    if malformed:
        return [], malformed
    try:
        catalog = read_po(io.StringIO(text), abort_invalid=True)
    except PoFileError as error:
        return [], [
            Problem(
                rel, error.lineno + 1, "import/po", f"not a valid PO file: {error}", "repair the file, or export again"
            )
        ]
    units: list[ImportedUnit] = []
    problems: list[Problem] = []
    for message in catalog:
        if not message.id:
            continue
        # no msgctxt: a converter's PO (xliff2po keeps only the location); found by its msgid on import
        line = message.lineno or 1  # babel gives every message read from a file its line
        key = split_key(str(message.context), rel, line, problems) if message.context else ("", "")
        target = trim(po_pieces(str(message.string or "")))
        if key is None or not target:
            continue  # an empty msgstr: left untranslated
        carried = [c[len(FINGERPRINT_NOTE) :].strip() for c in message.auto_comments if c.startswith(FINGERPRINT_NOTE)]
        page = message.locations[0][0] if message.locations else ""
        units.append(
            ImportedUnit(
                id=key[0],
                fingerprint=key[1] or (carried[0] if carried else ""),
                source=str(message.id),
                page=page,
                path=rel,
                line=line,
                target=target,
                approved=not message.fuzzy,
            )
        )
    return units, problems


def read_exchange_file(path: Path, root: Path) -> tuple[list[ImportedUnit], list[Problem]]:
    if not path.is_file():
        return [], [
            Problem(
                relative(path, root),
                0,
                "import/missing",
                "no such file",
                "give the path of a file that `build.py export` wrote",
            )
        ]
    if path.suffix in (".xlf", ".xliff"):
        return read_xliff(path, root)
    if path.suffix in (".po", ".pot"):
        return read_po_file(path, root)
    return [], [
        Problem(
            relative(path, root),
            1,
            "import/format",
            f"unknown file type '{path.suffix}'",
            "import a .xlf (XLIFF 1.2) or .po file written by `build.py export`",
        )
    ]
