"""Property: whatever a file of the real review contains, a build ends in a site or in problems, never a traceback.

Hypothesis mutates the real content, bibliography, YAML, catalogues and templates (random bytes, truncation,
random Unicode, deleted lines, values of the wrong type) and checks every outcome: exit 0, or exit 1 with every
line of output a `path:line: problem — fix`; and after a failure the previous site is byte-identical.
"""

from __future__ import annotations

import contextlib
import dataclasses
import io
import os
import re
import shutil
from pathlib import Path

import pytest
from conftest import PROJECT
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from bireview import cli
from bireview.cli import main

INPUTS = ("content", "bib", "data", "templates", "locale", "static")
PROBLEM = re.compile(r"^(--[a-z-]+|[^\s:][^:]*?)(:\d+)?: .+ — .+$")
SUMMARY = re.compile(r"^\d+ problems?; nothing was written\.$")
FILES = [
    *sorted(
        p.relative_to(PROJECT).as_posix()
        for folder in INPUTS[:-1]
        for p in (PROJECT / folder).rglob("*")
        if p.is_file() and p.suffix in (".md", ".bib", ".yaml", ".po", ".html", ".css")
    ),
    "site.yaml",
]
WRONG_VALUES = ("[1, 2]", "42", "true", "{a: b}", "", "null", "2024-01-01", "'x'", "[", '"')


def snapshot(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("mutated") / "project"
    for folder in INPUTS:
        shutil.copytree(PROJECT / folder, root / folder)
    shutil.copy(PROJECT / "site.yaml", root / "site.yaml")
    with without_pdfs():
        assert main(["--root", str(root), "build"]) == 0
    return root


@contextlib.contextmanager
def without_pdfs():
    """The PDF editions take seconds and are tested on their own (test_pdf.py); here every input is mutated."""
    make_config = cli.make_config
    cli.make_config = lambda *args, **kwargs: dataclasses.replace(make_config(*args, **kwargs), pdf=False)
    try:
        yield
    finally:
        cli.make_config = make_config


def mutations() -> st.SearchStrategy:
    position = st.floats(min_value=0, max_value=1)
    return st.one_of(
        st.tuples(st.just("bytes"), position, st.binary(min_size=1, max_size=8)),
        st.tuples(st.just("truncate"), position, st.just(b"")),
        st.tuples(
            st.just("unicode"),
            position,
            st.text(min_size=1, max_size=12).map(lambda t: t.encode("utf-8", "surrogatepass")),
        ),
        st.tuples(st.just("delete-line"), position, st.just(b"")),
        st.tuples(st.just("wrong-type"), position, st.sampled_from(WRONG_VALUES).map(str.encode)),
    )


def mutate(data: bytes, kind: str, where: float, payload: bytes) -> bytes:
    at = int(where * len(data))
    if kind == "bytes" or kind == "unicode":
        return data[:at] + payload + data[at:]
    if kind == "truncate":
        return data[:at]
    lines = data.split(b"\n")
    index = min(int(where * len(lines)), len(lines) - 1)
    if kind == "delete-line":
        return b"\n".join(lines[:index] + lines[index + 1 :])
    keyed = [i for i, line in enumerate(lines) if re.match(rb"^\s*(- )?[A-Za-z_]\w*:\s*\S", line)]
    if not keyed:
        return data
    target = keyed[min(int(where * len(keyed)), len(keyed) - 1)]
    lines[target] = re.sub(rb"^(\s*(?:- )?[A-Za-z_]\w*:\s*).*$", lambda m: m.group(1) + payload, lines[target])
    return b"\n".join(lines)


# CI runs a fixed, derandomized budget; BIREVIEW_FUZZ=500 explores further by hand.
@settings(
    max_examples=int(os.environ.get("BIREVIEW_FUZZ", 60)),
    deadline=None,
    derandomize="BIREVIEW_FUZZ" not in os.environ,
    phases=[Phase.explicit, Phase.generate],
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(relative=st.sampled_from(FILES), change=mutations())
def test_no_input_ends_in_a_traceback(project: Path, relative: str, change: tuple[str, float, bytes]) -> None:
    path = project / relative
    original = path.read_bytes()
    before = snapshot(project / "_site")
    path.write_bytes(mutate(original, *change))
    out, err = io.StringIO(), io.StringIO()
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err), without_pdfs():
            status = main(["--root", str(project), "build"])
    finally:
        path.write_bytes(original)
    lines = err.getvalue().splitlines()
    assert "internal error" not in err.getvalue() and "Traceback" not in err.getvalue(), err.getvalue()
    assert status in (0, 1), err.getvalue()
    if status == 1:
        assert lines and SUMMARY.match(lines[-1]), lines
        assert all(PROBLEM.match(line) for line in lines[:-1]), lines
        assert snapshot(project / "_site") == before
    else:
        assert not lines, lines
        with without_pdfs():
            assert main(["--root", str(project), "build"]) == 0  # back to the real review for the next example
