"""The sharded search index: every hit a query should find, in the files it loads, within 1 MB per query at
2,000 pages per language (sizes of the written files; no timing).

`plan` (tests/search_shards.py) follows review.js's steps; test_browser checks that the browser loads exactly
the files the plan names and shows exactly its hits. Here the plan is checked against a plain substring search
over every entry, on the real review and on the benchmarks' synthetic corpus (tests/synthetic_corpus.py).
"""

from __future__ import annotations

import random
import runpy
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import make_scenario, run
from hypothesis import given, settings
from hypothesis import strategies as st
from search_shards import HITS, decode, entries, parse_shard, plan, shard_entries

import bireview.build.search
import bireview.build.workers
from bireview.build.kinds.search_page import search_entries, search_text
from bireview.build.search import (
    BLOCK,
    PARALLEL_MIN,
    TEXT,
    block_grams,
    edition_spans,
    normalise,
    search_files,
    search_index,
    slot,
    streamed_shards,
    text_shards,
)
from bireview.build.views import Views
from bireview.config import make_config
from bireview.model.citations import number_citations
from bireview.model.review import load_review

MAKE_CORPUS = Path(__file__).resolve().parent / "synthetic_corpus.py"  # the benchmarks' corpus, kept in the tests
BUDGET = 1_000_000  # bytes a query may download


def matching(everything: list[dict[str, str]], query: str) -> list[dict[str, str]]:
    """The first hits of a plain search through every entry: what the sharded index must find."""
    terms = normalise(query).strip(" ").split(" ")
    hits = []
    for entry in everything:
        flat = entry.setdefault("flat", normalise(entry["text"]))
        if all(term in flat for term in terms):
            hits.append({key: entry[key] for key in ("page", "href", "text")})
    return hits[:HITS]


def write(files: dict[str, str], out: Path) -> None:
    for relative, text in files.items():
        (out / relative).parent.mkdir(parents=True, exist_ok=True)
        (out / relative).write_text(text, encoding="utf-8")


REAL_QUERIES = {
    "zh": ["脐带间充质", "脐", "间充质干细胞", "MSCs 狼疮", "系统性红斑狼疮", "1×10⁷", "msc", "zzzqqq"],
    "en": ["lupus", "Lupus Nephritis", "umbilical cord", "T", "1×10⁷", "treg", "mscs", "zzzqqq"],
}


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_real_reviews_index_finds_what_a_full_scan_finds(real_site: Path, lang: str) -> None:
    folder = real_site / lang / "search"
    everything = entries(folder)
    for query in REAL_QUERIES[lang]:
        found = plan(folder, query)
        assert found.hits == matching(everything, query), query
        assert found.hits or query == "zzzqqq", query
        assert found.files[0] == "index.js", query


def test_the_index_is_the_same_for_the_same_entries(real_site: Path) -> None:
    everything = entries(real_site / "zh" / "search")
    files = search_files("zh", everything)
    assert files == search_files("zh", [dict(entry) for entry in everything])
    assert files == {
        f"zh/search/{path.name}": path.read_text(encoding="utf-8") for path in (real_site / "zh" / "search").iterdir()
    }


# ---- how the index is made ------------------------------------------------------------------------------


def slot_lists(files: dict[str, str], lang: str) -> tuple[list[list[int]], list[list[int]]]:
    """What the edition's index lists for each slot, and what it should list: the shards whose text, normalised as
    review.js normalises it, holds a gram of that slot (a run of one to four characters without a space)."""

    def read(name: str) -> dict:
        return parse_shard(files[f"{lang}/search/{name}.js"], name)

    manifest = read("index")
    listed: list[list[int]] = [[] for _ in range(manifest["slots"])]
    for bucket in range(manifest["buckets"]):
        for place, code in enumerate(read(f"g{bucket}").split(",")):
            listed[bucket + place * manifest["buckets"]] = decode(code)
    expected: list[set[int]] = [set() for _ in range(manifest["slots"])]
    for number in range(manifest["shards"]):
        text = normalise(" ".join(entry["text"] for entry in shard_entries(read(f"t{number}"))))
        runs = {text[start : start + length] for length in range(1, 5) for start in range(len(text) - length + 1)}
        for gram in runs:
            if " " not in gram:
                expected[slot(gram, manifest["slots"])].add(number)
    return listed, [sorted(numbers) for numbers in expected]


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_each_slot_lists_exactly_the_shards_that_hold_its_grams(real_site: Path, lang: str) -> None:
    files = {
        f"{lang}/search/{path.name}": path.read_text(encoding="utf-8")
        for path in (real_site / lang / "search").iterdir()
    }
    listed, expected = slot_lists(files, lang)
    assert listed == expected
    assert sum(map(len, listed)) > 5_000


