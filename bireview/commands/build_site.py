"""`build`: the whole site into the output folder, or nothing."""

from __future__ import annotations

from typing import TYPE_CHECKING

from bireview.config import Config

if TYPE_CHECKING:
    from bireview.build.timings import Timings


def build_command(
    config: Config,
    quiet: bool = False,
    inputs: str | None = None,
    started: float | None = None,
    timings: Timings | None = None,
) -> int:
    """`inputs`: the digest of the inputs, when the caller has made it (cli.py, to skip an unchanged build);
    `timings`: where the time went, printed at the end (to standard error, even when `quiet`)."""
    import sys
    import time

    from bireview.build.site import build, no_progress
    from bireview.build.summary import Progress, summary

    started = started or time.monotonic()
    progress = Progress(sys.stdout) if sys.stdout.isatty() and not quiet else no_progress
    review = build(config, progress, inputs, timings)
    if isinstance(progress, Progress):
        progress.done()
    if not quiet:
        if review.settings.base_url is None:
            print(
                "note: no base URL (site.yaml or --base-url), so sitemap.xml, canonical links and og:url were omitted"
            )
        print(summary(config.out, time.monotonic() - started))
    if timings is not None:
        sys.stdout.flush()  # after the summary, where both go to one place
        print(timings.report(), file=sys.stderr)
    return 0
