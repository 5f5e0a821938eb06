"""The kinds of page, each described once (KINDS): its name, where its files go, its template, its
context (one module per kind here: section, side_by_side, references_page, glossary_page,
studies_page, special) and what its key reads in `serve` beyond what every page reads. The jobs of a
build, the slugs a content page may not take, and serve's keys all go through this registry; a new
kind of page is a module here, a template and one PageKind."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from bireview.build.kinds.glossary_page import glossary_page
from bireview.build.kinds.references_page import references_page
from bireview.build.kinds.search_page import search_entries
from bireview.build.kinds.section import content_page
from bireview.build.kinds.side_by_side import parallel_page
from bireview.build.kinds.special import chooser, contents_page, not_found_page
from bireview.build.kinds.studies_page import studies_page
from bireview.build.links import CONTENTS, GENERATED, GLOSSARY, REFERENCES, STUDIES, Link, page_path, parallel_path
from bireview.build.views import Views
from bireview.records import record


@record
class Job:
    """One page to render: the file it makes, its template and kind (a name in KINDS), its edition and slug."""

    path: str  # the file it makes, relative to the site
    template: str
    kind: str
    lang: str
    slug: str = ""


def always(_views: Views) -> bool:
    return True


@record
class PageKind:
    """A kind of page. `scope`: "site" (one page), "edition" (one per language, its slug its name) or
    "section" (one per language and content page). `inputs`: what its key reads in serve beyond what
    every page reads, the name of a `Keys.inputs_<name>` method (preview/incremental.py); `window`:
    whether its navigation (the neighbouring pages' titles) counts too."""

    name: str
    scope: str
    template: str
    path: Callable[[str, str], str]  # (lang, slug) -> the file, relative to the site
    context: Callable[[Views, Job], dict[str, Any]]
    inputs: str
    window: bool = True
    streamed: bool = False  # its size grows with the review: written as it is made (see jobs.Renderer)
    made: Callable[[Views], bool] = always  # whether a build of this review makes it

    def job(self, lang: str, slug: str = "") -> Job:
        return Job(self.path(lang, slug), self.template, self.name, lang, slug)


def edition_page(name: str) -> Callable[[str, str], str]:
    return lambda lang, _slug: page_path(lang, name)


KINDS: tuple[PageKind, ...] = (
    PageKind(
        "chooser",
        "site",
        "chooser.html",
        lambda _lang, _slug: "index.html",
        lambda views, job: chooser(views),
        inputs="nothing",
        window=False,
    ),
    PageKind(
        "404",
        "site",
        "404.html",
        lambda _lang, _slug: "404.html",
        lambda views, job: not_found_page(views),
        inputs="static_files",
        window=False,
    ),
    # the generated pages first: the references pages of a long review are the costliest, and the
    # first chunk of jobs is handed out first, so that the workers finish together
    PageKind(
        REFERENCES,
        "edition",
        "references.html",
        edition_page(REFERENCES),
        lambda views, job: references_page(views, job.lang),
        inputs="references",
        streamed=True,
    ),
    PageKind(
        GLOSSARY,
        "edition",
        "glossary.html",
        edition_page(GLOSSARY),
        lambda views, job: glossary_page(views, job.lang),
        inputs="glossary",
    ),
    PageKind(
        STUDIES,
        "edition",
        "studies.html",
        edition_page(STUDIES),
        lambda views, job: studies_page(views, job.lang),
        inputs="studies",
    ),
    PageKind(
        CONTENTS,
        "edition",
        "contents.html",
        edition_page(CONTENTS),
        lambda views, job: contents_page(views, job.lang),
        inputs="contents",
        made=lambda views: not views.full_navigation,
    ),  # a long review's list of every page
    PageKind(
        "page",
        "section",
        "page.html",
        page_path,
        lambda views, job: content_page(views, job.lang, views.review.alignment(job.slug), landing=True),
        inputs="page",
    ),
    PageKind(
        "parallel",
        "section",
        "parallel.html",
        parallel_path,
        lambda views, job: parallel_page(views, job.lang, views.review.alignment(job.slug)),
        inputs="page",
    ),
)
KIND = {kind.name: kind for kind in KINDS}
# The names a content page's slug may not take: each edition-wide page's folder, and the site's own.
SITE_NAMES = (
    "static",
    "index",
    "search",
    "zh",
    "en",
    "pdf",
    "downloads",
    "assets",
    "404",
    "sitemap",
    "robots",
    "parallel",
)
RESERVED_SLUGS = frozenset({kind.name for kind in KINDS if kind.scope == "edition"} | set(SITE_NAMES))

__all__ = [
    "CONTENTS",
    "GENERATED",
    "GLOSSARY",
    "KIND",
    "KINDS",
    "REFERENCES",
    "RESERVED_SLUGS",
    "STUDIES",
    "Job",
    "Link",
    "PageKind",
    "Views",
    "chooser",
    "content_page",
    "contents_page",
    "glossary_page",
    "not_found_page",
    "page_path",
    "parallel_page",
    "parallel_path",
    "references_page",
    "search_entries",
    "studies_page",
]
