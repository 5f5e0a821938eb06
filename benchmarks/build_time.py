#!/usr/bin/env python3
"""Build time, peak memory and output size: this project, the floor and Hugo, on the same corpus.

    python benchmarks/build_time.py [--size PAGES:REFS ...] [--runs N] [--translated] [--memory-limit GIB] [--no-real]

For each size (default 200:1000 and 2000:5000) it makes the shared synthetic corpus
(../shared/bench/make_corpus.py) and builds it with
  - this project: the corpus wrapped as a project (its first page becomes the overview; the real
    templates, catalogues and stylesheet; English citations of keys the Chinese never cites dropped,
    since the build refuses them), HTML only: the floor and Hugo make no PDFs;
  - the floor (../shared/bench/floor.py): markdown-it + one Jinja template, nothing else;
  - Hugo (Debian `hugo`), when installed: the corpus as a two-language Hugo site with one minimal
    layout like the floor's.
The corpus's English records no Chinese source for its units, so this project shows it as not yet
translated (each unit's Chinese, with a notice). With --translated, the project's English is first
made what a translator leaves: `build.py ids` writes every block's id, `build.py mark-current`
records each unit's source; its English pages are then drafted and finished from the English text.
Each build runs in a fresh process into a new folder of its own (none is deleted before the end,
see `measure`), RUNS times, in rounds (each tool once a round, so that a machine whose speed drifts
slows them alike); the best time is reported. Peak RSS
comes from os.wait4 for that process alone; output size is every file written, and per source page.
After the rounds, one more build of this project with `--timings` shows where its time went (stage
by stage, and what each kind of page cost); it is not one of the timed runs.
Then the real review: a rebuild with nothing changed against a bare import of its libraries.
"""

from __future__ import annotations

import argparse
import os
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent
BENCH = PROJECT.parent / "shared" / "bench"
SIZES = ("200:1000", "2000:5000")
LIBRARIES = "import jinja2, markdown_it, bibtexparser, yaml, babel"
BUILD = (
    "import sys; sys.path.insert(0, sys.argv[1]); {start}import dataclasses; from pathlib import Path; "
    "from bireview.config import make_config; from bireview.build.site import build; "
    "build(dataclasses.replace(make_config(Path(sys.argv[2])), pdf=False, out=Path(sys.argv[3])){timings}){report}"
)
HTML_ONLY = BUILD.format(start="", timings="", report="")
# The same build with `--timings` (see bireview/timings.py), its report on standard error: one more
# build after the timed rounds, never one of them (timing each page costs it a little).
HTML_TIMED = BUILD.format(
    start="from bireview.build.timings import Timings; timings = Timings(); ",
    timings=", timings=timings",
    report="; print(timings.report(), file=sys.stderr)",
)
HUGO_CONFIG = """baseURL = "/"
disableKinds = ["taxonomy", "term", "RSS", "sitemap", "robotsTXT", "404"]
defaultContentLanguage = "zh"
defaultContentLanguageInSubdir = true
[languages.zh]
contentDir = "content/zh"
weight = 1
[languages.en]
contentDir = "content/en"
weight = 2
"""
HUGO_LAYOUT = (
    "<!doctype html><html lang='{{ .Lang }}'><head><meta charset='utf-8'><title>{{ .Title }}</title>"
    "</head><body><main>{{ .Content }}</main></body></html>\n"
)


@dataclass(frozen=True)
class Run:
    seconds: float
    peak_kib: int
    errors: str = ""  # what it printed on standard error


@dataclass(frozen=True)
class Result:
    name: str
    runs: list[Run]
    output_bytes: int
    failure: str = ""  # why the tool did not finish, e.g. over the memory limit
    own_bytes: int = 0  # this project: the pages' own text and markup, see own_bytes()
    timings: str = ""  # this project: where the time of one more build went (HTML_TIMED)

    @property
    def best(self) -> float:
        return min(run.seconds for run in self.runs) if self.runs else float("nan")

    @property
    def peak_mib(self) -> float:
        return max(run.peak_kib for run in self.runs) / 1024 if self.runs else float("nan")


