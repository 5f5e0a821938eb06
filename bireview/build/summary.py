"""What a build tells the person who ran it: progress on a terminal, and one line at the end."""

from __future__ import annotations

from pathlib import Path
from typing import TextIO

from bireview.config import LANGUAGES


class Progress:
    """The current stage on one line, rewritten in place (terminals only: logs get the summary alone)."""

    def __init__(self, stream: TextIO) -> None:
        self.stream = stream
        self.width = 0

    def __call__(self, stage: str) -> None:
        text = f"building: {stage}…"
        self.stream.write("\r" + text.ljust(self.width))
        self.stream.flush()
        self.width = len(text)

    def done(self) -> None:
        self.stream.write("\r" + " " * self.width + "\r")
        self.stream.flush()


def summary(out: Path, seconds: float) -> str:
    """'built _site: 15 pages zh, 15 pages en, 2 PDFs in 4.1 s', counted from what was written."""
    pages = ", ".join(f"{sum(1 for _ in (out / lang).rglob('*.html'))} pages {lang}" for lang in LANGUAGES)
    pdfs = sum(1 for _ in out.glob("downloads/*.pdf"))
    return f"built {out}: {pages}, {pdfs} PDF{'s' if pdfs != 1 else ''} in {seconds:.1f} s"
