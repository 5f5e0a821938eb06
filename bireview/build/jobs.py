"""The site's pages as rendering jobs: which template makes which file, and rendering them on every core.

A job names one page (its path, template, kind, edition and slug) and nothing else, so a worker
process forked after loading renders it from the same loaded review the parent holds, and writes
it straight into the staging folder. The split into chunks and the files are the same whatever
the number of processes, so the output is byte-identical however it was made.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, TypeVar

from jinja2 import Environment

from bireview.build.kinds import KIND, KINDS, Job, Views
from bireview.build.output import Stage
from bireview.build.render import render_template, stream_template
from bireview.build.timings import Tally, Timings
from bireview.build.workers import cores, fork_map
from bireview.config import LANGUAGES, SOURCE_LANG
from bireview.problems import Problem

T = TypeVar("T")

# Below this many jobs a build renders in its own process: forking costs more than it saves.
PARALLEL_MIN = 200
# Chunks of jobs per worker. Workers take the next chunk when done, so they finish at most a chunk
# apart: with 4 a core, the core that drew the references pages (a second at 2,000 pages per
# language) finished 1.2 s after the other; with 32 a chunk takes a tenth of a second.
CHUNKS_PER_CORE = 32


def site_jobs(views: Views) -> list[Job]:
    """Every page of the site, kind by kind (KINDS). A content page's four views (two editions, page and
    side by side) come together, so that one process renders them and the side-by-side rows are made once."""
    kinds = [kind for kind in KINDS if kind.made(views)]
    jobs = [kind.job(SOURCE_LANG) for kind in kinds if kind.scope == "site"]
    jobs += [kind.job(lang, kind.name) for kind in kinds if kind.scope == "edition" for lang in LANGUAGES]
    sections = [kind for kind in kinds if kind.scope == "section"]
    jobs += [kind.job(lang, slug) for slug in views.content_slugs for kind in sections for lang in LANGUAGES]
    return jobs


class Renderer:
    """Renders jobs: the environments (one per edition) and the shared views of one loaded review."""

    def __init__(self, views: Views, envs: dict[str, Environment], root: Path, timings: Timings | None = None) -> None:
        self.views = views
        self.envs = envs
        self.root = root
        self.timings = timings  # where each page's CPU time is tallied, by template (`build.py --timings`)

    def write(self, job: Job, stage: Stage, problems: list[Problem]) -> None:
        """Render a job into its file; none is left where the template failed."""
        if self.timings is None:
            self.draw(job, stage, problems)
        else:
            with self.timings.timed(job.template, job.path):
                self.draw(job, stage, problems)

    def draw(self, job: Job, stage: Stage, problems: list[Problem]) -> None:
        """A page that grows with the review (every reference) is written as it is made, never held
        whole; any other is made whole first, which is a little faster."""
        found: list[Problem] = []
        kind = KIND[job.kind]
        context = functools.partial(kind.context, self.views, job)  # made inside the template's guard
        if kind.streamed:
            stage.stream(job.path, stream_template(self.envs[job.lang], job.template, context, self.root, found))
            if found:  # half a page is written
                stage.remove(job.path)
        else:
            html = render_template(self.envs[job.lang], job.template, context, self.root, found)
            if not found:
                stage.write(job.path, html)
        problems += found


def render_jobs(renderer: Renderer, jobs: list[Job], stage: Stage, workers: int | None = None) -> list[Problem]:
    """Render every job into the stage, on every core for a large site; the problems of all of them.

    Workers are forked: they share the loaded review with this process, read nothing again, and
    return only their problems.
    """
    return render_beside(renderer, jobs, stage, (), workers)[0]


def render_beside(
    renderer: Renderer,
    jobs: list[Job],
    stage: Stage,
    first: Sequence[Callable[[], T]],
    workers: int | None = None,
    meanwhile: Callable[[], object] | None = None,
) -> tuple[list[Problem], list[T]]:
    """`render_jobs`, the same workers doing the work of `first` before the pages: long tasks of
    another kind (the search index of each edition) that the pages, short, then even out, with no
    wait between the two. The problems, and the results of `first`."""
    if len(jobs) < PARALLEL_MIN:
        if meanwhile is not None:
            meanwhile()
        return render_chunk(renderer, jobs, stage), [task() for task in first]
    chunks = split(jobs, cores(workers) * CHUNKS_PER_CORE)

    def work(number: int) -> tuple[Any, dict[str, Tally]]:
        done: Any = (
            first[number]()
            if number < len(first)
            else (render_chunk(renderer, chunks[number - len(first)], stage), stage.handed_over())
        )
        return done, renderer.timings.handed_over() if renderer.timings is not None else {}

    found = []
    for done, tallies in fork_map(work, len(first) + len(chunks), workers, meanwhile=meanwhile):
        found.append(done)
        if renderer.timings is not None:
            renderer.timings.take(tallies)
    rendered = found[len(first) :]
    for _, written in rendered:
        stage.take(written)
    return [problem for problems, _ in rendered for problem in problems], found[: len(first)]


def render_chunk(renderer: Renderer, jobs: list[Job], stage: Stage) -> list[Problem]:
    problems: list[Problem] = []
    for job in jobs:
        renderer.write(job, stage, problems)
    return problems


def split(jobs: list[Job], count: int) -> list[list[Job]]:
    """`count` runs of consecutive jobs of about equal length, never parting a page's views."""
    size = max(1, -(-len(jobs) // count))
    chunks: list[list[Job]] = [[]]
    for job in jobs:
        if len(chunks[-1]) >= size and (not chunks[-1][-1].slug or chunks[-1][-1].slug != job.slug):
            chunks.append([])
        chunks[-1].append(job)
    return chunks
