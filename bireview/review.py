"""Load everything first: both editions' pages, the bibliography and their alignment.

Global citation numbering, back-links and translation status all need the whole
review in memory before the first file is written.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable
from functools import partial
from pathlib import Path
from typing import Any, TypeVar

from .article import Article, Translation, make_articles
from .bibliography import Reference, load_bibliography, load_reference_translations
from .citations import CitationIndex, number_citations
from .config import LANGUAGES, Config
from .content import Source, read_source, read_sources
from .glossary import Term, load_glossary
from .markdown import make_markdown
from .pages import Page, make_page
from .parallel import fork_map
from .problems import Problem, relative
from .records import record
from .settings import Settings, load_settings
from .studies import Study, load_studies
from .translations import PageAlignment, align
from .versions import text_version


@record
class Review:
    config: Config
    zh: tuple[Page, ...]  # the source edition, in reading order
    en: dict[str, Page]  # English pages by slug; a missing slug falls back to Chinese
    references: dict[str, Reference]
    reference_translations: dict[str, dict[str, object]]  # English for Chinese references, by key
    alignments: tuple[PageAlignment, ...]  # one per Chinese page, same order
    terms: tuple[Term, ...]  # the bilingual glossary
    studies: tuple[Study, ...]  # the clinical studies the review describes
    by_slug: dict[str, PageAlignment]  # the same alignments, by page slug
    settings: Settings  # site.yaml, with the command line's overrides
    articles: dict[str, Article]  # the article as a citable work, per edition

    def alignment(self, slug: str) -> PageAlignment:
        return self.by_slug[slug]


V = TypeVar("V")


class Memo:
    """What reading an input gave, kept between the builds of a running `serve`: an entry is read
    again only after one of its files changed (`forget`), and what is derived from entries is made
    again only when they changed (`keep`, `keep_equal`). A build without one reads everything."""

    def __init__(self, keeping: bool = True) -> None:
        self.entries: dict[tuple[str, Path], Any] = {}
        self.kept: dict[tuple[str, str], tuple[tuple[Any, ...], Any]] = {}  # see keep
        # A build that is not followed by another (not serve's) keeps nothing derived: it would
        # only weigh on every process (20 MiB at 2,000 pages per language).
        self.keeping = keeping

    def numbered(self, pages: tuple[Page, ...]) -> CitationIndex:
        """The references' numbers, made again only when the Chinese pages' citations changed."""
        cites = tuple((page.slug, page.cites) for page in pages)  # the numbers follow from these alone
        return self.keep_equal("numbers", "", (cites,), lambda: number_citations(pages))

    def keep(self, kind: str, key: str, inputs: tuple[Any, ...], compute: Callable[[], V]) -> V:
        """`compute()`, made again only when one of `inputs` is not the very object it was made from
        (what is read again after a change is a new object; what is not is the same one)."""
        if not self.keeping:
            return compute()
        entry = self.kept.get((kind, key))
        if (
            entry is None
            or len(entry[0]) != len(inputs)
            or any(a is not b for a, b in zip(entry[0], inputs, strict=True))
        ):
            entry = self.kept[(kind, key)] = (inputs, compute())
        kept: V = entry[1]
        return kept

    def keep_equal(self, kind: str, key: str, inputs: tuple[Any, ...], compute: Callable[[], V]) -> V:
        """`compute()`, made again only when `inputs` are no longer equal to those it was made from
        (each compared by identity first, then by value)."""
        if not self.keeping:
            return compute()
        entry = self.kept.get((kind, key))
        if entry is None or entry[0] != inputs:
            entry = self.kept[(kind, key)] = (inputs, compute())
        kept: V = entry[1]
        return kept

    def get(self, kind: str, path: Path, compute: Callable[[], V]) -> V:
        """The result of `compute` for the file or folder `path`, made once until it changes."""
        if (kind, path) not in self.entries:
            self.entries[(kind, path)] = compute()
        found: V = self.entries[(kind, path)]
        return found

    def forget(self, changed: Iterable[Path]) -> None:
        names = {str(file) for file in changed}
        for kind, path in list(self.entries):
            # a file itself, a file in a folder read whole (bib/), or a folder that changed (a move, a rename)
            name = str(path)
            if name in names or any(file.startswith(name + "/") or name.startswith(file + "/") for file in names):
                del self.entries[(kind, path)]


# From this many content files on, they are read and parsed on every core (see `prefetch`).
PARALLEL_MIN = 200


def read_page(
    path: Path, lang: str, root: Path, md: Any, light: bool = False
) -> tuple[Source | None, Page | None, list[Problem]]:
    """A content file read and parsed: its source, its page (see `make_page`) and the problems found in it."""
    problems: list[Problem] = []
    source = read_source(path, lang, root, problems)
    return source, make_page(source, md, problems, light) if source is not None else None, problems


def prefetch(config: Config, memo: Memo, meanwhile: Callable[[], object] | None = None) -> None:
    """Read and parse the content files not read before on every core, when there are many, and
    the bibliography meanwhile (a task of its own, the first handed out). `meanwhile` is this
    process's own work, done while the workers read (see `parallel.fork_map`), or first.

    The workers send back light pages (without their Markdown tokens, see `make_page`): the tokens
    would cost more to send than to make again, and only the process that renders a page needs them.
    """
    todo = [
        (path, lang)
        for lang in LANGUAGES
        for path in content_files(config, lang, memo)
        if ("content", path) not in memo.entries
    ]
    if len(todo) < PARALLEL_MIN:
        if meanwhile is not None:
            meanwhile()
        return
    chunks = [todo[start : start + CHUNK] for start in range(0, len(todo), CHUNK)]
    bibliography = ("bibliography", config.bib)
    first = 0 if bibliography in memo.entries else 1

    def work(number: int) -> Any:
        if number < first:
            return load_bibliography(config.bib, config.root)
        md = make_markdown()
        return [read_page(path, lang, config.root, md, light=True) for path, lang in chunks[number - first]]

    results = fork_map(work, first + len(chunks), meanwhile=meanwhile)
    if first:
        memo.entries[bibliography] = results[0]
    for chunk, pages in zip(chunks, results[first:], strict=True):
        for (path, _), result in zip(chunk, pages, strict=True):
            memo.entries[("content", path)] = result


CHUNK = 50  # content files a worker reads at a time


def content_files(config: Config, lang: str, memo: Memo) -> list[Path]:
    """The `*.md` files of one language, sorted: listed once per build for `prefetch` and
    `read_sources`, and the very same Path objects (their hashes made once) while the folder
    holds the same names, so that serve's memo finds a file's entry without hashing its path again."""
    folder = config.content_dir(lang)
    try:
        names = sorted(name for name in os.listdir(folder) if name.endswith(".md"))
    except OSError:  # no folder: no pages (a missing Chinese home page is reported as such)
        names = []
    return memo.keep_equal("content-files", lang, (folder, names), lambda: [folder / name for name in names])


def unit_ids(page: Page) -> set[str]:
    return {unit.id for unit in page.units}


def load_review(
    config: Config,
    memo: Memo | None = None,
    meanwhile: Callable[[], object] | None = None,
    progress: Callable[[str], None] = lambda stage: None,
) -> tuple[Review, list[Problem]]:
    """The review and the problems found in it; `meanwhile` is other work of this process, done
    while workers read the content files (see `prefetch`). `progress` is told when every file is
    read and the checking starts."""
    memo = memo or Memo(keeping=False)
    md = make_markdown()
    problems: list[Problem] = []
    prefetch(config, memo, meanwhile)

    def source(path: Path, lang: str, root: Path, found: list[Problem]) -> Any:
        """A content file read and made a page once (until it changes): (source, page, problems)."""
        read_from, page, own = memo.get("content", path, lambda: read_page(path, lang, root, md))
        found += own
        if page is not None:  # else the file is not a source (read_sources leaves it out)
            pages[id(read_from)] = page
        return read_from

    pages: dict[int, Page] = {}
    zh_sources, found, broken = read_sources(
        config.content_dir("zh"), "zh", config.root, source, content_files(config, "zh", memo)
    )
    problems += found
    en_sources, found, _ = read_sources(
        config.content_dir("en"), "en", config.root, source, content_files(config, "en", memo)
    )
    problems += found
    zh = tuple(pages[id(source)] for source in zh_sources)
    en = {source.slug: pages[id(source)] for source in en_sources}
    references, found = memo.get("bibliography", config.bib, lambda: load_bibliography(config.bib, config.root))
    problems += found
    reference_translations, found = load_reference_translations(
        config.content_dir("en") / "references.yaml", config.root, set(references)
    )
    problems += found
    terms, found = load_glossary(config.data / "glossary.yaml", config.root)
    problems += found
    units = {page.slug: memo.keep("unit-ids", page.slug, (page,), partial(unit_ids, page)) for page in zh}
    studies, found = load_studies(config.data / "studies.yaml", config.root, units, set(references))
    problems += found
    progress("checking")  # every file read
    alignments = []
    for page in zh:
        english = en.get(page.slug)
        alignment, found = memo.keep("alignment", page.slug, (page, english), partial(align, page, english))
        alignments.append(alignment)
        problems += found
    known = {page.slug for page in zh}
    readable = known | broken
    if "index" not in readable and not any(p.category == "page/duplicate-slug" for p in problems):
        problems.append(
            Problem(
                f"{relative(config.content_dir('zh'), config.root)}/index.md",
                1,
                "page/no-home",
                "there is no overview page, the home page of each edition",
                "add content/zh/index.md (its translation goes in content/en/index.md)",
            )
        )
    problems += [
        Problem(
            page.rel,
            1,
            "translation/orphan-page",
            f"English page '{slug}' has no Chinese page content/zh/{slug}.md",
            "rename the file to match its Chinese page, or remove it",
        )
        for slug, page in sorted(en.items())
        if slug not in readable
    ]
    settings, found = load_settings(config.root, config.base_url)
    problems += found
    articles: dict[str, Article] = {}

    def version(folder: Path) -> Any:  # asked of git once, again only after a file in the folder changed
        return memo.get("version", folder, lambda: text_version(config.root, folder))

    if "index" in known:
        translation = Translation(
            translator=settings.translator,
            translator_kind=settings.translator_type,
            version=version(config.content_dir("en")),
            source_version=version(config.content_dir("zh")),
        )
        articles, found = make_articles(next(page for page in zh if page.slug == "index"), en.get("index"), translation)
        problems += found
    return Review(
        config=config,
        zh=zh,
        en=en,
        references=references,
        reference_translations=reference_translations,
        alignments=tuple(alignments),
        by_slug={a.zh.slug: a for a in alignments},
        terms=tuple(terms),
        studies=tuple(studies),
        settings=settings,
        articles=articles,
    ), problems
