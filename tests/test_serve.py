"""`serve`: the preview serves the site on 127.0.0.1 and rebuilds it when a source changes."""

from __future__ import annotations

import contextlib
import threading
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import make_scenario

import bireview.build.search
from bireview.config import make_config
from bireview.preview.server import Started, serve


def fetch(port: int, path: str) -> str:
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/{path}", timeout=5) as response:
        return response.read().decode("utf-8")


def wait_for(condition, seconds: float = 10.0) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.1)
    return False


@contextlib.contextmanager
def serving(root: Path) -> Iterator[int]:
    """`serve` on a free port in a thread, for the duration of the block; stopped and joined after it."""
    stop, started = threading.Event(), Started()
    thread = threading.Thread(target=serve, args=(make_config(root), 0, stop, started, 0.1), daemon=True)
    thread.start()
    try:
        assert started.wait(30)
        yield started.port
    finally:
        stop.set()
        thread.join(10)
    assert not thread.is_alive()


def test_serve_rebuilds_on_change_and_keeps_the_last_good_site(tmp_path: Path, capsys) -> None:
    root = make_scenario(tmp_path)
    with serving(root) as port:
        assert "剂量为 1×10<sup>6</sup>/kg" in fetch(port, "zh/ra/index.html")
        page = root / "content" / "zh" / "ra.md"
        page.write_text(page.read_text(encoding="utf-8").replace("共 9 例患者", "共 12 例患者"), encoding="utf-8")
        assert wait_for(lambda: "共 12 例患者" in fetch(port, "zh/ra/index.html"))
        page.write_text(page.read_text(encoding="utf-8").replace("[@gamma2019third]", "[@nosuch]"), encoding="utf-8")
        printed: list[str] = []
        assert wait_for(lambda: printed.append(capsys.readouterr().out) or "build failed" in "".join(printed))
        assert "content/zh/ra.md:9: unknown citation key 'nosuch'" in "".join(printed)
        assert "共 12 例患者" in fetch(port, "zh/ra/index.html")  # the last good site, still served


def test_serve_survives_a_save_that_is_not_utf8(tmp_path: Path, capsys) -> None:
    root = make_scenario(tmp_path)
    with serving(root) as port:
        page = root / "content" / "zh" / "ra.md"
        page.write_bytes(page.read_bytes().replace("剂量".encode(), b"\xff\xfe"))
        printed: list[str] = []
        assert wait_for(lambda: printed.append(capsys.readouterr().out) or "build failed" in "".join(printed))
        assert "content/zh/ra.md:9: byte 0xff is not UTF-8" in "".join(printed)
        assert "剂量为" in fetch(port, "zh/ra/index.html")
        page.write_bytes(page.read_bytes().replace(b"\xff\xfe", "用量".encode()))
        assert wait_for(lambda: "用量为" in fetch(port, "zh/ra/index.html"))


def test_serve_reports_a_port_in_use(tmp_path: Path, capsys) -> None:
    import socket

    from conftest import run

    root = make_scenario(tmp_path)
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        assert run(root, "serve", "--port", str(port)) == 1
    err = capsys.readouterr().err.splitlines()
    assert err[0].startswith(f"--port: cannot listen on 127.0.0.1:{port}: ") and "choose another port" in err[0]
    assert not (root / "_site").exists()


def test_only_the_served_pages_carry_the_reload_script(tmp_path: Path) -> None:
    root = make_scenario(tmp_path)
    with serving(root) as port:
        for path in ("zh/ra/index.html", "en/", "404.html"):
            served = fetch(port, path)
            assert served.count("new EventSource(") == 1 and served.index("EventSource") < served.rindex("</body>"), (
                path
            )
        assert "EventSource" not in fetch(port, "static/review.js")
    built = [path for path in (root / "_site").rglob("*") if path.is_file()]
    assert any(path.suffix == ".html" for path in built)
    assert not [path for path in built if b"EventSource" in path.read_bytes() or b"__bireview" in path.read_bytes()]


