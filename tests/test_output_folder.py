"""`--out`: a build replaces only a folder it made itself, never the project, a source or a stranger's files."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from conftest import PROJECT, make_scenario, run

from bireview.build.output import MARKER


def tree(folder: Path) -> dict[str, bytes]:
    """Every file under `folder` (symlinks not followed), with its bytes."""
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and not p.is_symlink()
    }


@pytest.fixture
def project(tmp_path: Path) -> Path:
    root = make_scenario(tmp_path)
    (root / ".git").mkdir()
    (root / ".git" / "HEAD").write_text("ref: refs/heads/main\n", encoding="utf-8")
    (root / "seeds").mkdir()
    (root / "seeds" / "source.txt").write_text("原文\n", encoding="utf-8")
    return root


REFUSED = {
    ".": "holds the project itself",
    "..": "holds the project itself",
    "content": "is the project's source folder 'content' or lies inside it",
    "content/zh": "is the project's source folder 'content' or lies inside it",
    "templates": "is the project's source folder 'templates' or lies inside it",
    "bib": "is the project's source folder 'bib' or lies inside it",
    "static/new": "is the project's source folder 'static' or lies inside it",
    "seeds": "is the project's source folder 'seeds' or lies inside it",
    ".git": "is the project's source folder '.git' or lies inside it",
}


@pytest.mark.parametrize("target", sorted(REFUSED))
def test_a_source_folder_or_the_project_is_refused_and_kept(
    project: Path, capsys: pytest.CaptureFixture[str], target: str
) -> None:
    parent = project.parent
    before = tree(parent)
    assert run(project, "--out", str(project / target), "build") == 1
    err = capsys.readouterr().err.splitlines()
    assert err[0].startswith("--out: ") and REFUSED[target] in err[0] and " — choose a new folder" in err[0]
    assert err[-1] == "1 problem; nothing was written."
    assert tree(parent) == before


def test_home_and_root_are_refused(project: Path, capsys: pytest.CaptureFixture[str], monkeypatch) -> None:
    home = project.parent / "home"
    home.mkdir()
    (home / "notes.txt").write_text("mine", encoding="utf-8")
    monkeypatch.setenv("HOME", str(home))
    assert run(project, "--out", "~", "build") == 1
    assert "is your home folder" in capsys.readouterr().err
    assert (home / "notes.txt").read_text(encoding="utf-8") == "mine"
    assert run(project, "--out", "/", "build") == 1
    assert capsys.readouterr().err.startswith("--out: / is the filesystem root — ")


def test_a_symlink_to_the_project_is_refused(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    link = project.parent / "alias"
    link.symlink_to(project / "content", target_is_directory=True)
    before = tree(project)
    assert run(project, "--out", str(link), "build") == 1
    assert "source folder 'content'" in capsys.readouterr().err
    assert tree(project) == before and link.is_symlink()


def test_an_existing_file_is_refused(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    target = project.parent / "report.txt"
    target.write_text("keep me", encoding="utf-8")
    assert run(project, "--out", str(target), "build") == 1
    assert "is a file, not a folder" in capsys.readouterr().err
    assert target.read_text(encoding="utf-8") == "keep me"
    assert not list(project.parent.glob(".report.txt*"))


def test_a_folder_of_other_files_is_refused(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    target = project.parent / "docs"
    target.mkdir()
    (target / "thesis.tex").write_text("chapter 1", encoding="utf-8")
    assert run(project, "--out", str(target), "build") == 1
    assert "files that this generator did not make" in capsys.readouterr().err
    assert tree(target) == {"thesis.tex": b"chapter 1"}


def test_an_empty_or_own_folder_is_replaced(project: Path) -> None:
    target = project.parent / "public"
    target.mkdir()
    assert run(project, "--out", str(target), "build") == 0
    assert (target / MARKER).is_file() and (target / "zh" / "ra" / "index.html").is_file()
    assert oct(target.stat().st_mode & 0o777) == "0o755"
    (target / "stale.html").write_text("old", encoding="utf-8")
    assert run(project, "--out", str(target), "build") == 0
    assert not (target / "stale.html").exists()  # its own folder is replaced whole
    assert sorted(p.name for p in project.parent.iterdir() if p.name.startswith(".public")) == [".public.lock"]


def test_leftovers_of_a_killed_build_are_cleaned(project: Path) -> None:
    out = project / "_site"
    assert run(project, "build") == 0
    killed = project / "._site.building-x1"
    killed.mkdir()
    (killed / MARKER).write_text("", encoding="utf-8")
    stranger = project / "._site.building-mine"
    stranger.mkdir()
    (stranger / "keep.txt").write_text("not the generator's", encoding="utf-8")
    assert run(project, "build") == 0
    assert not killed.exists() and (stranger / "keep.txt").exists() and (out / MARKER).exists()


def test_an_output_folder_that_cannot_be_written_is_a_problem(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    if os.geteuid() == 0:
        blocked = Path("/proc/bireview-cannot-write-here")  # root may write anywhere else
    else:
        locked_parent = project.parent / "locked"
        locked_parent.mkdir(mode=0o500)
        blocked = locked_parent / "site"
    assert run(project, "--out", str(blocked), "build") == 1
    err = capsys.readouterr().err.splitlines()
    assert err[0].startswith(f"--out: cannot write the site to {blocked}: ") and err[-1].endswith(
        "nothing was written."
    )


def test_a_missing_root_is_a_problem(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(tmp_path / "nowhere", "build") == 1
    assert capsys.readouterr().err.splitlines()[0] == (
        f"--root: {tmp_path / 'nowhere'} is not a folder — give the project folder, the one holding content/"
    )


def test_concurrent_builds_leave_one_complete_site(project: Path) -> None:
    """Two builds into one folder run one after the other; the site is always one whole build."""
    command = [sys.executable, str(PROJECT / "build.py"), "--root", str(project), "build"]
    first, second = (subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE) for _ in range(2))
    assert first.wait(60) == 0 and second.wait(60) == 0
    built = tree(project / "_site")
    expected = tree(_fresh_build(project))
    assert built == expected
    assert not [p for p in project.iterdir() if ".building-" in p.name or ".previous-" in p.name]


def _fresh_build(project: Path) -> Path:
    out = project.parent / "reference-build"
    assert run(project, "--out", str(out), "build") == 0
    return out


def test_a_second_build_waits_for_the_lock(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from bireview.build.output import locked

    out = project / "_site"
    release = threading.Event()
    holding = threading.Event()

    def hold() -> None:
        with locked(out):
            holding.set()
            release.wait(120)

    holder = threading.Thread(target=hold)
    holder.start()
    assert holding.wait(10)
    builder = threading.Thread(target=lambda: run(project, "build"))
    builder.start()
    said = ""
    for _ in range(1200):  # until the builder reaches the lock, however slow the machine
        said += capsys.readouterr().err
        if "waiting for another build" in said or not builder.is_alive():
            break
        builder.join(0.1)
    assert "waiting for another build" in said
    assert builder.is_alive() and not (out / MARKER).exists()  # waiting, nothing written
    release.set()
    holder.join(10)
    builder.join(120)
    assert (out / MARKER).exists()


def test_no_file_is_written_outside_the_site(tmp_path: Path) -> None:
    """Defence in depth: even a page path that climbs out is refused before anything lands beside the site."""
    from bireview.build.output import write_output
    from bireview.problems import BuildFailed

    out = tmp_path / "site"
    with pytest.raises(BuildFailed) as failure:
        write_output(out, {"zh/index.html": "ok", "zh/../../escaped.html": "no"}, None)
    assert "outside the site" in str(failure.value)
    assert sorted(p.name for p in tmp_path.iterdir()) == [".site.lock"]
