"""Verify the built site: every internal link and #fragment resolves to a file and an id."""

from __future__ import annotations

import posixpath
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

from bireview.problems import Problem


class LinkCollector(HTMLParser):
    """Collects a page's ids and its outgoing links with their source lines."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.ids: set[str] = set()
        self.duplicate_ids: list[tuple[str, int]] = []
        self.links: list[tuple[str, int]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        line = self.getpos()[0]
        for name, value in attrs:
            if value is None:
                continue
            if name == "id" and value in self.ids:
                self.duplicate_ids.append((value, line))
            if name in ("id", "name") and (name == "id" or tag == "a"):
                self.ids.add(value)
            elif name in ("href", "src"):
                self.links.append((value, line))


def scan(out: Path) -> dict[str, LinkCollector]:
    pages = {}
    for path in sorted(out.rglob("*.html")):
        collector = LinkCollector()
        collector.feed(path.read_text(encoding="utf-8"))
        pages[path.relative_to(out).as_posix()] = collector
    return pages


def check_links(out: Path) -> list[Problem]:
    pages = scan(out)
    problems = []
    for page, collector in pages.items():
        problems += [
            Problem(
                f"{out.name}/{page}",
                line,
                "html/duplicate-id",
                f"duplicate id '{value}'",
                "give each element its own id (a template renders it twice?)",
            )
            for value, line in collector.duplicate_ids
        ]
        for href, line in collector.links:
            problem = check_link(out, pages, page, href)
            if problem:
                problems.append(
                    Problem(
                        f"{out.name}/{page}",
                        line,
                        "link/broken",
                        problem,
                        "fix the link in the template or the content",
                    )
                )
    return problems


def check_link(out: Path, pages: dict[str, LinkCollector], page: str, href: str) -> str | None:
    parts = urlsplit(href)
    if parts.scheme or parts.netloc:
        return None  # external (https:, mailto:): not ours to resolve offline
    target = (
        page if not parts.path else posixpath.normpath(posixpath.join(posixpath.dirname(page), unquote(parts.path)))
    )
    if target.startswith(".."):
        return f"link '{href}' leaves the site"
    if parts.path.endswith("/") or (out / target).is_dir():
        target = posixpath.join(target, "index.html")
    if not (out / target).exists():
        return f"link '{href}' points to a missing file {target}"
    if parts.fragment and target.endswith(".html") and unquote(parts.fragment) not in pages[target].ids:
        return f"link '{href}' points to a missing #{parts.fragment} in {target}"
    return None
