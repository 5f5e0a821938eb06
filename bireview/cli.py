"""The commands: build, check, status, scaffold, mark-current, ids, serve. Exit status 1 on problems."""

from __future__ import annotations

import argparse
import importlib
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from bireview.config import Config, make_config
from bireview.problems import BuildFailed, Problem
from bireview.records import record


def main(argv: list[str] | None = None) -> int:
    """Parse, skip a build whose inputs did not change, then run the command through COMMANDS."""
    args = make_parser().parse_args(argv)
    timings = None
    if args.timings:
        from bireview.build.timings import Timings

        timings = Timings()
    config = make_config(args.root, args.out, args.base_url, pdf=not args.no_pdf)
    started = time.monotonic()
    inputs = None
    if args.command in (None, "build") and config.root.is_dir():
        from bireview.build.unchanged import (
            unchanged_build,  # before the libraries load: an unchanged site needs none of them
        )

        unchanged, inputs = unchanged_build(config, args.quiet, started)
        if unchanged:
            if timings is not None:
                sys.stdout.flush()  # after the summary, where both go to one place
                print(
                    f"timings: {timings.clock() - timings.started:.2f} s in all; the site was up to date, "
                    "nothing was built",
                    file=sys.stderr,
                )
            return 0
    name = "status-html" if args.command == "status" and args.format == "html" else args.command or "build"
    module, call, left = COMMANDS[name]
    try:
        if not config.root.is_dir():
            raise BuildFailed(
                [
                    Problem(
                        "--root",
                        0,
                        "root/missing",
                        f"{config.root} is not a folder",
                        "give the project folder, the one holding content/",
                    )
                ]
            )
        # imported late: argument errors and an unchanged build stay fast
        return call(
            importlib.import_module(f"bireview.commands.{module}"),
            args,
            config,
            Invocation(started=started, inputs=inputs, timings=timings),
        )
    except BuildFailed as failure:
        report(failure.problems)
        return 1
    except KeyboardInterrupt:
        print("stopped", file=sys.stderr)
        return 130
    except Exception as error:  # noqa: BLE001 - the last guard: a user sees a message, never a traceback
        print(
            f"bireview: internal error: {type(error).__name__}: {error} — please report this with the command "
            f"you ran; {left}",
            file=sys.stderr,
        )
        return 1


@record
class Invocation:
    """What a command is given besides its arguments: when it started, the inputs' digest if made, the timings."""

    started: float
    inputs: str | None
    timings: Any


Call = Callable[[Any, argparse.Namespace, Config, Invocation], int]
# Each command: its module in bireview/commands/, how it is called, and what an internal error leaves
# as it was (said after the error, and true for that command).
COMMANDS: dict[str, tuple[str, Call, str]] = {
    "build": (
        "build_site",
        lambda m, a, c, i: m.build_command(c, a.quiet, i.inputs, i.started, i.timings),
        "the previous site was left as it was",
    ),
    "check": ("check_site", lambda m, a, c, i: m.check_command(c), "the previous site was left as it was"),
    "status": ("status", lambda m, a, c, i: m.status_command(c, a.format, a.strict, a.diff), "nothing was written"),
    "status-html": (
        "status",
        lambda m, a, c, i: m.report_command(c, a.report_out, a.strict),
        "the report file, if any, is the one from before",
    ),
    "export": (
        "export",
        lambda m, a, c, i: m.export_command(c, a.format, a.page, a.exchange_out, a.flavour),
        "each file is the new export or the one from before",
    ),
    "import": (
        "import_files",
        lambda m, a, c, i: m.import_command(c, a.files, a.partial),
        "the English files are as the import left them: `git status` shows any it changed",
    ),
    "scaffold": (
        "scaffold",
        lambda m, a, c, i: m.scaffold_command(c, a.pages),
        "the English files are as the command left them: `git status` shows any it changed",
    ),
    "mark-current": (
        "mark_current",
        lambda m, a, c, i: m.mark_current_command(c, a.units, a.page),
        "the English files are as the command left them: `git status` shows any it changed",
    ),
    "ids": (
        "ids",
        lambda m, a, c, i: m.ids_command(c),
        "the content files are as the command left them: `git status` shows any it changed",
    ),
    "serve": ("serve", lambda m, a, c, i: m.serve_command(c, a.port), "the site is the last good build's"),
}


