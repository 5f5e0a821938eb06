"""The one configuration record of a build: where things are and which languages exist."""

from __future__ import annotations

from pathlib import Path

from bireview.records import record

SOURCE_LANG = "zh"
LANGUAGES = ("zh", "en")
# The language tag each edition declares in <html lang> and on mixed-language spans.
HTML_LANG = {"zh": "zh-Hans", "en": "en"}
# What a review is made of, described once: the build's digest, serve's watcher, the check of the input
# files and the `--out` guard all read these.
INPUT_FOLDERS = ("content", "bib", "templates", "static", "locale", "data")
SETTINGS_FILE = "site.yaml"  # optional: where the site is published (settings.py)
INPUT_FILES = (SETTINGS_FILE,)
# The Babel locale used for interface strings and dates.
BABEL_LOCALE = {"zh": "zh_Hans_CN", "en": "en"}


def other_lang(lang: str) -> str:
    """The other edition's language."""
    return next(code for code in LANGUAGES if code != lang)


@record
class Config:
    root: Path
    out: Path
    base_url: str | None = None  # --base-url, which overrides site.yaml's
    pdf: bool = True  # make the PDF editions (serve skips them)

    @property
    def content(self) -> Path:
        return self.root / "content"

    @property
    def bib(self) -> Path:
        return self.root / "bib"

    @property
    def templates(self) -> Path:
        return self.root / "templates"

    @property
    def static(self) -> Path:
        return self.root / "static"

    @property
    def locale(self) -> Path:
        return self.root / "locale"

    @property
    def data(self) -> Path:
        return self.root / "data"

    def content_dir(self, lang: str) -> Path:
        return self.content / lang


def make_config(root: Path, out: Path | None = None, base_url: str | None = None, pdf: bool = True) -> Config:
    """Paths as a shell user means them: `~` expanded, symlinks and `..` resolved."""
    root = root.expanduser().resolve()
    return Config(root=root, out=(out.expanduser() if out else root / "_site").resolve(), base_url=base_url, pdf=pdf)
