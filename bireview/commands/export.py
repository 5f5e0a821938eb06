"""`export`: XLIFF, PO, TMX or TBX files for translators' tools."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from bireview.config import Config
from bireview.problems import BuildFailed, Problem, raise_if_any, relative

if TYPE_CHECKING:
    pass

from bireview.commands import check_output_folder, check_slugs, load_or_fail


def export_command(config: Config, output: str, slugs: list[str], folder: Path | None, flavour: str = "") -> int:
    """One XLIFF, PO or TMX file per page, or the glossary as one TBX file. `flavour` "omegat": TMX
    placeholders as the PO export's text, which OmegaT matches (see memories.py)."""
    from bireview.build.output import write_atomic
    from bireview.translate.exchange import FORMATS, export_page, po_text, read_exchange_file, xliff_bytes
    from bireview.translate.history import ChineseHistory
    from bireview.translate.imports import pending_units
    from bireview.translate.memories import tbx_bytes, tmx_bytes

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