def test_characters_beyond_one_utf16_unit_are_indexed_like_any_other() -> None:
    """A shard with a character outside the Basic Multilingual Plane is read as text, not as numbers; its grams
    are the same grams, merged with those of the other shards."""
    times = bireview.build.search.TEXT_BYTES // 10  # each text outweighs a shard: a shard of its own
    texts = [
        "干细胞移植𠀀疗法 " * times + "😀 cells",
        "干细胞移植疗法 " * times + "𝛼 cells ﬁne",
        "移植\u00a0x\u3000y " * times + "a\x1cb\ufeffc\x85d",
    ]  # \x1c, \x85: not spaces to JavaScript; \ufeff: one
    files = search_files(
        "zh", [{"page": f"第{n}节", "href": f"p{n}/index.html#u{n}", "text": text} for n, text in enumerate(texts)]
    )
    listed, expected = slot_lists(files, "zh")
    assert listed == expected
    manifest = parse_shard(files["zh/search/index.js"], "index")
    assert manifest["shards"] == 3
    assert listed[slot("植疗", manifest["slots"])] == [0, 1]
    assert listed[slot("植𠀀疗", manifest["slots"])] == [0]
    assert listed[slot("a\x1cb", manifest["slots"])] == [2]


def synthetic_editions(sizes: dict[str, int]) -> dict[str, list[dict[str, str]]]:
    """`sizes[lang]` entries per edition, paragraphs of the shared corpus's words (seeded), 30 to a page."""
    corpus = runpy.run_path(str(MAKE_CORPUS))
    rng = random.Random(10)
    editions = {}
    for lang, size in sizes.items():
        words, joiner = (corpus["ZH"], "") if lang == "zh" else (corpus["EN"], " ")
        editions[lang] = [
            {
                "page": f"{lang} {number // 30}",
                "href": f"p{number // 30}/index.html#u{number}",
                "text": corpus["para"](rng, words, 4, joiner, 500),
            }
            for number in range(size)
        ]
    return editions


def greedy_shards(entries: list[dict[str, str]], limit: int) -> list[list[dict[str, str]]]:
    """The definition: a shard ends with the entry that brings its weight (text's UTF-8, anchor, 8) to `limit`."""
    shards: list[list[dict[str, str]]] = [[]]
    weight = 0
    for entry in entries:
        if weight >= limit:
            shards.append([])
            weight = 0
        shards[-1].append(entry)
        weight += len(entry["text"].encode()) + len(entry["href"].partition("#")[2]) + 8
    return [shard for shard in shards if shard]


