"""The commands, one module each: what a command does, as a short recipe of pipeline stages.

Here: what several commands share (loading the review, checking slugs and output folders)."""

from __future__ import annotations

from pathlib import Path

from bireview.config import Config
from bireview.model.review import Review, load_review
from bireview.problems import BuildFailed, Problem, raise_if_any


def load_or_fail(config: Config) -> Review:
    review, problems = load_review(config)
    raise_if_any(problems)
    return review


def check_slugs(review: Review, slugs: list[str]) -> None:
    known = {page.slug for page in review.zh}
    problems = [
        Problem("content/zh", 0, "page/unknown", f"no page '{slug}'", f"use one of: {', '.join(sorted(known))}")
        for slug in slugs
        if slug not in known
    ]
    if problems:
        raise BuildFailed(problems)


def check_output_folder(config: Config, folder: Path) -> None:
    """Translators' files go anywhere but into the sources, the project folder itself or a built site."""
    from bireview.build.output import folder_problems

    raise_if_any(folder_problems(folder, config.root, config.out))
