"""Shared fixtures: the real review built once, and tiny scenario sites built from tests/sites/."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from bireview.cli import main

PROJECT = Path(__file__).resolve().parent.parent
SITES = Path(__file__).resolve().parent / "sites"
# What every scenario site shares with the real project: presentation, not content.
SHARED = ("templates", "locale", "static")


def make_scenario(tmp_path: Path, *cases: str) -> Path:
    """A project folder: the real templates, plus the files of tests/sites/base and each case, in order."""
    root = tmp_path / "site"
    for folder in SHARED:
        shutil.copytree(PROJECT / folder, root / folder)
    for case in ("base", *cases):
        shutil.copytree(SITES / case, root, dirs_exist_ok=True)
    return root


def run(root: Path, *args: str) -> int:
    return main(["--root", str(root), *args])


@pytest.fixture(scope="session")
def real_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The real review, built once for the whole session into a temporary folder."""
    out = tmp_path_factory.mktemp("real") / "_site"
    assert main(["--root", str(PROJECT), "--out", str(out), "build"]) == 0
    return out


BASE_URL = "https://example.org/msc-review/"


@pytest.fixture(scope="session")
def published_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The real review as CI publishes it: with a base URL, so with canonical links and a sitemap."""
    out = tmp_path_factory.mktemp("published") / "_site"
    assert main(["--root", str(PROJECT), "--out", str(out), "--base-url", BASE_URL, "--quiet", "build"]) == 0
    return out
