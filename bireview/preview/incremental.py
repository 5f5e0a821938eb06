"""A built site kept in memory, for `serve`: after an edit, only what can change is read, rendered and written.

    from bireview.preview.incremental import SiteState
    state = SiteState.full(config)          # a full build (without PDFs), swapped into config.out
    written = state.update(changed_paths)   # after files changed: the site paths it rewrote or removed

`changed_paths` are the files that changed, were added or were removed (absolute, or relative to the
working folder), anywhere under the project; `update` re-reads only those (a changed .bib, YAML file,
template or catalogue is read again whole), renders only the pages whose inputs changed, and writes
only files whose bytes changed, each through a temporary file renamed over it inside the output
folder, so a reader never sees half a file. On any problem it raises BuildFailed before writing
anything, and the site stays as it was; the next `update` (with the fixed files) goes on from there.

Which pages an edit reaches is decided by each page's key, a digest of everything its context reads:
its own Chinese and English files, the numbers and entries of the references it cites, the titles
the navigation shows on it, the templates it is made of, the catalogues, the settings and the
article. A changed first citation renumbers the review, so every page whose numbers moved changes;
a changed title reaches every page that shows it; a changed template the pages made with it.
While what every page reads stays the same, a page whose files, and whose navigation window's
files, are the very objects of the last update keeps its key without it being made again
(Keys.unchanged): an edit of one page costs that page and its neighbours, not every page.
tests/test_incremental.py checks, on random sequences of edits, that the result is byte-identical
to a full build.
"""

from __future__ import annotations

import dataclasses
import hashlib
import shutil
import tempfile
from collections.abc import Callable, Iterable
from functools import partial
from pathlib import Path
from typing import Any, TypeVar

from jinja2 import meta as jinja_meta

from bireview.build.jobs import Renderer, render_jobs, site_jobs
from bireview.build.kinds import KIND, Job, Views
from bireview.build.output import Stage, inside, replace_file, staged_site
from bireview.build.publish import metadata
from bireview.build.render import catalogue_path, environments, raise_template_problems
from bireview.build.site import data_files, load_site, make_renderer, write_site
from bireview.build.views import NEIGHBOURS
from bireview.config import LANGUAGES, SOURCE_LANG, Config
from bireview.model.alignment import PageAlignment
from bireview.model.bibliography import Reference
from bireview.model.citations import CitationIndex, unit_keys
from bireview.model.memo import Memo
from bireview.model.pages import Page
from bireview.records import record

# Templates that Python calls into for every page (citation labels, abbreviations, reference entries).
MACROS = ("macros/inline.html", "macros/reference.html")


V = TypeVar("V")