def make_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="build.py", description="Build the bilingual review site.")
    parser.add_argument("--root", type=path_option, default=Path.cwd(), help="project folder (default: here)")
    parser.add_argument("--out", type=path_option, default=None, help="output folder (default: ROOT/_site)")
    parser.add_argument(
        "--base-url",
        type=base_url,
        default=None,
        help="the address the site is published at (overrides site.yaml's base_url)",
    )
    parser.add_argument("--quiet", action="store_true", help="print problems only, no progress or summary")
    parser.add_argument(
        "--timings",
        action="store_true",
        help="after a build, print how long each stage took and what each kind of page cost",
    )
    parser.add_argument(
        "--no-pdf",
        action="store_true",
        help="skip the PDF editions (a benchmark's HTML build; the previous PDFs are not kept)",
    )
    commands = parser.add_subparsers(dest="command")
    commands.add_parser("build", help="build the site (the default)")
    commands.add_parser("check", help="build, then verify every link, fragment and translation")
    status = commands.add_parser("status", help="translation status per page")
    status.add_argument("--format", choices=("text", "json", "html"), default="text")
    status.add_argument("--strict", action="store_true", help="exit 1 if anything is stale or missing")
    status.add_argument("--diff", action="store_true", help="show what changed in the Chinese of each stale unit")
    status.add_argument(
        "--out",
        dest="report_out",
        type=path_option,
        default=None,
        help="with --format html: the report file (default: ROOT/translations/status.html)",
    )
    scaffold = commands.add_parser("scaffold", help="add English units for new Chinese units")
    scaffold.add_argument("pages", nargs="*", help="page slugs (default: all)")
    mark = commands.add_parser("mark-current", help="record reviewed English units as current")
    mark.add_argument("units", nargs="*", help="unit ids, e.g. ra-3")
    mark.add_argument("--page", action="append", default=[], help="every translated unit of this page")
    commands.add_parser("ids", help="write the derived {#id} of every block that has none")
    exchange = commands.add_parser("export", help="write XLIFF or PO files for CAT tools, one per page")
    exchange.add_argument(
        "--format",
        choices=("xliff", "po", "tmx", "tbx"),
        default="xliff",
        help="xliff, po: files to translate; tmx: the translation as a memory; tbx: the glossary",
    )
    exchange.add_argument(
        "--for",
        dest="flavour",
        choices=("omegat",),
        default="",
        help="with --format tmx: placeholders as the PO export writes them, which OmegaT matches",
    )
    exchange.add_argument("--page", action="append", default=[], help="only this page (repeatable)")
    exchange.add_argument(
        "--out", dest="exchange_out", type=path_option, default=None, help="folder (default: ROOT/translations)"
    )
    intake = commands.add_parser("import", help="write translated units of XLIFF or PO files into content/en")
    intake.add_argument("files", nargs="+", type=path_option)
    intake.add_argument(
        "--partial",
        action="store_true",
        help="import the units that pass every check, list the others (default: all or nothing)",
    )
    serve = commands.add_parser("serve", help="preview on 127.0.0.1, rebuilding when a source changes")
    serve.add_argument("--port", type=int, default=8000)
    return parser


def path_option(value: str) -> Path:
    """A path as the shell would have read it: `~` is the home folder even where it arrived quoted."""
    return Path(value).expanduser()


def base_url(value: str) -> str:
    from bireview.model.settings import base_url_problem

    problem = base_url_problem(value)
    if problem:
        raise argparse.ArgumentTypeError(problem.replace("'base_url'", "the base URL"))
    return value


def console() -> None:
    """The `bireview` console script."""
    sys.exit(main())


def report(problems: list[Problem]) -> None:
    for problem in problems:
        print(problem, file=sys.stderr)
    print(f"{len(problems)} problem{'s' if len(problems) != 1 else ''}; nothing was written.", file=sys.stderr)
