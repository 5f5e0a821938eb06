"""The Markdown dialect: the id lines the generator writes are read exactly as the attrs plugin reads them."""

from __future__ import annotations

import os

from hypothesis import given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt

from bireview.model.markdown import make_markdown


def without_fast_id_lines() -> MarkdownIt:
    md = make_markdown()
    md.block.ruler.disable("id_line")
    return md


FAST, PLUGIN = make_markdown(), without_fast_id_lines()


def tokens(md: MarkdownIt, text: str) -> list[tuple]:
    return [
        (
            t.type,
            t.tag,
            t.nesting,
            t.level,
            t.map,
            t.content,
            t.info,
            dict(t.attrs),
            t.meta,
            [(c.type, c.content, dict(c.attrs)) for c in t.children or ()],
        )
        for t in md.parse(text)
    ]


IDS = st.from_regex(r"[A-Za-z][A-Za-z0-9_\-]{0,8}", fullmatch=True)
SOURCES = st.from_regex(r"[0-9a-f\-]{0,12}(,[0-9a-f\-]{0,12}){0,3}", fullmatch=True)
# id lines as the generator writes them, and near misses that the plugin's own parser must read


def id_line(indent: str, name: str, source: str, quoted: bool, tail: str) -> str:
    written = f' source="{source}"' if quoted else f" source={source}" if source else ""
    return f"{indent}{{#{name}{written}}}{tail}"


ID_LINES = st.builds(
    id_line,
    st.sampled_from(["", " ", "   ", "    ", "\t"]),
    IDS,
    SOURCES,
    st.booleans(),
    st.sampled_from(["", " ", "\t", " x", "}"]),
)
OTHER_LINES = st.sampled_from(
    [
        "{#a .b}",
        "{.c}",
        '{#a source="x y"}',
        "{ #a }",
        "{#a  source=b}",
        '{#a source=""}',
        "Text [@key] and 10^6^.",
        "- item",
        "> quote {#q}",
        "",
        "| a | b |\n|---|---|\n| 1 | 2 |",
        "# Heading",
        "    code {#c}",
        "1. one",
        "{#-bad}",
        "{#é}",
    ]
)


@settings(max_examples=int(os.environ.get("BIREVIEW_FUZZ", "300")), deadline=None)
@given(
    st.lists(st.one_of(ID_LINES, OTHER_LINES), min_size=1, max_size=12),
    st.lists(st.sampled_from(["\n", "\n\n"]), min_size=12, max_size=12),
)
def test_id_lines_read_as_the_attrs_plugin_reads_them(lines: list[str], breaks: list[str]) -> None:
    text = "".join(line + brk for line, brk in zip(lines, breaks, strict=False))
    assert tokens(FAST, text) == tokens(PLUGIN, text)


def test_the_fast_rule_reads_the_lines_the_generator_writes() -> None:
    """Else the property above would hold with the rule never used."""
    state_lines = []
    rule = next(rule for rule in FAST.block.ruler.__rules__ if rule.name == "id_line").fn

    def spy(state, start, end, silent):  # type: ignore[no-untyped-def]
        taken = rule(state, start, end, silent)
        if taken:
            state_lines.append(start)
        return taken

    md = make_markdown()
    md.block.ruler.at("id_line", spy)
    text = (
        '{#ra-7 source="a1b2c3d4e5,-,0f9e8d7c6b"}\n- one\n- two\n\n'
        "{#ra-8 source=a1b2c3d4e5}\nText.\n\n{#ra-9}\n# Heading\n"
    )
    parsed = md.parse(text)
    assert state_lines == [0, 4, 7]
    assert [t.attrs for t in parsed if t.type.endswith("_open") and t.level == 0] == [
        {"id": "ra-7", "source": "a1b2c3d4e5,-,0f9e8d7c6b"},
        {"id": "ra-8", "source": "a1b2c3d4e5"},
        {"id": "ra-9"},
    ]
