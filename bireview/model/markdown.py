"""The Markdown dialect of the review: CommonMark plus block ids, superscripts and citations.

Each extension is added the way mdit-py-plugins adds its own: one function that
registers one named rule on a MarkdownIt instance.

What the parser renders is a draft: HTML in which what depends on the whole review or on its
templates is left as a placeholder, so that a page is parsed and drafted once, where it is read
(on any core), and finished where it is rendered without parsing it again (render.py finishes it):

    NUL T text NUL     a text run, unescaped (foreign phrases and abbreviations are marked in it)
    NUL C keys NUL     a citation group, its keys separated by spaces (its label needs the numbers)
    NUL H id NUL       a heading's self-link (a template macro; left out where ids are)
    id="NUL I id NUL"  a block's id or its units' (left out where a page shows a block twice)

markdown-it turns every NUL of its input into U+FFFD, so a NUL in a draft is always one of these.
"""

from __future__ import annotations

import re
import sys
from typing import Any

from markdown_it import MarkdownIt
from markdown_it.rules_block import StateBlock
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
            token.meta = {"keys": [sys.intern(key) for key in CITATION_KEY.findall(match.group(1))]}
            token.content = match.group(0)
        state.pos = match.end()
        return True

    md.inline.ruler.before("link", "citation", citation)


# A block's id line as the generator writes it: `{#ra-3}`, or an English block's `{#ra-3 source=a1…}` or
# `{#ra-7 source="a1…,-,b2…"}` (see pages.py), nothing around it but spaces.
ID_LINE = re.compile(r' {0,3}\{#([A-Za-z][\w\-]*)(?: source=(?:([0-9a-f\-]+)|"([0-9a-f,\-]+)"))?\}[ \t]*')


def id_line_plugin(md: MarkdownIt) -> None:
    """Read the id lines the generator writes before every block as `attrs_block_plugin` reads
    them, the same token, without its general parser (which reads a character at a time: 17 µs a
    line, a quarter of the time a translated page took to parse). Any other attribute line is the
    plugin's, after this rule: this one must come first."""

    def id_line(state: StateBlock, start: int, end: int, silent: bool) -> bool:
        if state.sCount[start] - state.blkIndent >= 4:  # an indented code block
            return False
        match = ID_LINE.fullmatch(state.src, state.bMarks[start], state.eMarks[start])
        if match is None:
            return False
        if not silent:
            token = state.push("attrs_block", "", 0)
            source = match.group(2) or match.group(3)
            token.attrs = {"id": match.group(1), "source": source} if source else {"id": match.group(1)}
            token.map = [start, start + 1]
            state.line = start + 1
        return True

    md.block.ruler.before("attr", "id_line", id_line)


# the placeholders of a draft (see the module's text): those a page's views fill in alike (group 1 the
# kind, group 2 the value), and those where they differ (group 1 a block's id, or group 2 a heading's)
FILLED = re.compile("\x00([TC])([^\x00]*)\x00")
PLACED = re.compile(' id="\x00I([^\x00]*)\x00"|\x00H([^\x00]*)\x00')


def draft_plugin(md: MarkdownIt) -> None:
    """Render text runs, citations and heading self-links as placeholders (see the module's text)."""

    def citation(_renderer: Any, tokens: Any, idx: int, _options: Any, _env: Any) -> str:
        return f"\x00C{' '.join(tokens[idx].meta['keys'])}\x00"

    def text(_renderer: Any, tokens: Any, idx: int, _options: Any, _env: Any) -> str:
        return f"\x00T{tokens[idx].content}\x00"

    def heading_close(renderer: Any, tokens: Any, idx: int, options: Any, env: Any) -> str:
        block_id = str(tokens[idx - 2].attrs.get("id", ""))  # heading_open, inline, heading_close
        if block_id.startswith("\x00I"):  # marked by draft()
            block_id = block_id[2:-1]
        closing: str = renderer.renderToken(tokens, idx, options, env)
        return (f"\x00H{block_id}\x00" if block_id else "") + closing

    md.add_render_rule("citation", citation)
    md.add_render_rule("text", text)
    md.add_render_rule("heading_close", heading_close)


def draft(md: MarkdownIt, tokens: list[Any]) -> str:
    """A block's draft: its tokens rendered, with the ids of the block and its units as placeholders."""
    ided = [token for token in tokens if "id" in token.attrs]
    for token in ided:  # marked for the render, then as they were (a copy of each costs more)
        token.attrs = {**token.attrs, "id": f"\x00I{token.attrs['id']}\x00"}
    try:
        html: str = md.renderer.render(tokens, md.options, {})
        return html
    finally:
        for token in ided:
            token.attrs = {**token.attrs, "id": token.attrs["id"][2:-1]}


def make_markdown() -> MarkdownIt:
    """The one parser of the project; what it renders is a draft (see the module's text)."""
    md = MarkdownIt("commonmark", {"html": False})
    md.enable("table")
    md.use(attrs_block_plugin)
    md.use(id_line_plugin)
    md.use(attrs_plugin, spans=True)
    md.use(superscript_plugin)
    md.use(citation_plugin)
    md.use(draft_plugin)
    return md
