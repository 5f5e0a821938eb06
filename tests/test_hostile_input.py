"""Hostile input (issue 22): what content, catalogues, imports, options and the file system may try,
and what the build makes of it: a `path:line` problem and exit 1 with the previous site and every
input byte-identical, never a local file in a PDF, never a script a template did not write."""

from __future__ import annotations

import os
import shutil
import socket
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from conftest import make_scenario, run
from pypdf import PdfReader
from test_bad_input import append, apply, snapshot

from bireview.build.publish.pdf import render_pdf, site_fetcher

SECRET = "SECRET-7f3a9c"
ALLOWED_FIX = "an attribute list may set only id, lang and class (translator-note); remove the others"


def inputs(root: Path) -> dict[str, bytes]:
    return {path: data for path, data in snapshot(root).items() if not path.startswith("_site/")}


def refused(root: Path, capsys: pytest.CaptureFixture[str], edits: list, expected: list[str]) -> None:
    """Build, apply `edits`, build again: exactly `expected` and exit 1, the site and the inputs as they were."""
    assert run(root, "build") == 0
    apply(root, edits)
    site, sources = snapshot(root / "_site"), inputs(root)
    capsys.readouterr()
    assert run(root, "build") == 1
    errors = capsys.readouterr().err.splitlines()
    assert errors == [*expected, f"{len(expected)} problem{'s' if len(expected) > 1 else ''}; nothing was written."]
    assert snapshot(root / "_site") == site
    assert inputs(root) == sources


@pytest.fixture
def secret(tmp_path: Path) -> Path:
    """A file outside the project, as a text file and as an SVG image that shows the same words."""
    folder = tmp_path / "outside"
    folder.mkdir()
    (folder / "secret.txt").write_text(SECRET + "\n", encoding="utf-8")
    (folder / "secret.svg").write_text(
        f'<svg xmlns="http://www.w3.org/2000/svg" width="200" height="20"><text x="0" y="15">{SECRET}</text></svg>',
        encoding="utf-8",
    )
    return folder


