"""build(config): load -> number citations -> render -> write, as a short recipe."""

from __future__ import annotations

import functools
import gc
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from bireview.build.jobs import Renderer, render_beside, site_jobs
from bireview.build.kinds import Views, search_entries
from bireview.build.kinds.search_page import search_size
from bireview.build.links import CONTENTS, page_path, parallel_path
from bireview.build.output import Stage, output_problems, replace_file, staged_site
from bireview.build.publish.downloads import export_files
from bireview.build.publish.pdf import PRINT_TEMPLATE, PrintEdition, cjk_fonts, font_problem, pdf_files, print_context
from bireview.build.publish.sitemap import crawl_files
from bireview.build.render import (
    UnitRenderer,
    catalogue_problems,
    environments,
    raise_template_problems,
    render_template,
    template_problem,
    template_syntax_problems,
)
from bireview.build.search import IndexWork, index_work
from bireview.build.timings import Timings
from bireview.build.unchanged import RECORD, inputs_digest, record_text
from bireview.config import INPUT_FILES, INPUT_FOLDERS, LANGUAGES, SOURCE_LANG, Config
from bireview.model.citations import CitationIndex, numbered, unknown_keys
from bireview.model.inputs import source_problems
from bireview.model.memo import Memo
from bireview.model.review import Review, load_review, uncited_in_chinese
from bireview.problems import Problem, raise_if_any
from bireview.records import record


def no_progress(stage: str) -> None:
    """The default progress report: none."""


@record
class Loaded:
    """A review read and checked, ready to render."""

    review: Review
    index: CitationIndex
    fonts: tuple[str, ...]  # the CJK fonts the PDF editions may use
    memo: Memo  # what was read and derived, for serve's next update


def build(
    config: Config,
    progress: Callable[[str], None] = no_progress,
    inputs: str | None = None,
    timings: Timings | None = None,
) -> Review:
    """Build the whole site into a fresh folder, then swap it in; on any problem, write nothing.

    `inputs` is the digest of what the site is made from (freshness.py), recorded in the site;
    `timings` is told each stage too, and tallies what each page cost (`build.py --timings`)."""
    if timings is not None:
        progress = both(progress, timings)
    progress("reading")
    digest = [inputs] if inputs else []  # else made while workers read the content (a long review's 4,000 files)
    with collector_paused():
        loaded = load_site(
            config, progress=progress, meanwhile=None if inputs else lambda: digest.append(inputs_digest(config))
        )
        # the loaded review lives to the end: the collector need not walk it (frozen before the collector
        # runs again, it never does: half a second at 2,000 pages), nor forked workers copy it
        gc.freeze()
    with staged_site(config.out, config.static) as stage:
        write_site(config, loaded, stage, progress, timings)
        progress("finishing")
    published = loaded.review.settings.base_url is not None
    try:
        replace_file(config.out, RECORD, record_text(digest[0], published, stage.site_digest()))
    except OSError as error:  # the new site is in place and whole; only the next build's shortcut is lost
        print(
            f"warning: the site is built, but its record {config.out / RECORD} could not be written "
            f"({error.strerror or error}); the next build will build it again",
            file=sys.stderr,
        )
    return loaded.review


def both(first: Callable[[str], None], second: Callable[[str], None]) -> Callable[[str], None]:
    def progress(stage: str) -> None:
        first(stage)
        second(stage)

    return progress


def load_site(
    config: Config,
    memo: Memo | None = None,
    progress: Callable[[str], None] = no_progress,
    meanwhile: Callable[[], object] | None = None,
) -> Loaded:
    """Read every input and check it, raising every problem at once; `memo` keeps what was read before.
    `meanwhile` is the caller's own work, done while workers read the content files."""
    problems = output_problems(config.out, config.root)
    raise_if_any(problems + source_problems(config.root, INPUT_FOLDERS, INPUT_FILES))  # before reading: a FIFO blocks
    memo = memo or Memo(keeping=False)
    checked: list[Problem] = []  # the templates and catalogues, checked while workers read the content

    def check() -> None:
        if meanwhile is not None:
            meanwhile()
        checked.extend(template_syntax_problems(config) + catalogue_problems(config))

    with collector_paused():  # reading and numbering make millions of objects that all live on: no garbage to look for
        review, found = load_review(config, memo, meanwhile=check, progress=progress)
        index = numbered(review.zh, memo)
    problems += found + checked
    if not any(p.category.startswith("input/") and p.path.endswith(".bib") for p in found):  # else every key is unknown
        problems += [
            problem
            for page in [*review.zh, *review.en.values()]  # kept per page file (serve)
            for problem in memo.keep(
                "unknown-keys",
                page.rel,
                (page, review.references),
                functools.partial(unknown_keys, [page], review.references),
            )
        ]
        problems += uncited_in_chinese(review, index, memo)
    fonts = cjk_fonts() if config.pdf else ()
    if config.pdf and not fonts:
        problems.append(font_problem(config))
    raise_if_any(problems)
    return Loaded(review, index, fonts, memo)


