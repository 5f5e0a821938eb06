"""How an edition's templates write values: what they write must be exactly what plain jinja2 and
markupsafe write, however it is made faster (render.output_escape, render.TranslatedStrings)."""

from __future__ import annotations

from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st
from jinja2 import DictLoader, Environment
from markupsafe import Markup, escape

from bireview.build.render import Edition, output_escape

TEMPLATES = {
    "macros.html": '{% macro link(href, label) %}<a href="{{ href }}">{{ label }}</a>{% endmacro %}',
    "page.html": (
        '{% from "macros.html" import link %}'
        '<p title="{{ value }}">{{ value }}</p>'
        "{{ link(value, value) }}"
        "{% set kept %}<b>{{ value }}</b>{% endset %}{{ kept }}"
        '<i>{{ _("Back to %(place)s", place=value) }}</i>'
        '<i>{{ _("%(place)s and %(place)s again", place=value) }}</i>'
        '<i>{{ _("%(n)s%% of %(place)s", n=value, place=value) }}</i>'
        '<i>{{ _("Nothing to fill in") }}</i>'
        '{% set label = _("Back to %(place)s", place=value) %}<i>{{ label }}</i>'
        '{{ link(value, _("Back to %(place)s", place=value)) }}'
        '<i>{{ _("Back to %(place)s", place=value) ~ value }}</i>'
    ),
}

VALUES = st.one_of(
    st.text(alphabet=st.sampled_from("ab <>&\"'中;#x")),
    st.text(),
    st.integers(),
    st.floats(allow_nan=False),
    st.booleans(),
    st.none(),
    st.text(alphabet=st.sampled_from("ab <>&\"'")).map(Markup),
)


def environments() -> tuple[Environment, Environment]:
    """An edition's environment and plain jinja2's, with the same catalogue (none)."""
    made = []
    for kind in (Edition, Environment):
        env = kind(loader=DictLoader(TEMPLATES), autoescape=True, extensions=["jinja2.ext.i18n"])
        env.install_null_translations(newstyle=True)  # type: ignore[attr-defined]
        made.append(env)
    return made[0], made[1]


EDITION, PLAIN = environments()


@settings(max_examples=300, deadline=None)
@given(VALUES)
def test_a_value_is_written_as_markupsafe_escapes_it(value: Any) -> None:
    assert str(output_escape(value)) == str(escape(value))


@settings(max_examples=200, deadline=None)
@given(VALUES)
def test_an_edition_renders_what_plain_jinja2_renders(value: Any) -> None:
    page = EDITION.get_template("page.html")
    assert page.render(value=value) == PLAIN.get_template("page.html").render(value=value)


def test_the_edition_compiles_its_faster_ways_in() -> None:
    """Not only the same output: the faster ways are the ones in use (else the test above proves nothing)."""
    page = EDITION.get_template("page.html")
    assert page.root_render_func.__globals__["escape"] is output_escape
    assert isinstance(page.globals, dict)
    code = EDITION.compile(TEMPLATES["page.html"], raw=True)
    assert "markup_join" in code  # a formatted string joins its pieces where it is a value
    assert code.count(" % ") == 1  # only the one with %% is formatted by `%`
    written = EDITION.compile('<i>{{ _("Back to %(place)s", place=value) }}</i>', raw=True)
    assert "markup_join(" not in written and "'<i>Back to '" in written  # written piece by piece
