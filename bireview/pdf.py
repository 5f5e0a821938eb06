"""The PDF editions: the whole review, one PDF per edition, from the same content and templates.

WeasyPrint lays out HTML and CSS itself (no browser, no TeX): the PDF comes from the very units,
citation macros and reference styles the pages use, with a print stylesheet; it writes a
bookmark per heading, document metadata from <title>/<meta>, tagged PDF/UA for screen readers, and
subsets and embeds the CJK font. A headless browser's print-to-PDF has no outline or PDF/UA tags;
pandoc + LaTeX would need a second copy of the content model and a CJK TeX setup.

Rendering takes seconds, so each PDF is keyed by a digest of its inputs (the print HTML, the
stylesheet, the fonts it can use, WeasyPrint's version); a build whose previous site holds a PDF
with the same key copies it instead of rendering again. Nothing is cached outside the site.
"""

from __future__ import annotations

import hashlib
import json
import logging
import subprocess
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from .config import HTML_LANG, SOURCE_LANG, Config
from .contexts import Views, content_page
from .exports import DOWNLOADS, pdf_path
from .pdf_tags import language_and_link_tags
from .problems import BuildFailed, Problem, relative
from .records import record
from .versions import build_epoch

PRINT_TEMPLATE = "print.html"
PRINT_STYLESHEET = "print.css"  # in templates/, beside the print template
KEYS = f"{DOWNLOADS}/pdf-inputs.json"  # the input digest of each PDF, read back by the next build


@record
class PrintEdition:
    lang: str
    html: str  # the whole edition as one print document

    def key(self, stylesheet: str, fonts: tuple[str, ...], engine: str) -> str:
        digest = hashlib.sha256()
        for part in (self.html, stylesheet, "\n".join(fonts), engine):
            digest.update(part.encode("utf-8") + b"\0")
        return digest.hexdigest()


def cjk_fonts() -> tuple[str, ...]:
    """The font files fontconfig offers for Chinese; empty when there are none (or no fontconfig)."""
    try:
        listed = subprocess.run(["fc-list", ":lang=zh", "file"], capture_output=True, text=True, check=False).stdout
    except OSError:
        return ()
    return tuple(sorted({line.strip().removesuffix(":") for line in listed.splitlines() if line.strip()}))


def font_problem(config: Config) -> Problem:
    stylesheet = config.templates / PRINT_STYLESHEET
    lines = stylesheet.read_text(encoding="utf-8").split("\n") if stylesheet.exists() else []
    line = next((number for number, text in enumerate(lines, start=1) if "font-family" in text), 1)
    return Problem(relative(stylesheet, config.root), line, "pdf/no-cjk-font",
                   "no font with Chinese glyphs is installed (fontconfig lists none for :lang=zh), "
                   "so the PDF would print boxes",
                   "install one, e.g. `apt-get install fonts-noto-cjk`, and build again")


def pdf_files(config: Config, editions: list[PrintEdition], fonts: tuple[str, ...]) -> dict[str, str | bytes]:
    """Each edition's PDF, reused from the previous site where its inputs have not changed."""
    stylesheet = (config.templates / PRINT_STYLESHEET).read_text(encoding="utf-8")
    engine = weasyprint_version()
    previous = previous_keys(config.out)
    files: dict[str, str | bytes] = {}
    keys = {}
    for edition in editions:
        path = pdf_path(edition.lang)
        keys[path] = edition.key(stylesheet, fonts, engine)
        old = config.out / path
        if previous.get(path) == keys[path] and old.is_file():
            files[path] = old.read_bytes()
        else:
            files[path] = render_pdf(edition.html, stylesheet, config.templates)
    files[KEYS] = json.dumps(keys, indent=2, sort_keys=True) + "\n"
    return files


def previous_keys(out: Path) -> dict[str, str]:
    try:
        keys = json.loads((out / KEYS).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return keys if isinstance(keys, dict) else {}


def weasyprint_version() -> str:
    from importlib.metadata import version

    return "weasyprint " + version("weasyprint")


def render_pdf(html: str, stylesheet: str, base: Path) -> bytes:
    """Tagged PDF/UA-1. Dates come from the document's own <meta name="dcterms.created">, and no
    file identifier is written, so the same input gives the same bytes. The print document links
    no stylesheet or image, so nothing is fetched."""
    try:
        import weasyprint  # imported here: only a build that makes PDFs pays for it
    except (ImportError, OSError) as error:  # OSError: Pango's shared libraries are missing
        raise BuildFailed([Problem(f"templates/{PRINT_TEMPLATE}", 1, "pdf/weasyprint",
                                   f"WeasyPrint, which makes the PDF editions, cannot start: {error}",
                                   "install it and Pango: `pip install weasyprint` and "
                                   "`apt-get install libpango-1.0-0 libpangoft2-1.0-0` (scripts/test.sh does both)")])
    logging.getLogger("weasyprint").setLevel(logging.ERROR)
    logging.getLogger("fontTools").setLevel(logging.ERROR)
    document = weasyprint.HTML(string=html, base_url=str(base))
    with language_and_link_tags(html):  # zh-Hans spans tagged, link texts speakable (pdf_tags.py)
        return document.write_pdf(stylesheets=[weasyprint.CSS(string=stylesheet)], pdf_variant="pdf/ua-1",
                                  pdf_identifier=None)


def print_context(views: Views, lang: str) -> dict[str, Any]:
    """The print document's context: every page's context in reading order, then all references."""
    review = views.review
    numbers = views.index.numbers
    return {
        "lang": lang, "html_lang": HTML_LANG[lang],
        "article": review.articles[lang], "original": review.articles[SOURCE_LANG],
        "sections": [content_page(views, lang, alignment) for alignment in review.alignments],
        "references": [views.reference_view(lang, key) for key in sorted(numbers, key=numbers.__getitem__)],
        "created": pdf_date(review),
    }


def pdf_date(review: Any) -> str:
    """The PDFs' creation date: SOURCE_DATE_EPOCH, else the content's last commit (so two builds of the
    same sources are byte-identical); the article's year where neither is known."""
    translation = review.articles["en"].translation if "en" in review.articles else None
    epoch = build_epoch({"en": translation.version if translation else None,
                         "zh": translation.source_version if translation else None})
    if epoch is None:
        return review.articles[SOURCE_LANG].year if SOURCE_LANG in review.articles else ""
    return datetime.fromtimestamp(epoch, tz=timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
