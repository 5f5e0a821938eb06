"""Reading built pages back as a reader sees them: paragraph text and citation labels."""

from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path


class PageReader(HTMLParser):
    """Text of every `<p id=…>` (without citation labels), each citation label in order, and the text of
    each translator's note."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.paragraphs: dict[str, str] = {}
        self.labels: list[str] = []
        self.notes: list[str] = []
        self.stack: list[tuple[str, str]] = []  # (tag, role) where role is "p:<id>", "cite" or ""
        self.current: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        role = ""
        if tag == "p" and attributes.get("id") and "notice" not in (attributes.get("class") or ""):
            role = "p:" + str(attributes["id"])
            self.current = str(attributes["id"])
            self.paragraphs[self.current] = ""
        elif tag == "span" and "citation" in (attributes.get("class") or "").split():
            role = "cite"
            self.labels.append("")
        elif tag == "span" and "translator-note" in (attributes.get("class") or "").split():
            role = "note"  # a note in a reference entry or a study record: inline, as written
            self.notes.append("")
        elif tag == "li" and str(attributes.get("id") or "").startswith("tn-"):
            role = "note"  # a translator's note of the text, numbered below its paragraph
            self.notes.append("")
        elif tag == "sup" and (attributes.get("class") or "") in ("note-ref", "note-sep"):
            role = "marker"  # a note's number in the sentence: not the text's words
        if tag == "a" and "note-back" in (attributes.get("class") or ""):
            role = "back"
        if tag not in ("br", "img", "meta", "link", "input", "hr"):
            self.stack.append((tag, role))

    def handle_endtag(self, tag: str) -> None:
        while self.stack:
            open_tag, role = self.stack.pop()
            if role.startswith("p:"):
                self.current = None
            if open_tag == tag:
                break

    def in_citation(self) -> bool:
        return any(role == "cite" for _, role in self.stack)

    def handle_data(self, data: str) -> None:
        if any(role == "note" for _, role in self.stack):
            self.notes[-1] += data
        if any(role in ("marker", "back") for _, role in self.stack):
            return
        if self.in_citation():
            self.labels[-1] += data
        elif self.current is not None:
            self.paragraphs[self.current] += data


def read_page(path: Path) -> PageReader:
    reader = PageReader()
    reader.feed(path.read_text(encoding="utf-8"))
    return reader
