"""`import`: translated units of exchange files written into content/en/."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from bireview.config import Config
from bireview.problems import BuildFailed, raise_if_any, relative

if TYPE_CHECKING:
    pass

from bireview.commands import load_or_fail


def import_command(config: Config, paths: list[Path], partial: bool = False) -> int:
    """Every unit checked, then every file written at once, or none. `partial`: the good units are
    written and the refused ones listed (exit 1 all the same, so that none goes unnoticed)."""
    import sys

    from bireview.translate.edits import write_all
    from bireview.translate.exchange import read_exchange_file
    from bireview.translate.imports import plan_import

    review = load_or_fail(config)
    units, problems = [], []
    for path in paths:
        found_units, found = read_exchange_file(path, config.root)
        units += found_units
        problems += found
    results, found = plan_import(config, review, units)
    problems += found
    if not partial:
        raise_if_any(problems)
    failed = write_all({result.path: result.text for result in results}, config.root)
    if failed and not any(problem.category == "import/restore" for problem in failed):
        raise BuildFailed(failed)  # every file as it was: "nothing was written" is true
    for problem in failed:
        print(problem, file=sys.stderr)
    if failed:
        print("import: interrupted; the files named above were left as they say", file=sys.stderr)
        return 1
    imported = 0
    for result in results:
        drafts = [write.zh.id for write in result.writes if write.draft]
        imported += len(result.writes)
        print(
            f"{relative(result.path, config.root)}: imported {', '.join(w.zh.id for w in result.writes)}"
            + (f" ({len(drafts)} still marked for review: {', '.join(drafts)})" if drafts else "")
        )
    if not results:
        print("import: nothing to change")
    if problems:
        for problem in sorted(problems, key=lambda p: (p.path, p.line, p.message)):
            print(problem, file=sys.stderr)
        print(
            f"import --partial: {imported} unit(s) imported; {len(problems)} problem(s) above, "
            "their units not imported",
            file=sys.stderr,
        )
        return 1
    return 0
