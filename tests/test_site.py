"""The site's shape: URLs, languages, navigation, relative links, determinism and `check`."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from conftest import PROJECT, make_scenario, run

import bireview.build.jobs
import bireview.build.search
import bireview.build.workers
import bireview.model.review
from bireview.build.unchanged import site_digest
from bireview.cli import main

SLUGS = ["ra", "sle", "ss", "pm-dm", "ssc", "outlook", "references"]


def test_url_tree(real_site: Path) -> None:
    expected = (
        {"index.html"}
        | {f"{lang}/index.html" for lang in ("zh", "en")}
        | {f"{lang}/{slug}/index.html" for lang in ("zh", "en") for slug in SLUGS}
    )
    assert expected <= {p.relative_to(real_site).as_posix() for p in real_site.rglob("*.html")}


@pytest.mark.parametrize("lang,html_lang,other", [("zh", "zh-Hans", "en"), ("en", "en", "zh-Hans")])
def test_every_page_declares_its_language_and_its_twin(real_site: Path, lang: str, html_lang: str, other: str) -> None:
    for page in (real_site / lang).rglob("index.html"):
        html = page.read_text(encoding="utf-8")
        assert f'<html lang="{html_lang}">' in html
        twin = re.search(rf'<link rel="alternate" hreflang="{other}" href="([^"]+)">', html)
        assert twin, page
        assert (page.parent / twin.group(1)).resolve().exists()
        assert 'class="language-switch"' in html


def test_sle_page_links_to_diseases_and_english(real_site: Path) -> None:
    html = (real_site / "zh" / "sle" / "index.html").read_text(encoding="utf-8")
    for slug in ("ra", "ss", "pm-dm", "ssc"):
        assert f'href="../{slug}/index.html"' in html
    assert 'href="../../en/sle/index.html"' in html
    assert 'rel="prev" href="../ra/index.html"' in html and 'rel="next" href="../ss/index.html"' in html
    assert html.count('<li id="ref-') == 13  # the page's own reference list: [20]-[32]


def test_links_are_relative(real_site: Path) -> None:
    for page in real_site.rglob("*.html"):
        for href in re.findall(r'(?:href|src)="([^"]+)"', page.read_text(encoding="utf-8")):
            assert not href.startswith("/"), (page, href)


def test_chooser_links_both_languages_without_scripts(real_site: Path) -> None:
    html = (real_site / "index.html").read_text(encoding="utf-8")
    assert 'href="zh/index.html"' in html and 'href="en/index.html"' in html
    assert "navigator.languages" in html


def test_same_input_builds_byte_identical_output(tmp_path: Path) -> None:
    outputs = []
    for name in ("one", "two"):
        out = tmp_path / name
        assert main(["--root", str(PROJECT), "--out", str(out), "build"]) == 0
        outputs.append({p.relative_to(out).as_posix(): p.read_bytes() for p in sorted(out.rglob("*")) if p.is_file()})
    assert outputs[0] == outputs[1]


def test_reading_and_rendering_on_every_core_builds_the_same_site(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A long review is read by forked workers, which send back light pages (no Markdown tokens);
    each page is parsed again where it is rendered. The site must be the one a single process makes."""

    def site(out: Path) -> dict[str, bytes]:
        assert main(["--root", str(PROJECT), "--out", str(out), "--no-pdf", "build"]) == 0
        return {
            p.relative_to(out).as_posix(): p.read_bytes()
            for p in sorted(out.rglob("*"))
            if p.is_file() and p.name != ".bireview-inputs"
        }

    alone = site(tmp_path / "alone")
    monkeypatch.setattr(bireview.model.review, "PARALLEL_MIN", 0)
    monkeypatch.setattr(bireview.build.jobs, "PARALLEL_MIN", 0)
    monkeypatch.setattr(bireview.build.search, "PARALLEL_MIN", 0)
    monkeypatch.setattr(bireview.build.workers, "cores", lambda workers=None: 2)
    forked = site(tmp_path / "forked")
    assert forked == alone
    assert len(alone) > 40
    # the site's record is made of what each worker wrote: it must be what is read back from the site
    for out in (tmp_path / "alone", tmp_path / "forked"):
        assert (out / ".bireview-inputs").read_text(encoding="utf-8").split("\n")[2] == site_digest(out)


def test_real_review_passes_check(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--root", str(PROJECT), "--out", str(tmp_path / "_site"), "check"]) == 0
    assert capsys.readouterr().out.strip().endswith("check: 0 problems")


def test_check_reports_a_broken_fragment(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = make_scenario(tmp_path)
    page = root / "templates" / "references.html"
    page.write_text(
        page.read_text(encoding="utf-8").replace(
            "{% block content %}", '{% block content %}<a href="../ra/index.html#nowhere">x</a>', 1
        ),
        encoding="utf-8",
    )
    assert run(root, "check") == 1
    out = capsys.readouterr().out
    built = (root / "_site" / "en" / "references" / "index.html").read_text(encoding="utf-8").split("\n")
    line = next(number for number, text in enumerate(built, start=1) if "#nowhere" in text)
    assert (
        f"_site/en/references/index.html:{line}: link '../ra/index.html#nowhere' points to a missing #nowhere in "
        "en/ra/index.html — fix the link in the template or the content"
    ) in out
