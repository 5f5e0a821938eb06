#!/usr/bin/env python3
"""Save-to-written latency of `build.py serve`: how long after a one-paragraph edit is saved the
changed page on disk holds it.

    python benchmarks/serve_edit.py [--pages 2000] [--refs 5000] [--edits 20] [--every SECONDS] [--memory-limit GIB]

Makes the shared synthetic corpus, wrapped as a project as benchmarks/build_time.py wraps it,
starts `build.py serve` on it (a process of its own, on a free port), waits for the first build,
then edits one paragraph of a different Chinese page at a time (a marker appended to it) and
polls that page's output file until the marker is in it. Reports the median and the 90th
percentile over the edits, and when the search index and downloads followed (serve writes the
pages first, reloads the open tabs, then makes those; the next edit waits for them).
With `--every SECONDS`, an edit is saved every SECONDS instead, whether or not the search index
of the last one is made yet, as a writer saves while revising: the page of each save must still
come first. Nothing here is a test: speed is never asserted.
"""

from __future__ import annotations

import argparse
import resource
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from build_time import PROJECT, make_corpus, make_project

POLL_SECONDS = 0.002


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def memory_limit(gib: float):
    """A child that holds a huge site in memory fails instead of taking the machine down."""
    limit = int(gib * 2**30)
    return (lambda: resource.setrlimit(resource.RLIMIT_AS, (limit, limit))) if limit else None


def wait_for(condition, seconds: float, what: str, child: subprocess.Popen | None = None) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        if child is not None and child.poll() is not None:
            raise SystemExit(f"serve stopped (exit status {child.returncode}) while waiting for {what}")
        if time.monotonic() > deadline:
            raise SystemExit(f"gave up waiting for {what} after {seconds:.0f} s")
        time.sleep(POLL_SECONDS)


def edit(source: Path, marker: str) -> None:
    """Append the marker to the page's first paragraph (the first line after a blank line that is
    neither a heading, a table, a list nor front matter)."""
    lines = source.read_text(encoding="utf-8").split("\n")
    for number, line in enumerate(lines):
        if number and not lines[number - 1] and line and line[0] not in "#|-{" and not line.startswith("---"):
            lines[number] = line + marker
            break
    else:
        raise SystemExit(f"{source}: no paragraph to edit")
    source.write_text("\n".join(lines), encoding="utf-8")


def contains(path: Path, marker: str) -> bool:
    try:
        return marker in path.read_text(encoding="utf-8")
    except OSError:  # between the old site's removal and the new one's arrival
        return False


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--pages", type=int, default=2000, help="pages per language (default 2000)")
    parser.add_argument("--refs", type=int, default=5000, help="references (default 5000)")
    parser.add_argument("--edits", type=int, default=20, help="edits to time (default 20)")
    parser.add_argument(
        "--every",
        type=float,
        default=0,
        metavar="SECONDS",
        help="save an edit every SECONDS, not waiting for the search index (default: wait for it)",
    )
    parser.add_argument("--timeout", type=float, default=1800, help="seconds to wait for a build (default 1800)")
    parser.add_argument(
        "--memory-limit",
        type=float,
        default=8,
        metavar="GIB",
        help="address space serve may take (default 8 GiB; 0: no limit)",
    )
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bireview-serve-") as folder:
        work = Path(folder)
        project = make_project(work, make_corpus(work, args.pages, args.refs))
        log = (work / "serve.log").open("w+", encoding="utf-8")
        serve = subprocess.Popen(
            [sys.executable, str(PROJECT / "build.py"), "--root", str(project), "serve", "--port", str(free_port())],
            stdout=log,
            stderr=subprocess.STDOUT,
            preexec_fn=memory_limit(args.memory_limit),
        )
        try:
            started = time.perf_counter()
            wait_for(
                lambda: "serving http" in (work / "serve.log").read_text(encoding="utf-8"),
                args.timeout,
                "the first build",
                serve,
            )
            print(f"first build: {time.perf_counter() - started:.1f} s", file=sys.stderr, flush=True)

            def failures() -> int:
                return (work / "serve.log").read_text(encoding="utf-8").count("build failed")

            if failures():
                raise SystemExit("the first build failed:\n" + (work / "serve.log").read_text(encoding="utf-8")[-2000:])

            def updates() -> int:
                return (work / "serve.log").read_text(encoding="utf-8").count("search index and downloads updated")

            latencies, data_latencies = [], []
            for number in range(args.edits):
                page = 1 + number * max(1, (args.pages - 1) // args.edits)
                marker = f"编辑{number:04d}"
                source = project / "content" / "zh" / f"page-{page:05d}.md"
                output = project / "_site" / "zh" / f"page-{page:05d}" / "index.html"
                saved = time.perf_counter()
                edit(source, marker)
                wait_for(
                    lambda output=output, marker=marker: contains(output, marker) or failures(),
                    args.timeout,
                    f"edit {number + 1}",
                    serve,
                )
                if failures():
                    raise SystemExit("a rebuild failed:\n" + (work / "serve.log").read_text(encoding="utf-8")[-2000:])
                latencies.append(time.perf_counter() - saved)
                if args.every:
                    print(f"edit {number + 1}: page {latencies[-1]:.2f} s", file=sys.stderr, flush=True)
                    time.sleep(max(0.0, saved + args.every - time.perf_counter()))
                    continue
                wait_for(
                    lambda number=number: updates() > number or failures(),
                    args.timeout,
                    f"the search index after edit {number + 1}",
                    serve,
                )
                data_latencies.append(time.perf_counter() - saved)
                print(
                    f"edit {number + 1}: page {latencies[-1]:.2f} s, search index and downloads "
                    f"{data_latencies[-1]:.2f} s",
                    file=sys.stderr,
                    flush=True,
                )
                time.sleep(0.2)  # let serve settle before the next save
        finally:
            serve.send_signal(signal.SIGINT)
            try:
                serve.wait(30)
            except subprocess.TimeoutExpired:
                serve.kill()
            log.close()
    deciles = statistics.quantiles(latencies, n=10)
    print(
        f"{args.pages:,} pages per language, {args.refs:,} references, {len(latencies)} one-paragraph edits"
        + (f", one saved every {args.every:g} s" if args.every else "")
        + f": save to written, median {statistics.median(latencies):.2f} s, p90 {deciles[-1]:.2f} s"
        + (
            f"; search index and downloads after median {statistics.median(data_latencies):.2f} s"
            if data_latencies
            else ""
        )
    )


if __name__ == "__main__":
    main()
