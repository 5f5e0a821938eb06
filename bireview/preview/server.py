"""`build.py serve`: a local preview on 127.0.0.1 that rebuilds when a source file changes, and
reloads the open tabs.

A failed rebuild prints its problems and keeps serving the last good site, which a failed build
never touches. Changes are reported by the operating system (watchfiles), not found by reading
every file's time twice a second. The live reload is a small script that only this server adds
to the HTML it serves, never to the built site: it listens for the build counter on an event
stream and, when the server goes away (stopped, restarted), tries again with growing pauses.
"""

from __future__ import annotations

import functools
import http.server
import queue
import secrets
import threading
from collections.abc import Callable, Iterable
from http import HTTPStatus
from pathlib import Path
from urllib.parse import unquote

from watchfiles import watch

from bireview.build.output import output_problems
from bireview.build.workers import Abandoned
from bireview.config import INPUT_FILES, INPUT_FOLDERS, Config
from bireview.preview.incremental import SiteState
from bireview.problems import BuildFailed, Problem, raise_if_any

LOOPBACK_NAMES = ("127.0.0.1", "localhost", "[::1]")
EVENTS = "/__bireview/events"
RELOAD_SCRIPT = """<script>/* added by `build.py serve`, not part of the site */
(function () {
  var seen = null, pause = 250;
  function listen() {
    var events = new EventSource("EVENTS_URL");
    events.onmessage = function (event) {
      pause = 250;
      if (seen !== null && event.data !== seen) { location.reload(); }
      seen = event.data;
    };
    events.onerror = function () {
      events.close();
      setTimeout(listen, pause);
      pause = Math.min(pause * 2, 4000);
    };
  }
  listen();
})();
</script>
""".replace("EVENTS_URL", EVENTS)


class Builds:
    """The build counter the open tabs follow; a server that starts again has a new name, so
    every tab reloads after a restart."""

    def __init__(self, stop: threading.Event) -> None:
        self.name = secrets.token_hex(4)
        self.count = 0
        self.stop = stop
        self.changed = threading.Condition()

    def done(self) -> None:
        with self.changed:
            self.count += 1
            self.changed.notify_all()

    def wake(self) -> None:
        with self.changed:
            self.changed.notify_all()

    def current(self) -> str:
        return f"{self.name}-{self.count}"

    def after(self, seen: str, seconds: float) -> str:
        """The next build's name once there is one, or the same after `seconds` (to keep the stream alive)."""
        with self.changed:
            self.changed.wait_for(lambda: self.current() != seen or self.stop.is_set(), timeout=seconds)
            return self.current()


class PreviewHandler(http.server.SimpleHTTPRequestHandler):
    """Serves the site as built, with the reload script before </body> of each page, and the event stream."""

    builds: Builds

    def log_message(self, format: str, *args: object) -> None:  # `format`: the base class's name
        pass

    def parse_request(self) -> bool:
        """The request line and headers, and two refusals before anything is looked up: a Host that is
        not this machine's loopback name (a guard against DNS rebinding, by which a web page could
        read the preview through a name of its own), and a path that no file can have (a NUL, bytes
        that are not UTF-8, not starting with /)."""
        if not super().parse_request():
            return False
        host = (self.headers.get("Host") or "").strip().lower()
        name = host.split("]")[0] + "]" if host.startswith("[") else host.rsplit(":", 1)[0]
        if name not in LOOPBACK_NAMES:
            self.send_error(HTTPStatus.MISDIRECTED_REQUEST, "This preview answers only to 127.0.0.1 and localhost")
            return False
        try:
            path = unquote(self.path.split("?")[0].split("#")[0], errors="strict")
        except UnicodeDecodeError:
            path = "\x00"
        if not self.path.startswith("/") or "\x00" in path:
            self.send_error(HTTPStatus.BAD_REQUEST, "Malformed path")
            return False
        return True

    def do_GET(self) -> None:  # `do_GET`: the base class's name
        if self.path.split("?")[0] == EVENTS:
            self.stream_builds()
            return
        page = self.page_file()
        if page is None:
            super().do_GET()
            return
        try:
            html = page.read_bytes()
        except OSError:
            super().do_GET()  # gone meanwhile (a rebuild swapped the site): the base class says so
            return
        body = with_reload_script(html)
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        self.wfile.write(body)

    def page_file(self) -> Path | None:
        """The HTML file a GET of this path serves, if it is one (a folder serves its index.html)."""
        if self.path.split("?")[0].split("#")[0].endswith("/"):
            path = Path(self.translate_path(self.path)) / "index.html"
        else:
            path = Path(self.translate_path(self.path))
        return path if path.suffix == ".html" and path.is_file() else None

    def stream_builds(self) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        seen = ""
        try:
            while not self.builds.stop.is_set():
                current = self.builds.after(seen, 15)
                self.wfile.write(f"data: {current}\n\n".encode() if current != seen else b": still here\n\n")
                self.wfile.flush()
                seen = current
        except OSError:
            pass  # the tab went away


def with_reload_script(html: bytes) -> bytes:
    head, marker, tail = html.rpartition(b"</body>")
    return head + RELOAD_SCRIPT.encode() + marker + tail if marker else html + RELOAD_SCRIPT.encode()


class Preview:
    """The site as `serve` keeps it in memory between edits (bireview/state.py): an edit re-reads,
    re-renders and rewrites only what it can change; the first build, or one after a failed first
    build, is a full one."""

    def __init__(self, config: Config) -> None:
        self.config = config
        self.state: SiteState | None = None

    def rebuild(self, changed: frozenset[Path]) -> None:
        """The pages: on return, the open tabs may reload; `finish` then makes the rest."""
        if self.state is None or not changed:
            self.state = None
            self.state = SiteState.full(self.config)
        else:
            self.state.update_pages(changed)

    def unfinished(self) -> bool:
        """Whether the last rebuilds' pages are written, but not yet their search index and downloads."""
        return self.state is not None and self.state.pending is not None

    def finish(self, abandon: Callable[[], bool] | None = None) -> None:
        """The search index, downloads and sitemap of the last rebuilds, made after their pages;
        given up (`Abandoned`) once `abandon` says so."""
        if self.state is not None:
            self.state.update_data(abandon)


