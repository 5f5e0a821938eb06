"""`check`: build, then verify links, citations, translations and study records."""

from __future__ import annotations

from typing import TYPE_CHECKING

from bireview.config import Config

if TYPE_CHECKING:
    pass


def check_command(config: Config) -> int:
    from bireview.build.linkcheck import check_links
    from bireview.build.site import build
    from bireview.model.citations import number_citations
    from bireview.translate.quality import check_studies, check_translations

    review = build(config)
    problems = check_translations(review, number_citations(review.zh), list(review.terms))
    problems += check_studies(review)
    problems += check_links(config.out)
    for problem in problems:
        print(problem)
    print(f"check: {len(problems)} problem{'s' if len(problems) != 1 else ''}")
    return 1 if problems else 0