class Failed(Exception):
    pass


def make_corpus(work: Path, pages: int, refs: int) -> Path:
    corpus = work / "corpus"
    subprocess.run([sys.executable, str(BENCH / "make_corpus.py"), str(corpus), str(pages), str(refs)], check=True)
    return corpus


def make_project(work: Path, corpus: Path) -> Path:
    """The corpus as a project of this generator."""
    project = work / "project"
    for lang in ("zh", "en"):
        shutil.copytree(corpus / lang, project / "content" / lang)
        (project / "content" / lang / "page-00000.md").rename(project / "content" / lang / "index.md")
    cited = {
        key
        for path in (project / "content" / "zh").glob("*.md")
        for key in re.findall(r"@(ref\d+)", path.read_text(encoding="utf-8"))
    }
    for path in (project / "content" / "en").glob("*.md"):
        text = path.read_text(encoding="utf-8")
        path.write_text(re.sub(r"\[@[^\]]*\]", lambda group: keep_cited(group.group(0), cited), text), encoding="utf-8")
    (project / "bib").mkdir()
    shutil.copy(corpus / "refs.bib", project / "bib" / "refs.bib")
    for folder in ("templates", "locale", "static"):
        shutil.copytree(PROJECT / folder, project / folder)
    return project


def mark_translated(project: Path) -> None:
    """Every English unit recorded as translating its Chinese unit, as `build.py mark-current` leaves it."""
    command = [sys.executable, str(PROJECT / "build.py"), "--root", str(project), "--quiet"]
    subprocess.run([*command, "ids"], check=True, stdout=subprocess.DEVNULL)
    pages = [
        argument for path in sorted((project / "content" / "zh").glob("*.md")) for argument in ("--page", path.stem)
    ]
    subprocess.run([*command, "mark-current", *pages], check=True, stdout=subprocess.DEVNULL)


def keep_cited(group: str, cited: set[str]) -> str:
    keys = [key for key in re.findall(r"@(ref\d+)", group) if key in cited]
    return "[" + "; ".join("@" + key for key in keys) + "]" if keys else ""


def make_hugo_site(work: Path, corpus: Path) -> Path:
    site = work / "hugo"
    for lang in ("zh", "en"):
        shutil.copytree(corpus / lang, site / "content" / lang)
    (site / "config.toml").write_text(HUGO_CONFIG, encoding="utf-8")
    for layout in ("_default/single.html", "_default/list.html", "index.html"):
        (site / "layouts" / layout).parent.mkdir(parents=True, exist_ok=True)
        (site / "layouts" / layout).write_text(HUGO_LAYOUT, encoding="utf-8")
    return site


def timed(command: list[str], memory_gib: float = 0) -> Run:
    """Wall seconds and peak RSS of one run in a fresh process (os.wait4 reports that child alone);
    with `memory_gib`, the child may not take more address space than that (a build that holds a huge
    site in memory fails instead of taking the machine down)."""
    limit = int(memory_gib * 2**30)
    start = time.perf_counter()
    child = subprocess.Popen(
        command,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        preexec_fn=(lambda: resource.setrlimit(resource.RLIMIT_AS, (limit, limit))) if limit else None,
    )
    errors = child.stderr.read().decode(errors="replace") if child.stderr else ""
    _, status, usage = os.wait4(child.pid, 0)
    elapsed = time.perf_counter() - start
    if os.waitstatus_to_exitcode(status):
        last = (errors.strip().splitlines() or ["no message"])[-1]
        raise Failed(f"exit status {os.waitstatus_to_exitcode(status)} after {elapsed:.0f} s: {last}")
    return Run(elapsed, usage.ru_maxrss, errors)