def refresh(preview: Preview, changed: frozenset[Path]) -> bool:
    """Rebuild; on any failure say why and keep the last good site, which a failed build never touches."""
    if not guarded(lambda: preview.rebuild(changed)):
        return False
    print(f"rebuilt {preview.config.out}", flush=True)
    return True


def guarded(step: Callable[[], None]) -> bool:
    """Run a step of a rebuild; a failure is said, never raised: the preview outlives it."""
    try:
        step()
    except BuildFailed as failure:
        for problem in failure.problems:
            print(problem, flush=True)
        print("build failed; still serving the last good site", flush=True)
        return False
    except Abandoned:
        raise  # not a failure: a newer change came first (see `serve`)
    except Exception as error:  # noqa: BLE001 - the preview outlives anything a rebuild raises
        print(f"build failed: {type(error).__name__}: {error}; still serving the last good site", flush=True)
        return False
    return True


class Started(threading.Event):
    """Set once the server listens; `port` is then the port it listens on (the tests pass 0 and read it)."""

    port: int = 0


def serve(
    config: Config,
    port: int,
    stop: threading.Event,
    started: Started | None = None,
    settle_seconds: float = 0.01,
) -> int:
    """Build, serve `config.out` on 127.0.0.1:`port`, and rebuild on changes until `stop` is set.

    A burst of changes (an editor's save, a checkout) is one rebuild once no change came for
    `settle_seconds`: watchfiles looks every `settle_seconds` and reports what it collected once a
    look found nothing new, so a save is seen 1 to 2 × `settle_seconds` after it (the events of one
    save come within microseconds; a file saved again meanwhile is one change, not two). Changes made
    during a rebuild are collected meanwhile (by a thread of their own) and make the next one.

    The pages of a change come before everything else: the search index and downloads, made after
    them (seconds, in a long review), are given up as soon as a newer change comes, whose pages are
    made first, then those of both. A writer saving every second sees each save's page as fast as
    the first.
    """
    port_problem = (
        []
        if 0 <= port <= 65535
        else [
            Problem(
                "--port",
                0,
                "serve/port",
                f"{port} is not a port number",
                "choose one from 1 to 65535, e.g. --port 8000 (0: any free port)",
            )
        ]
    )
    raise_if_any(
        port_problem + output_problems(config.out, config.root)
    )  # never serve (or replace) a folder that is not a site
    builds = Builds(stop)
    handler = functools.partial(type("Handler", (PreviewHandler,), {"builds": builds}), directory=str(config.out))
    try:
        server = http.server.ThreadingHTTPServer(("127.0.0.1", port), handler)
    except OSError as error:
        raise BuildFailed(
            [
                Problem(
                    "--port",
                    0,
                    "serve/port",
                    f"cannot listen on 127.0.0.1:{port}: {error.strerror}",
                    "choose another port, e.g. --port 8001, or stop the program using this one",
                )
            ]
        ) from None
    folders = [config.root / name for name in INPUT_FOLDERS if (config.root / name).is_dir()]
    folders += [config.root / name for name in INPUT_FILES if (config.root / name).is_file()]
    changes = (
        watch(
            *folders,
            stop_event=stop,
            step=max(1, int(settle_seconds * 1000)),
            rust_timeout=200,
            yield_on_timeout=True,
            raise_interrupt=False,
        )
        if folders
        else iter(())
    )
    next(changes, None)  # watching from here: an edit made while the first build runs is seen
    preview = Preview(config)
    if refresh(preview, frozenset()):  # a failed first build serves nothing yet, until an edit fixes it
        builds.done()
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    print(f"serving http://127.0.0.1:{server.server_port}/ (Ctrl+C to stop)", flush=True)
    if started is not None:
        started.port = server.server_port
        started.set()
    try:
        if not folders:  # nothing to watch: serve until stopped
            stop.wait()
        waiting: queue.SimpleQueue[frozenset[Path] | None] = queue.SimpleQueue()  # None: watching ended
        threading.Thread(target=collect, args=(changes, waiting), daemon=True).start()
        while (changed := next_changes(waiting)) is not None:
            if refresh(preview, changed):
                builds.done()  # the pages are written: the open tabs reload while the rest is made
            try:
                if preview.unfinished() and guarded(lambda: preview.finish(lambda: not waiting.empty())):
                    print("search index and downloads updated", flush=True)
            except Abandoned:
                pass  # made after the pages of what came meanwhile
    except KeyboardInterrupt:
        pass
    finally:
        stop.set()
        builds.wake()
        server.shutdown()
        server.server_close()
    return 0


def collect(changes: Iterable[set[tuple[object, str]]], waiting: queue.SimpleQueue[frozenset[Path] | None]) -> None:
    """Put each set of changed files watchfiles reports in `waiting`, then None once it stops."""
    try:
        for changed in changes:
            if changed:
                waiting.put(frozenset(Path(path) for _, path in changed))
    finally:
        waiting.put(None)


def next_changes(waiting: queue.SimpleQueue[frozenset[Path] | None]) -> frozenset[Path] | None:
    """The next changed files, with any that came after them; None once watching stopped."""
    changed = waiting.get()
    while changed is not None and not waiting.empty():
        more = waiting.get()
        changed = None if more is None else changed | more
    return changed
