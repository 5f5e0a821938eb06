"""The search index, split into small scripts so that a reader downloads only what a query needs.

One index for the whole edition cost every page view 20 MB at 2,000 pages per language. Here
nothing loads until the reader types. The entries (every unit as the edition shows it) are
grouped, in reading order, into text shards of about TEXT_BYTES; for every gram (a run of one
to four adjacent characters) the index lists the shards that hold it. A query loads
the manifest, the buckets holding its grams' slots, then the shards that hold all of them, in reading
order, until the browser has verified 20 hits by substring match. Grams are characters, not
words, so a Chinese substring (脐带间充质, or one character) is found exactly without word
segmentation, and English matches any substring, case-insensitively, as before.

Every file is a script that registers itself (`reviewSearchShard(name, data)`): a page opened
from file:// may load scripts, but cannot fetch(). Files, under `{lang}/search/`:
  index.js    {"buckets": B, "slots": N, "shards": S}
  g{b}.js     "shards,shards,…": for slots b, b + B, b + 2B, … the shards holding a gram of that
              slot (a gram's slot is a hash of it, see `slot`)
  t{k}.js     {"pages": [[label, path]], "entries": [[page (index into pages), anchor, text]]}
Shards are listed as gaps in a base-64 varint or, when shorter, as a bitmap ("=" then six shards
per character).
"""

from __future__ import annotations

import json
import operator
import re
import unicodedata
import zlib
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

DIGITS = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz-_"
BITMAP = "="
BITMAP_DIGITS = bytes(DIGITS, "ascii").ljust(256, b"?")  # bytearray.translate: value -> digit
TEXT_BYTES = 4_000  # about what one text shard weighs: a query loads a few of them
BUCKET_BYTES = 8_000  # about what one gram bucket weighs; the number of buckets follows from it
MAX_BUCKETS = 4096
FOLDER = "search"
# What JavaScript's /\s/ matches: the browser splits the query with it, the index must agree.
JS_SPACE = re.compile("[\t\n\v\f\r \u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000\ufeff]+")


@dataclass(frozen=True, slots=True)
class Entry:
    """One unit as the edition shows it: its page's label and path, its anchor, its plain text."""

    label: str
    path: str
    anchor: str
    text: str


def search_files(lang: str, entries: Iterable[Mapping[str, str]]) -> dict[str, str]:
    """Every file of the edition's search index, relative path -> script text."""
    shards = text_shards([as_entry(entry) for entry in entries])
    slots = gram_slots(shards)
    buckets = bucket_count(slots)
    files: dict[str, object] = {"index": {"buckets": buckets, "slots": len(slots), "shards": len(shards)}}
    for number in range(buckets):  # slot s is in bucket s % buckets, at place s // buckets
        files[f"g{number}"] = ",".join(slots[number::buckets])
    for number, shard in enumerate(shards):
        files[f"t{number}"] = text_shard(shard)
    return {f"{lang}/{FOLDER}/{name}.js": script(name, data) for name, data in files.items()}


def as_entry(entry: Mapping[str, str]) -> Entry:
    path, _, anchor = entry["href"].partition("#")
    return Entry(label=entry["page"], path=path, anchor=anchor, text=entry["text"])


def normalise(text: str) -> str:
    """As review.js normalises both the query and the text: NFKC, lower case, one space for any run."""
    return JS_SPACE.sub(" ", unicodedata.normalize("NFKC", text).lower())


def grams(texts: tuple[str, ...]) -> frozenset[str]:
    """Every run of one to four adjacent characters in the texts, normalised, less any with a
    space (the browser splits a query at spaces, so never looks one up).

    A query term of up to four characters is looked up whole, a longer one by its runs of four,
    which rarely all occur in a shard that does not hold the term; shorter runs often do ("re"
    and "ef" are in most English paragraphs, "ref" is not; 细胞移植 and 移植剂量 in most shards
    of a review of MSC transplantation, 胞移植剂 only where it says 细胞移植剂量).
    """
    flat = normalise(" ".join(texts))
    found = set(flat)
    pairs = list(map(operator.add, flat, flat[1:]))
    found.update(pairs)
    found.update(map(operator.add, pairs, flat[2:]))
    found.update(map(operator.add, pairs, pairs[2:]))
    return frozenset(gram for gram in found if " " not in gram)


def gram_slots(shards: list[list[Entry]]) -> list[str]:
    """For each slot, the shards holding a gram of that slot, encoded.

    Grams are not stored, only their slots (see `slot`): at most one gram in two shares its slot
    with another, which only adds shards for the browser to verify, and the index is a third of
    what it would be with every gram written out.
    """
    numbers: defaultdict[str, list[int]] = defaultdict(list)
    for number, shard in enumerate(shards):
        for gram in grams(tuple(entry.text for entry in shard)):
            numbers[gram].append(number)
    count = 1
    while count < 2 * len(numbers):
        count *= 2
    merged: dict[int, list[int]] = {}
    for gram, found in numbers.items():
        place = slot(gram, count)
        merged[place] = sorted({*merged[place], *found}) if place in merged else found
    return [encode(merged[place]) if place in merged else "" for place in range(count)]


def slot(gram: str, slots: int) -> int:
    """CRC-32 of the gram's UTF-8, as review.js computes it; `slots` is a power of two."""
    return zlib.crc32(gram.encode()) & (slots - 1)


def encode(numbers: list[int]) -> str:
    """Ascending numbers as the shorter of: gaps as varints (5 bits a character, the sixth says
    that more follow), and a bitmap (six numbers a character)."""
    bitmap_length = numbers[-1] // 6 + 2
    if len(numbers) < bitmap_length:  # else the gaps, a character at least each, are no shorter
        gaps, previous = [], -1
        for number in numbers:
            value = number - previous - 1
            previous = number
            while value >= 32:
                gaps.append(DIGITS[32 | (value & 31)])
                value >>= 5
            gaps.append(DIGITS[value])
        if len(gaps) <= bitmap_length:
            return "".join(gaps)
    bits = bytearray(bitmap_length - 1)
    for number in numbers:
        bits[number // 6] |= 1 << (number % 6)
    return BITMAP + bits.translate(BITMAP_DIGITS).decode()


def bucket_count(slots: list[str]) -> int:
    """The smallest power of two that keeps a bucket near BUCKET_BYTES."""
    size = sum(len(code) + 1 for code in slots)
    buckets = 1
    while buckets < min(MAX_BUCKETS, len(slots)) and size / buckets > BUCKET_BYTES:
        buckets *= 2
    return buckets


def text_shards(entries: list[Entry]) -> list[list[Entry]]:
    """Consecutive entries, about TEXT_BYTES of text each."""
    shards: list[list[Entry]] = []
    size = TEXT_BYTES
    for entry in entries:
        if size >= TEXT_BYTES:
            shards.append([])
            size = 0
        shards[-1].append(entry)
        size += len(entry.text.encode()) + len(entry.anchor) + 8
    return shards


def text_shard(entries: list[Entry]) -> dict[str, list[list[object]]]:
    pages: dict[tuple[str, str], int] = {}
    rows: list[list[object]] = []
    for entry in entries:
        page = pages.setdefault((entry.label, entry.path), len(pages))
        rows.append([page, entry.anchor, entry.text])
    return {"pages": [list(page) for page in pages], "entries": rows}


def script(name: str, data: object) -> str:
    payload = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return f"reviewSearchShard({json.dumps(name)},{payload});\n"
