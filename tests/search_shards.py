"""Reading the built search index back, and which of its files a query loads: review.js's steps, in Python."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from bireview.build.search import BITMAP, DIGITS, normalise, slot

HITS = 20  # review.js shows the first 20 hits, in reading order
MAX_GRAMS = 12  # the most grams a query looks up; verifying the text does the rest
BATCHES = (1, 2, 4)  # text shards loaded at a time: one, two, four, then eight at a time
VALUES = {digit: value for value, digit in enumerate(DIGITS)}


def read_shard(path: Path) -> object:
    """The data a shard script registers: `reviewSearchShard("name",{…});`."""
    return parse_shard(path.read_text(encoding="utf-8"), path.stem)


def parse_shard(text: str, stem: str) -> object:
    name, _, payload = text.removeprefix("reviewSearchShard(").partition(",")
    assert json.loads(name) == stem, stem
    return json.loads(payload.rstrip().removesuffix(");"))


def shard_entries(shard: dict) -> list[dict[str, str]]:
    return [
        {"page": shard["pages"][page][0], "href": f"{shard['pages'][page][1]}#{anchor}", "text": text}
        for page, anchor, text in shard["entries"]
    ]


def entries(folder: Path) -> list[dict[str, str]]:
    """Every entry of an edition's index, in reading order, as {page, href, text}."""
    count = read_shard(folder / "index.js")["shards"]
    return [entry for number in range(count) for entry in shard_entries(read_shard(folder / f"t{number}.js"))]


def decode(code: str) -> list[int]:
    if not code:
        return []
    if code.startswith(BITMAP):
        return [
            6 * position + bit
            for position, digit in enumerate(code[1:])
            for bit in range(6)
            if VALUES[digit] >> bit & 1
        ]
    numbers, previous, value, shift = [], -1, 0, 0
    for digit in code:
        value += (VALUES[digit] & 31) << shift
        if VALUES[digit] & 32:
            shift += 5
        else:
            previous += value + 1
            numbers.append(previous)
            value, shift = 0, 0
    return numbers


def term_grams(term: str) -> list[str]:
    """A term of one or two characters is looked up whole; of three or four, whole and by its two
    shorter runs (a slot shared with another gram then rarely matters); a longer one by its runs of four."""
    if len(term) <= 2:
        return [term]
    if len(term) <= 4:
        return list(dict.fromkeys([term, term[:-1], term[1:]]))
    return list(dict.fromkeys(term[i : i + 4] for i in range(len(term) - 3)))


def query_grams(terms: list[str]) -> list[str]:
    """The terms' grams, taken in turn (each term's first, then each one's second, …), at most MAX_GRAMS."""
    lists = [term_grams(term) for term in terms]
    turns = [grams[turn] for turn in range(max(map(len, lists))) for grams in lists if turn < len(grams)]
    return list(dict.fromkeys(turns))[:MAX_GRAMS]


@dataclass
class Plan:
    files: list[str]  # what the query loads, in order
    hits: list[dict[str, str]]  # what it shows

    def size(self, folder: Path) -> int:
        return sum((folder / name).stat().st_size for name in self.files)


def plan(folder: Path, query: str) -> Plan:
    """The files review.js loads for `query`, from a fresh page, and the hits it shows."""
    terms = normalise(query).strip(" ").split(" ")
    manifest = read_shard(folder / "index.js")
    grams = query_grams(terms)
    slots = {gram: slot(gram, manifest["slots"]) for gram in grams}
    buckets = sorted({place % manifest["buckets"] for place in slots.values()})
    files = ["index.js"] + [f"g{number}.js" for number in buckets]
    postings = {number: read_shard(folder / f"g{number}.js").split(",") for number in buckets}
    candidates = sorted(
        set.intersection(
            *(
                set(decode(postings[place % manifest["buckets"]][place // manifest["buckets"]]))
                for place in slots.values()
            )
        )
    )
    hits: list[dict[str, str]] = []
    turn = 0
    while candidates and len(hits) < HITS:
        size = BATCHES[turn] if turn < len(BATCHES) else 8
        batch, candidates, turn = candidates[:size], candidates[size:], turn + 1
        files += [f"t{number}.js" for number in batch]
        for number in batch:
            for entry in shard_entries(read_shard(folder / f"t{number}.js")):
                if len(hits) < HITS and all(term in normalise(entry["text"]) for term in terms):
                    hits.append(entry)
    return Plan(files, hits)
