"""Load everything first: both editions' pages, the bibliography and their alignment.

Global citation numbering, back-links and translation status all need the whole
review in memory before the first file is written.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any

from bireview.build.workers import fork_map
from bireview.config import LANGUAGES, Config
from bireview.model.alignment import PageAlignment, align
from bireview.model.article import Article, Translation, make_articles
from bireview.model.bibliography import Reference, load_bibliography, load_reference_translations
from bireview.model.citations import CitationIndex, uncited_on_page
from bireview.model.glossary import Term, load_glossary
from bireview.model.markdown import make_markdown
from bireview.model.memo import Memo
from bireview.model.pages import Page, make_page
from bireview.model.settings import Settings, load_settings
from bireview.model.sources import Source, read_source, read_sources
from bireview.model.studies import Study, load_studies
from bireview.problems import Problem, relative
from bireview.records import record
from bireview.translate.versions import text_version


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


def uncited_in_chinese(review: Review, index: CitationIndex, memo: Memo | None = None) -> list[Problem]:
    """Keys that the English or a study record cites but the Chinese never does: they have no number.

    Numbers follow the Chinese edition's first citations, so a reference that only a translation
    cites cannot be numbered the same in both editions. `memo` (serve) keeps each page's problems
    while the page, the numbers and the bibliography are the same objects.
    """
    problems = []
    for page in review.en.values():
        if page.slug not in review.by_slug:
            continue  # an orphan, or its Chinese page is broken: reported as such
        if memo is None:
            problems += uncited_on_page(page, index, review.references)
        else:
            problems += memo.keep(
                "uncited",
                page.rel,
                (page, index, review.references),
                partial(uncited_on_page, page, index, review.references),
            )
    studies = relative(review.config.data / "studies.yaml", review.config.root)
    for study in review.studies:
        if study.cite not in index.numbers:
            problems.append(
                Problem(
                    studies,
                    study.line,
                    "studies/uncited",
                    f"study '{study.id}' cites '{study.cite}', which the Chinese edition never cites",
                    "set 'cite' to the key that its paragraph cites",
                )
            )
    return problems
