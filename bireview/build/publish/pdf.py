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
import mimetypes
import stat
import subprocess
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from bireview.build.kinds import Views, content_page
from bireview.build.publish.downloads import DOWNLOADS, pdf_path
from bireview.build.publish.pdf_tags import language_and_link_tags
from bireview.config import HTML_LANG, SOURCE_LANG, Config
from bireview.problems import BuildFailed, Problem, relative
from bireview.records import record
from bireview.translate.versions import build_epoch

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
    return Problem(
        relative(stylesheet, config.root),
        line,
        "pdf/no-cjk-font",
        "no font with Chinese glyphs is installed (fontconfig lists none for :lang=zh), so the PDF would print boxes",
        "install one, e.g. `apt-get install fonts-noto-cjk`, and build again",
    )


def pdf_files(
    config: Config, editions: list[PrintEdition], fonts: tuple[str, ...], site: Path
) -> dict[str, str | bytes]:
    """Each edition's PDF, reused from the previous site where its inputs have not changed. `site` is
    the staging folder of the site being built: the only files a PDF may take in (see `SiteFetcher`)."""
    stylesheet = (config.templates / PRINT_STYLESHEET).read_text(encoding="utf-8")
    engine = weasyprint_version()
    previous = previous_keys(config.out)
    files: dict[str, str | bytes] = {}
    keys = {}
    refused: list[str] = []
    for edition in editions:
        path = pdf_path(edition.lang)
        keys[path] = edition.key(stylesheet, fonts, engine + static_digest(config.static))
        old = config.out / path
        if previous.get(path) == keys[path] and old.is_file():
            files[path] = old.read_bytes()
        else:
            files[path] = render_pdf(
                edition.html,
                stylesheet,
                page_url(site, edition.lang),
                lambda: site_fetcher(site, config.static, refused),
            )
    if refused:
        raise BuildFailed(
            [
                Problem(
                    f"templates/{PRINT_TEMPLATE}",
                    1,
                    "pdf/outside-site",
                    f"the PDF edition asks for '{url}', which is not a file of the site",
                    "link and show only the site's own files (static/…) in the text and templates",
                )
                for url in sorted(set(refused))
            ]
        )
    files[KEYS] = json.dumps(keys, indent=2, sort_keys=True) + "\n"
    return files


def page_url(site: Path, lang: str) -> str:
    """Where the print document stands in the site: as deep as a content page ({lang}/{slug}/index.html),
    so that the relative paths of its text lead where they lead from the page."""
    return (site / lang / "pdf" / "index.html").as_uri()


def static_digest(static: Path) -> str:
    """What the static files hold: an image the text shows is part of the PDF."""
    digest = hashlib.sha256()
    if static.is_dir():
        for path in sorted(static.rglob("*")):
            if path.is_file() and not path.is_symlink():
                digest.update(path.relative_to(static).as_posix().encode("utf-8", "surrogateescape") + b"\0")
                digest.update(path.read_bytes() + b"\0")
    return digest.hexdigest()


