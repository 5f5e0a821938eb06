"""Every interface string in the templates is translated in both Babel catalogues."""

from __future__ import annotations

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po
from conftest import PROJECT


def template_messages() -> set[str]:
    found = extract_from_dir(
        str(PROJECT / "templates"),
        method_map=[("**.html", "jinja2")],
        options_map={"**.html": {"extensions": "jinja2.ext.i18n"}},
    )
    return {message for _, _, message, _, _ in found}


def test_templates_have_interface_strings() -> None:
    assert {"References", "Cited in", "Contents", "Received"} <= template_messages()


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_catalogue_is_complete(lang: str) -> None:
    with (PROJECT / "locale" / lang / "LC_MESSAGES" / "messages.po").open("rb") as stream:
        catalogue = read_po(stream)
    translated = {message.id for message in catalogue if message.id and message.string and not message.fuzzy}
    assert template_messages() - translated == set()


def test_interface_language_matches_the_page(real_site) -> None:
    zh = (real_site / "zh" / "ra" / "index.html").read_text(encoding="utf-8")
    en = (real_site / "en" / "ra" / "index.html").read_text(encoding="utf-8")
    assert ">参考文献<" in zh and ">References<" not in zh
    assert ">References<" in en and "参考文献" not in en.split("<main")[0]
