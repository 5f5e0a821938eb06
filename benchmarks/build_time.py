#!/usr/bin/env python3
"""Build time and peak memory of a synthetic review against the bare floor (../shared/bench).

    python benchmarks/build_time.py [PAGES] [REFS] [RUNS]

Makes the shared synthetic corpus, wraps it as a project (its first page becomes the overview,
the real templates, catalogues and stylesheet), then builds it RUNS times in fresh processes and
reports the best wall time and the peak resident memory of each, beside floor.py on the same corpus.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent
BENCH = PROJECT.parent / "shared" / "bench"


def make_project(work: Path, pages: int, refs: int) -> tuple[Path, Path]:
    corpus = work / "corpus"
    subprocess.run([sys.executable, str(BENCH / "make_corpus.py"), str(corpus), str(pages), str(refs)], check=True)
    project = work / "project"
    for lang in ("zh", "en"):
        shutil.copytree(corpus / lang, project / "content" / lang)
        (project / "content" / lang / "page-00000.md").rename(project / "content" / lang / "index.md")
    (project / "bib").mkdir()
    shutil.copy(corpus / "refs.bib", project / "bib" / "refs.bib")
    for folder in ("templates", "locale", "static"):
        shutil.copytree(PROJECT / folder, project / folder)
    return corpus, project


def timed(command: list[str]) -> tuple[float, int]:
    """Wall seconds and peak RSS (KiB) of one run in a fresh process (os.wait4 reports that child alone)."""
    start = time.perf_counter()
    child = subprocess.Popen(command, stdout=subprocess.DEVNULL)
    _, status, usage = os.wait4(child.pid, 0)
    elapsed = time.perf_counter() - start
    child.returncode = os.waitstatus_to_exitcode(status)
    if child.returncode:
        raise SystemExit(f"{' '.join(command)} failed with status {child.returncode}")
    return elapsed, usage.ru_maxrss


def main() -> None:
    pages, refs, runs = (int(a) for a in (sys.argv[1:] + ["200", "1000", "3"][len(sys.argv[1:]):]))
    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        corpus, project = make_project(work, pages, refs)
        ours = [timed([sys.executable, str(PROJECT / "build.py"), "--root", str(project), "build"]) for _ in range(runs)]
        floor = [timed([sys.executable, str(BENCH / "floor.py"), str(corpus), str(work / "floor")]) for _ in range(runs)]
    best, best_floor = min(t for t, _ in ours), min(t for t, _ in floor)
    print(f"corpus: {pages} pages per language, {refs} references")
    print(f"build.py: best {best:.2f} s over {runs} runs, peak RSS {max(m for _, m in ours) / 1024:.0f} MiB")
    print(f"floor.py: best {best_floor:.2f} s, peak RSS {max(m for _, m in floor) / 1024:.0f} MiB")
    print(f"ratio: {best / best_floor:.1f}× the floor")


if __name__ == "__main__":
    main()
