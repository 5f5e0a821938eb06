"""`build.py --timings`: where a build's time went, stage by stage and page kind by page kind."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from conftest import make_scenario, run

import bireview.build.jobs
import bireview.build.search
import bireview.build.workers
import bireview.model.review

STAGES = ["starting", "reading", "checking", "rendering pages", "finishing"]


def timings_of(text: str) -> tuple[dict[str, list[float]], dict[str, tuple[int, float, str]]]:
    """The report's stages (wall, CPU here, CPU workers) and its work (count, CPU s, costliest)."""
    lines = text[text.index("timings:") :].splitlines()[2:]
    stages: dict[str, list[float]] = {}
    work: dict[str, tuple[int, float, str]] = {}
    rows = iter(lines)
    for line in rows:
        if line.split() and line.split()[0] == "work":
            break
        name, *numbers = re.split(r"\s{2,}", line.strip())
        stages[name] = [float(number) for number in numbers]
    for line in rows:
        kind, count, seconds, _, _, costliest = re.split(r"\s{2,}", line.strip())
        work[kind] = (int(count.replace(",", "")), float(seconds), costliest)
    return stages, work


def site_files(out: Path) -> dict[str, bytes]:
    return {
        path.relative_to(out).as_posix(): path.read_bytes()
        for path in sorted(out.rglob("*"))
        if path.is_file() and path.name != ".bireview-inputs"
    }


def timed_build(root: Path, out: Path, capsys: pytest.CaptureFixture[str]) -> tuple[dict, dict]:
    assert run(root, "--out", str(out), "--no-pdf", "--quiet", "--timings", "build") == 0
    captured = capsys.readouterr()
    assert captured.out == ""  # --quiet keeps quiet; the timings asked for go to standard error
    return timings_of(captured.err)


def test_every_page_written_is_tallied_under_its_template(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = make_scenario(tmp_path, "translated")
    stages, work = timed_build(root, tmp_path / "out", capsys)
    assert list(stages) == [*STAGES, "in all"]
    assert abs(sum(wall for wall, _, _ in list(stages.values())[:-1]) - stages["in all"][0]) < 0.05
    pages = sorted((tmp_path / "out").rglob("*.html"))
    assert sum(count for kind, (count, _, _) in work.items() if kind.endswith(".html")) == len(pages)
    parallel = [page for page in pages if page.name == "parallel.html"]
    assert work["parallel.html"][0] == work["page.html"][0] == len(parallel) > 2
    assert work["references.html"][0] == 2 and work["references.html"][2].endswith("references/index.html")
    assert work["search index"][0] == 2  # one task per edition
    assert all(seconds >= 0 for _, seconds, _ in work.values())


def test_the_workers_tallies_come_back_and_the_site_is_the_same(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A long review is rendered by forked workers: what each one tallied must reach the report, and
    timing a build changes nothing it writes."""
    root = make_scenario(tmp_path, "translated")
    assert run(root, "--out", str(tmp_path / "plain"), "--no-pdf", "--quiet", "build") == 0
    _, alone = timed_build(root, tmp_path / "alone", capsys)
    monkeypatch.setattr(bireview.model.review, "PARALLEL_MIN", 0)
    monkeypatch.setattr(bireview.build.jobs, "PARALLEL_MIN", 0)
    monkeypatch.setattr(bireview.build.search, "PARALLEL_MIN", 0)
    monkeypatch.setattr(bireview.build.workers, "cores", lambda workers=None: 2)
    stages, forked = timed_build(root, tmp_path / "forked", capsys)
    assert {kind: tally[0] for kind, tally in forked.items()} == {kind: tally[0] for kind, tally in alone.items()}
    assert stages["reading"][2] > 0 and stages["rendering pages"][2] > 0  # the workers' CPU, counted when they end
    assert site_files(tmp_path / "forked") == site_files(tmp_path / "alone") == site_files(tmp_path / "plain")


def test_an_unchanged_site_says_nothing_was_built(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = make_scenario(tmp_path)
    assert run(root, "--no-pdf", "--quiet", "build") == 0
    capsys.readouterr()
    assert run(root, "--no-pdf", "--quiet", "--timings", "build") == 0
    assert "the site was up to date, nothing was built" in capsys.readouterr().err