class SiteState:
    """The loaded inputs and the key of every page, between the builds of a running `serve`."""

    def __init__(self, config: Config, memo: Memo) -> None:
        self.config = config
        self.memo = memo
        self.keys: dict[str, str] = {}  # site path -> the digest of the inputs its page was made from
        self.data: dict[str, str] = {}  # site path -> the digest of a data file's content
        self.pending: Views | None = None  # the views of the last update_pages, for update_data
        self.basis: KeyBasis | None = None  # what the keys were made from, see Keys.unchanged

    @classmethod
    def full(cls, config: Config) -> SiteState:
        """Build the whole site (PDFs are left to `build`), swap it in, and remember its inputs."""
        config = dataclasses.replace(config, pdf=False)
        state = cls(config, Memo())
        loaded = load_site(config, state.memo)
        compile_templates(config)
        with staged_site(config.out, config.static) as stage:
            renderer, data = write_site(config, loaded, stage)
        state.keys, state.basis = Keys(state, renderer).all(site_jobs(renderer.views))
        state.data = data
        for lang in LANGUAGES:  # the pages were drawn by forked workers: their citing places are kept here
            renderer.views.edition_places(lang)
        return state

    def update(self, changed: Iterable[Path | str]) -> list[str]:
        """Bring the site up to date after `changed` files changed; the site paths rewritten or removed."""
        return sorted(set(self.update_pages(changed) + self.update_data()))

    def update_pages(self, changed: Iterable[Path | str]) -> list[str]:
        """The pages (and static files) of `update`, which a reader waits for; `update_data` then
        brings the search index, the downloads and the sitemap up to date (serve reloads the open
        tab in between). The paths rewritten or removed."""
        files = {Path(path).absolute().resolve() for path in changed}
        self.memo.forget(files)
        loaded = load_site(self.config, self.memo)
        renderer = make_renderer(self.config, loaded)
        views = renderer.views  # the jobs follow from the slugs and the navigation kind alone
        jobs = self.memo.keep_equal(
            "jobs", "", (tuple(views.content_slugs), views.full_navigation), lambda: site_jobs(views)
        )
        keys, basis = Keys(self, renderer).all(jobs)
        todo = [job for job in jobs if self.keys.get(job.path) != keys[job.path]]
        out = self.config.out
        staging = Path(tempfile.mkdtemp(dir=out, prefix=".bireview-update-"))
        try:
            raise_template_problems(render_jobs(renderer, todo, Stage(staging)))
            written = [job.path for job in todo if self.move_if_changed(staging / job.path, job.path)]
        finally:
            shutil.rmtree(staging, ignore_errors=True)
        written += self.update_static(files)
        for path in sorted(set(self.keys) - set(keys)):
            inside(out, path).unlink(missing_ok=True)
            written.append(path)
        self.keys, self.basis = keys, basis
        self.pending = renderer.views
        return sorted(set(written))

    def update_data(self, abandon: Callable[[], bool] | None = None) -> list[str]:
        """The files that are not pages, after `update_pages`: those whose bytes changed are rewritten.
        Given up (`parallel.Abandoned`, nothing rewritten) once `abandon` says so while the search
        index is made: what is pending stays pending."""
        if self.pending is None:
            return []
        staging = Path(tempfile.mkdtemp(dir=self.config.out, prefix=".bireview-update-"))
        try:
            data = data_files(self.pending, Stage(staging), abandon)
            self.pending = None
            written = []
            for path, made in sorted(data.items()):
                if self.data.get(path) != made:
                    replace_file(self.config.out, path, (staging / path).read_bytes())
                    written.append(path)
        finally:
            shutil.rmtree(staging, ignore_errors=True)
        for path in sorted(set(self.data) - set(data)):
            inside(self.config.out, path).unlink(missing_ok=True)
            written.append(path)
        self.data = data
        return written

    def move_if_changed(self, rendered: Path, path: str) -> bool:
        """Rename a rendered page over the site's file if its bytes differ; whether it did."""
        target = inside(self.config.out, path)
        content = rendered.read_bytes()
        if target.is_file() and target.read_bytes() == content:
            return False
        replace_file(self.config.out, path, content)
        return True

    def update_static(self, files: set[Path]) -> list[str]:
        """Copy changed files of static/ into the site's static/, and remove those deleted."""
        static = self.config.static.resolve()
        written = []
        for changed in sorted(files):
            if static not in changed.parents:
                continue
            for file in sorted(changed.rglob("*")) if changed.is_dir() else [changed]:
                path = "static/" + file.relative_to(static).as_posix()
                target = inside(self.config.out, path)
                if file.is_file():
                    replace_file(self.config.out, path, file.read_bytes())
                elif target.is_dir():
                    shutil.rmtree(target)
                elif not file.is_dir():
                    target.unlink(missing_ok=True)
                else:
                    continue
                written.append(path)
        return written

    def record_digest(self, kind: str, key: str, record: Any, *parts: Any) -> str:
        """A loaded record's digest (a page, a reference), made once per record read: an input that
        did not change is read into the same object again (Memo), so most of a key is a look-up."""
        if record is None:
            return ""
        return self.memo.keep(f"digest-{kind}", key, (record,), lambda: digest(*(parts or (record,))))

    def page_digest(self, page: Page | None) -> str:
        return self.record_digest("page", page.rel, page, page.rel, page.meta, page.source.body) if page else ""


