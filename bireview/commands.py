"""What each command does, as a short recipe of pipeline stages."""

from __future__ import annotations

import json

from .config import Config
from .file_edits import mark_current, scaffold, write_ids
from .problems import BuildFailed, Problem, raise_if_any
from .review import Review, load_review
from .translations import Status


def load_or_fail(config: Config) -> Review:
    review, problems = load_review(config)
    raise_if_any(problems)
    return review


def build_command(config: Config, quiet: bool = False) -> int:
    import sys
    import time

    from .site import build, no_progress
    from .summary import Progress, summary

    started = time.monotonic()
    progress = Progress(sys.stdout) if sys.stdout.isatty() and not quiet else no_progress
    review = build(config, progress)
    if isinstance(progress, Progress):
        progress.done()
    if not quiet:
        if review.settings.base_url is None:
            print("note: no base URL (site.yaml or --base-url), so sitemap.xml, canonical links and og:url were omitted")
        print(summary(config.out, time.monotonic() - started))
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


def status_command(config: Config, output: str, strict: bool) -> int:
    review = load_or_fail(config)
    report = status_report(review)
    if output == "json":
        print(json.dumps(report, ensure_ascii=False, indent=2))
    else:
        print(status_text(report))
    unfinished = report["total"]["stale"] + report["total"]["missing"]
    return 1 if strict and unfinished else 0


def status_report(review: Review) -> dict:
    pages = []
    for alignment in review.alignments:
        units = [{"id": pair.zh.id, "status": pair.status.value,
                  "path": alignment.zh.rel, "line": pair.zh.line,
                  "english": f"{alignment.en.rel}:{pair.en.id_line or pair.en.line}"
                  if alignment.en is not None and pair.en is not None else None,
                  "chinese": first_words(pair.zh.text)}
                 for pair in alignment.pairs if pair.status is not Status.TRANSLATED]
        pages.append({"page": alignment.zh.slug,
                      **{status.value: alignment.count(status) for status in Status},
                      "units": units})
    total = {status.value: sum(page[status.value] for page in pages) for status in Status}
    return {"pages": pages, "total": total}


def first_words(text: str, limit: int = 24) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[:limit] + "…"


def status_text(report: dict) -> str:
    rows = [f"{'page':<10} {'translated':>10} {'stale':>6} {'missing':>8}"]
    details = []
    for page in report["pages"]:
        rows.append(f"{page['page']:<10} {page['translated']:>10} {page['stale']:>6} {page['missing']:>8}")
        details += [f"{unit['path']}:{unit['line']}: {unit['status']} {unit['id']}: {unit['chinese']}"
                    + (f" (English at {unit['english']})" if unit["english"] else "")
                    for unit in page["units"]]
    total = report["total"]
    rows.append(f"{'total':<10} {total['translated']:>10} {total['stale']:>6} {total['missing']:>8}")
    return "\n".join(rows + ([""] + details if details else []))


def scaffold_command(config: Config, slugs: list[str]) -> int:
    review = load_or_fail(config)
    check_slugs(review, slugs)
    for alignment in review.alignments:
        if slugs and alignment.zh.slug not in slugs:
            continue
        path = config.content_dir("en") / alignment.zh.source.path.name
        added, incomplete = scaffold(alignment, path)
        if added:
            print(f"{path.relative_to(config.root)}: added {len(added)} block(s) to translate: {', '.join(added)}")
        for block_id in incomplete:
            print(f"{path.relative_to(config.root)}: block '{block_id}' lacks items or cells of the Chinese — "
                  "add them to the English block by hand")
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
        print(f"not marked: {unit_id} has no English text yet — translate it first")
    return 1 if unknown or (refused_all and not slugs) else 0


def check_slugs(review: Review, slugs: list[str]) -> None:
    known = {page.slug for page in review.zh}
    problems = [Problem("content/zh", 0, "page/unknown", f"no page '{slug}'",
                        f"use one of: {', '.join(sorted(known))}") for slug in slugs if slug not in known]
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
