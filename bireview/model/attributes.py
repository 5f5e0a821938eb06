"""What the Markdown of a page may put into HTML attributes: an allow-list, and where links and images may point.

An attribute list (`{#id .class lang=en}`, mdit-py-plugins' attrs) could otherwise set any attribute on
a span, a link or an image: `rel=attachment` made WeasyPrint embed a local file in the PDF, `style`
could lay an overlay over the page. Content and imported translations are read by the same parser,
so this one check holds for both: every attribute a page's tokens carry is either one markdown-it
writes itself (a link's href and title, an image's src, alt and title, a cell's alignment, a list's
start) or one of ALLOWED, and every link and image target stays on the web or inside the site.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Iterable
from urllib.parse import unquote, urlsplit

from markdown_it.token import Token

from bireview.problems import Problem

# The attributes an attribute list may set, and the classes it may give (each styled by the templates).
ALLOWED = frozenset({"id", "class", "lang"})
CLASSES = frozenset({"translator-note"})
# What markdown-it itself writes on a token type (an attribute list may not reset these either:
# their values are checked like markdown-it's own).
WRITTEN = {
    "link_open": frozenset({"href", "title"}),
    "image": frozenset({"src", "alt", "title"}),
    "ordered_list_open": frozenset({"start"}),
    "th_open": frozenset({"style"}),
    "td_open": frozenset({"style"}),
}
BLOCK_KEYS = frozenset({"id", "source"})  # a block's id line: `{#ra-3 source=…}`
ID = re.compile(r"[A-Za-z][\w\-]*")
LANG = re.compile(r"[A-Za-z]{2,3}(?:-[A-Za-z0-9]{1,8})*")
ALIGNMENT = re.compile(r"text-align:(?:left|center|right)")
START = re.compile(r"[0-9]{1,9}")
WEB_SCHEMES = frozenset({"http", "https", "mailto"})
PAGE_FOLDER = "lang/page"  # where a content page's links are resolved from: {lang}/{slug}/index.html

FIX = "an attribute list may set only id, lang and class (" + ", ".join(sorted(CLASSES)) + "); remove the others"


def attribute_problems(tokens: Iterable[Token], rel: str, first_line: int) -> list[Problem]:
    """Every attribute of a block's tokens (the block's own and its inline tokens') that the
    allow-list refuses, and every link or image that leaves the web and the site."""
    problems: list[Problem] = []
    for token in tokens:
        line = first_line + (token.map[0] if token.map else 0)
        if token.attrs and token.nesting == 1 and token.type not in WRITTEN and not token.children:
            for name in token.attrs:
                if name not in BLOCK_KEYS:
                    problems.append(
                        Problem(rel, line, "markup/attribute", f"a block cannot carry the attribute '{name}'", FIX)
                    )
        elif token.attrs:
            problems += token_problems(token, rel, line)
        for child in token.children or ():
            if child.attrs:
                problems += token_problems(child, rel, line)
    return problems


def token_problems(token: Token, rel: str, line: int) -> list[Problem]:
    problems = []
    for name, value in token.attrs.items():
        problem = value_problem(token.type, name, str(value))
        if problem is not None:
            problems.append(Problem(rel, line, "markup/attribute", problem[0], problem[1]))
    return problems


def value_problem(kind: str, name: str, value: str) -> tuple[str, str] | None:
    """What is wrong with one attribute of a token of `kind`, or None."""
    if name == "href" and kind == "link_open":
        return target_problem("link", value, web=True)
    if name == "src" and kind == "image":
        return target_problem("image", value, web=False)
    if name in ("alt", "title") and name in WRITTEN.get(kind, ()):
        return None
    if name == "style" and kind in ("th_open", "td_open") and ALIGNMENT.fullmatch(value):
        return None
    if name == "start" and kind == "ordered_list_open" and START.fullmatch(value):
        return None
    if name == "id":
        return (
            None
            if ID.fullmatch(value)
            else (f"the id '{value}' is not a plain name", "use a letter, then letters, digits and hyphens")
        )
    if name == "lang":
        return (
            None
            if LANG.fullmatch(value)
            else (f"the language '{value}' is not a language tag", "use a tag such as zh-Hans or en")
        )
    if name == "class":
        unknown = [name for name in value.split() if name not in CLASSES]
        return (f"the class '{' '.join(unknown)}' is not one the templates style", FIX) if unknown else None
    return f"the attribute '{name}' is not allowed here", FIX


def target_problem(what: str, target: str, web: bool) -> tuple[str, str] | None:
    """A link may point to the web (http, https, mailto) or into the site by a relative path; an image
    only into the site (the PDF editions fetch nothing else, and a reader's browser should not either)."""
    parts = urlsplit(target.strip())
    if parts.scheme or parts.netloc:
        if web and parts.scheme.lower() in WEB_SCHEMES and (parts.netloc or parts.scheme.lower() == "mailto"):
            return None
        where = (
            "a web address (https://…) or a page of the site"
            if web
            else "a file of the site, e.g. ../../static/figure.png"
        )
        return (
            f"the {what} target '{target}' is neither a web address nor a path inside the site",
            f"point it to {where}",
        )
    path = unquote(parts.path)
    if path.startswith("/") or "\\" in path or "\x00" in path:
        return (
            f"the {what} target '{target}' is an absolute path, which names a file of this computer",
            "use a path relative to the page, e.g. ../sle/index.html or ../../static/figure.png",
        )
    if path and posixpath.normpath(posixpath.join(PAGE_FOLDER, path)).startswith(".."):
        return (
            f"the {what} target '{target}' leaves the site",
            "use a path to a page or file of the site, relative to the page",
        )
    return None