@record
class KeyBasis:
    """What the keys of the content pages were made from besides each page's own files: while it
    stays the same, a content page's key changes only when the files of a page its navigation
    shows (itself included) changed (see Keys.unchanged)."""

    shared: tuple[
        Any, ...
    ]  # compared by value: what every page reads, the templates, the slugs in order, the navigation kind
    index: CitationIndex  # compared by identity: Memo.numbered keeps it while the citations are the same
    references: dict[str, Reference]  # compared by identity: read again only when a .bib changed
    pages: dict[str, tuple[Page, Page | None]]  # each slug's Chinese and English page, compared by identity
    derived: dict[str, dict[str, Any]]  # what was derived from one page's files alone, by kind and slug (Keys.per_page)


class Keys:
    """The key of each page: a digest of every input its context and templates read."""

    def __init__(self, state: SiteState, renderer: Renderer) -> None:
        self.state = state
        self.views = renderer.views
        self.review = review = renderer.views.review
        self.pages = {page.slug: (page, review.en.get(page.slug)) for page in review.zh}
        old = self.old = state.basis
        # the pages whose files were not read again since the last update (Memo: the very same objects)
        self.same = {
            slug
            for slug, (zh, en) in self.pages.items()
            if old is not None and (before := old.pages.get(slug)) is not None and before[0] is zh and before[1] is en
        }
        self.derived: dict[str, dict[str, Any]] = {}
        self.label_digests: dict[tuple[str, ...], str] = {}
        env = renderer.envs[SOURCE_LANG]
        self.templates = {name: template_digest(env, name) for name in env.list_templates(extensions=["html"])}
        self.common = digest(self.common_inputs(), [self.templates.get(name) for name in MACROS])

    def all(self, jobs: list[Job]) -> tuple[dict[str, str], KeyBasis]:
        """The key of every job, and what they were made from. A content page whose inputs are the
        very objects of the last update keeps its key, unmade: an edit costs what it changed."""
        basis = KeyBasis(
            shared=(self.common, self.templates, tuple(self.views.slugs), self.views.full_navigation),
            index=self.views.index,
            references=self.review.references,
            pages=self.pages,
            derived=self.derived,
        )
        unchanged = self.unchanged(basis)
        previous = self.state.keys
        windows: dict[str, str] = {}  # a page's neighbourhood is the same for its four views
        keys = {}
        for job in jobs:
            kind = KIND[job.kind]
            if job.slug in unchanged and kind.scope == "section":
                keys[job.path] = previous[job.path]
                continue
            landing = job.kind == "page" and job.slug == "index"
            own = self.page_own(job.slug) if kind.inputs == "page" and not landing else digest(self.own(job))
            if job.slug not in windows:
                windows[job.slug] = digest(self.window(job))
            window = windows[job.slug] if kind.window else ""
            keys[job.path] = digest(self.common, self.templates.get(job.template), window, own)
        return keys, basis

    def unchanged(self, basis: KeyBasis) -> set[str]:
        """The content pages whose keys are those of the last update: the same shared inputs, and the
        same page objects for the page and every page in its navigation window (`window`: NEIGHBOURS
        + 1 places on each side; a short review's titles are in `shared`)."""
        old = self.old
        if (
            old is None
            or old.shared != basis.shared
            or old.index is not basis.index
            or old.references is not basis.references
        ):
            return set()
        slugs = self.views.content_slugs
        reach = NEIGHBOURS + 1
        landing = {"index"} if len(self.same) < len(slugs) else set()  # the landing page shows every section
        return set(slugs).difference(
            landing,
            *(
                slugs[max(0, position - reach) : position + reach + 1]
                for position, slug in enumerate(slugs)
                if slug not in self.same
            ),
        )

    def per_page(self, kind: str, slug: str, compute: Callable[[], V]) -> V:
        """`compute()` for a content page, from its own files alone: kept from the last update while
        neither of its files was read again (`same`)."""
        values = self.derived.setdefault(kind, {})
        if slug not in values:
            kept = self.old.derived.get(kind, {}) if self.old is not None and slug in self.same else {}
            values[slug] = kept[slug] if slug in kept else compute()
        value: V = values[slug]
        return value

    def places(self, lang: str, alignment: PageAlignment) -> str:
        """Where a page cites each reference, as a reader of `lang` sees it (views.edition_places), with
        the paragraphs' numbers: a digest made again only when one of the page's files changed."""

        def places() -> str:
            units = [self.views.shown(lang, pair) for pair in alignment.pairs]
            numbers = self.views.paragraph_numbers(alignment.zh.slug)
            return digest(
                [
                    (pair.zh.id, numbers.get(pair.zh.id), unit_keys(unit, notes=unit_lang == SOURCE_LANG))
                    for pair, (unit, _, unit_lang) in zip(alignment.pairs, units, strict=True)
                ]
            )

        return self.per_page(f"places-{lang}", alignment.zh.slug, places)

    def page_own(self, slug: str) -> str:
        """What a content page's views read of their own: both editions' files, and the number and
        entry of every reference they cite. Kept between updates, made again only when one changed."""
        alignment = self.review.alignment(slug)
        zh, en = alignment.zh, alignment.en
        references, index = self.review.references, self.views.index

        def own() -> str:
            keys = sorted({key for page in (zh, en) if page is not None for _, key in page.cites})
            return digest(
                self.state.page_digest(zh),
                self.state.page_digest(en),
                [(key, index.numbers.get(key), self.reference_digest(key)) for key in keys],
            )

        return self.state.memo.keep("page-key", slug, (zh, en, index, references), own)

    def reference_digest(self, key: str) -> str:
        return self.state.record_digest("reference", key, self.review.references.get(key))

    def window(self, job: Job) -> Any:
        """The titles a long review's navigation shows on the page: its neighbours (the last pages,
        on a generated page); a short review's shows every title, which are in `common`."""
        views = self.views
        if views.full_navigation or not KIND[job.kind].window:
            return ()
        position = min(views.positions.get(job.slug, len(views.content_slugs)), len(views.content_slugs))
        return self.labels(views.slugs[max(0, position - NEIGHBOURS - 1) : position + NEIGHBOURS + 2])

    def common_inputs(self) -> str:
        """What every page reads: settings, the article, glossary, studies, catalogues, the site title,
        the reference count (and, in a short review, every reference: each page's head names them)."""
        views, review = self.views, self.review
        catalogues = [catalogue_path(views.config, lang) for lang in LANGUAGES]
        titles = [views.edition_page(lang, "index")[0].title for lang in LANGUAGES] if "index" in review.by_slug else []
        references = views.publication.references
        return digest(
            views.config.pdf,
            review.settings,
            review.articles,
            review.terms,
            review.studies,
            review.reference_translations,
            titles,
            len(references),
            views.full_navigation,
            [path.read_bytes() if path.is_file() else b"" for path in catalogues],
            {study.cite: views.index.numbers.get(study.cite) for study in review.studies},
            references if len(references) <= metadata.ALL_REFERENCES_LIMIT else (),
            self.labels(views.slugs) if views.full_navigation else (),
        )

    def labels(self, slugs: Iterable[str]) -> list[tuple[str, ...]]:
        return [self.label(slug) for slug in slugs]

    def label(self, slug: str) -> tuple[str, ...]:
        """A page's navigation labels in both editions (with their languages), from its own files."""
        return self.per_page(
            "label",
            slug,
            lambda: (slug, *(label for lang in LANGUAGES for label in self.views.short_title(lang, slug))),
        )

    def every_label(self, slugs: list[str]) -> str:
        """The digest of the labels of `slugs` (every content page, or every page), made once per update."""
        which = tuple(slugs)
        if which not in self.label_digests:  # the same label objects as last time, mostly: compared, not digested
            labels = self.labels(slugs)
            self.label_digests[which] = self.state.memo.keep_equal(
                "every-label", str(len(slugs)), (labels,), lambda: digest(labels)
            )
        return self.label_digests[which]

    def own(self, job: Job) -> Any:
        """What only this page reads: its kind's `inputs_*` (see PageKind.inputs)."""
        return getattr(self, f"inputs_{KIND[job.kind].inputs}")(job)

    def inputs_page(self, job: Job) -> Any:
        """A content page's own files; the landing page's, every section's text, or in a long review every
        section's number and title."""
        views = self.views
        if job.kind != "page" or job.slug != "index":
            return self.page_own(job.slug)
        if views.full_navigation:
            return [self.page_own(slug) for slug in views.content_slugs], [
                self.places(job.lang, alignment) for alignment in self.review.alignments
            ]
        return self.page_own("index"), [
            self.per_page(
                "section-title",
                alignment.zh.slug,
                partial(section_title, alignment),
            )
            for alignment in self.review.alignments
        ]

    def inputs_references(self, job: Job) -> Any:
        """Every entry, and every place citing it by its page's label and paragraph number."""
        views = self.views
        entries = self.state.memo.keep(
            "reference-entries",
            "",
            (views.index, self.review.references),
            lambda: digest(
                sorted(views.index.numbers.items()), [self.reference_digest(key) for key in views.index.numbers]
            ),
        )
        places = [self.places(job.lang, alignment) for alignment in self.review.alignments]
        return (
            entries,
            self.state.memo.keep_equal(f"every-place-{job.lang}", "", (places,), lambda: digest(places)),
            self.every_label(views.content_slugs),
        )

    def inputs_glossary(self, job: Job) -> Any:
        return (
            (
                self.every_label(self.views.content_slugs),
                [
                    self.per_page("page-digest", page.slug, partial(self.state.page_digest, page))
                    for page in self.review.zh
                ],
            )
            if self.review.terms
            else ()
        )

    def inputs_studies(self, job: Job) -> Any:
        diseases = sorted({study.disease for study in self.review.studies})
        return self.labels(diseases), [
            self.state.page_digest(self.review.alignment(slug).zh) for slug in diseases if slug in self.review.by_slug
        ]

    def inputs_contents(self, job: Job) -> Any:
        return self.every_label(self.views.slugs)

    def inputs_static_files(self, job: Job) -> Any:
        """The 404 page holds the stylesheet and icon inline."""
        static = self.views.config.static
        return [
            (static / name).read_bytes() if (static / name).is_file() else b"" for name in ("style.css", "favicon.svg")
        ]

    def inputs_nothing(self, job: Job) -> Any:
        return ()