@contextmanager
def collector_paused() -> Iterator[None]:
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def make_renderer(config: Config, loaded: Loaded, timings: Timings | None = None) -> Renderer:
    """The environments, the unit renderers and the shared views; a broken macro is a problem."""
    envs = environments(config)
    problems: list[Problem] = []
    renderers = {}
    for lang in LANGUAGES:
        try:
            renderers[lang] = UnitRenderer(envs[lang], loaded.index, loaded.review.terms, lang)
        except Exception as error:  # noqa: BLE001 - any error in the macros is the template's problem
            problems.append(template_problem(error, "macros/inline.html", config.root))
    raise_template_problems(problems)
    return Renderer(Views(config, loaded.review, loaded.index, renderers, loaded.memo), envs, config.root, timings)


def write_site(
    config: Config,
    loaded: Loaded,
    stage: Stage,
    progress: Callable[[str], None] = no_progress,
    timings: Timings | None = None,
) -> tuple[Renderer, dict[str, str]]:
    """Every file of the site into `stage`: pages as they are rendered, then the data files and PDFs.
    The renderer, and the data files' digests (see `data_files`)."""
    progress("rendering pages")
    renderer = make_renderer(config, loaded, timings)
    views = renderer.views
    published: dict[str, str] = {}  # the downloads, sitemap.xml and robots.txt: written while the pages render
    index = search_work(views, stage)  # made by the same workers, before the pages
    tasks: list[Callable[[], Any]] = [functools.partial(index.run, number) for number in range(index.count)]
    if timings is not None:
        tasks = [timings.timing("search index", index.names[number], task) for number, task in enumerate(tasks)]
    problems, searched = render_beside(
        renderer,
        site_jobs(views),
        stage,
        tasks,
        meanwhile=lambda: published.update(stage.write_all(publication_files(views))),
    )
    editions = [
        PrintEdition(
            lang,
            render_template(
                renderer.envs[lang],
                PRINT_TEMPLATE,
                functools.partial(print_context, views, lang),
                config.root,
                problems,
            ),
        )
        for lang in LANGUAGES
        if config.pdf
    ]
    raise_template_problems(problems)
    data = data_files(views, stage, published=published, searched=index.files(searched))
    if editions:
        progress("making the PDF editions")
        for path, content in sorted(pdf_files(config, editions, loaded.fonts, stage.folder).items()):
            stage.write(path, content)
    return renderer, data


def data_files(
    views: Views,
    stage: Stage,
    abandon: Callable[[], bool] | None = None,
    published: dict[str, str] | None = None,
    searched: dict[str, str] | None = None,
) -> dict[str, str]:
    """What is not a page, written into `stage`: the search index, the downloads, sitemap.xml and
    robots.txt (unless already `searched` or `published`, with these digests). Their paths and
    digests. `abandon` may stop the search index's workers (serve)."""
    if searched is None:
        searched = search_work(views, stage).made(abandon)
    stage.take(searched)  # written by workers, where there are many
    return searched | (published if published is not None else stage.write_all(publication_files(views)))


def search_work(views: Views, stage: Stage) -> IndexWork:
    """The search index as work for forked workers: each edition's entries are made, indexed and
    written by the worker that indexes it (see `search.index_work`). An English edition not
    translated yet shows the Chinese text, unit for unit: its grams are the Chinese edition's."""
    untranslated = {
        lang: SOURCE_LANG
        for lang in LANGUAGES
        if lang != SOURCE_LANG
        and all(
            views.shown(lang, pair)[0] is pair.zh for alignment in views.review.alignments for pair in alignment.pairs
        )
    }
    return index_work(
        {lang: functools.partial(search_entries, views, lang) for lang in LANGUAGES},
        sizes={lang: search_size(views, lang) for lang in LANGUAGES},
        sink=stage.write_all,
        same_text=untranslated,
    )


def publication_files(views: Views) -> dict[str, str]:
    """The downloads (the article's citation, the reference list), sitemap.xml and robots.txt."""
    review = views.review
    urls = {lang: review.settings.absolute(f"{lang}/index.html") for lang in LANGUAGES}
    references = [review.references[key] for key in sorted(views.index.numbers, key=views.index.numbers.__getitem__)]
    slugs = views.slugs + ([] if views.full_navigation else [CONTENTS])
    pages = [page_path(lang, slug) for lang in LANGUAGES for slug in slugs]
    pages += [parallel_path(lang, alignment.zh.slug) for lang in LANGUAGES for alignment in review.alignments]
    # serve: the downloads are made again only when what they are made of changed (equal, not the same)
    files = views.memo.keep_equal(
        "downloads",
        "",
        (review.articles, urls, views.index, review.references),
        lambda: export_files(review.articles, urls, references) if review.articles else {},
    )
    return {**files, **crawl_files(review.settings, pages)}
