"""`scaffold`: English units for the Chinese units the English lacks."""

from __future__ import annotations

from typing import TYPE_CHECKING

from bireview.config import Config
from bireview.problems import BuildFailed, Problem, relative
from bireview.translate.edits import scaffold

if TYPE_CHECKING:
    pass

from bireview.commands import check_slugs, load_or_fail


def scaffold_command(config: Config, slugs: list[str]) -> int:
    review = load_or_fail(config)
    check_slugs(review, slugs)
    for alignment in review.alignments:
        if slugs and alignment.zh.slug not in slugs:
            continue
        path = alignment.en.source.path if alignment.en else config.content_dir("en") / f"{alignment.zh.slug}.md"
        if alignment.en is None and path.exists():
            raise BuildFailed(
                [
                    Problem(
                        relative(path, config.root),
                        1,
                        "scaffold/exists",
                        f"the English page for '{alignment.zh.slug}' would be this file, which already "
                        "exists with another slug",
                        f"rename it, or give it 'slug: {alignment.zh.slug}' if it translates {alignment.zh.rel}",
                    )
                ]
            )
        added, incomplete = scaffold(alignment, path)
        if added:
            print(f"{path.relative_to(config.root)}: added {len(added)} block(s) to translate: {', '.join(added)}")
        for block_id in incomplete:
            print(
                f"{path.relative_to(config.root)}: block '{block_id}' lacks items or cells of the Chinese — "
                "add them to the English block by hand"
            )
    return 0
