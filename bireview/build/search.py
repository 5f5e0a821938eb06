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

Building it is the costly part at 2,000 pages per language: 7 million (gram, shard) pairs per
edition. Each shard's text is read as numbers (every run of four characters at once, see `runs`),
a run's shards are marked in a row of "0"/"1" a column per shard, all in C (map over the runs);
grams shorter than four are the runs' beginnings, their shards found once per run rather than per
shard. Spans of consecutive shards are indexed in forked workers (`parallel.fork_map`), all editions
at once; a worker given a whole edition also writes its files, else the parent merges the spans in
order. An edition showing another's text unit for unit (English not translated yet) takes that
edition's grams. The files are the same however many workers made them.
"""

from __future__ import annotations

import base64
import bisect
import json
import operator
import re
import sys
import unicodedata
import zlib
from collections import defaultdict, deque
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from functools import partial
from itertools import accumulate, chain, islice, repeat
from typing import Any, Literal

from bireview.build.workers import cores, fork_map
from bireview.records import record

DIGITS = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz-_"
BITMAP = "="
TEXT_BYTES = 8_000  # about what one text shard weighs: a query loads a few of them
BUCKET_BYTES = 8_000  # about what one gram bucket weighs; the number of buckets follows from it
MAX_BUCKETS = 4096
FOLDER = "search"
# What JavaScript's /\s/ matches: the browser splits the query with it, the index must agree.
JS_SPACE = re.compile("[\t\n\v\f\r \u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000\ufeff]+")
NOT_PYTHON_SPACE = re.compile("[\x1c-\x1f\x85\ufeff]")  # where str.split() and JS_SPACE disagree
TEXT = operator.itemgetter("text")
HREF = operator.itemgetter("href")
JSON = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"))  # made once: json.dumps makes one a call
PARALLEL_MIN = 500_000  # characters of text in all (some 150 pages) below which forking costs more than it saves
WEIGHED = 4096  # entries weighed at a time, see `streamed_shards`
BLOCK = 512  # shards marked in one set of rows: a row is BLOCK bytes, one per run of four characters
LITTLE: Literal["little"] = "little"  # the byte order of the runs as numbers
RUN = 4  # a gram is a run of one to RUN adjacent characters
PREFIXES = ((1 << 48) - 1, (1 << 32) - 1, (1 << 16) - 1)  # a run's first 3, 2, 1 characters (see `runs`)
PADDING = bytes(2 * (RUN - 1))  # after the text: the runs at its end are shorter
MARK = ord("1")
# A bitmap (see `encode`) by base64: each byte's bits reversed, then each base64 digit's six read back to front.
REVERSED_BITS = bytes(int(f"{byte:08b}"[::-1], 2) for byte in range(256))
BASE64 = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
BITMAP_DIGITS = bytes.maketrans(BASE64, "".join(DIGITS[int(f"{value:06b}"[::-1], 2)] for value in range(64)).encode())

Entry = Mapping[str, str]  # one unit as the edition shows it: {"page": label, "href": path#anchor, "text": …}


@record
class Part:
    """A span of an edition's text shards from shard `first` on, indexed: their scripts, and each gram
    in them with the shards that hold it, as the bits of a number (bit i: the span's i-th shard)."""

    first: int
    scripts: list[str]
    grams: dict[str, int]


@record
class Task:
    """The `number`th of an edition's `spans` spans of consecutive text shards, of about equal length."""

    lang: str
    number: int
    spans: int
    also: tuple[str, ...] = ()  # editions of the very same text, whose gram files (its own) it writes too
    texts_only: bool = False  # its gram files are written by the task of the edition whose text it shows


def search_files(lang: str, entries: Iterable[Entry], workers: int | None = None) -> dict[str, str]:
    """Every file of the edition's search index, relative path -> script text."""
    return search_index({lang: entries}, workers)


Edition = Iterable[Entry] | Callable[[], Iterable[Entry]]  # its entries, or what makes them


def search_index(
    editions: Mapping[str, Edition],
    workers: int | None = None,
    sizes: Mapping[str, int] | None = None,
    sink: Callable[[dict[str, str]], dict[str, str]] = lambda files: files,
    abandon: Callable[[], bool] | None = None,
    same_text: Mapping[str, str] | None = None,
) -> dict[str, str]:
    """Every file of every edition's search index, relative path -> script text, or what `sink`
    makes of them where they are made (e.g. writes them and gives their digests): `index_work`
    done on every core. `abandon` may stop the workers (see `parallel.fork_map`)."""
    return index_work(editions, workers, sizes, sink, same_text).made(abandon)


@record
class IndexWork:
    """The search index as tasks for forked workers: `run(n)` does the nth in a worker, `files`
    makes the index's files (or what the sink made of them) here from every task's result, in order.
    `workers`: how many to fork for it alone (1, none, for a short review's index)."""

    count: int
    workers: int
    run: Callable[[int], Part | dict[str, str]]
    files: Callable[[list[Any]], dict[str, str]]
    names: tuple[str, ...]  # what each task makes, for a reader of `build.py --timings`

    def made(self, abandon: Callable[[], bool] | None = None) -> dict[str, str]:
        """The files, every task done by workers forked for it (see `parallel.fork_map`)."""
        return self.files(fork_map(self.run, self.count, self.workers, abandon))


def index_work(
    editions: Mapping[str, Edition],
    workers: int | None = None,
    sizes: Mapping[str, int] | None = None,
    sink: Callable[[dict[str, str]], dict[str, str]] = lambda files: files,
    same_text: Mapping[str, str] | None = None,
) -> IndexWork:
    """The search index of every edition as tasks (see `search_index`).

    `same_text` maps an edition to another whose entries it repeats, in order, with the very same
    texts and anchors (only the pages' labels differ: an English edition not translated yet shows the
    Chinese). Its shards then end at the same entries and hold the same grams: when both are made
    whole, the other edition's task writes the gram files of both, and this edition's only its text.

    An edition is split into spans by its share of the text (with two editions on two cores: one
    each, and the workers do it all); the shards of a split edition are found here, for its spans to share.
    An edition given as what makes its entries, with its size (characters of text) in `sizes`, is
    made by the worker that indexes it whole: this process never holds its entries, nor (with a
    sink that writes them) its files."""
    made: dict[str, list[Entry]] = {}

    def entries(lang: str) -> list[Entry]:
        """The edition's entries, held here: to weigh it (no `sizes`) or to split it."""
        if lang not in made:
            edition = editions[lang]
            made[lang] = list(edition() if callable(edition) else edition)
        return made[lang]

    def stream(lang: str) -> Iterable[Entry]:
        """The edition's entries as they are made, for the worker that indexes it whole."""
        edition = editions[lang]
        return made[lang] if lang in made else edition() if callable(edition) else edition

    sizes = sizes or {lang: sum(map(len, map(TEXT, entries(lang)))) for lang in editions}
    workers = 1 if sum(sizes.values()) < PARALLEL_MIN else cores(workers)
    spans = edition_spans(sizes, workers)
    same = {
        lang: source
        for lang, source in (same_text or {}).items()
        if spans.get(lang) == spans.get(source) == 1 and source not in (same_text or {})
    }
    tasks = [
        Task(
            lang,
            number,
            count,
            also=tuple(other for other, source in same.items() if source == lang),
            texts_only=lang in same,
        )
        for lang, count in spans.items()
        for number in range(count)
    ]
    shards = {task.lang: text_shards(entries(task.lang)) for task in tasks if task.spans > 1}

    def files(done: list[Any]) -> dict[str, str]:
        found: dict[str, str] = {}
        for lang in editions:
            results = [result for task, result in zip(tasks, done, strict=True) if task.lang == lang]
            if lang in shards:  # split: its parts merged here
                found |= sink(edition_files((lang,), len(shards[lang]), results))
            else:  # made whole by a worker
                found |= results[0]
        return found

    names = tuple(
        f"{task.lang}/{FOLDER}/" + (f" (part {task.number + 1} of {task.spans})" if task.spans > 1 else "")
        for task in tasks
    )
    return IndexWork(len(tasks), workers, lambda number: run_task(stream, shards, tasks[number], sink), files, names)


def edition_spans(sizes: Mapping[str, int], workers: int) -> dict[str, int]:
    """Into how many spans each edition is split: its share of the workers, by its size, at least one."""
    total = sum(sizes.values()) or 1
    return {lang: max(1, round(workers * size / total)) for lang, size in sizes.items()}


def run_task(
    entries: Callable[[str], Iterable[Entry]],
    shards: Mapping[str, list[list[Entry]]],
    task: Task,
    sink: Callable[[dict[str, str]], dict[str, str]],
) -> Part | dict[str, str]:
    """A worker's task: its span of the edition's shards indexed, or, for a whole edition, its files
    given to `sink`. A whole edition is read as its entries are made, BLOCK shards at a time: each
    text shard is given to the sink as it is made, each block's grams merged into the edition's,
    and neither the entries nor the shards are ever all held."""
    if task.spans != 1:
        count = len(shards[task.lang])
        return make_part(shards[task.lang], count * task.number // task.spans, count * (task.number + 1) // task.spans)
    written: dict[str, str] = {}
    count = 0
    if task.texts_only:
        for number, shard in enumerate(streamed_shards(entries(task.lang))):
            written |= sink({search_path(task.lang, f"t{number}"): script(f"t{number}", text_shard(shard))})
        return written

    def blocks() -> Iterator[Part]:
        nonlocal written, count
        for block in batched(streamed_shards(entries(task.lang)), BLOCK):
            for number, shard in enumerate(block, start=count):
                written |= sink({search_path(task.lang, f"t{number}"): script(f"t{number}", text_shard(shard))})
            yield Part(count, [], block_grams(block, 0, len(block)))  # as make_part's blocks: BLOCK shards from 0
            count += len(block)

    grams = merged(blocks())
    return written | sink(edition_files((task.lang, *task.also), count, [Part(0, [], grams)]))


def edition_files(langs: tuple[str, ...], count: int, parts: list[Part]) -> dict[str, str]:
    """The edition's files (of `count` shards) from its parts; the same files for each of `langs`."""
    slots = gram_slots(merged(parts), count)
    buckets = bucket_count(slots)
    files = {"index": script("index", {"buckets": buckets, "slots": len(slots), "shards": count})}
    for number in range(buckets):  # slot s is in bucket s % buckets, at place s // buckets
        files[f"g{number}"] = script(f"g{number}", ",".join(slots[number::buckets]))
    files |= {f"t{part.first + number}": text for part in parts for number, text in enumerate(part.scripts)}
    return {search_path(lang, name): text for lang in langs for name, text in files.items()}


def search_path(lang: str, name: str) -> str:
    return f"{lang}/{FOLDER}/{name}.js"


def merged(parts: Iterable[Part]) -> dict[str, int]:
    """Each gram and its shards (bit i: the first part's i-th shard), from consecutive parts, merged
    into the first part's as they come: a generator of parts is never held whole."""
    grams: dict[str, int] | None = None
    base = 0
    for part in parts:
        if grams is None:
            grams, base = part.grams, part.first
        else:
            or_into(grams, part.grams, map(operator.lshift, part.grams.values(), repeat(part.first - base)))
        del part  # not held while the next is made
    return grams if grams is not None else {}


def normalise(text: str) -> str:
    """As review.js normalises both the query and the text: NFKC, lower case, one space for any run."""
    return JS_SPACE.sub(" ", unicodedata.normalize("NFKC", text).lower())


def make_part(shards: Sequence[Sequence[Entry]], first: int, end: int) -> Part:
    """Shards first to end - 1 indexed, BLOCK shards at a time (merged as they are made: one block's
    grams held at a time), and their scripts."""
    grams = merged(
        Part(start, [], block_grams(shards, start, min(start + BLOCK, end))) for start in range(first, end, BLOCK)
    )
    return Part(first, [script(f"t{number}", text_shard(shards[number])) for number in range(first, end)], grams)


def block_grams(shards: Sequence[Sequence[Entry]], first: int, end: int) -> dict[str, int]:
    """Each gram in shards first to end - 1 and its shards: a row of "0"/"1" per run of characters
    (see `runs`), a column per shard, last shard first, so that `int(row, 2)` has bit i for shard first + i."""
    rows: defaultdict[int, bytearray] = defaultdict(partial(bytearray, b"0" * (end - first)))
    texts: defaultdict[str, bytearray] = defaultdict(partial(bytearray, b"0" * (end - first)))
    for number in range(first, end):
        found = runs(shards[number])
        table: defaultdict[Any, bytearray] = texts if isinstance(found, list) else rows
        consume(map(operator.setitem, map(table.__getitem__, found), repeat(end - 1 - number), repeat(MARK)))
    return gram_masks(rows, texts)


def runs(shard: Sequence[Entry]) -> Iterable[int] | list[str]:
    """Every run of RUN adjacent characters in the shard's normalised text (fewer at its end), each
    word once: a gram with a space is never looked up (the browser splits a query at spaces).

    A run is a number, its characters' UTF-16 code units from the lowest bits up (the first
    character lowest, so that its beginnings are its lower bits), read straight out of the
    encoded text: numbers are cheaper to make and hash than strings. A text with a character that
    is not one code unit, or with a NUL (no unit may be 0), has its runs as strings."""
    flat = unicodedata.normalize("NFKC", " ".join(map(TEXT, shard))).lower()  # as `normalise`, then its words:
    words = JS_SPACE.split(flat) if NOT_PYTHON_SPACE.search(flat) else flat.split()  # split() is faster
    flat = " ".join(dict.fromkeys(words))
    try:
        data = flat.encode("utf-16-le") + PADDING
    except UnicodeEncodeError:  # a lone surrogate
        data = b""
    if len(data) != 2 * len(flat) + len(PADDING) or "\0" in flat or sys.byteorder != "little":
        return [flat[start : start + RUN] for start in range(len(flat))]
    return chain.from_iterable(
        memoryview(data)[offset : offset + (len(data) - offset) // 8 * 8].cast("Q") for offset in range(0, 8, 2)
    )


def gram_masks(rows: Mapping[int, bytearray], texts: Mapping[str, bytearray]) -> dict[str, int]:
    """Each run's row -> each gram and its shards as bits, less grams with a space. A gram is a run
    or the beginning of one: its shards are those of the runs it begins."""
    level = dict(zip(rows, map(int, rows.values(), repeat(2)), strict=True))
    grams = dict(level)
    for prefix in PREFIXES:  # the runs' first three characters, two, one
        shorter: dict[int, int] = {}
        or_into(shorter, map(operator.and_, level, repeat(prefix)), level.values())
        or_into(grams, shorter, shorter.values())
        level = shorter
    found = {gram: mask for gram, mask in zip(decode(list(grams)), grams.values(), strict=True) if " " not in gram}
    for key, row in texts.items():  # runs as text, from a shard with a character beyond one UTF-16 unit
        beginnings = [key[:length] for length in range(1, len(key) + 1)]
        or_into(found, [gram for gram in beginnings if " " not in gram], repeat(int(row, 2)))
    return found


def decode(numbers: list[int]) -> Iterable[str]:
    """Runs as numbers (see `runs`) -> as text, all in one decoding."""
    text = b"".join(map(int.to_bytes, numbers, repeat(8), repeat(LITTLE))).decode("utf-16-le")
    slices = map(slice, range(0, len(text), RUN), range(RUN, len(text) + RUN, RUN))
    return map(str.rstrip, map(text.__getitem__, slices), repeat("\0"))


def or_into(target: dict[Any, int], keys: Iterable[object], masks: Iterable[int]) -> None:
    """`target[key] |= mask` for each pair (missing keys start at 0), in C: the pairs are read one by
    one as `update` stores them, so a key met twice finds what it stored the first time."""
    keys = list(keys)
    target.update(zip(keys, map(operator.or_, map(target.get, keys, repeat(0)), masks), strict=True))


def consume(iterator: Iterator[object]) -> None:
    deque(iterator, maxlen=0)


def gram_slots(grams: dict[str, int], count: int) -> list[str]:
    """For each slot, the shards holding a gram of that slot (of `count` shards), encoded.

    Grams are not stored, only their slots (see `slot`): at most one gram in two shares its slot
    with another, which only adds shards for the browser to verify, and the index is a third of
    what it would be with every gram written out.
    """
    slots = 1
    while slots < 2 * len(grams):
        slots *= 2
    merged: dict[int, int] = {}
    or_into(merged, map(operator.and_, map(zlib.crc32, map(str.encode, grams)), repeat(slots - 1)), grams.values())
    varints = varint_table(count)
    codes = [""] * slots
    for place, shards in merged.items():
        codes[place] = encode(shards, varints)
    return codes


def slot(gram: str, slots: int) -> int:
    """CRC-32 of the gram's UTF-8, as review.js computes it; `slots` is a power of two."""
    return zlib.crc32(gram.encode()) & (slots - 1)


def encode(shards: int, varints: list[str]) -> str:
    """The shards (bit i: shard i) as the shorter of: ascending gaps as varints (5 bits a character,
    the sixth says that more follow; `varints` has each gap's), and a bitmap (six shards a character)."""
    width = -(-shards.bit_length() // 6)  # the bitmap's characters
    if shards.bit_count() <= width:  # else the gaps, a character at least each, are no shorter
        gaps = bin(shards).split("1")  # "0b", then the runs of 0 between shards, highest first
        gaps.reverse()
        gaps.pop()
        code = "".join(map(varints.__getitem__, map(len, gaps)))
        if len(code) <= width + 1:
            return code
    bits = shards.to_bytes(-(-width // 4) * 3, "little").translate(REVERSED_BITS)
    return BITMAP + base64.b64encode(bits)[:width].translate(BITMAP_DIGITS).decode()


def varint_table(count: int) -> list[str]:
    """Each gap below `count` as a varint: five bits a digit, lowest first, 32 added where more follow."""
    table = []
    for value in range(count):
        digits = ""
        while value >= 32:
            digits += DIGITS[32 | (value & 31)]
            value >>= 5
        table.append(digits + DIGITS[value])
    return table


def bucket_count(slots: list[str]) -> int:
    """The smallest power of two that keeps a bucket near BUCKET_BYTES."""
    size = sum(map(len, slots)) + len(slots)
    buckets = 1
    while buckets < min(MAX_BUCKETS, len(slots)) and size / buckets > BUCKET_BYTES:
        buckets *= 2
    return buckets


def text_shards(entries: Iterable[Entry]) -> list[list[Entry]]:
    return list(streamed_shards(entries))


def streamed_shards(entries: Iterable[Entry]) -> Iterator[list[Entry]]:
    """Consecutive entries, about TEXT_BYTES of text each: a shard ends with the entry that brings it
    to TEXT_BYTES (an entry weighs its text's UTF-8, its anchor and 8), each given as soon as it is
    whole. Entries are weighed WEIGHED at a time, the ends found by bisecting their running total."""
    iterator = iter(entries)
    shard: list[Entry] = []  # begun in an earlier batch
    weight = 0  # what it weighs
    while batch := list(islice(iterator, WEIGHED)):
        texts = map(len, map(str.encode, map(TEXT, batch)))
        anchors = map(len, map(operator.itemgetter(2), map(str.partition, map(HREF, batch), repeat("#"))))
        total = list(accumulate(map(operator.add, map(operator.add, texts, anchors), repeat(8)), initial=0))
        start = 0
        # the shard from `start` ends where it reaches TEXT_BYTES, with what was begun before if it starts the batch
        while (end := bisect.bisect_left(total, total[start] + TEXT_BYTES - weight, start + 1, len(total))) < len(
            total
        ):
            yield shard + batch[start:end]
            shard, weight, start = [], 0, end
        shard, weight = shard + batch[start:], weight + total[-1] - total[start]
    if shard:
        yield shard


def batched(items: Iterable[list[Entry]], size: int) -> Iterator[list[list[Entry]]]:
    """Consecutive runs of `size` items (the last shorter): itertools.batched, before Python 3.12."""
    iterator = iter(items)
    while batch := list(islice(iterator, size)):
        yield batch


def text_shard(entries: Sequence[Entry]) -> dict[str, list[object]]:
    """A text shard's data: its pages once each, then its entries, each with its page's place among them."""
    links = [entry["href"].partition("#") for entry in entries]
    pages = list(zip(map(operator.itemgetter("page"), entries), map(operator.itemgetter(0), links), strict=True))
    places = {page: place for place, page in enumerate(dict.fromkeys(pages))}
    return {
        "pages": list(places),
        "entries": list(
            zip(map(places.__getitem__, pages), map(operator.itemgetter(2), links), map(TEXT, entries), strict=True)
        ),
    }


def script(name: str, data: object) -> str:
    return f"reviewSearchShard({JSON.encode(name)},{JSON.encode(data)});\n"