def section_title(alignment: PageAlignment) -> tuple[str, Any, str | None, list[str]]:
    """What the landing page of a long review shows of a section: its titles, number and state."""
    return (
        alignment.zh.title,
        alignment.zh.meta.get("number"),
        alignment.en.title if alignment.en else None,
        [pair.status.value for pair in alignment.pairs[:1]],
    )


def compile_templates(config: Config) -> None:
    """Compile every template of each edition here, before the pages are drawn: render.COMPILED
    keeps them for every later environment. The full build's pages are drawn by forked workers,
    whose compiled templates go with them; without this the first edit would compile them all."""
    for env in environments(config).values():
        for name in env.list_templates(extensions=["html"]):
            env.get_template(name)


def template_digest(env: Any, name: str) -> str:
    """A template's text with the text of every template it extends, includes or imports."""
    seen: dict[str, str] = {}
    todo = [name]
    while todo:
        current = todo.pop()
        if current in seen:
            continue
        source = env.loader.get_source(env, current)[0]
        seen[current] = source
        todo += [referenced if referenced is not None else "" for referenced in references_of(env, source)]
        if "" in todo:  # a template named at run time: it may use any of them
            todo.remove("")
            todo += [other for other in env.list_templates(extensions=["html"]) if other not in seen]
    return digest(sorted(seen.items()))


REFERENCED: dict[str, tuple[str | None, ...]] = {}  # a template's text -> the templates it names


def references_of(env: Any, source: str) -> tuple[str | None, ...]:
    """The templates a template's text extends, includes or imports (None: a name made at run time)."""
    if source not in REFERENCED:
        REFERENCED[source] = tuple(jinja_meta.find_referenced_templates(env.parse(source)))
    return REFERENCED[source]


def digest(*parts: Any) -> str:
    return hashlib.sha1(repr(parts).encode("utf-8")).hexdigest()