def previous_keys(out: Path) -> dict[str, str]:
    try:
        keys = json.loads((out / KEYS).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return keys if isinstance(keys, dict) else {}


def weasyprint_version() -> str:
    from importlib.metadata import version

    return "weasyprint " + version("weasyprint")


def site_file(url: str, site: Path, static: Path) -> Path | None:
    """The file a URL of the print document names, if it is one of the site's: a file written into the
    staging folder, or one of static/ (copied into it when the pages are done). Anything else, another
    scheme, a path outside, a symbolic link that leads out, a FIFO or a device, is None."""
    parts = urlsplit(url)
    if parts.scheme != "file" or parts.netloc not in ("", "localhost"):
        return None
    path = Path(unquote(parts.path))
    try:
        inside = path.resolve().relative_to(site.resolve())
    except (ValueError, OSError):
        return None
    if inside.parts[:1] == ("static",):
        path = static.joinpath(*inside.parts[1:])
        try:
            path.resolve().relative_to(static.resolve())
        except (ValueError, OSError):
            return None
    try:
        return path if stat.S_ISREG(path.stat().st_mode) and not path.is_symlink() else None
    except OSError:
        return None


def site_fetcher(site: Path, static: Path, refused: list[str]) -> Any:
    """A WeasyPrint URL fetcher that serves the site's own files and refuses everything else (no
    network, no file of this computer), and the list of what it refused: WeasyPrint's default
    fetcher follows any URL, so a link with rel=attachment or an image put a local file into the PDF."""

    def read(url: str) -> tuple[bytes, str]:
        path = site_file(url, site, static)
        if path is None:
            refused.append(url)
            raise ValueError(f"not a file of the site: {url}")
        return path.read_bytes(), mimetypes.guess_type(path.name)[0] or "application/octet-stream"

    try:
        from weasyprint.urls import URLFetcher, URLFetcherResponse
    except ImportError:  # WeasyPrint before its URLFetcher class takes a function that returns a dict
        import weasyprint

        def fetch(url: str, timeout: int = 10, ssl_context: object = None) -> dict[str, Any]:
            if url.startswith("data:"):
                fetched: dict[str, Any] = weasyprint.default_url_fetcher(url)
                return fetched
            body, kind = read(url)
            return {"string": body, "mime_type": kind, "redirected_url": url}

        return fetch

    class SiteFetcher(URLFetcher):
        def fetch(self, url: str, headers: object = None) -> Any:
            if url.startswith("data:"):
                return super().fetch(url, headers)
            body, kind = read(url)
            return URLFetcherResponse(url, body=body, headers={"Content-Type": kind})

    return SiteFetcher(timeout=5, allowed_protocols=("file", "data"), allow_redirects=False)


def render_pdf(html: str, stylesheet: str, base_url: str, make_fetcher: Callable[[], Any]) -> bytes:
    """Tagged PDF/UA-1. Dates come from the document's own <meta name="dcterms.created">, and no
    file identifier is written, so the same input gives the same bytes. Every resource is fetched
    through the fetcher `make_fetcher` makes, which serves only the site's own files."""
    try:
        import weasyprint  # imported here: only a build that makes PDFs pays for it
    except (ImportError, OSError) as error:  # OSError: Pango's shared libraries are missing
        raise BuildFailed(
            [
                Problem(
                    f"templates/{PRINT_TEMPLATE}",
                    1,
                    "pdf/weasyprint",
                    f"WeasyPrint, which makes the PDF editions, cannot start: {error}",
                    "install it and Pango: `pip install weasyprint` and "
                    "`apt-get install libpango-1.0-0 libpangoft2-1.0-0` (scripts/test.sh does both)",
                )
            ]
        ) from error
    logging.getLogger("weasyprint").setLevel(logging.ERROR)
    logging.getLogger("fontTools").setLevel(logging.ERROR)
    fetcher = make_fetcher()
    document = weasyprint.HTML(string=html, base_url=base_url, url_fetcher=fetcher)
    with language_and_link_tags(html):  # zh-Hans spans tagged, link texts speakable (pdf_tags.py)
        pdf: bytes = document.write_pdf(
            stylesheets=[weasyprint.CSS(string=stylesheet, url_fetcher=fetcher)],
            pdf_variant="pdf/ua-1",
            pdf_identifier=None,
        )
        return pdf


def print_context(views: Views, lang: str) -> dict[str, Any]:
    """The print document's context: every page's context in reading order, then all references."""
    review = views.review
    numbers = views.index.numbers
    return {
        "lang": lang,
        "html_lang": HTML_LANG[lang],
        "article": review.articles[lang],
        "original": review.articles[SOURCE_LANG],
        "sections": [content_page(views, lang, alignment) for alignment in review.alignments],
        "references": [views.reference_view(lang, key) for key in sorted(numbers, key=numbers.__getitem__)],
        "created": pdf_date(review),
    }


def pdf_date(review: Any) -> str:
    """The PDFs' creation date: SOURCE_DATE_EPOCH, else the content's last commit (so two builds of the
    same sources are byte-identical); the article's year where neither is known."""
    translation = review.articles["en"].translation if "en" in review.articles else None
    epoch = build_epoch(
        {"en": translation.version if translation else None, "zh": translation.source_version if translation else None}
    )
    if epoch is None:
        return review.articles[SOURCE_LANG].year if SOURCE_LANG in review.articles else ""
    return datetime.fromtimestamp(epoch, tz=UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