@settings(max_examples=300, deadline=None)
@given(
    st.lists(st.integers(min_value=0, max_value=120), max_size=60),
    st.integers(min_value=1, max_value=400),
    st.integers(min_value=1, max_value=7),
)
def test_shards_made_as_entries_come_are_the_greedy_ones(lengths: list[int], limit: int, weighed: int) -> None:
    """The shards of a whole edition are cut as its entries come, a few (here 1 to 7) weighed at a
    time; weights that reach the limit exactly end a shard too."""
    entries = [
        {"page": "p", "href": f"p/index.html#u{number % 10}", "text": "字" * (length // 3) + "a" * (length % 3)}
        for number, length in enumerate(lengths)
    ]
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(bireview.build.search, "WEIGHED", weighed)
        patch.setattr(bireview.build.search, "TEXT_BYTES", limit)
        assert list(streamed_shards(iter(entries))) == greedy_shards(entries, limit)
        assert text_shards(entries) == greedy_shards(entries, limit)


def test_the_index_is_the_same_however_many_workers_make_it() -> None:
    editions = synthetic_editions({"zh": 7700, "en": 1680})
    sizes = {lang: sum(map(len, map(TEXT, entries))) for lang, entries in editions.items()}
    assert len(text_shards(editions["zh"])) > BLOCK and sum(sizes.values()) >= PARALLEL_MIN  # blocks; forked workers
    assert [edition_spans(sizes, workers) for workers in (1, 2, 3)] == [
        {"zh": 1, "en": 1},
        {"zh": 1, "en": 1},
        {"zh": 2, "en": 1},
    ]  # whole and split editions
    files = search_index(editions, workers=1)
    for workers in (2, 3):
        assert search_index(editions, workers=workers) == files, workers
    assert search_files("zh", editions["zh"], workers=2) == {
        path: text for path, text in files.items() if path.startswith("zh/")
    }
    for lang in editions:
        listed, expected = slot_lists(files, lang)
        assert listed == expected, lang


def test_an_edition_showing_anothers_text_takes_its_grams(monkeypatch: pytest.MonkeyPatch) -> None:
    """An English edition not translated yet shows the Chinese text unit for unit, under its own page labels:
    made with the Chinese edition's grams, its index is the one made on its own, in one process or in workers;
    and the grams are made once."""
    zh = synthetic_editions({"zh": 2600})["zh"]
    en = [{**entry, "page": entry["page"].replace("zh", "Section")} for entry in zh]
    alone = search_index({"zh": zh, "en": en}, workers=1)
    assert alone["en/search/t0.js"] != alone["zh/search/t0.js"]  # labels differ, grams do not
    made = []
    monkeypatch.setattr(bireview.build.search, "block_grams", lambda *args: made.append(1) or block_grams(*args))
    assert search_index({"zh": zh, "en": en}, workers=1, same_text={"en": "zh"}) == alone
    assert len(made) == -(-len(text_shards(zh)) // BLOCK)  # the Chinese edition's blocks only
    for workers in (2, 3):
        assert search_index({"zh": zh, "en": en}, workers=workers, same_text={"en": "zh"}) == alone, workers


@pytest.mark.parametrize("cases", [(), ("translated",)])
def test_an_untranslated_edition_lists_its_own_shards_too(tmp_path: Path, cases: tuple[str, ...]) -> None:
    """A site whose English shows the Chinese throughout takes the Chinese edition's grams (site.search_work);
    a translated one makes its own. Either way each slot lists exactly the shards that hold its grams."""
    root = make_scenario(tmp_path, *cases)
    assert run(root, "--no-pdf", "build") == 0
    for lang in ("zh", "en"):
        folder = root / "_site" / lang / "search"
        listed, expected = slot_lists(
            {f"{lang}/search/{path.name}": path.read_text(encoding="utf-8") for path in folder.iterdir()}, lang
        )
        assert listed == expected, lang
    grams = [(root / "_site" / lang / "search" / "g0.js").read_text(encoding="utf-8") for lang in ("zh", "en")]
    assert (grams[0] == grams[1]) == (not cases)


# ---- 2,000 pages per language ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def archive(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The shared synthetic corpus at 2,000 pages per language, as this generator reads it, and its search
    index per edition. Its English pages carry no translation fingerprints, so the English edition would show
    the Chinese: the English index is made from the English pages' own units, as a translated edition's is."""
    work = tmp_path_factory.mktemp("archive")
    subprocess.run([sys.executable, str(MAKE_CORPUS), str(work / "corpus"), "2000", "5000"], check=True)
    for lang in ("zh", "en"):
        shutil.copytree(work / "corpus" / lang, work / "project" / "content" / lang)
        (work / "project" / "content" / lang / "page-00000.md").rename(work / "project" / "content" / lang / "index.md")
    (work / "project" / "bib").mkdir()
    shutil.copy(work / "corpus" / "refs.bib", work / "project" / "bib" / "refs.bib")
    config = make_config(work / "project")
    review, problems = load_review(config)
    assert not problems
    views = Views(config, review, number_citations(review.zh), {})
    english = [
        {
            "page": str(alignment.en.title),
            "href": f"{alignment.zh.slug}/index.html#{pair.zh.id}",
            "text": " ".join(search_text(pair.en).split()),
        }
        for alignment in review.alignments
        if alignment.en
        for pair in alignment.pairs
        if pair.en
    ]
    write(search_files("zh", search_entries(views, "zh")), work / "site")
    write(search_files("en", english), work / "site")
    return work / "site"


ARCHIVE_QUERIES = {
    "zh": ["间充质干细胞", "脐带间充质", "脐", "移植", "细胞移植剂量", "第1999节", "第19", "骨髓 脂肪", "S3", "zzzqqq"],
    "en": [
        "mesenchymal",
        "stem cells",
        "Lupus",
        "T",
        "section 1999",
        "section 19",
        "the patients",
        "ref",
        "umbilical cord blood",
        "mesenchymal stem cells derived from early mesoderm",
        "1×10^6/kg",
        "zzzqqq",
    ],
}


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_query_in_a_2000_page_archive_downloads_at_most_1_mb(archive: Path, lang: str) -> None:
    folder = archive / lang / "search"
    everything = entries(folder)
    assert len({entry["href"].split("#")[0] for entry in everything}) == 2000
    whole = sum(path.stat().st_size for path in folder.iterdir())
    assert whole > 10 * BUDGET  # the index a page view loaded before, whole
    for query in ARCHIVE_QUERIES[lang]:
        found = plan(folder, query)
        assert found.hits == matching(everything, query), query
        assert found.size(folder) <= BUDGET, (query, found.size(folder), len(found.files))


def test_a_short_reviews_index_is_made_here_without_forking(real_site: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Forking workers costs more than a short review's whole index, which serve makes again after every
    edit: it is made in this process, on a machine with any number of cores."""
    everything = entries(real_site / "zh" / "search")
    expected = search_files("zh", everything)

    def forbidden(*_: object) -> None:
        raise AssertionError("a short review's index forked workers")

    monkeypatch.setattr(bireview.build.workers, "cores", lambda workers=None: workers or 4)
    monkeypatch.setattr(bireview.build.workers.multiprocessing, "get_context", forbidden)
    assert search_index({"zh": everything}) == expected
    assert search_index({"zh": everything, "en": []})["zh/search/index.js"] == expected["zh/search/index.js"]
