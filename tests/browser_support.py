"""Helpers for the real-browser tests: the local server, the system Chromium, and what a page load records."""

from __future__ import annotations

import functools
import http.server
import re
import threading
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import yaml

CHROMIUM = "/usr/bin/chromium"
LAUNCH_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
HOST = "127.0.0.1"
NARROW = {"width": 360, "height": 740}
WIDE = {"width": 1280, "height": 800}
# Pages that are not written from content/zh/*.md: one of each per language.
FIXED_PAGES = ("references/index.html", "glossary/index.html", "studies/index.html")


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    """Serves the built site without printing a line per request."""

    def log_message(self, format: str, *args: object) -> None:
        pass


def serve(folder: Path) -> http.server.ThreadingHTTPServer:
    """The folder over HTTP on 127.0.0.1 and a free port, from a daemon thread."""
    handler = functools.partial(QuietHandler, directory=str(folder))
    server = http.server.ThreadingHTTPServer((HOST, 0), handler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, name="site-server", daemon=True).start()
    return server


def front_matter(path: Path) -> dict:
    text = path.read_text(encoding="utf-8")
    match = re.match(r"---\n(.*?)\n---\n", text, re.DOTALL)
    return (yaml.safe_load(match.group(1)) if match else None) or {}


def expected_pages(project: Path) -> list[str]:
    """Every HTML page the build should write, from the Chinese sources (the edition every page derives from)."""
    pages = ["index.html", "404.html"]  # the language chooser; what a static host shows for a missing page
    for lang in ("zh", "en"):
        for source in sorted((project / "content" / "zh").glob("*.md")):
            slug = front_matter(source).get("slug") or source.stem
            if slug == "index":
                pages += [f"{lang}/index.html", f"{lang}/parallel.html"]
            else:
                pages += [f"{lang}/{slug}/index.html", f"{lang}/{slug}/parallel.html"]
        pages += [f"{lang}/{fixed}" for fixed in FIXED_PAGES]
    return pages


def built_pages(site: Path) -> list[str]:
    return sorted(path.relative_to(site).as_posix() for path in site.rglob("*.html"))


def screenshot_name(page_path: str, width: int) -> str:
    """`zh/ra/parallel.html` at 360 px -> `zh-ra-parallel-360.png`; the chooser is `chooser-index-…`."""
    parts = page_path.removesuffix(".html").split("/")
    if parts[0] not in ("zh", "en"):
        parts = ["chooser", *parts]
    return f"{'-'.join(parts)}-{width}.png"


@dataclass
class PageWatch:
    """What went wrong while a page was open: console errors, uncaught exceptions, requests off the host."""

    label: str
    console_errors: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)
    off_host: list[str] = field(default_factory=list)

    def attach(self, page) -> None:
        page.on("console", self._console)
        page.on("pageerror", lambda error: self.page_errors.append(f"{error.name}: {error.message}"))
        page.on("request", self._request)

    def _console(self, message) -> None:
        if message.type == "error":
            where = message.location or {}
            self.console_errors.append(f"{message.text} (at {where.get('url', '?')}:{where.get('lineNumber', '?')})")

    def _request(self, request) -> None:
        parts = urlsplit(request.url)
        if parts.scheme in ("data", "blob", "about"):
            return
        if parts.hostname != HOST:
            self.off_host.append(request.url)

    def problems(self) -> list[str]:
        return (
            [f"console error: {text}" for text in self.console_errors]
            + [f"page error: {text}" for text in self.page_errors]
            + [f"request off 127.0.0.1: {url}" for url in self.off_host]
        )


def describe_violations(violations: list[dict], impacts=("serious", "critical")) -> list[str]:
    """One line per axe violation of the given impacts: id, impact, help, and the node targets."""
    lines = []
    for violation in violations:
        if violation.get("impact") not in impacts:
            continue
        targets = [" ".join(map(str, node.get("target", []))) for node in violation.get("nodes", [])]
        shown = "; ".join(targets[:8]) + (f"; … {len(targets) - 8} more" if len(targets) > 8 else "")
        lines.append(f"{violation['id']} ({violation['impact']}): {violation.get('help', '')} — {shown}")
    return lines


def strip_inline_scripts(route) -> None:
    """Serve the chooser as it is, less its redirecting inline script, so it stays put for axe and screenshots."""
    response = route.fetch()
    body = re.sub(r"<script>.*?</script>", "", response.text(), flags=re.DOTALL)
    route.fulfill(response=response, body=body)


VIEWPORT_BOX = """element => {
  const box = element.getBoundingClientRect();
  return {top: box.top, bottom: box.bottom, left: box.left, right: box.right,
          width: box.width, height: box.height, vw: window.innerWidth, vh: window.innerHeight};
}"""


def in_viewport(element) -> bool:
    """Whether part of the element is inside the viewport (works with JavaScript disabled, unlike expect)."""
    box = element.evaluate(VIEWPORT_BOX)
    return box["height"] > 0 and box["bottom"] > 0 and box["top"] < box["vh"]
