"""The Markdown dialect of the review: CommonMark plus block ids, superscripts and citations.

Each extension is added the way mdit-py-plugins adds its own: one function that
registers one named rule on a MarkdownIt instance.
"""

from __future__ import annotations

import re

from markdown_it import MarkdownIt
from markdown_it.rules_inline import StateInline
from mdit_py_plugins.attrs import attrs_block_plugin, attrs_plugin
from mdit_py_plugins.superscript import superscript_plugin

# pandoc's citation syntax, the form used here: [@key] or [@key1; @key2]
CITATION = re.compile(r"\[(@[A-Za-z0-9_][\w:.\-]*(?:\s*;\s*@[A-Za-z0-9_][\w:.\-]*)*)\]")
CITATION_KEY = re.compile(r"@([A-Za-z0-9_][\w:.\-]*)")


def citation_plugin(md: MarkdownIt) -> None:
    """Parse `[@a; @b]` into one `citation` token whose meta holds the keys, in order."""

    def citation(state: StateInline, silent: bool) -> bool:
        if state.src[state.pos] != "[":
            return False
        match = CITATION.match(state.src, state.pos)
        if match is None:
            return False
        if not silent:
            token = state.push("citation", "", 0)
            token.meta = {"keys": CITATION_KEY.findall(match.group(1))}
            token.content = match.group(0)
        state.pos = match.end()
        return True

    md.inline.ruler.before("link", "citation", citation)


def make_markdown() -> MarkdownIt:
    """The one parser of the project; its renderer rules for citations are set per render."""
    md = MarkdownIt("commonmark", {"html": False})
    md.enable("table")
    md.use(attrs_block_plugin)
    md.use(attrs_plugin, spans=True)
    md.use(superscript_plugin)
    md.use(citation_plugin)
    return md
