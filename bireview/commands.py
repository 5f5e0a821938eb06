"""What each command does, as a short recipe of pipeline stages."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .config import Config
from .file_edits import mark_current, scaffold, write_ids
from .problems import BuildFailed, Problem, raise_if_any, relative
from .review import Review, load_review
from .translations import PageAlignment, Status

if TYPE_CHECKING:
    from .history import ChineseHistory
    from .timings import Timings


def load_or_fail(config: Config) -> Review:
    review, problems = load_review(config)
    raise_if_any(problems)
    return review


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

    from .site import build, no_progress
    from .summary import Progress, summary

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


def check_command(config: Config) -> int:
    from .citations import number_citations
    from .linkcheck import check_links
    from .quality import check_studies, check_translations
    from .site import build

    review = build(config)
    problems = check_translations(review, number_citations(review.zh), list(review.terms))
    problems += check_studies(review)
    problems += check_links(config.out)
    for problem in problems:
        print(problem)
    print(f"check: {len(problems)} problem{'s' if len(problems) != 1 else ''}")
    return 1 if problems else 0


def status_command(config: Config, output: str, strict: bool, diff: bool = False) -> int:
    from .history import ChineseHistory

    review = load_or_fail(config)
    report = status_report(review, ChineseHistory(config.root) if diff else None)
    if output == "json":
        print(json.dumps(report, ensure_ascii=False, indent=2))
    else:
        print(status_text(report))
    unfinished = report["total"]["stale"] + report["total"]["missing"]
    return 1 if strict and unfinished else 0


def status_report(review: Review, history: ChineseHistory | None = None) -> dict[str, Any]:
    pages: list[dict[str, Any]] = []
    for alignment in review.alignments:
        changes = history.changes(alignment) if history is not None else {}
        units = [
            {
                "id": pair.zh.id,
                "status": pair.status.value,
                "path": alignment.zh.rel,
                "line": pair.zh.line,
                "english": f"{alignment.en.rel}:{pair.en.id_line or pair.en.line}"
                if alignment.en is not None and pair.en is not None
                else None,
                "chinese": first_words(pair.zh.text),
                **(
                    {"earlier": changes[pair.zh.id].earlier, "diff": changes[pair.zh.id].as_text()}
                    if pair.zh.id in changes
                    else {}
                ),
            }
            for pair in alignment.pairs
            if pair.status is not Status.TRANSLATED
        ]
        pages.append(
            {
                "page": alignment.zh.slug,
                **{status.value: alignment.count(status) for status in Status},
                **source_counts(alignment),
                "units": units,
            }
        )
    total = {status.value: sum(page[status.value] for page in pages) for status in Status}
    sums = {
        measure: {status.value: sum(page[measure][status.value] for page in pages) for status in Status}
        for measure in ("words", "characters")
    }
    return {"pages": pages, "total": total, **sums}


def source_counts(alignment: PageAlignment) -> dict[str, dict[str, int]]:
    """Words and characters of the Chinese per status, as pocount counts the PO export's msgids."""
    from .wordcount import unit_counts

    counts = {
        "words": dict.fromkeys((s.value for s in Status), 0),
        "characters": dict.fromkeys((s.value for s in Status), 0),
    }
    for pair in alignment.pairs:
        words, characters = unit_counts(pair.zh)
        counts["words"][pair.status.value] += words
        counts["characters"][pair.status.value] += characters
    return counts


def first_words(text: str, limit: int = 24) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[:limit] + "…"


def status_text(report: dict[str, Any]) -> str:
    """The status table: units, then the Chinese words and characters, per state (as pocount counts them)."""
    states = ("translated", "stale", "missing")

    def row(name: str, units: dict[str, int], words: dict[str, int], characters: dict[str, int]) -> str:
        return f"{name:<10} {units['translated']:>10} {units['stale']:>6} {units['missing']:>8}   " + "   ".join(
            f"{'':<11} " + " ".join(f"{counts[s]:>{len(s)}}" for s in states) for counts in (words, characters)
        )

    rows = [
        f"{'page':<10} {'translated':>10} {'stale':>6} {'missing':>8}   "
        + "   ".join(f"{measure:<11} " + " ".join(states) for measure in ("words:", "characters:"))
    ]
    details = []
    for page in report["pages"]:
        rows.append(row(page["page"], page, page["words"], page["characters"]))
        details += [
            f"{unit['path']}:{unit['line']}: {unit['status']} {unit['id']}: {unit['chinese']}"
            + (f" (English at {unit['english']})" if unit["english"] else "")
            + (f"\n    what changed: {unit['diff']}" if "diff" in unit else "")
            for unit in page["units"]
        ]
    rows.append(row("total", report["total"], report["words"], report["characters"]))
    return "\n".join([*rows, *(["", *details] if details else [])])


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