ARTICLE = re.compile(rb'<article class="review-page">.*?</article>', re.S)


def own_bytes(site: Path) -> int:
    """What the source pages themselves amount to in this project's output: each content page's
    <article> (its text, tables, studies and the list of the references it cites), in both
    editions. Everything else (navigation, head, side-by-side views, generated pages, search
    index, downloads) is what the site adds around them."""
    total = 0
    for lang in ("zh", "en"):
        for page in [site / lang / "index.html", *sorted((site / lang).glob("*/index.html"))]:
            found = ARTICLE.search(page.read_bytes()) if page.is_file() else None
            total += len(found.group()) if found else 0
    return total


def folder_bytes(folder: Path) -> int:
    return sum(path.stat().st_size for path in folder.rglob("*") if path.is_file())


def measure(name: str, command: list[str], memory_gib: float, results: list[Run]) -> str:
    """One run of one tool into a new output folder (this project's too: its own replacing of an old
    site is not what is compared); "" or why it failed.

    No run follows the deletion of an earlier run's output: each run has a folder of its own, all
    removed together at the end. On a file system without a journal (ext4 on this benchmark's VM)
    the kernel skips inodes freed in the last minutes when it allocates new ones, so that a build
    made right after 17,000 files were deleted spent seconds of kernel time creating its own, more
    for the tool that writes more files, and varying from run to run. And what the previous runs
    wrote is flushed to disk first (`os.sync`), not while this one runs (a third of a GB)."""
    os.sync()
    try:
        results.append(timed(command, memory_gib))
    except Failed as failure:
        print(f"  {name}: failed, {failure}", file=sys.stderr, flush=True)
        return str(failure)
    print(f"  {name}: {results[-1].seconds:.2f} s", file=sys.stderr, flush=True)
    return ""


def compare(pages: int, refs: int, runs: int, memory_gib: float, translated: bool = False) -> list[Result]:
    """Each tool RUNS times, in rounds (this project, the floor, Hugo; again …): a machine whose speed
    drifts slows them alike, and the ratios stay fair."""
    with tempfile.TemporaryDirectory(prefix="bireview-bench-") as folder:
        work = Path(folder)
        corpus = make_corpus(work, pages, refs)
        project = make_project(work, corpus)
        if translated:
            mark_translated(project)
        # each tool: its command given the output folder of a run
        tools: list[tuple[str, Callable[[Path], list[str]], float]] = [
            (
                "bireview",
                lambda out: [sys.executable, "-c", HTML_ONLY, str(PROJECT), str(project), str(out)],
                memory_gib,
            ),
            ("floor", lambda out: [sys.executable, str(BENCH / "floor.py"), str(corpus), str(out)], 0),
        ]
        if shutil.which("hugo"):
            site = make_hugo_site(work, corpus)
            tools.append(("hugo", lambda out: ["hugo", "--quiet", "-s", str(site), "-d", str(out)], 0))
        runs_of: dict[str, list[Run]] = {name: [] for name, *_ in tools}
        failures = {name: "" for name, *_ in tools}
        outputs = work / "outputs"
        for number in range(runs):
            for name, command, limit in tools:
                if not failures[name]:
                    failures[name] = measure(name, command(outputs / f"{name}-{number}"), limit, runs_of[name])
        spent = ""
        if not failures["bireview"]:
            os.sync()
            spent = timed(
                [sys.executable, "-c", HTML_TIMED, str(PROJECT), str(project), str(outputs / "timed")], memory_gib
            ).errors
        results = []
        for name, _, _ in tools:
            out = outputs / f"{name}-0"
            results.append(
                Result(
                    name,
                    [] if failures[name] else runs_of[name],
                    folder_bytes(out) if not failures[name] else 0,
                    failures[name],
                    own_bytes(out) if name == "bireview" and not failures[name] else 0,
                    spent if name == "bireview" else "",
                )
            )
        return results


