"""Bad input: one `path:line: problem — fix` line per problem, exit 1, the previous site untouched."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from conftest import SITES, make_scenario, run

CASES = {
    "unknown_key": "content/zh/ra.md:10: unknown citation key 'nosuch2000key' — "
    "add it to bib/references.bib or fix the key",
    "broken_yaml": "content/zh/ra.md:4: malformed YAML front matter: expected ',' or ']', but got '<stream end>' — "
    "fix the YAML syntax (quote values that contain ':' or start with '[' or '{')",
    "malformed_bib": "bib/extra.bib:1: malformed BibTeX entry '@article{delta2018fourth,' — "
    "check that every field reads 'name = {value},' and that the braces balance",
    "duplicate_slug": "content/zh/rheumatoid.md:3: duplicate slug 'ra', already used by content/zh/ra.md — "
    "give one of the pages another file name or 'slug:'",
    "duplicate_key": "bib/references.bib:1: duplicate citation key 'alpha2020first', first defined at "
    "bib/extra.bib:3 — rename or remove one of the two entries",
    "template_undefined": "templates/overview.html:2: template error: 'editor_name' is undefined — "
    "pass the variable from Python or fix its name in the template",
    "bad_reference_translation": "content/en/references.yaml:4: unknown citation key 'nosuch2000key' — "
    "use a key from bib/references.bib",
    "template_syntax": "templates/macros/notices.html:5: template syntax error: Expected an expression, "
    "got 'end of statement block' — fix the Jinja syntax on that line",
}


def snapshot(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.mark.parametrize("case", sorted(CASES))
def test_bad_input_is_reported_and_the_site_kept(tmp_path: Path, capsys: pytest.CaptureFixture[str], case: str) -> None:
    root = make_scenario(tmp_path)
    assert run(root, "build") == 0
    before = snapshot(root / "_site")
    capsys.readouterr()
    shutil.copytree(SITES / case, root, dirs_exist_ok=True)
    assert run(root, "build") == 1
    errors = capsys.readouterr().err.splitlines()
    assert errors == [CASES[case], "1 problem; nothing was written."]
    assert snapshot(root / "_site") == before
    assert not list(root.glob(".*building")), "the staging folder must not be left behind"


def test_every_problem_of_a_build_is_reported_at_once(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = make_scenario(tmp_path, "unknown_key", "malformed_bib", "duplicate_slug")
    assert run(root, "build") == 1
    errors = capsys.readouterr().err.splitlines()
    assert errors[:-1] == sorted([CASES["malformed_bib"], CASES["duplicate_slug"], CASES["unknown_key"]])
    assert errors[-1] == "3 problems; nothing was written."
    assert not (root / "_site").exists()


def test_a_site_without_an_overview_page_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = make_scenario(tmp_path)
    (root / "content" / "zh" / "index.md").unlink()
    assert run(root, "build") == 1
    assert capsys.readouterr().err.splitlines()[0] == (
        "content/zh/index.md:1: there is no overview page, the home page of each edition — "
        "add content/zh/index.md (its translation goes in content/en/index.md)"
    )


def test_an_error_in_a_reference_style_macro_names_its_template_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Python calls the reference-style macros itself; their errors still point into the template."""
    root = make_scenario(tmp_path)
    macros = root / "templates" / "macros" / "reference.html"
    text = macros.read_text(encoding="utf-8")
    assert "{{ r.title }}[J]" in text.split("\n")[7]
    macros.write_text(text.replace("{{ r.title }}[J]", "{{ r.title }}[J] {{ r.publisher }}", 1), encoding="utf-8")
    assert run(root, "build") == 1
    assert capsys.readouterr().err.splitlines() == [
        "templates/macros/reference.html:8: template error: 'bireview.model.bibliography.Reference object' has no "
        "attribute 'publisher' — pass the variable from Python or fix its name in the template",
        "1 problem; nothing was written.",
    ]
