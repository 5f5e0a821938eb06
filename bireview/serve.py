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
from .problems import BuildFailed
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
            if path.is_file():
                files[path] = path.stat().st_mtime
    return files


def rebuild(config: Config) -> bool:
    try:
        build(config)
    except BuildFailed as failure:
        for problem in failure.problems:
            print(problem, flush=True)
        print("build failed; still serving the last good site", flush=True)
        return False
    print(f"rebuilt {config.out}", flush=True)
    return True


def serve(config: Config, port: int, stop: threading.Event, started: threading.Event | None = None,
          poll_seconds: float = 0.5) -> int:
    """Build, serve `config.out` on 127.0.0.1:`port`, and rebuild on changes until `stop` is set."""
    rebuild(config)
    config.out.mkdir(parents=True, exist_ok=True)
    handler = functools.partial(QuietHandler, directory=str(config.out))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", port), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    print(f"serving http://127.0.0.1:{server.server_port}/ (Ctrl+C to stop)", flush=True)
    if started is not None:
        started.port = server.server_port  # type: ignore[attr-defined]
        started.set()
    seen = snapshot(config)
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
