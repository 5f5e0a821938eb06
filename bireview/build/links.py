"""Where each page of the site lives, and how one page links to another.

Every link the site writes is relative, so the folder works from file:// and from any
sub-path of a web server. Pages sit at two depths only (`zh/index.html`, `zh/ra/index.html`),
so a link from one page to another depends on the target and the folder of the page it is on,
not on the page itself: `relative_href` is memoised by (folder, target).
"""

from __future__ import annotations

from functools import lru_cache

from bireview.records import record

REFERENCES = "references"
GLOSSARY = "glossary"
STUDIES = "studies"
CONTENTS = "contents"  # the list of every page, made when the navigation shows only a page's neighbourhood
# Pages the generator makes itself; the template names them in the reader's language.
GENERATED = (REFERENCES, STUDIES, GLOSSARY)


@record
class Link:
    label: str
    href: str
    lang: str
    current: bool = False
    slug: str = ""  # the page it leads to, where a template names it
    mark: str = ""  # a link to a paragraph: the paragraph's own part of its label ("¶2"), what a back-link shows


def page_path(lang: str, slug: str) -> str:
    return f"{lang}/index.html" if slug == "index" else f"{lang}/{slug}/index.html"


def parallel_path(lang: str, slug: str) -> str:
    """The side-by-side view of a page lives beside it: zh/ra/parallel.html."""
    return page_path(lang, slug).removesuffix("index.html") + "parallel.html"


def relative_href(from_file: str, to_file: str) -> str:
    """A link that works from any sub-path and from file://, e.g. '../ra/index.html#ra-3'."""
    target, _, fragment = to_file.partition("#")
    if target == from_file and fragment:
        return "#" + fragment
    folder = from_file.rpartition("/")[0]
    href = folder_href(folder, target)
    return href + ("#" + fragment if fragment else "")


@lru_cache(maxsize=65536)
def folder_href(folder: str, target: str) -> str:
    """The path to `target` from a page in `folder` (both site-relative and normalised, so this is
    plain list work: posixpath.relpath resolves against the working directory)."""
    source_dirs = folder.split("/") if folder else []
    parts = target.split("/")
    common = 0
    while common < len(source_dirs) and common < len(parts) - 1 and source_dirs[common] == parts[common]:
        common += 1
    return "/".join([".."] * (len(source_dirs) - common) + parts[common:])