def test_a_newer_save_is_shown_before_the_search_index_of_the_last(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The search index of a long review takes seconds after its pages; a writer who saves again
    meanwhile must see the new page first, not wait for the index of the last save. Here the index
    is made by forked workers, as a long review's is, and each of them takes a second."""
    monkeypatch.setattr(bireview.build.search, "PARALLEL_MIN", 0)
    monkeypatch.setattr(bireview.build.search, "cores", lambda workers=None: 2)
    root = make_scenario(tmp_path)
    index = root / "_site" / "zh" / "search"
    with serving(root) as port:
        slow = bireview.build.search.run_task
        monkeypatch.setattr(bireview.build.search, "run_task", lambda *arguments: time.sleep(1.0) or slow(*arguments))
        page = root / "content" / "zh" / "ra.md"
        page.write_text(
            page.read_text(encoding="utf-8").replace("共 9 例患者", "共 9 例患者甲乙丙丁"), encoding="utf-8"
        )
        assert wait_for(lambda: "甲乙丙丁" in fetch(port, "zh/ra/index.html"))
        page.write_text(
            page.read_text(encoding="utf-8").replace("共 9 例患者", "共 9 例患者戊己庚辛"), encoding="utf-8"
        )
        assert wait_for(lambda: "戊己庚辛" in fetch(port, "zh/ra/index.html"))
        # the first save's index was given up for the second save's page, so it is not there yet
        assert not any("甲乙丙丁" in shard.read_text(encoding="utf-8") for shard in index.glob("t*.js"))
        assert wait_for(
            lambda: any("戊己庚辛甲乙丙丁" in shard.read_text(encoding="utf-8") for shard in index.glob("t*.js"))
        )


def raw_request(port: int, request: bytes) -> bytes:
    import socket

    with socket.create_connection(("127.0.0.1", port), timeout=5) as connection:
        connection.sendall(request)
        received = b""
        while chunk := connection.recv(65536):
            received += chunk
        return received


@pytest.mark.parametrize(
    "path", ["/%00", "/zh/%00/index.html", "/%ff%fe", "zh/index.html", "/zh/ra/index.html%00.html"]
)
def test_serve_answers_a_malformed_path_with_400(tmp_path: Path, path: str) -> None:
    root = make_scenario(tmp_path)
    with serving(root) as port:
        answer = raw_request(
            port, f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\n\r\n".encode()
        )
        assert answer.startswith(b"HTTP/1.0 400 ") or answer.startswith(b"HTTP/1.1 400 "), answer[:80]
        assert "剂量为" in fetch(port, "zh/ra/index.html")  # and goes on serving


@pytest.mark.parametrize(
    "host,served",
    [
        ("127.0.0.1:{port}", True),
        ("localhost:{port}", True),
        ("localhost", True),
        ("evil.example:{port}", False),
        ("127.0.0.1.evil.example", False),
        ("", False),
    ],
)
def test_serve_answers_only_to_its_own_host_name(tmp_path: Path, host: str, served: bool) -> None:
    """A guard against DNS rebinding: a page of another site that resolves its own name to 127.0.0.1
    sends its name as Host, and gets nothing."""
    root = make_scenario(tmp_path)
    with serving(root) as port:
        header = f"Host: {host.format(port=port)}\r\n" if host else ""
        answer = raw_request(port, f"GET /zh/ra/index.html HTTP/1.1\r\n{header}Connection: close\r\n\r\n".encode())
        status = answer.split(b"\r\n", 1)[0]
        assert (status.endswith(b" 200 OK") and "剂量为".encode() in answer) if served else b" 421 " in status, status


@pytest.mark.parametrize("port", ["99999", "-1"])
def test_serve_refuses_a_port_that_is_no_port(tmp_path: Path, capsys, port: str) -> None:
    from conftest import run

    root = make_scenario(tmp_path)
    assert run(root, "serve", "--port", port) == 1
    assert capsys.readouterr().err.splitlines() == [
        f"--port: {port} is not a port number — choose one from 1 to 65535, e.g. --port 8000 (0: any free port)",
        "1 problem; nothing was written.",
    ]
    assert not (root / "_site").exists()


def test_serve_rebuilds_every_page_when_site_yaml_changes(tmp_path: Path) -> None:
    """site.yaml's base_url reaches every page's head: an edit of it while serving rebuilds the site."""
    root = make_scenario(tmp_path)
    (root / "site.yaml").write_text("base_url: https://example.org/one/\n", encoding="utf-8")
    with serving(root) as port:
        assert "https://example.org/one/zh/ra/" in fetch(port, "zh/ra/index.html")
        (root / "site.yaml").write_text("base_url: https://example.org/two/\n", encoding="utf-8")
        assert wait_for(lambda: "https://example.org/two/zh/ra/" in fetch(port, "zh/ra/index.html"))
        assert "https://example.org/one/" not in fetch(port, "en/index.html")
