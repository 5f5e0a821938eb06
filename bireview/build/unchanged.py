"""Whether the site in the output folder was built from exactly the inputs there are now.

A build records, inside the site it wrote (after the swap), a digest of everything the site is made from: every
file of the project's inputs, the generator's own code and the versions of the libraries it uses,
the options, the last git commit of the content (the "what changed" diffs read its history) and, with PDFs, the fonts.
`python build.py` with nothing changed finds the same digest and leaves the site as it is, without
importing the libraries or reading the review again: rebuilding would write the very same bytes.
Nothing is cached outside the site.
"""

from __future__ import annotations

import hashlib
import stat
import subprocess
from pathlib import Path

from bireview.config import INPUT_FILES, INPUT_FOLDERS, Config

RECORD = ".bireview-inputs"
LIBRARIES = ("jinja2", "markdown-it-py", "mdit-py-plugins", "bibtexparser", "babel", "PyYAML", "MarkupSafe")


def inputs_digest(config: Config) -> str:
    digest = hashlib.sha256(repr((config.base_url, config.pdf, versions(config.pdf))).encode("utf-8"))
    code = Path(__file__).resolve().parent
    files = [(f"bireview/{path.relative_to(code).as_posix()}", path) for path in code.rglob("*.py")]
    for folder in INPUT_FOLDERS:
        files += [(path.relative_to(config.root).as_posix(), path) for path in (config.root / folder).rglob("*")]
    files += [(name, config.root / name) for name in INPUT_FILES]
    for name, path in sorted(files):
        try:
            mode = path.stat().st_mode
        except OSError:
            continue
        if stat.S_ISDIR(mode):
            continue
        try:  # a FIFO, socket or device is never opened (the build names it as a problem)
            content = path.read_bytes() if stat.S_ISREG(mode) else f"special file {mode}".encode()
        except OSError as error:  # the build says which file it cannot read, and how to fix it
            content = f"unreadable: {error.strerror}".encode()
        # a name that is not UTF-8 is a problem of the build's; here it is only told apart
        digest.update(name.encode("utf-8", "surrogateescape") + b"\0" + content + b"\0")
    # the "what changed" diffs read the committed versions of the content: the last commit that touched it
    digest.update(command_output(["git", "log", "-1", "--format=%H", "--", "content"], config.root).encode("utf-8"))
    if config.pdf:
        digest.update(command_output(["fc-list", ":lang=zh", "file"], config.root).encode("utf-8"))
    return digest.hexdigest()


def versions(pdf: bool) -> tuple[str, ...]:
    from importlib.metadata import PackageNotFoundError, version

    found = []
    for name in LIBRARIES + (("weasyprint",) if pdf else ()):
        try:
            found.append(f"{name} {version(name)}")
        except PackageNotFoundError:
            found.append(f"{name} -")
    return tuple(found)


def command_output(command: list[str], folder: Path) -> str:
    try:
        return subprocess.run(
            command, cwd=folder, capture_output=True, text=True, check=False, timeout=20, stdin=subprocess.DEVNULL
        ).stdout
    except (OSError, subprocess.TimeoutExpired):
        return ""


def record_text(digest: str, base_url: bool, site: str) -> str:
    """The digest of the inputs, whether the site has a base URL, and the digest of every file of the
    site as built (`site_digest`), so that a file changed, added or removed in the site since is noticed."""
    return digest + "\n" + ("base-url" if base_url else "no-base-url") + "\n" + site + "\n"


def site_digest(out: Path) -> str:
    """Every file of a built site, read back: what the build recorded (`Stage.site_digest`) if none changed."""
    from bireview.build.output import content_digest, files_digest

    return files_digest(
        {
            path.relative_to(out).as_posix(): content_digest(path.read_bytes())
            for path in out.rglob("*")
            if path.is_file() and path.name != RECORD
        }
    )


def recorded(config: Config, digest: str) -> str | None:
    """The record of the site in the output folder if it was built from these very inputs and is
    as that build left it; else None."""
    from bireview.build.output import MARKER

    try:
        text = (config.out / RECORD).read_text(encoding="utf-8")
    except (OSError, ValueError):  # unreadable or not UTF-8: the build makes a new one
        return None
    lines = text.split("\n")
    if len(lines) != 4 or lines[0] != digest or not (config.out / MARKER).is_file():
        return None
    return text if lines[2] == site_digest(config.out) else None


def unchanged_build(config: Config, quiet: bool, started: float) -> tuple[bool, str | None]:
    """Say so and leave the site as it is when nothing it is made from changed; (whether, the digest
    if it was made)."""
    from bireview.build.output import leftovers, output_problems

    if not (config.out / RECORD).is_file():  # nothing built there to compare with: the build makes the digest
        return False, None
    digest = inputs_digest(config)
    record = recorded(config, digest)
    # a refused folder is reported by the build, and a killed build's leftovers are cleaned by one
    if record is None or output_problems(config.out, config.root) or leftovers(config.out):
        return False, digest
    if not quiet:
        import time

        from bireview.build.summary import summary

        if "no-base-url" in record:
            print(
                "note: no base URL (site.yaml or --base-url), so sitemap.xml, canonical links and og:url were omitted"
            )
        print(summary(config.out, time.monotonic() - started) + " (nothing changed since the last build)")
    return True, digest
