"""`status`: where the translation stands, as text, JSON or an HTML report."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

from bireview.config import Config
from bireview.model.alignment import PageAlignment, Status
from bireview.model.review import Review
from bireview.problems import raise_if_any, relative

if TYPE_CHECKING:
    from bireview.translate.history import ChineseHistory

from bireview.commands import load_or_fail


def status_command(config: Config, output: str, strict: bool, diff: bool = False) -> int:
    from bireview.translate.history import ChineseHistory

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
    from bireview.translate.wordcount import unit_counts

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


def report_command(config: Config, out: Path | None, strict: bool) -> int:
    from bireview.build.output import write_atomic
    from bireview.translate.report import render_report

    review = load_or_fail(config)
    from bireview.build.output import file_problems
    from bireview.translate.report import GENERATOR

    path = (out or config.root / "translations" / "status.html").absolute()
    raise_if_any(file_problems(path, config.root, config.out, lambda head: GENERATOR.encode() in head))
    write_atomic(path, render_report(config, review, path))
    report = status_report(review)
    print(
        f"{relative(path, config.root)}: {report['total']['translated']} translated, "
        f"{report['total']['stale']} stale, {report['total']['missing']} missing"
    )
    return 1 if strict and report["total"]["stale"] + report["total"]["missing"] else 0