def mark_current_command(config: Config, unit_ids: list[str], slugs: list[str]) -> int:
    review = load_or_fail(config)
    check_slugs(review, slugs)
    wanted = set(unit_ids)
    found: set[str] = set()
    refused_all: list[str] = []
    for alignment in review.alignments:
        ids = {pair.zh.id for pair in alignment.pairs}
        if alignment.zh.slug in slugs:
            targets = None
        elif wanted & ids:
            targets = wanted & ids
        else:
            continue
        found |= ids & wanted
        marked, refused = mark_current(alignment, targets)
        refused_all += refused
        if marked:
            print(f"{alignment.zh.slug}: marked current: {', '.join(marked)}")
    unknown = sorted(wanted - found)
    for unit_id in unknown:
        print(f"unknown unit id '{unit_id}' — run `python build.py status` to list unit ids")
    for unit_id in refused_all:
        print(
            f"not marked: {unit_id} has no English text yet (it is missing or still the Chinese) — translate it first"
        )
    return 1 if unknown or (refused_all and not slugs) else 0


def check_slugs(review: Review, slugs: list[str]) -> None:
    known = {page.slug for page in review.zh}
    problems = [
        Problem("content/zh", 0, "page/unknown", f"no page '{slug}'", f"use one of: {', '.join(sorted(known))}")
        for slug in slugs
        if slug not in known
    ]
    if problems:
        raise BuildFailed(problems)


def ids_command(config: Config) -> int:
    review = load_or_fail(config)
    for page in [*review.zh, *review.en.values()]:
        written = write_ids(page)
        if written:
            print(f"{page.rel}: wrote ids {', '.join(written)}")
    return 0


def serve_command(config: Config, port: int) -> int:
    import dataclasses
    import threading

    from .serve import serve

    # a preview rebuilds on every save: the PDF editions (seconds each) are left to `build`
    return serve(dataclasses.replace(config, pdf=False), port, threading.Event())


# -- translators' tools: exchange files and the HTML report ---------------------------------------------
def export_command(config: Config, output: str, slugs: list[str], folder: Path | None, flavour: str = "") -> int:
    """One XLIFF, PO or TMX file per page, or the glossary as one TBX file. `flavour` "omegat": TMX
    placeholders as the PO export's text, which OmegaT matches (see memories.py)."""
    from .exchange import FORMATS, export_page, po_text, read_exchange_file, xliff_bytes
    from .history import ChineseHistory
    from .imports import pending_units
    from .memories import tbx_bytes, tmx_bytes
    from .output import write_atomic

    review = load_or_fail(config)
    check_slugs(review, slugs)
    if flavour == "omegat" and output != "tmx":
        raise BuildFailed(
            [
                Problem(
                    "--for",
                    0,
                    "export/flavour",
                    f"--for omegat applies to --format tmx, not {output}",
                    "give OmegaT the PO export (`--format po`) and its memory (`--format tmx --for omegat`)",
                )
            ]
        )
    folder = (folder or config.root / "translations").resolve()
    check_output_folder(config, folder)
    if output == "tbx":
        path = folder / "glossary.tbx"
        write_atomic(path, tbx_bytes(review.terms, relative(config.data / "glossary.yaml", config.root)))
        print(f"{relative(path, config.root)}: {len(review.terms)} terms")
        return 0
    history = ChineseHistory(config.root)
    files = {folder / f"{a.zh.slug}{FORMATS[output]}": a for a in review.alignments if not slugs or a.zh.slug in slugs}
    problems = []
    for path in (path for path in files if path.exists() and output in ("xliff", "po")):
        units, found = read_exchange_file(path, config.root)
        problems += found + [
            Problem(
                unit.path,
                unit.line,
                "export/unimported",
                f"unit '{unit.id}' holds a translation that was not imported",
                f"import the file first (`python build.py import {unit.path}`), or move it away",
            )
            for unit in pending_units(review, units)
        ]
    raise_if_any(problems)
    for path, alignment in files.items():
        page = export_page(review, alignment, history)
        if output == "tmx":
            write_atomic(path, tmx_bytes(page, plain=flavour == "omegat"))
            print(f"{relative(path, config.root)}: {len(path.read_bytes().split(b'<tu ')) - 1} translation units")
            continue
        shown = relative(path, config.root) if config.root in path.parents else f"path/to/{path.name}"
        text = xliff_bytes(page, shown).decode("utf-8") if output == "xliff" else po_text(page, shown)
        write_atomic(path, text)
        print(f"{relative(path, config.root)}: {len(page.units)} units")
    return 0


def import_command(config: Config, paths: list[Path], partial: bool = False) -> int:
    """Every unit checked, then every file written at once, or none. `partial`: the good units are
    written and the refused ones listed (exit 1 all the same, so that none goes unnoticed)."""
    import sys

    from .exchange import read_exchange_file
    from .file_edits import write_all
    from .imports import plan_import

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


def report_command(config: Config, out: Path | None, strict: bool) -> int:
    from .output import write_atomic
    from .report import render_report

    review = load_or_fail(config)
    from .output import file_problems
    from .report import GENERATOR

    path = (out or config.root / "translations" / "status.html").absolute()
    raise_if_any(file_problems(path, config.root, config.out, lambda head: GENERATOR.encode() in head))
    write_atomic(path, render_report(config, review, path))
    report = status_report(review)
    print(
        f"{relative(path, config.root)}: {report['total']['translated']} translated, "
        f"{report['total']['stale']} stale, {report['total']['missing']} missing"
    )
    return 1 if strict and report["total"]["stale"] + report["total"]["missing"] else 0


def check_output_folder(config: Config, folder: Path) -> None:
    """Translators' files go anywhere but into the sources, the project folder itself or a built site."""
    from .output import folder_problems

    raise_if_any(folder_problems(folder, config.root, config.out))
