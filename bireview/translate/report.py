"""The translation report: one self-contained HTML file for CI to publish beside the site.

Per page a progress bar, each stale unit with what changed in its Chinese (from the git
history) and links to both editions, each missing unit, and the translation problems
`check` finds (terminology, citations, numbers). No scripts, no external requests: the
styles are inline, so the file reads the same from an artifact store or from disk.
"""

from __future__ import annotations

import os
from pathlib import Path

from bireview.build.links import page_path
from bireview.build.render import make_environment
from bireview.config import SOURCE_LANG, Config
from bireview.model.alignment import PageAlignment, Status
from bireview.model.citations import number_citations
from bireview.model.review import Review
from bireview.problems import Problem
from bireview.records import record
from bireview.translate.history import Change, ChineseHistory
from bireview.translate.quality import check_translations


@record
class UnitRow:
    id: str
    where: str  # path:line of the Chinese unit
    english: str  # path:line of the English unit, "" where there is none
    text: str  # the Chinese now, as written
    current: str  # the English now, as written ("" where there is none)
    zh_href: str
    en_href: str
    change: Change | None  # stale units only


@record
class PageRow:
    slug: str
    title: str
    translated: int
    stale: int
    missing: int
    stale_units: tuple[UnitRow, ...]
    missing_units: tuple[UnitRow, ...]

    @property
    def total(self) -> int:
        return self.translated + self.stale + self.missing

    def percent(self, count: int) -> str:
        """A bar segment's width; one decimal, so the three always fill the bar."""
        return f"{100 * count / self.total:.1f}" if self.total else "0"


GENERATOR = "bireview translation status report"  # in the report's head: a file it may replace


def render_report(config: Config, review: Review, path: Path) -> str:
    history = ChineseHistory(config.root)
    site = Path(os.path.relpath(config.out, path.parent)).as_posix()
    pages = [page_row(alignment, history, site) for alignment in review.alignments]
    problems = check_translations(review, number_citations(review.zh), list(review.terms))
    env = make_environment(config, "en")
    return env.get_template("report.html").render(
        generator=GENERATOR,
        pages=pages,
        problems=problems,
        categories=problem_categories(problems),
        total={status.value: sum(getattr(page, status.value) for page in pages) for status in Status},
    )


def page_row(alignment: PageAlignment, history: ChineseHistory, site: str) -> PageRow:
    changes = history.changes(alignment)
    rows = {status: [] for status in Status}  # type: dict[Status, list[UnitRow]]
    for pair in alignment.pairs:
        if pair.status is Status.TRANSLATED:
            continue
        english = f"{alignment.en.rel}:{pair.en.id_line or pair.en.line}" if alignment.en and pair.en else ""
        rows[pair.status].append(
            UnitRow(
                id=pair.zh.id,
                where=f"{alignment.zh.rel}:{pair.zh.line}",
                english=english,
                text=pair.zh.text,
                current=pair.en.text if pair.en is not None else "",
                zh_href=f"{site}/{page_path(SOURCE_LANG, alignment.zh.slug)}#{pair.zh.id}",
                en_href=f"{site}/{page_path('en', alignment.zh.slug)}#{pair.zh.id}",
                change=changes.get(pair.zh.id),
            )
        )
    return PageRow(
        slug=alignment.zh.slug,
        title=alignment.zh.title,
        translated=alignment.count(Status.TRANSLATED),
        stale=alignment.count(Status.STALE),
        missing=alignment.count(Status.MISSING),
        stale_units=tuple(rows[Status.STALE]),
        missing_units=tuple(rows[Status.MISSING]),
    )


def problem_categories(problems: list[Problem]) -> dict[str, int]:
    counts: dict[str, int] = {}
    for problem in problems:
        counts[problem.category] = counts.get(problem.category, 0) + 1
    return dict(sorted(counts.items()))
