"""The output folder: which folder a build may replace, and replacing it safely.

A static site generator is trusted with a folder of someone's work. A build
replaces only a folder it made itself (it carries the MARKER file), an empty
folder, or none; it never replaces the project, a folder holding it, a source
folder, the home folder or the filesystem root, whatever `--out` says. The new
site is written into a fresh staging folder beside the output and renamed into
place, under a lock, so that the output is always exactly one complete build.
"""

from __future__ import annotations

import fcntl
import glob
import hashlib
import os
import posixpath
import re
import shutil
import sys
import tempfile
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from itertools import islice
from pathlib import Path

from bireview.config import INPUT_FOLDERS
from bireview.problems import BuildFailed, Problem

MARKER = ".bireview-site"
MARKER_TEXT = "This folder was made by bireview; each build replaces it whole. Do not keep your own files here.\n"
# Folders of a project that hold sources, never output, and never hold output inside them.
SOURCE_FOLDERS = (
    *INPUT_FOLDERS,
    "seeds",
    "tests",
    "benchmarks",
    "docs",
    "scripts",
    "bireview",
    ".git",
    ".github",
    ".ci",
)
OUT = "--out"


def refuse(message: str, fix: str) -> list[Problem]:
    return [Problem(OUT, 0, "output/refused", message, fix)]


def output_problems(out: Path, root: Path) -> list[Problem]:
    """Why `out` must not be replaced by a build of the project at `root`; empty when it may."""
    out, root, home = out.resolve(), root.resolve(), Path.home().resolve()
    pick = "choose a new folder, e.g. --out _site"
    if out == Path(out.anchor):
        return refuse(f"{out} is the filesystem root", pick)
    if out == home:
        return refuse(f"{out} is your home folder", pick)
    if out == root or out in root.parents:
        return refuse(f"{out} holds the project itself", pick)
    for name in SOURCE_FOLDERS:
        folder = (root / name).resolve()
        if out == folder or folder in out.parents:
            return refuse(f"{out} is the project's source folder '{name}' or lies inside it", pick)
    if out.exists() and not out.is_dir():
        return refuse(f"{out} is a file, not a folder", "remove the file or " + pick)
    if out.is_dir() and not (out / MARKER).is_file() and any(out.iterdir()):
        return refuse(
            f"{out} is a folder with files that this generator did not make (it has no {MARKER})",
            "empty or remove the folder yourself, or " + pick,
        )
    return []


def folder_problems(folder: Path, root: Path, site: Path, option: str = OUT) -> list[Problem]:
    """Why files of the generator's other than the site (a status report, translators' exports) must
    not be written into `folder`: the guard a build's output has, for a folder that is not replaced
    whole. Not the filesystem root, the home folder or the project folder itself (nor a folder that
    holds it), no source folder, and nothing inside a built site, whose next build would delete it."""
    folder, root, home = folder.resolve(), root.resolve(), Path.home().resolve()
    pick = "choose a folder of its own, e.g. translations/"
    problem = None
    if folder == Path(folder.anchor) or folder == home:
        problem = f"{folder} is {'the filesystem root' if folder == Path(folder.anchor) else 'your home folder'}"
    elif folder == root or folder in root.parents:
        problem = f"{folder} holds the project itself"
    elif source := next(
        (
            name
            for name in SOURCE_FOLDERS
            if folder == (root / name).resolve() or (root / name).resolve() in folder.parents
        ),
        None,
    ):
        problem = f"{folder} is the project's source folder '{source}' or lies inside it"
    elif built := next(
        (path for path in (folder, *folder.parents) if path == site.resolve() or (path / MARKER).is_file()), None
    ):
        problem = f"{folder} lies inside the built site {built}, which the next build replaces whole"
    elif folder.exists() and not folder.is_dir():
        problem = f"{folder} is a file, not a folder"
    return [Problem(option, 0, "output/refused", problem, pick)] if problem else []


def file_problems(
    path: Path, root: Path, site: Path, ours: Callable[[bytes], bool], option: str = OUT
) -> list[Problem]:
    """Why the generator must not write the file `path`: its folder (see `folder_problems`), or a file
    already there that it did not make (`ours` reads the file's first bytes), a link or not a file."""
    problems = folder_problems(path.parent, root, site, option)
    if problems or not os.path.lexists(path):
        return problems
    pick = "choose a new file name, or move the file away yourself"
    if path.is_symlink() or not path.is_file():
        return [
            Problem(
                option,
                0,
                "output/refused",
                f"{path} is a {'link' if path.is_symlink() else 'folder or device'}, not a file this generator wrote",
                pick,
            )
        ]
    with path.open("rb") as handle:
        head = handle.read(4096)
    if not ours(head):
        return [Problem(option, 0, "output/refused", f"{path} is a file that this generator did not make", pick)]
    return []