def real_review(runs: int) -> tuple[float, float]:
    """Best no-op rebuild of the real review (PDFs reused), and best bare import of its libraries."""
    with tempfile.TemporaryDirectory(prefix="bireview-real-") as folder:
        command = [
            sys.executable,
            str(PROJECT / "build.py"),
            "--root",
            str(PROJECT),
            "--out",
            str(Path(folder) / "site"),
            "--quiet",
            "build",
        ]
        timed(command)  # the first build makes the PDFs
        rebuild = min(timed(command).seconds for _ in range(runs))
    bare = min(timed([sys.executable, "-c", LIBRARIES]).seconds for _ in range(runs))
    return rebuild, bare


def report(pages: int, refs: int, results: list[Result], translated: bool = False) -> None:
    floor = next(result for result in results if result.name == "floor")
    print(
        f"\n{pages:,} pages per language, {refs:,} references{', English marked translated' if translated else ''}"
        f" (best of {len(floor.runs)}; per page: output"
        f" / {2 * pages:,} source pages; × own: output / the source pages' own text and markup, see own_bytes):"
    )
    print(
        f"| {'':8} | {'time':>9} | {'× floor':>7} | {'peak RSS':>9} | {'output':>10} | {'per page':>10} | "
        f"{'× own':>6} |"
    )
    print(f"|{'-' * 10}|{'-' * 10}:|{'-' * 8}:|{'-' * 10}:|{'-' * 11}:|{'-' * 11}:|{'-' * 7}:|")
    for result in results:
        if result.failure:
            print(f"| {result.name:8} | failed: {result.failure} |")
            continue
        print(
            f"| {result.name:8} | {result.best:7.2f} s | {result.best / floor.best:7.2f} | "
            f"{result.peak_mib:5.0f} MiB | {result.output_bytes / 2**20:6.1f} MiB | "
            f"{result.output_bytes / (2 * pages) / 1024:6.1f} KiB | "
            f"{f'{result.output_bytes / result.own_bytes:5.2f}' if result.own_bytes else '':>6} |"
        )
    if "hugo" not in {result.name for result in results}:
        print("(Hugo skipped: `hugo` is not installed; apt-get install hugo)")
    if results[0].timings:
        print("\nwhere the time of this project's build went (one more build, `--timings`):")
        print(results[0].timings.strip())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--size", action="append", help="PAGES:REFS, repeatable (default: 200:1000 and 2000:5000)")
    parser.add_argument("--runs", type=int, default=1, help="builds per tool and size (default 1)")
    parser.add_argument(
        "--translated",
        action="store_true",
        help="mark the project's English as translated first (ids, mark-current), see above",
    )
    parser.add_argument("--no-real", action="store_true", help="skip the real review's no-op rebuild")
    parser.add_argument(
        "--memory-limit",
        type=float,
        default=8,
        metavar="GIB",
        help="address space this project's build may take (default 8 GiB; 0: no limit)",
    )
    args = parser.parse_args()
    timings: dict[int, float] = {}
    for size in args.size or SIZES:
        pages, refs = (int(part) for part in size.split(":"))
        print(f"building {pages} pages per language …", file=sys.stderr, flush=True)
        results = compare(pages, refs, args.runs, args.memory_limit, args.translated)
        report(pages, refs, results, args.translated)
        if not results[0].failure:
            timings[pages] = results[0].best
    if len(timings) > 1:
        small, large = min(timings), max(timings)
        print(f"\nscaling: {large / small:.0f}× the pages took {timings[large] / timings[small]:.1f}× the time")
    if not args.no_real:
        rebuild, bare = real_review(max(args.runs, 3))
        print(
            f"\nthe real review: no-op rebuild {rebuild:.2f} s; bare `{LIBRARIES}` {bare:.2f} s ({rebuild / bare:.1f}×)"
        )


if __name__ == "__main__":
    main()
