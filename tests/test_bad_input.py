"""Bad input of every kind: one `path:line: problem — fix` per root cause, exit 1, the previous site untouched.

Each case edits a copy of a tiny scenario site the way a user's mistake would, and states the exact
lines a user must see.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import make_scenario, run

import bireview.build.workers
import bireview.model.review

Edit = tuple[str, Callable[[bytes], bytes]]
DELTA = (
    b"\n@article{delta2018fourth,\n  author = {Delta, D},\n  title = {Fourth},\n  journal = {J Test},\n"
    b"  year = {2018},\n  langid = {english}\n}\n"
)
ENCODING_FIX = "save the file as UTF-8 (your editor's 'Save with encoding' menu)"


def replace(old: str, new: str | bytes) -> Callable[[bytes], bytes]:
    def edit(data: bytes) -> bytes:
        assert old.encode() in data, old
        return data.replace(old.encode(), new if isinstance(new, bytes) else new.encode(), 1)

    return edit


def append(extra: str | bytes) -> Callable[[bytes], bytes]:
    return lambda data: data + (extra if isinstance(extra, bytes) else extra.encode())


STUDY = (
    '- id: s1\n  cite: "{cite}"\n  disease: "ra"\n  unit: "ra-1"\n  source_kind: "unspecified"\n'
    "  patients: {patients}\n"
)

CASES: dict[str, tuple[tuple[str, ...], list[Edit], list[str]]] = {
    "content not UTF-8": (
        (),
        [("content/zh/ra.md", replace("剂量", b"\xff\xfe"))],
        [f"content/zh/ra.md:9: byte 0xff is not UTF-8 — {ENCODING_FIX}"],
    ),
    "bib not UTF-8": (
        (),
        [("bib/references.bib", replace("First", b"F\xe9rst"))],
        [f"bib/references.bib:3: byte 0xe9 is not UTF-8 — {ENCODING_FIX}"],
    ),
    "glossary not UTF-8": (
        ("translated",),
        [("data/glossary.yaml", replace("patient", b"pati\xe9nt"))],
        [f"data/glossary.yaml:5: byte 0xe9 is not UTF-8 — {ENCODING_FIX}"],
    ),
    "catalogue not UTF-8": (
        (),
        [("locale/zh/LC_MESSAGES/messages.po", replace('msgstr "参考文献"', b'msgstr "\xff"'))],
        [f"locale/zh/LC_MESSAGES/messages.po:{{po}}: byte 0xff is not UTF-8 — {ENCODING_FIX}"],
    ),
    "template not UTF-8": (
        (),
        [("templates/studies.html", append(b"\n{# \xff #}\n"))],
        [f"templates/studies.html:{{last}}: byte 0xff is not UTF-8 — {ENCODING_FIX}"],
    ),
    "catalogue quote unclosed": (
        (),
        [("locale/zh/LC_MESSAGES/messages.po", replace('msgstr "参考文献"', 'msgstr "参考文献'))],
        [
            "locale/zh/LC_MESSAGES/messages.po:{po}: malformed catalogue line: 'msgstr \"参考文献' — "
            'write msgid "…" / msgstr "…" with both quotes, escaping inner quotes as \\"'
        ],
    ),
    "English cites a key the Chinese never cites": (
        ("translated",),
        [
            ("bib/references.bib", append(DELTA)),
            ("content/en/ra.md", replace("[@gamma2019third]", "[@gamma2019third; @delta2018fourth]")),
        ],
        [
            "content/en/ra.md:8: 'delta2018fourth' is cited here but nowhere in the Chinese edition, "
            "so it has no number — "
            "cite only references that the Chinese text cites; to point at another, name it in a translator's note "
            "without [@…]"
        ],
    ),
    "study cites a key the Chinese never cites": (
        (),
        [
            ("bib/references.bib", append(DELTA)),
            ("data/studies.yaml", append(STUDY.format(cite="delta2018fourth", patients="{zh: 9 例, en: 9}"))),
        ],
        [
            "data/studies.yaml:1: study 's1' cites 'delta2018fourth', which the Chinese edition never cites — "
            "set 'cite' to the key that its paragraph cites"
        ],
    ),
    "study field is a list": (
        (),
        [("data/studies.yaml", append(STUDY.format(cite="gamma2019third", patients="[9, 9]")))],
        [
            "data/studies.yaml:1: study 's1': wrong type: 'patients' is a list, "
            "must be a mapping of 'key: value' lines — "
            "write a mapping of 'key: value' lines there"
        ],
    ),
    "study field is bare text": (
        (),
        [("data/studies.yaml", append(STUDY.format(cite="gamma2019third", patients="9 例")))],
        [
            "data/studies.yaml:1: study 's1': wrong type: 'patients' is text ('9 例'), "
            "must be a mapping of 'key: value' lines — "
            "write a mapping of 'key: value' lines there"
        ],
    ),
    "reference translation authors is a number": (
        (),
        [("content/en/references.yaml", append("beta2021second:\n  authors: 42\n  title: Second\n"))],
        [
            "content/en/references.yaml:1: 'beta2021second': wrong type: 'authors' is a whole number (42), "
            "must be a list of text — write a list of text there"
        ],
    ),
    "glossary abbreviation is a list": (
        ("translated",),
        [("data/glossary.yaml", replace("abbr: RA", "abbr: [RA]"))],
        [
            "data/glossary.yaml:1: wrong type: 'abbr' is a list, must be text — "
            'write text, in quotes if it looks like a number or a date: title: "2024"'
        ],
    ),
    "title is a number": (
        (),
        [("content/zh/ra.md", replace("title: 类风湿关节炎", "title: 2024"))],
        [
            "content/zh/ra.md:2: wrong type: 'title' is a whole number (2024), must be text — "
            'write text, in quotes if it looks like a number or a date: title: "2024"'
        ],
    ),
    "order is true": (
        (),
        [("content/zh/ra.md", replace("order: 1", "order: true"))],
        [
            "content/zh/ra.md:5: wrong type: 'order' is true or false (True), must be a whole number — "
            "write a whole number there"
        ],
    ),
    "template divides by zero": (
        (),
        [("templates/glossary.html", replace("{% block content %}", "{% block content %}{{ 1 // 0 }}"))],
        [
            "templates/glossary.html:{line}: template error: ZeroDivisionError: integer division or modulo by zero — "
            "fix the expression on that line"
        ],
    ),
    "folder named like a content file": (
        (),
        [("content/zh/x.md/notes.txt", lambda _: b"notes")],
        [
            "content/zh/x.md: this is a folder, named like an input file — "
            "rename the folder or move it out of the inputs"
        ],
    ),
    "slug climbs out": (
        (),
        [("content/zh/ra.md", replace("order: 1", 'order: 1\nslug: "../../etc"'))],
        [
            "content/zh/ra.md:6: 'slug:' gives the slug '../../etc', which is not a plain lower-case name — "
            "use lower-case letters, digits and hyphens, e.g. 'pm-dm'"
        ],
    ),
    "slug is ..": (
        (),
        [("content/zh/ra.md", replace("order: 1", 'order: 1\nslug: ".."'))],
        [
            "content/zh/ra.md:6: 'slug:' gives the slug '..', which is not a plain lower-case name — "
            "use lower-case letters, digits and hyphens, e.g. 'pm-dm'"
        ],
    ),
    "slug is a script": (
        (),
        [("content/zh/ra.md", replace("order: 1", 'order: 1\nslug: "javascript:alert(1)"'))],
        [
            "content/zh/ra.md:6: 'slug:' gives the slug 'javascript:alert(1)', which is not a plain "
            "lower-case name — use lower-case letters, digits and hyphens, e.g. 'pm-dm'"
        ],
    ),
    "slug is reserved": (
        (),
        [("content/zh/ra.md", replace("order: 1", "order: 1\nslug: references"))],
        [
            "content/zh/ra.md:6: 'slug:' gives the slug 'references', a name the generator uses itself — "
            "choose another slug (reserved: 404, assets, contents, downloads, en, glossary, index, parallel, "
            "pdf, references, robots, search, sitemap, static, studies, zh)"
        ],
    ),
    # the contents page is made only for a review of more than 40 pages, and its slug is reserved always
    "slug is the contents page's": (
        (),
        [("content/zh/ra.md", replace("order: 1", "order: 1\nslug: contents"))],
        [
            "content/zh/ra.md:6: 'slug:' gives the slug 'contents', a name the generator uses "
            "itself — choose another slug (reserved: 404, assets, contents, downloads, en, "
            "glossary, index, parallel, pdf, references, robots, search, sitemap, static, "
            "studies, zh)"
        ],
    ),
    "file name is not a slug": (
        (),
        [("content/zh/Lupus Page.md", lambda _: "---\ntitle: 狼疮\n---\n".encode())],
        [
            "content/zh/Lupus Page.md:1: the file name gives the slug 'Lupus Page', which is not a "
            "plain lower-case name — use lower-case letters, digits and hyphens, e.g. 'pm-dm'"
        ],
    ),
    "broken Chinese front matter has no follow-ons": (
        ("translated",),
        [("content/zh/ra.md", replace("order: 1", "order: [1"))],
        [
            "content/zh/ra.md:5: malformed YAML front matter: expected ',' or ']', but got '<stream end>' — "
            "fix the YAML syntax (quote values that contain ':' or start with '[' or '{')"
        ],
    ),
    "unclosed quote is reported where it opens": (
        (),
        [("content/zh/ra.md", replace("title: 类风湿关节炎", 'title: "类风湿关节炎'))],
        [
            "content/zh/ra.md:2: malformed YAML front matter: expected <block end>, but found '<scalar>' — "
            "fix the YAML syntax (quote values that contain ':' or start with '[' or '{')"
        ],
    ),
    "duplicate slug with a translation is one problem": (
        ("translated",),
        [("content/zh/rheumatoid.md", lambda _: "---\ntitle: 类风湿\nslug: ra\n---\n\n{#ra-1}\n段落。\n".encode())],
        [
            "content/zh/rheumatoid.md:3: duplicate slug 'ra', already used by content/zh/ra.md — "
            "give one of the pages another file name or 'slug:'"
        ],
    ),
    "deep nesting is reported": (
        (),
        [("content/zh/ra.md", append("\n" + ">" * 1000 + " 深\n"))],
        [
            "content/zh/ra.md:11: the text nests deeper than 20 levels "
            "(quotes or lists inside each other), which cannot be shown — flatten the quotes or lists"
        ],
    ),
}


def apply(root: Path, edits: list[Edit]) -> None:
    for relative, edit in edits:
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(edit(path.read_bytes() if path.exists() else b""))


def snapshot(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.mark.parametrize("case", sorted(CASES))
def test_bad_input_gives_one_line_per_problem(tmp_path: Path, capsys: pytest.CaptureFixture[str], case: str) -> None:
    extra_sites, edits, expected = CASES[case]
    root = make_scenario(tmp_path, *extra_sites)
    catalogue = (root / "locale/zh/LC_MESSAGES/messages.po").read_text(encoding="utf-8").split("\n")
    po_line = catalogue.index('msgstr "参考文献"') + 1
    assert run(root, "build") == 0
    before = snapshot(root / "_site")
    capsys.readouterr()
    apply(root, edits)
    assert run(root, "build") == 1
    errors = capsys.readouterr().err.splitlines()
    last_line = len((root / "templates" / "studies.html").read_bytes().split(b"\n")) - 1
    template_line = next(
        (
            n
            for n, line in enumerate(
                (root / "templates" / "glossary.html").read_text(encoding="utf-8", errors="replace").split("\n"),
                start=1,
            )
            if "1 // 0" in line
        ),
        0,
    )
    assert errors == [
        line.replace("{last}", str(last_line)).replace("{line}", str(template_line)).replace("{po}", str(po_line))
        for line in expected
    ] + [f"{len(expected)} problem{'s' if len(expected) > 1 else ''}; nothing was written."]
    assert snapshot(root / "_site") == before


def test_a_byte_order_mark_is_accepted_everywhere(tmp_path: Path) -> None:
    root = make_scenario(tmp_path, "translated", "studies")
    (root / "data" / "studies.yaml").write_text(
        (root / "data" / "studies.yaml").read_text(encoding="utf-8").split("- id: wrong-ra")[0], encoding="utf-8"
    )
    for relative in (
        "content/zh/ra.md",
        "content/en/ra.md",
        "bib/references.bib",
        "data/glossary.yaml",
        "data/studies.yaml",
        "locale/zh/LC_MESSAGES/messages.po",
    ):
        path = root / relative
        path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())
    assert run(root, "build") == 0
    assert "Rheumatoid arthritis" in (root / "_site" / "en" / "ra" / "index.html").read_text(encoding="utf-8")


@pytest.mark.parametrize("built_before", [False, True])
def test_a_file_that_cannot_be_read_is_named(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, built_before: bool
) -> None:
    """A content file the build may not read (its permissions; the tests run as root, which reads
    anything, so reading it is made to fail) is a problem with its path, not an internal error, both
    where the site was built before (its inputs' digest read first) and where it was not."""
    root = make_scenario(tmp_path)
    if built_before:
        assert run(root, "build") == 0
    before = snapshot(root / "_site") if built_before else {}
    capsys.readouterr()
    unreadable = root / "content" / "zh" / "ra.md"
    read_bytes = Path.read_bytes

    def refuse(path: Path) -> bytes:
        if path == unreadable:
            raise PermissionError(13, "Permission denied", str(path))
        return read_bytes(path)

    monkeypatch.setattr(Path, "read_bytes", refuse)
    assert run(root, "build") == 1
    assert capsys.readouterr().err.splitlines() == [
        "content/zh/ra.md: cannot read the file: Permission denied — "
        "check that the file exists and that you may read it",
        "1 problem; nothing was written.",
    ]
    assert (snapshot(root / "_site") if (root / "_site").exists() else {}) == before


@pytest.mark.parametrize("forked", [False, True])
def test_template_problems_come_with_content_problems(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, forked: bool
) -> None:
    """Templates and catalogues are checked while the content is read: by this process alone, or by
    this process while forked workers read the content files (a long review)."""
    if forked:
        monkeypatch.setattr(bireview.model.review, "PARALLEL_MIN", 0)
        monkeypatch.setattr(bireview.build.workers, "cores", lambda workers=None: 2)
    root = make_scenario(tmp_path, "unknown_key", "template_syntax")
    assert run(root, "build") == 1
    errors = capsys.readouterr().err.splitlines()
    assert [line.split(":")[0] for line in errors[:-1]] == ["content/zh/ra.md", "templates/macros/notices.html"]
    assert errors[-1] == "2 problems; nothing was written."


@pytest.mark.parametrize(
    "text",
    [
        "title: 'unclosed\n",
        "title: a\n\tlevel: 2\n",
        "title: [1, 2\n",
        "title: a: b: c\n",
        "title: a\udc80b\n",
        "title: ok\norder: 3\n",
    ],
)
def test_front_matter_reads_as_pyyaml_reads_it(text: str) -> None:
    """Front matter is parsed by libyaml where PyYAML has it (content.load_yaml): the values, and the
    problems' messages and lines, must be those of PyYAML's own parser, even for text libyaml cannot take."""
    import yaml

    from bireview.model.inputs import yaml_error_line
    from bireview.model.sources import parse_front_matter

    problems: list = []
    parsed = parse_front_matter(text, "content/zh/x.md", problems)
    meta = parsed[0] if parsed is not None else None
    try:
        expected = yaml.safe_load(text)
    except yaml.YAMLError as error:
        line, what = yaml_error_line(error, first_line=2)
        assert meta is None
        assert [(p.line, p.message) for p in problems] == [(line, f"malformed YAML front matter: {what}")]
    else:
        assert (meta, problems) == (expected, [])
        assert parsed is not None and parsed[1] == {  # each key's line, from the parser's marks (line 1 is ---)
            line.split(":")[0]: number for number, line in enumerate(text.split("\n"), start=2) if ":" in line
        }
