"""What changed in a stale unit, from the git history of the Chinese file: status, export, page, parallel view,
report."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from conftest import make_scenario, run
from lxml import etree

from bireview.translate.exchange import XLIFF_NS
from bireview.translate.history import Piece, char_diff

X = {"x": XLIFF_NS}


def git(root: Path, *arguments: str) -> None:
    subprocess.run(
        [
            "git",
            "-c",
            "user.name=test",
            "-c",
            "user.email=test@example.org",
            "-c",
            "init.defaultBranch=main",
            *arguments,
        ],
        cwd=root,
        check=True,
        capture_output=True,
    )


@pytest.fixture
def repository(tmp_path: Path) -> Path:
    """The translated scenario committed to a fresh git repository, then its Chinese ra-1 edited twice."""
    site = make_scenario(tmp_path, "translated")
    git(site, "init", "-q")
    git(site, "add", "-A")
    git(site, "commit", "-q", "-m", "the Chinese as translated")
    chinese = site / "content" / "zh" / "ra.md"
    chinese.write_text(chinese.read_text(encoding="utf-8").replace("共 9 例患者", "共 12 例患者"), encoding="utf-8")
    git(site, "commit", "-q", "-am", "a later Chinese")
    chinese.write_text(
        chinese.read_text(encoding="utf-8").replace("共 12 例患者", "共 12 例难治性患者"), encoding="utf-8"
    )
    return site


def test_char_diff_works_on_characters() -> None:
    assert char_diff("共9例患者", "共12例难治性患者") == (
        Piece("same", "共"),
        Piece("removed", "9"),
        Piece("added", "12"),
        Piece("same", "例"),
        Piece("added", "难治性"),
        Piece("same", "患者"),
    )


def test_status_diff_shows_the_chinese_then_and_now(repository: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(repository, "status", "--diff") == 0
    out = capsys.readouterr().out
    assert "what changed: 剂量为 1×10^6^/kg,共 [-9-]{+12+} 例{+难治性+}患者[@gamma2019third]。" in out
    # overview-2 records a fingerprint no version ever had
    assert "stale overview-2" in out and "the earlier Chinese text is unknown" in out


def test_export_carries_the_previous_source(repository: Path) -> None:
    assert run(repository, "export", "--format", "po") == 0
    po = (repository / "translations" / "ra.po").read_text(encoding="utf-8")
    assert '#| msgid "剂量为 1×10{sup1}/kg,共 9 例患者{cite1}。"\n' in po
    assert "[-9-]{+12+}" in po
    assert run(repository, "export", "--format", "xliff") == 0
    tree = etree.parse(str(repository / "translations" / "ra.xlf"))
    unit = tree.find(".//x:trans-unit[@resname='ra-1']", X)
    assert unit.find("x:target", X).get("state") == "needs-review-translation"
    alternative = unit.find("x:alt-trans", X)
    assert alternative.get("alttranstype") == "previous-version"
    assert "".join(alternative.find("x:source", X).itertext()) == "剂量为 1×10^6^/kg,共 9 例患者[@gamma2019third]。"
    assert any("[-9-]{+12+}" in note.text for note in unit.findall("x:note", X))


def test_english_page_and_parallel_view_show_the_diff(repository: Path) -> None:
    assert run(repository, "build") == 0
    page = (repository / "_site" / "en" / "ra" / "index.html").read_text(encoding="utf-8")
    stale = page.split('<div class="unit unit-stale">')[1].split('<p id="ra-1">')[0]
    assert "<summary>What changed in the Chinese</summary>" in stale
    assert '<del><span class="visually-hidden">[removed: </span>9' in stale
    assert '<ins><span class="visually-hidden">[added: </span>难治性' in stale
    for lang in ("en", "zh"):
        parallel = (repository / "_site" / lang / "ra" / "parallel.html").read_text(encoding="utf-8")
        row = parallel.split('id="ra-1"')[1].split('class="parallel-row')[0]
        assert "<del>" in row and any(
            part.split("</ins>")[0].endswith('难治性<span class="visually-hidden">]</span>')
            for part in row.split("<ins>")[1:]
        )
    index = (repository / "_site" / "en" / "index.html").read_text(encoding="utf-8")
    assert "the earlier Chinese text is unknown." in index  # overview-2


def test_without_git_the_earlier_text_is_unknown(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    site = make_scenario(tmp_path, "translated")  # not a repository
    chinese = site / "content" / "zh" / "ra.md"
    chinese.write_text(chinese.read_text(encoding="utf-8").replace("共 9 例患者", "共 12 例患者"), encoding="utf-8")
    assert run(site, "status", "--diff") == 0
    out = capsys.readouterr().out
    assert out.count("the earlier Chinese text is unknown") == 2 and "[-" not in out
    assert run(site, "build") == 0
    page = (site / "_site" / "en" / "ra" / "index.html").read_text(encoding="utf-8")
    assert "What changed in the Chinese: the earlier Chinese text is unknown." in page and "<del>" not in page


def test_the_build_is_the_same_in_a_repository_and_a_copy_of_it(repository: Path, tmp_path: Path) -> None:
    """History is input like any file: two builds of one repository are byte-identical."""
    assert run(repository, "--out", str(tmp_path / "one"), "build") == 0
    assert run(repository, "--out", str(tmp_path / "two"), "build") == 0
    one = {p.relative_to(tmp_path / "one"): p.read_bytes() for p in (tmp_path / "one").rglob("*") if p.is_file()}
    two = {p.relative_to(tmp_path / "two"): p.read_bytes() for p in (tmp_path / "two").rglob("*") if p.is_file()}
    assert one == two


def test_html_report_lists_progress_diffs_missing_units_and_check_problems(repository: Path) -> None:
    chinese = repository / "content" / "zh" / "ra.md"
    chinese.write_text(
        chinese.read_text(encoding="utf-8") + "\n{#ra-2}\n新增的一段[@alpha2020first]。\n", encoding="utf-8"
    )
    english = repository / "content" / "en" / "ra.md"
    english.write_text(english.read_text(encoding="utf-8").replace("9 patients", "9 people"), encoding="utf-8")
    assert run(repository, "status", "--format", "html", "--out", str(repository / "report" / "status.html")) == 0
    html = (repository / "report" / "status.html").read_text(encoding="utf-8")
    assert "<script" not in html and "http" not in html.replace("http-equiv", "")  # self-contained
    assert 'aria-label="ra: 1 of 3 units translated, 1 stale, 1 missing"' in html
    stale = html.split('id="unit-ra-1"')[1].split("</div>")[0]
    assert "<del>" in stale and "难治性" in stale
    assert 'href="../_site/zh/ra/index.html#ra-1"' in stale and 'href="../_site/en/ra/index.html#ra-1"' in stale
    assert 'id="unit-ra-2"' in html and "新增的一段" in html
    assert "What changed is unknown" in html.split('id="unit-overview-2"')[1]
    [problem] = html.split('<li class="problem" data-category="translation/terminology">')[1:]
    assert "content/en/ra.md:7</code>: terminology: the Chinese of &#39;ra-1&#39; uses 患者" in problem
