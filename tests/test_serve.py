"""`serve`: the preview serves the site on 127.0.0.1 and rebuilds it when a source changes."""

from __future__ import annotations

import threading
import time
import urllib.request
from pathlib import Path

from conftest import make_scenario

from bireview.config import make_config
from bireview.serve import serve


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


def test_serve_rebuilds_on_change_and_keeps_the_last_good_site(tmp_path: Path, capsys) -> None:
    root = make_scenario(tmp_path)
    stop, started = threading.Event(), threading.Event()
    thread = threading.Thread(target=serve, args=(make_config(root), 0, stop, started, 0.1), daemon=True)
    thread.start()
    try:
        assert started.wait(10)
        port = started.port  # type: ignore[attr-defined]
        assert "剂量为 1×10<sup>6</sup>/kg" in fetch(port, "zh/ra/index.html")
        page = root / "content" / "zh" / "ra.md"
        page.write_text(page.read_text(encoding="utf-8").replace("共 9 例患者", "共 12 例患者"), encoding="utf-8")
        assert wait_for(lambda: "共 12 例患者" in fetch(port, "zh/ra/index.html"))
        page.write_text(page.read_text(encoding="utf-8").replace("[@gamma2019third]", "[@nosuch]"), encoding="utf-8")
        printed: list[str] = []
        assert wait_for(lambda: printed.append(capsys.readouterr().out) or "build failed" in "".join(printed))
        assert "content/zh/ra.md:9: unknown citation key 'nosuch'" in "".join(printed)
        assert "共 12 例患者" in fetch(port, "zh/ra/index.html")  # the last good site, still served
    finally:
        stop.set()
        thread.join(10)
    assert not thread.is_alive()
