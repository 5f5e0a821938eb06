"""What translators load into their own tools first: the translation as a TMX 1.4 memory, the
glossary as a TBX termbase. Both are written with lxml; both are read back in the tests by
translate-toolkit and OmegaT.

The memory holds each translated unit (the Chinese now and its English) and each stale unit
whose earlier Chinese git knows (that Chinese and the English made from it: a CAT tool offers it
as a fuzzy match for the new Chinese). Placeholders are TMX inline codes, `<ph>` for an atom and
`<bpt>`/`<ept>` around a pair, whose content is the PO form (`{cite1}`) — or, `plain`, that form as
text, which is what OmegaT 3.6 matches against the PO export's segments (it reads TMX inline codes
as tags of its own, and a segment with tags never matches one without).
"""

from __future__ import annotations

from lxml import etree

from bireview.model.glossary import Term
from bireview.translate.exchange import ExportPage, ExportUnit, po_string
from bireview.translate.placeholders import Piece

XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
TM_LANGS = ("zh-CN", "en")  # the codes OmegaT's project languages and TBX use (XLIFF writes zh-Hans)


def tmx_bytes(page: ExportPage, plain: bool = False) -> bytes:
    root = etree.Element("tmx", version="1.4")
    etree.SubElement(
        root,
        "header",
        creationtool="bireview",
        creationtoolversion="1",
        segtype="paragraph",
        attrib={"o-tmf": "bireview", "adminlang": "en", "srclang": TM_LANGS[0], "datatype": "plaintext"},
    )
    body = etree.SubElement(root, "body")
    for unit in page.units:
        pair = memory_pair(unit)
        if pair is None:
            continue
        tu = etree.SubElement(body, "tu", tuid=unit.id)
        etree.SubElement(tu, "prop", type="x-page").text = page.slug
        etree.SubElement(tu, "prop", type="x-chinese-fingerprint").text = (
            unit.fingerprint if unit.state == "translated" else unit.recorded
        )
        numbers = {
            piece.name: str(number)
            for number, piece in enumerate((piece for piece in pair[0] if piece.role in ("atom", "open")), start=1)
        }
        for lang, pieces in zip(TM_LANGS, pair, strict=True):
            seg = etree.SubElement(etree.SubElement(tu, "tuv", attrib={XML_LANG: lang}), "seg")
            if plain:
                seg.text = po_string(pieces)
            else:
                inline_codes(seg, pieces, numbers)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)


def memory_pair(unit: ExportUnit) -> tuple[tuple[Piece, ...], tuple[Piece, ...]] | None:
    """The Chinese and the English a memory entry pairs: the current Chinese where the English is its
    translation, the earlier Chinese where the English was made from that; None for drafts and new units."""
    if unit.target is None:
        return None
    if unit.state == "translated":
        return unit.source, unit.target
    if unit.state == "stale" and unit.previous is not None:
        return unit.previous, unit.target
    return None


def inline_codes(seg: etree._Element, pieces: tuple[Piece, ...], numbers: dict[str, str]) -> None:
    """TMX 1.4 inline codes: `<ph>` for an atom, `<bpt>`/`<ept>` (paired by `i`) around a pair, numbered
    as in the Chinese, so that a code's `x` is the same in both languages."""
    for piece in pieces:
        if piece.role == "text":
            if len(seg):
                seg[-1].tail = (seg[-1].tail or "") + text_of(piece)
            else:
                seg.text = (seg.text or "") + text_of(piece)
            continue
        number = numbers[piece.name]
        if piece.role == "atom":
            code = etree.SubElement(seg, "ph", x=number, type=f"x-{piece.kind}")
        elif piece.role == "open":
            code = etree.SubElement(seg, "bpt", i=number, x=number, type=f"x-{piece.kind}")
        else:
            code = etree.SubElement(seg, "ept", i=number)
        code.text = "{" + piece.name + ("_end" if piece.role == "close" else "") + "}"


def text_of(piece: Piece) -> str:
    return po_string((piece,))


# -- the glossary as a termbase ---------------------------------------------------------------------------
def tbx_bytes(terms: tuple[Term, ...] | list[Term], source: str) -> bytes:
    """TBX (ISO 30042, the `martif` core structure): one entry per Chinese term, its English term and,
    where the glossary has one, the abbreviation as a term of its own (termType abbreviation). The
    glossary holds no definitions; the English base form is all it says of each term."""
    root = etree.Element("martif", type="TBX", attrib={XML_LANG: "en"})
    header = etree.SubElement(etree.SubElement(root, "martifHeader"), "fileDesc")
    etree.SubElement(etree.SubElement(header, "titleStmt"), "title").text = "Glossary of the review (zh-CN → en)"
    etree.SubElement(
        etree.SubElement(header, "sourceDesc"), "p"
    ).text = f"Written by bireview from {source}; edit that file, not this one."
    body = etree.SubElement(etree.SubElement(root, "text"), "body")
    for number, term in enumerate(terms, start=1):
        entry = etree.SubElement(body, "termEntry", id=f"term-{number}")
        etree.SubElement(entry, "descrip", type="source").text = f"{source}:{term.line}"
        tig(etree.SubElement(entry, "langSet", attrib={XML_LANG: TM_LANGS[0]}), term.zh, "fullForm")
        english = etree.SubElement(entry, "langSet", attrib={XML_LANG: TM_LANGS[1]})
        tig(english, term.en, "fullForm")
        if term.abbr:
            tig(english, term.abbr, "abbreviation")
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)


def tig(lang_set: etree._Element, text: str, term_type: str) -> None:
    group = etree.SubElement(lang_set, "tig")
    etree.SubElement(group, "term").text = text
    etree.SubElement(group, "termNote", type="termType").text = term_type
