"""`serve`: the preview server (bireview/preview/)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from bireview.config import Config

if TYPE_CHECKING:
    pass


def serve_command(config: Config, port: int) -> int:
    import dataclasses
    import threading

    from bireview.preview.server import serve

    # a preview rebuilds on every save: the PDF editions (seconds each) are left to `build`
    return serve(dataclasses.replace(config, pdf=False), port, threading.Event())