@contextmanager
def locked(out: Path) -> Iterator[None]:
    """One build at a time into the same output folder: a second one waits for the first."""
    out.parent.mkdir(parents=True, exist_ok=True)
    with open(out.parent / f".{out.name}.lock", "a+b") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            print(f"waiting for another build into {out} to finish…", file=sys.stderr, flush=True)
            fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def leftovers(out: Path) -> list[Path]:
    """Staging and retired folders of builds that were killed: ours only (empty, or with the marker)."""
    found = []
    for prefix in (f".{out.name}.building-", f".{out.name}.previous-"):
        for path in out.parent.glob(prefix + "*"):
            if path.is_dir() and not path.is_symlink() and ((path / MARKER).is_file() or not any(path.iterdir())):
                found.append(path)
    return found


def inside(folder: Path, relative: str) -> Path:
    """The file `relative` under `folder`, refusing any path that would lead out of it."""
    target = (folder / relative).resolve()
    if folder.resolve() not in target.parents:
        raise outside(relative)
    return target


def outside(relative: str) -> BuildFailed:
    return BuildFailed(
        refuse(
            f"the build tried to write {relative!r}, outside the site",
            "report this: every page path must stay inside the output folder",
        )
    )


class Stage:
    """A site being written: every file goes into the staging folder, each path checked to stay inside.

    Pages are written as they are rendered (by this process or by the worker processes it forks),
    never gathered in memory; only a complete build is swapped into place.
    """

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.made: set[Path] = set()
        # what each file written holds (see `content_digest`), by path: the site's record is made of
        # these, not of every file read back after the build
        self.digests: dict[str, str] = {}

    def write(self, relative: str, content: str | bytes) -> None:
        data = content if isinstance(content, bytes) else content.encode("utf-8")
        normal, target = self.place(relative)
        write_file(target, data)
        self.digests[normal] = content_digest(data)

    def stream(self, relative: str, pieces: Iterable[str]) -> None:
        """Write text as it is made, a batch of pieces at a time: a page of thousands of references is
        never held whole (nor the pieces it is joined from)."""
        pieces = iter(pieces)
        normal, target = self.place(relative)
        digest = DIGEST()
        with target.open("wb") as file:
            while batch := list(islice(pieces, STREAM_BATCH)):
                data = "".join(batch).encode("utf-8")
                file.write(data)
                digest.update(data)
        self.digests[normal] = digest.hexdigest()

    def write_all(self, files: Mapping[str, str | bytes]) -> dict[str, str]:
        """Write files, in path order; their digests (see `content_digest`)."""
        for relative, content in sorted(files.items()):
            self.write(relative, content)
        return {relative: self.digests[posixpath.normpath(relative)] for relative in files}

    def remove(self, relative: str) -> None:
        normal, target = self.place(relative)
        target.unlink(missing_ok=True)
        self.digests.pop(normal, None)

    def handed_over(self) -> dict[str, str]:
        """The digests of what this process wrote since it last handed them over: a worker sends
        them back to the process that owns the stage (see `take`)."""
        digests, self.digests = self.digests, {}
        return digests

    def take(self, digests: Mapping[str, str]) -> None:
        """Digests of files a worker wrote into this stage."""
        self.digests.update((posixpath.normpath(relative), digest) for relative, digest in digests.items())

    def site_digest(self) -> str:
        """The digest of every file written, as `freshness.site_digest` finds it in the built site."""
        return files_digest(self.digests)

    def place(self, relative: str) -> tuple[str, Path]:
        """Where `relative` goes (its normal form and path), its folder made. The staging folder is new and
        holds only what the build wrote (no links): a path that does not climb out by its own `..` or `/`
        stays inside, without asking the file system."""
        normal = posixpath.normpath(relative)
        if normal in (".", "..") or normal.startswith(("../", "/")):
            raise outside(relative)
        target = self.folder / normal
        if target.parent not in self.made:
            target.parent.mkdir(parents=True, exist_ok=True)
            self.made.add(target.parent)
        return normal, target


