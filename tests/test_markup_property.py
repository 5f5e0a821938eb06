"""Property (issue 22): text that looks like markup, wherever a translator or an author can write it (a
catalogue's msgstr, a page title, an imported translation), is text on every page: no built page holds an
element or an attribute that the templates do not write for the clean site, no event handler, no
`javascript:` link."""

from __future__ import annotations

import contextlib
import io
import json
import re
import shutil
from pathlib import Path

import pytest
from conftest import make_scenario, run
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import html as lxml_html

# What an attacker writes, joined with random characters of the same kind. Not among them: what Markdown
# turns into markup by design (*, _, `, [, ], @, and : inside <…>, an autolink), since a translator may
# write emphasis and an author links; the attribute allow-list (test_hostile_input.py) covers links.
FRAGMENTS = (
    "<script>alert(1)</script>",
    '<img src=x onerror="alert(1)">',
    '"><svg onload=alert(1)>',
    "<!--",
    "-->",
    "<!--<script>",
    "</title>",
    "</script>",
    "<style>body{display:none}</style>",
    "' onmouseover='x",
    '" autofocus onfocus="x',
    "javascript:alert(1)",
    "&lt;b&gt;",
    "&amp;",
    "<iframe srcdoc='x'>",
    "{onclick=x}",
    '{.x style="a"}',
    "<a href=javascript:x>y</a>",
    "\u2028",
    "<base href=//x>",
    "<meta http-equiv=refresh content=0>",
    "${x}",
    "{{ 7*7 }}",
    "{% raw %}",
    "%(x)s",
)


def text(alphabet: str) -> st.SearchStrategy[str]:
    return st.lists(
        st.one_of(st.sampled_from(FRAGMENTS), st.text(alphabet=alphabet, max_size=6)), min_size=1, max_size=5
    ).map("".join)


TEXT = text("abcXYZ 019<>\"'&/=!-;中文")
ENGLISH = text("abcXYZ 019<>\"'&/=!-;")  # Chinese in an English unit is marked as such, by design


def signature(site: Path) -> dict[str, set[tuple[str, str]]]:
    """Every page's elements and attributes, as (tag, attribute) pairs ('' for the element itself)."""
    pages = {}
    for path in sorted(site.rglob("*.html")):
        tree = lxml_html.fromstring(path.read_bytes())
        pairs = set()
        for element in tree.iter():
            if not isinstance(element.tag, str):
                continue  # a comment the templates wrote
            pairs.add((element.tag, ""))
            pairs.update((element.tag, name) for name in element.attrib)
            assert not any(name.lower().startswith("on") for name in element.attrib), (path, element.attrib)
            assert not str(element.get("href", "")).strip().lower().startswith("javascript:"), path
        pages[path.relative_to(site).as_posix()] = pairs
    return pages


def po_quoted(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)  # the escapes PO shares with JSON: \\ \" \n \t and \u2028 as is


def written_site(scenario: Path, root: Path, catalogue: str, title: str, target: str) -> tuple[Path, str]:
    """The scenario with `catalogue` as a msgstr, `title` in a Chinese title and `target` imported as
    the English of a paragraph, built without PDFs; and what the commands printed."""
    shutil.copytree(scenario, root, ignore=shutil.ignore_patterns("_site", "translations"))
    po = root / "locale/zh/LC_MESSAGES/messages.po"
    po.write_text(
        po.read_text(encoding="utf-8").replace('msgstr "参考文献"', f"msgstr {po_quoted('参考 ' + catalogue)}"),
        encoding="utf-8",
    )
    page = root / "content/zh/ra.md"
    page.write_text(
        page.read_text(encoding="utf-8").replace("title: 类风湿关节炎", f"title: {json.dumps('类 ' + title)}", 1),
        encoding="utf-8",
    )
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed), contextlib.redirect_stderr(printed):
        assert run(root, "export", "--format", "po", "--page", "ra") == 0
        exported = root / "translations" / "ra.po"
        text = exported.read_text(encoding="utf-8")
        block = text[text.index('msgctxt "ra-1') :]
        old = block[: block.index("\n\n") if "\n\n" in block else len(block)]
        placeholders = " ".join(
            sorted(set(re.findall(r"\{[a-z]+\d+\}", old[old.index("msgid ") : old.index("msgstr ")])))
        )
        english = f"Dose {placeholders} " + target.replace("{", "(").replace("}", ")")
        exported.write_text(
            text.replace(old, old[: old.index("msgstr ")] + "msgstr " + po_quoted(english)), encoding="utf-8"
        )
        run(root, "import", str(exported))  # a target Markdown would read as another block is refused: fine
        assert run(root, "--no-pdf", "build") == 0, printed.getvalue()
    return root / "_site", printed.getvalue()


@pytest.fixture(scope="module")
def scenario(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_scenario(tmp_path_factory.mktemp("scenario"), "translated")


@pytest.fixture(scope="module")
def clean(tmp_path_factory: pytest.TempPathFactory, scenario: Path) -> dict[str, set[tuple[str, str]]]:
    """The same edits with plain words: the elements and attributes the templates write for them."""
    site, _ = written_site(scenario, tmp_path_factory.mktemp("clean") / "site", *["plain text, in words"] * 3)
    return signature(site)


@settings(
    max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow]
)
@given(catalogue=TEXT, title=TEXT, target=ENGLISH)
def test_markup_looking_text_is_text_on_every_page(
    tmp_path_factory: pytest.TempPathFactory,
    scenario: Path,
    clean: dict[str, set[tuple[str, str]]],
    catalogue: str,
    title: str,
    target: str,
) -> None:
    site, printed = written_site(
        scenario, tmp_path_factory.mktemp("markup") / "site", catalogue.replace("%", "%%"), title, target
    )
    found = signature(site)
    assert found.keys() == clean.keys()
    for path, pairs in found.items():
        assert pairs <= clean[path], (path, sorted(pairs - clean[path]), printed)
