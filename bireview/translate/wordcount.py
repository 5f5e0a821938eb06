"""Words and characters of a unit as translators' tools count them.

Words are counted as translate-toolkit's `pocount` counts the msgid of the PO export (the
Chinese with placeholders as `{cite1}`): its three substitutions, then the Unicode word
boundaries of UAX #29 (each Chinese character a word), by the same library pocount uses
(unicode-segmentation-rs: the standard's rules are long, and a hand-written copy would
drift from pocount). Characters are those of the same text without white space.
"""

from __future__ import annotations

import re

from unicode_segmentation_rs import unicode_words

from bireview.model.pages import Unit
from bireview.translate.placeholders import segment_text, split_markup

BREAK = re.compile(r"<br\s*?/?>")
XML_TAG = re.compile(r"""<([\w.:]+)(\s([\w.:]+=((".*?")|('.*?')))?)*/?>|</([\w.]+)>""")
NUMBER = re.compile(r"\D\.\D")


def words(text: str) -> int:
    """pocount's wordcount()."""
    return len(unicode_words(NUMBER.sub(" ", XML_TAG.sub("", BREAK.sub("\n", text)))))


def unit_counts(unit: Unit) -> tuple[int, int]:
    """The words and the characters (white space aside) of a Chinese unit as the PO export carries it."""
    from bireview.translate.exchange import po_string

    text = po_string(split_markup(segment_text(unit.kind, unit.text)))
    return words(text), sum(1 for character in text if not character.isspace())