def write_file(path: Path, data: bytes) -> None:
    """`path.write_bytes(data)` in three system calls, without file objects around them: a build
    writes 17,000 files at 2,000 pages per language."""
    handle = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | os.O_CLOEXEC, 0o666)
    try:
        view = memoryview(data)
        while view:
            view = view[os.write(handle, view) :]
    finally:
        os.close(handle)


def files_digest(digests: Mapping[str, str]) -> str:
    """One digest for a set of files, from each one's path and digest (`content_digest`)."""
    whole = hashlib.sha256()
    for relative in sorted(digests):
        whole.update(f"{relative}\0{digests[relative]}\0".encode())
    return whole.hexdigest()


DIGEST = hashlib.sha1  # what tells two versions of a file apart, see content_digest


def content_digest(content: str | bytes) -> str:
    """What tells two versions of a file apart (serve rewrites a data file only when it changed)."""
    return DIGEST(content if isinstance(content, bytes) else content.encode("utf-8")).hexdigest()


STREAM_BATCH = 4096  # template pieces joined and written at a time


@contextmanager
def staged_site(out: Path, static: Path | None) -> Iterator[Stage]:
    """A fresh staging folder beside `out`, under the folder's lock; swapped into place when the
    body finishes, removed (and `out` untouched) when it raises.

    The caller has already checked `output_problems`; the swap looks again, since another
    process may have changed the folder meanwhile.
    """
    try:
        with locked(out):
            for path in leftovers(out):
                shutil.rmtree(path, ignore_errors=True)
            staging = Path(tempfile.mkdtemp(dir=out.parent, prefix=f".{out.name}.building-"))
            try:
                os.chmod(staging, 0o755)  # mkdtemp makes it private; a site is for a web server to read
                stage = Stage(staging)
                stage.write(MARKER, MARKER_TEXT)
                yield stage
                if static is not None and static.is_dir():
                    shutil.copytree(static, staging / "static", symlinks=False)
                    stage.take(
                        {
                            path.relative_to(staging).as_posix(): content_digest(path.read_bytes())
                            for path in (staging / "static").rglob("*")
                            if path.is_file()
                        }
                    )
                swap_into_place(staging, out)
            except BaseException:
                shutil.rmtree(staging, ignore_errors=True)
                raise
    except OSError as error:
        raise BuildFailed(
            refuse(
                f"cannot write the site to {out}: {error.strerror or error}",
                "choose a folder you can write to, e.g. --out _site",
            )
        ) from None


def write_output(
    out: Path, files: Mapping[str, str | bytes] | Iterable[tuple[str, str | bytes]], static: Path | None
) -> None:
    """Write a site given as files (a mapping, or pairs as they are made) and swap it into place."""
    with staged_site(out, static) as stage:
        for relative, content in sorted(files.items()) if isinstance(files, Mapping) else files:
            stage.write(relative, content)


def replace_file(out: Path, relative: str, content: str | bytes) -> None:
    """Change one file of a built site in place (serve's incremental rebuild)."""
    write_atomic(inside(out, relative), content)


PART = re.compile(r"\.[A-Za-z0-9_]{8}\.part")  # what mkstemp adds to a name, below


def write_atomic(path: Path, content: str | bytes) -> None:
    """Write beside the target, then rename over it: a reader sees the old file or the new one, never
    half of one. Text is written as UTF-8 exactly as given (CRLFs stay); an existing file keeps its mode."""
    path.parent.mkdir(parents=True, exist_ok=True)
    mode = path.stat().st_mode & 0o777 if path.is_file() else 0o644
    for leftover in path.parent.glob(f".{glob.escape(path.name)}.*.part"):  # of a write that was killed
        if PART.fullmatch(leftover.name[len(path.name) + 1 :]) and leftover.is_file() and not leftover.is_symlink():
            leftover.unlink(missing_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".part")
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(content if isinstance(content, bytes) else content.encode("utf-8"))
            stream.flush()
            os.fsync(stream.fileno())
        os.chmod(temporary, mode)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def swap_into_place(staging: Path, out: Path) -> None:
    """Rename the old site aside and the new one in: a reader never sees half a site."""
    if not out.exists():
        os.replace(staging, out)
        return
    if (out / MARKER).is_file() or not any(out.iterdir()):
        retired = Path(tempfile.mkdtemp(dir=out.parent, prefix=f".{out.name}.previous-"))
        os.replace(out, retired)
        os.replace(staging, out)
        shutil.rmtree(retired, ignore_errors=True)
        return
    raise BuildFailed(
        refuse(
            f"{out} gained files that this generator did not make during the build",
            "move them elsewhere, then build again",
        )
    )
