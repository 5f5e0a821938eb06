"""`build.py serve`: a local preview on 127.0.0.1 that rebuilds when a source file changes.

A failed rebuild prints its problems and keeps serving the last good site, which a
failed build never touches.
"""

from __future__ import annotations

import functools
import http.server
import threading
from pathlib import Path

from .config import Config
from .output import output_problems
from .problems import BuildFailed, Problem, raise_if_any
from .site import build

WATCHED = ("content", "bib", "templates", "static", "locale", "data")


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - the base class's name
        pass


def snapshot(config: Config) -> dict[Path, float]:
    """Every watched file and its modification time."""
    files = {}
    for folder in WATCHED:
        for path in (config.root / folder).rglob("*"):
            try:
                if path.is_file():
                    files[path] = path.stat().st_mtime
            except OSError:
                continue  # deleted or renamed while we looked: the next look sees it
    return files


def rebuild(config: Config) -> bool:
    """Build; on any failure say why and keep the last good site, which a failed build never touches."""
    try:
        build(config)
    except BuildFailed as failure:
        for problem in failure.problems:
            print(problem, flush=True)
        print("build failed; still serving the last good site", flush=True)
        return False
    except Exception as error:  # noqa: BLE001 - the preview outlives anything a rebuild raises
        print(f"build failed: {type(error).__name__}: {error}; still serving the last good site", flush=True)
        return False
    print(f"rebuilt {config.out}", flush=True)
    return True


def serve(config: Config, port: int, stop: threading.Event, started: threading.Event | None = None,
          poll_seconds: float = 0.5) -> int:
    """Build, serve `config.out` on 127.0.0.1:`port`, and rebuild on changes until `stop` is set."""
    raise_if_any(output_problems(config.out, config.root))  # never serve (or replace) a folder that is not a site
    handler = functools.partial(QuietHandler, directory=str(config.out))
    try:
        server = http.server.ThreadingHTTPServer(("127.0.0.1", port), handler)
    except OSError as error:
        raise BuildFailed([Problem("--port", 0, "serve/port", f"cannot listen on 127.0.0.1:{port}: {error.strerror}",
                                   "choose another port, e.g. --port 8001, or stop the program using this one")]) from None
    rebuild(config)  # a failed first build serves nothing yet, until an edit fixes it
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    print(f"serving http://127.0.0.1:{server.server_port}/ (Ctrl+C to stop)", flush=True)
    seen = snapshot(config)  # before saying it started: an edit made right after is a change
    if started is not None:
        started.port = server.server_port  # type: ignore[attr-defined]
        started.set()
    try:
        while not stop.wait(poll_seconds):
            current = snapshot(config)
            if current != seen:
                seen = current
                rebuild(config)
    except KeyboardInterrupt:
        pass
    finally:
        server.shutdown()
        server.server_close()
    return 0