def test_attributes_links_and_images_that_leave_the_site_are_problems(
    tmp_path: Path, secret: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = make_scenario(tmp_path)
    depth = "../" * len(secret.parts)
    paragraph = (
        f"\n\n[a]({secret}/secret.txt){{rel=attachment}} ![b]({depth}{str(secret)[1:]}/secret.svg) "
        '[c](https://example.org/){style="position:fixed;inset:0"} [d]{.overlay lang="zh-Hans"} '
        "[e](//example.org/x) ![f](https://example.org/pixel.png)\n"
    )
    line = len((root / "content/zh/ra.md").read_text(encoding="utf-8").split("\n")) + 2
    where = f"content/zh/ra.md:{line}: "
    refused(
        root,
        capsys,
        [("content/zh/ra.md", append(paragraph))],
        [
            f"{where}the attribute 'rel' is not allowed here — {ALLOWED_FIX}",
            f"{where}the attribute 'style' is not allowed here — {ALLOWED_FIX}",
            f"{where}the class 'overlay' is not one the templates style — {ALLOWED_FIX}",
            f"{where}the image target '{depth}{str(secret)[1:]}/secret.svg' leaves the site — "
            "use a path to a page or file of the site, relative to the page",
            f"{where}the image target 'https://example.org/pixel.png' is neither a web address nor a path inside the "
            "site — point it to a file of the site, e.g. ../../static/figure.png",
            f"{where}the link target '//example.org/x' is neither a web address nor a path inside the site — "
            "point it to a web address (https://…) or a page of the site",
            f"{where}the link target '{secret}/secret.txt' is an absolute path, which names a file of this computer — "
            "use a path relative to the page, e.g. ../sle/index.html or ../../static/figure.png",
        ],
    )


def test_the_site_s_own_images_and_links_are_accepted(tmp_path: Path) -> None:
    root = make_scenario(tmp_path)
    apply(
        root,
        [
            (
                "content/zh/ra.md",
                append(
                    "\n\n[图](../../static/favicon.svg){lang=zh-Hans} "
                    "![图标](../../static/favicon.svg) [外](https://example.org/a?b=1#c) "
                    "[信](mailto:editor@example.org) [注]{.translator-note}\n"
                ),
            )
        ],
    )
    assert run(root, "build") == 0
    page = (root / "_site/zh/ra/index.html").read_text(encoding="utf-8")
    assert 'src="../../static/favicon.svg"' in page and 'href="mailto:editor@example.org"' in page


def pdf_with(tmp_path: Path, secret: Path, body: str) -> tuple[bytes, list[str]]:
    site, static = tmp_path / "site", tmp_path / "static"
    (site / "zh").mkdir(parents=True)
    static.mkdir()
    (static / "inside.svg").write_text(
        (secret / "secret.svg").read_text(encoding="utf-8").replace(SECRET, "INSIDE-OK"), encoding="utf-8"
    )
    refusals: list[str] = []
    html = f'<!doctype html><html lang="en"><head><title>t</title></head><body><p>text</p>{body}</body></html>'
    pdf = render_pdf(
        html, "", (site / "zh" / "pdf" / "index.html").as_uri(), lambda: site_fetcher(site, static, refusals)
    )
    return pdf, refusals


def pdf_text(pdf: bytes, tmp_path: Path) -> str:
    path = tmp_path / "read.pdf"
    path.write_bytes(pdf)
    reader = PdfReader(path)
    attached = [data for files in reader.attachments.values() for data in files]
    annotations = [annotation.get_object() for page in reader.pages for annotation in page.get("/Annots") or []]
    attached += [
        annotation["/FS"].get_object()["/EF"].get_object()["/F"].get_object().get_data()
        for annotation in annotations
        if annotation.get("/Subtype") == "/FileAttachment"
    ]
    return "\n".join(
        [page.extract_text() for page in reader.pages] + [data.decode("utf-8", "replace") for data in attached]
    )


def test_a_pdf_takes_in_no_file_outside_the_site(tmp_path: Path, secret: Path) -> None:
    """Whatever reaches the print document, an attachment or an image from outside the site, from
    the file system or the network, is refused and named; the PDF holds none of its bytes."""
    outside = [
        f'<a rel="attachment" href="{(secret / "secret.txt").as_uri()}">a</a>',
        f'<img alt="" src="{(secret / "secret.svg").as_uri()}">',
        f'<img alt="" src="../../../../../../..{secret}/secret.svg">',
        '<img alt="" src="http://127.0.0.1:9/never.png">',
    ]
    pdf, refusals = pdf_with(tmp_path, secret, "".join(outside))
    assert SECRET.encode() not in pdf and SECRET not in pdf_text(pdf, tmp_path)
    assert len(set(refusals)) == 3 and all("secret" in url or "127.0.0.1" in url for url in refusals)


def test_a_pdf_takes_in_the_site_s_own_files(tmp_path: Path, secret: Path) -> None:
    """The control of the test above: the same reading finds a file that the PDF may take in."""
    pdf, refusals = pdf_with(tmp_path, secret, '<a rel="attachment" href="../../static/inside.svg">a</a>')
    assert refusals == [] and "INSIDE-OK" in pdf_text(pdf, tmp_path)


def test_a_print_template_that_asks_for_a_local_file_is_a_problem(
    tmp_path: Path, secret: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = make_scenario(tmp_path)
    image = (secret / "secret.svg").as_uri()
    edit = (
        "templates/print.html",
        lambda data: data.replace(b"</body>", f'<img alt="" src="{image}"></body>'.encode()),
    )
    refused(
        root,
        capsys,
        [edit],
        [
            f"templates/print.html:1: the PDF edition asks for '{image}', which is not a file of the site — "
            "link and show only the site's own files (static/…) in the text and templates"
        ],
    )


@pytest.mark.parametrize(
    "target,problem",
    [
        ("In summary [x](/tmp/secret.txt){rel=attachment}.", "the link target '/tmp/secret.txt' is an absolute path"),
        ("In summary [x](https://example.org){rel=attachment}.", "the attribute 'rel' is not allowed here"),
        (
            "In summary ![x](../../../../../../tmp/secret.svg).",
            "the image target '../../../../../../tmp/secret.svg' leaves",
        ),
        ('In summary [x]{style="position:fixed;inset:0"}.', "the attribute 'style' is not allowed here"),
    ],
)
def test_an_imported_target_meets_the_same_allow_list(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], target: str, problem: str
) -> None:
    from test_exchange import COPIED, PROJECT, edit_po, english_files

    project = tmp_path / "review"
    for folder in COPIED:
        shutil.copytree(PROJECT / folder, project / folder)
    assert run(project, "export", "--format", "po", "--page", "ra") == 0
    edit_po(project / "translations" / "ra.po", "ra-6", target)
    before = english_files(project)
    capsys.readouterr()
    assert run(project, "import", str(project / "translations" / "ra.po")) == 1
    err = capsys.readouterr().err
    assert f": '{'ra-6'}': {problem}" in err and err.endswith("nothing was written.\n")
    assert english_files(project) == before


MARKUP_TEXT = '<img src=x onerror="window.pwned=1"><!--<script>window.pwned=2</script>'


def test_catalogues_and_titles_are_text_in_the_browser(tmp_path: Path) -> None:
    """A catalogue's msgstr and a page title that look like markup are shown as the text they are: in
    Chromium every page keeps its <main> and its text, and nothing of theirs runs."""
    from browser_support import serve
    from test_report_browser import in_browser

    root = make_scenario(tmp_path)
    apply(
        root,
        [
            (
                "locale/zh/LC_MESSAGES/messages.po",
                lambda data: data.replace(
                    b'msgstr "\xe5\x8f\x82\xe8\x80\x83\xe6\x96\x87\xe7\x8c\xae"',  # 参考文献
                    b'msgstr "\xe5\x8f\x82\xe8\x80\x83\xe6\x96\x87\xe7\x8c\xae'
                    + MARKUP_TEXT.replace('"', '\\"').encode()
                    + b'"',
                ),
            ),
            (
                "content/zh/ra.md",
                lambda data: data.replace(
                    b"title: \xe7\xb1\xbb", ("title: '" + MARKUP_TEXT + " \u7c7b").encode(), 1
                ).replace("湿关节炎\n".encode(), "湿关节炎'\n".encode(), 1),
            ),
        ],
    )
    assert run(root, "build") == 0
    server = serve(root / "_site")
    try:

        def check(browser: Any) -> None:  # in a thread of its own: test_browser.py keeps a session open
            page = browser.new_page()
            for path in ("zh/index.html", "zh/ra/index.html", "zh/references/index.html", "zh/ra/parallel.html"):
                page.goto(f"http://127.0.0.1:{server.server_port}/{path}")
                assert page.evaluate("window.pwned") is None, path
                assert page.locator("main").count() == 1, path
                assert page.locator("img[onerror], script:not([src]):not([type])").count() == 0, path
                assert MARKUP_TEXT in page.locator("body").inner_text() or MARKUP_TEXT in page.title(), path

        in_browser(check)
    finally:
        server.shutdown()


def every_file(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and not p.is_symlink() and "/.git/" not in f"/{p.relative_to(folder).as_posix()}"
    }


@pytest.fixture
def built(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A scenario project with its site built, a home folder of its own and a start-up file in it."""
    root = make_scenario(tmp_path)
    home = tmp_path / "home"
    home.mkdir()
    (home / ".bashrc").write_text("# mine\n", encoding="utf-8")
    monkeypatch.setenv("HOME", str(home))
    (root / "build.py").write_text("# the entry point\n", encoding="utf-8")
    assert run(root, "build") == 0
    return root


# Each output option of each command, and what it must refuse (the path relative to the project's parent).
OUTPUTS = {
    "status report over the project's entry point": (
        ["status", "--format", "html", "--out", "site/build.py"],
        "site holds the project itself",
    ),
    "status report over a start-up file": (
        ["status", "--format", "html", "--out", "~/.bashrc"],
        "home is your home folder",
    ),
    "status report into a built site": (
        ["status", "--format", "html", "--out", "site/_site/status.html"],
        "site/_site lies inside the built site",
    ),
    "status report into a source folder": (
        ["status", "--format", "html", "--out", "site/content/status.html"],
        "site/content is the project's source folder 'content'",
    ),
    "status report beside the project's files": (
        ["status", "--format", "html", "--out", "site/status.html"],
        "site holds the project itself",
    ),
    "status report over a folder": (
        ["status", "--format", "html", "--out", "site/templates"],
        "site holds the project itself",
    ),
    "exports into a built site": (
        ["export", "--out", "site/_site/translations"],
        "site/_site/translations lies inside the built site",
    ),
    "exports into another built site": (
        ["export", "--format", "po", "--out", "other/translations"],
        "other/translations lies inside the built site",
    ),
    "exports into the home folder": (["export", "--out", "~"], "home is your home folder"),
    "exports into the project folder": (["export", "--out", "site"], "site holds the project itself"),
    "exports into a source folder": (
        ["export", "--out", "site/static/x"],
        "site/static/x is the project's source folder 'static'",
    ),
}


@pytest.mark.parametrize("case", sorted(OUTPUTS))
def test_every_output_option_refuses_what_the_generator_did_not_make(
    built: Path, case: str, capsys: pytest.CaptureFixture[str]
) -> None:
    args, message = OUTPUTS[case]
    parent = built.parent
    assert run(built, "--out", str(parent / "other"), "build") == 0
    before = every_file(parent)
    capsys.readouterr()
    args = [
        arg if arg.startswith(("-", "~")) or arg in ("status", "export", "html", "po") else str(parent / arg)
        for arg in args
    ]
    assert run(built, *args) == 1
    err = capsys.readouterr().err.splitlines()
    assert err[0].startswith(f"--out: {parent}/{message}") or err[0].startswith(f"--out: {parent / message}"), err
    assert err[0].endswith(" — choose a folder of its own, e.g. translations/") or "choose a new file name" in err[0]
    assert every_file(parent) == before
    assert not (Path.cwd() / "~").exists()


def test_a_status_report_replaces_only_its_own_file(built: Path, capsys: pytest.CaptureFixture[str]) -> None:
    report = built / "translations" / "status.html"
    assert run(built, "status", "--format", "html") == 0
    first = report.read_bytes()
    assert b'<meta name="generator" content="bireview translation status report">' in first
    assert run(built, "status", "--format", "html") == 0  # its own file: replaced
    assert report.read_bytes() == first
    report.write_text("<p>my notes</p>\n", encoding="utf-8")
    assert run(built, "status", "--format", "html") == 1
    assert report.read_text(encoding="utf-8") == "<p>my notes</p>\n"


def special(kind: str) -> Callable[[Path], None]:
    def make(path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        if kind == "fifo":
            os.mkfifo(path)
        elif kind == "socket":
            server = socket.socket(socket.AF_UNIX)
            server.bind(str(path))
            server.close()

    return make


@pytest.mark.parametrize(
    "where,kind,shown",
    [
        ("content/zh/p.md", "fifo", "a named pipe (FIFO)"),
        ("bib/more.bib", "fifo", "a named pipe (FIFO)"),
        ("static/notes.txt", "fifo", "a named pipe (FIFO)"),
        ("data/studies.yaml", "socket", "a socket"),
    ],
)
def test_a_fifo_or_socket_among_the_inputs_is_a_problem_not_a_hang(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], where: str, kind: str, shown: str
) -> None:
    root = make_scenario(tmp_path)
    assert run(root, "build") == 0
    site, sources = snapshot(root / "_site"), inputs(root)
    special(kind)(root / where)
    capsys.readouterr()
    assert run(root, "build") == 1  # a hang would stop the suite: pytest's own timeout is the CI's
    assert capsys.readouterr().err.splitlines() == [
        f"{where}: this is {shown}, not a file the build can read — remove it, or put a regular file in its place",
        "1 problem; nothing was written.",
    ]
    assert snapshot(root / "_site") == site and inputs(root) == sources


@pytest.mark.parametrize("where", ["static/notes.txt", "content/zh/secret.md", "templates/macros/extra.html"])
def test_a_link_that_leads_out_of_the_project_is_a_problem(
    tmp_path: Path, secret: Path, where: str, capsys: pytest.CaptureFixture[str]
) -> None:
    root = make_scenario(tmp_path)
    (root / where).symlink_to(secret / "secret.txt")
    capsys.readouterr()
    assert run(root, "build") == 1
    assert capsys.readouterr().err.splitlines() == [
        f"{where}: this is a link to {secret / 'secret.txt'}, outside the project, whose file would be published — "
        "copy the file into the project instead of linking to it",
        "1 problem; nothing was written.",
    ]
    assert not (root / "_site").exists()


def test_a_link_inside_the_project_is_followed(tmp_path: Path) -> None:
    root = make_scenario(tmp_path)
    (root / "static" / "icon.svg").symlink_to(root / "static" / "favicon.svg")
    assert run(root, "build") == 0
    assert (root / "_site/static/icon.svg").read_bytes() == (root / "static/favicon.svg").read_bytes()


def test_a_file_name_that_is_not_utf8_is_a_problem_at_its_folder(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = make_scenario(tmp_path)
    assert run(root, "build") == 0  # the second build reads the inputs' digest first
    site = snapshot(root / "_site")
    with open(os.fsencode(root / "content" / "zh") + b"/caf\xe9.md", "wb") as handle:
        handle.write(b"---\ntitle: x\n---\n")
    capsys.readouterr()
    assert run(root, "build") == 1
    assert capsys.readouterr().err.splitlines() == [
        "content/zh: the name 'caf\ufffd.md' in this folder is not UTF-8 — rename the file with a UTF-8 name",
        "1 problem; nothing was written.",
    ]
    assert snapshot(root / "_site") == site


@pytest.mark.parametrize("damage", [b"\xff\xfe\x00garbage", b"", b"abc\n", b"0123\nno-base-url\n"])
def test_a_damaged_build_record_is_made_again(tmp_path: Path, damage: bytes) -> None:
    from bireview.build.unchanged import RECORD

    root = make_scenario(tmp_path)
    assert run(root, "build") == 0
    record = (root / "_site" / RECORD).read_bytes()
    (root / "_site" / RECORD).write_bytes(damage)
    assert run(root, "build") == 0
    assert (root / "_site" / RECORD).read_bytes() == record
    assert run(root, "build") == 0  # and the next build finds the site up to date


def test_a_killed_write_leaves_nothing_behind_after_the_next(tmp_path: Path) -> None:
    """`ids` (or any command that edits a content file) killed between writing and renaming leaves
    `.ra.md.XXXXXXXX.part`; the next write of that file removes it, and nothing else."""
    root = make_scenario(tmp_path)
    folder = root / "content" / "zh"
    (folder / ".ra.md.k1l2e3d4.part").write_text("half", encoding="utf-8")
    (folder / ".ra.md.notes.part").write_text("mine", encoding="utf-8")  # not a name mkstemp makes
    page = folder / "ra.md"
    page.write_text(page.read_text(encoding="utf-8").replace("{#ra-1}\n", ""), encoding="utf-8")
    assert run(root, "ids") == 0
    assert "{#ra-1}" in page.read_text(encoding="utf-8")
    assert sorted(path.name for path in folder.glob(".*")) == [".ra.md.notes.part"]


def test_a_record_that_cannot_be_written_after_the_swap_is_said_truly(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import bireview.build.site

    root = make_scenario(tmp_path)

    def full(*_args: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(bireview.build.site, "replace_file", full)
    assert run(root, "build") == 0
    err = capsys.readouterr().err
    assert "the site is built, but its record" in err and "No space left on device" in err
    assert "nothing was written" not in err and (root / "_site" / "zh" / "ra" / "index.html").is_file()


@pytest.mark.parametrize(
    "where,edit,expected",
    [
        (
            "content/zh/ra.md",
            lambda data: data.replace(b"title: ", b'title: "\\0\\u202e', 1).replace(
                "湿关节炎\n".encode(), '湿关节炎"\n'.encode(), 1
            ),
            "content/zh/ra.md:2: the text holds the invisible control character U+0000",
        ),
        (
            "content/zh/ra.md",
            lambda data: data + "\n\n段落\u202e倒序\n".encode(),
            "content/zh/ra.md:{last}: the text holds the invisible control character U+202E",
        ),
        (
            "content/zh/index.md",
            lambda data: data.replace(b"order: 0\n", b"order: 0\ndoi: 10.1000/ab cd\n"),
            "content/zh/index.md:5: the DOI '10.1000/ab cd' is not one",
        ),
        (
            "bib/references.bib",
            lambda data: data.replace(b"  year = {2020},", b"  doi = {https://doi.org/10.1/x},\n  year = {2020},", 1),
            "bib/references.bib:1: entry 'alpha2020first' gives the DOI 'https://doi.org/10.1/x', which is not one",
        ),
    ],
)
def test_invisible_characters_and_malformed_dois_are_problems(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], where: str, edit: Callable[[bytes], bytes], expected: str
) -> None:
    root = make_scenario(tmp_path)
    last = len((root / where).read_bytes().split(b"\n")) + 2
    fix = {"invisible": "delete it (an editor that shows invisible characters finds it)"}
    problems = capsys
    refused(
        root,
        problems,
        [(where, edit)],
        [
            expected.replace("{last}", str(last))
            + " — "
            + (
                fix["invisible"]
                if "invisible" in expected
                else "write the DOI itself, e.g. 10.1186/s13287-018-0903-2: no spaces, no https://doi.org/ before it"
            )
        ],
    )


def real_copy(tmp_path: Path) -> Path:
    from test_exchange import COPIED, PROJECT

    project = tmp_path / "review"
    for folder in COPIED:
        shutil.copytree(PROJECT / folder, project / folder)
    return project


def test_one_bad_slug_in_the_real_review_is_one_problem(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """The study records, the English page and the citations of a page whose slug is wrong still find
    it (under its file's name): the author reads one line, not ten."""
    project = real_copy(tmp_path)
    page = project / "content" / "zh" / "ra.md"
    page.write_text(page.read_text(encoding="utf-8").replace("---\n", '---\nslug: "Bad Slug"\n', 1), encoding="utf-8")
    assert run(project, "--no-pdf", "build") == 1
    assert capsys.readouterr().err.splitlines() == [
        "content/zh/ra.md:2: 'slug:' gives the slug 'Bad Slug', which is not a plain lower-case name — "
        "use lower-case letters, digits and hyphens, e.g. 'pm-dm'",
        "1 problem; nothing was written.",
    ]


def test_check_names_a_link_the_chinese_does_not_have(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """An imported target may bring a link to any site; `check` names each one the Chinese unit lacks."""
    from test_exchange import edit_po

    project = real_copy(tmp_path)
    assert run(project, "export", "--format", "po", "--page", "ra") == 0
    edit_po(project / "translations" / "ra.po", "ra-6", "In summary, see [our offer](https://example.com/buy).")
    assert run(project, "import", str(project / "translations" / "ra.po")) == 0
    line = next(
        n
        for n, text in enumerate((project / "content/en/ra.md").read_text(encoding="utf-8").split("\n"), 1)
        if text.startswith("{#ra-6 ")
    )
    capsys.readouterr()
    assert run(project, "--no-pdf", "check") == 1
    assert (
        f"content/en/ra.md:{line}: 'ra-6' links to https://example.com/buy, which the Chinese does not — "
        "link only where the Chinese links; name another source in words in a translator's note"
        in capsys.readouterr().out.splitlines()
    )


@pytest.mark.parametrize(
    "msgstr,formats", [("参考 {% raw %}", "['% r', '%}']"), ("参考 100%", "none"), ("参考 %(count)s", "['%(count)s']")]
)
def test_a_catalogue_string_with_a_format_its_msgid_lacks_is_a_problem_of_the_catalogue(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], msgstr: str, formats: str
) -> None:
    root = make_scenario(tmp_path)
    po = root / "locale/zh/LC_MESSAGES/messages.po"
    line = po.read_text(encoding="utf-8").split("\n").index('msgid "References"') + 1
    edit = (
        "locale/zh/LC_MESSAGES/messages.po",
        lambda data: data.replace('msgstr "参考文献"'.encode(), f'msgstr "{msgstr}"'.encode()),
    )
    refused(
        root,
        capsys,
        [edit],
        [
            f"locale/zh/LC_MESSAGES/messages.po:{line}: the translation of 'References' has the formats "
            f"{formats}, its msgid none — keep the msgid's "
            "%(name)s placeholders as they are and write %% for a percent sign"
        ],
    )


# The adversarial cases that held before issue 22, kept where they are cheap.
XXE = (
    '<?xml version="1.0"?>\n<!DOCTYPE x [<!ENTITY secret SYSTEM "file://{secret}">'
    '<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">'
    '<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">]>\n'
)


def test_an_xliff_with_external_or_exploding_entities_brings_nothing_in(
    tmp_path: Path, secret: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    project = real_copy(tmp_path)
    assert run(project, "export", "--page", "ra") == 0
    path = project / "translations" / "ra.xlf"
    text = path.read_text(encoding="utf-8")
    text = XXE.format(secret=secret / "secret.txt") + text[text.index("<xliff") :]
    path.write_text(
        text.replace("</source>", "</source><!-- -->", 1).replace(
            "<target", "<target><![CDATA[]]>&secret;&c;</target><target", 1
        ),
        encoding="utf-8",
    )
    before = {p.name: p.read_bytes() for p in (project / "content/en").iterdir()}
    run(project, "import", str(path))
    assert {p.name: p.read_bytes() for p in (project / "content/en").iterdir()} == before
    assert SECRET not in capsys.readouterr().err


def test_a_javascript_link_in_content_is_text(tmp_path: Path) -> None:
    root = make_scenario(tmp_path)
    apply(
        root,
        [
            (
                "content/zh/ra.md",
                append(
                    "\n\n[点](javascript:alert(1)) [点](JaVaScRiPt:alert(1)) "
                    "[点](data:text/html,<script>alert(1)</script>)\n"
                ),
            )
        ],
    )
    assert run(root, "build") == 0
    page = (root / "_site/zh/ra/index.html").read_text(encoding="utf-8")
    assert "[点](javascript:alert(1))" in page and 'href="javascript' not in page.lower() and 'href="data' not in page


def test_serve_never_leaves_the_site(tmp_path: Path, secret: Path) -> None:
    from test_serve import raw_request, serving

    root = make_scenario(tmp_path)
    with serving(root) as port:
        for path in ("/../../../../../../..{}", "/%2e%2e/%2e%2e/%2e%2e/%2e%2e/%2e%2e/%2e%2e/%2e%2e{}", "//..{}"):
            target = path.format(secret / "secret.txt")
            answer = raw_request(
                port, f"GET {target} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n".encode()
            )
            assert SECRET.encode() not in answer and answer.split(b" ")[1] in (b"404", b"400", b"301"), answer[:60]
