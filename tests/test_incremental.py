"""Property: after any sequence of edits, serve's incremental rebuild (SiteState.update) leaves exactly
the site a full build makes, byte for byte; and an edit with problems leaves the site as it was.

A scenario review with fifteen pages, built both with the full navigation and with the navigation of
a long review (each page lists its neighbours, metadata names only the page's own references), takes
random edits: a paragraph's text, a new citation (which may renumber the review), a title, a deleted
page, a new page, a template tweak.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from conftest import make_scenario
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

import bireview.build.publish.metadata
import bireview.build.search
import bireview.build.views
from bireview.build.workers import Abandoned
from bireview.config import make_config
from bireview.preview.incremental import SiteState
from bireview.problems import BuildFailed

EXTRA_PAGES = 12
KEYS = ("alpha2020first", "beta2021second", "gamma2019third")
WORDS = ("间充质", "干细胞", "治疗", "患者", "剂量", "安全", "1×10^6^/kg", "MSCs", "随访")
TEMPLATES = ("page.html", "parallel.html", "references.html", "base.html", "contents.html")


def snapshot(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def scenario(tmp_path: Path) -> Path:
    root = make_scenario(tmp_path, "translated", "studies")
    for number in range(1, EXTRA_PAGES + 1):
        cited = KEYS[number % len(KEYS)]
        (root / "content" / "zh" / f"p{number:02d}.md").write_text(
            f"---\ntitle: 第{number}节\norder: {number + 1}\n---\n\n"
            f"{{#p{number:02d}-1}}\n第{number}节的第一段[@{cited}]。\n\n"
            f"{{#p{number:02d}-2}}\n第二段。\n",
            encoding="utf-8",
        )
    return root


def edits() -> st.SearchStrategy:
    page = st.integers(min_value=0, max_value=EXTRA_PAGES + 1)
    text = st.lists(st.sampled_from(WORDS), min_size=1, max_size=4).map("".join)
    return st.one_of(
        st.tuples(st.just("paragraph"), page, text),
        st.tuples(st.just("cite"), page, st.sampled_from(KEYS)),
        st.tuples(st.just("title"), page, text),
        st.tuples(st.just("delete"), page, st.just("")),
        st.tuples(st.just("new-page"), page, text),
        st.tuples(st.just("template"), st.integers(min_value=0, max_value=len(TEMPLATES) - 1), text),
    )


def chinese_pages(root: Path) -> list[Path]:
    return sorted((root / "content" / "zh").glob("*.md"))


def apply(root: Path, edit: tuple[str, int, str]) -> list[Path]:
    """Make one edit; the files it changed (or removed)."""
    kind, which, text = edit
    if kind == "template":
        path = root / "templates" / TEMPLATES[which]
        source = path.read_text(encoding="utf-8")
        mark = "{% block content %}" if "{% block content %}" in source else "</footer>"
        path.write_text(source.replace(mark, f"{mark}<p>{text}</p>", 1), encoding="utf-8")
        return [path]
    pages = chinese_pages(root)
    path = pages[which % len(pages)]
    source = path.read_text(encoding="utf-8")
    if kind == "new-page":
        new = root / "content" / "zh" / f"n{len(pages):02d}{which:02d}.md"
        new.write_text(f"---\ntitle: {text}\norder: {which}\n---\n\n{text}[@{KEYS[which % 3]}]。\n", encoding="utf-8")
        return [new]
    if kind == "delete":
        if path.stem == "index":
            return []
        english = root / "content" / "en" / path.name
        path.unlink()
        english.unlink(missing_ok=True)
        return [path, english]
    lines = source.split("\n")
    if kind == "title":
        lines = [f"title: {text}" if line.startswith("title:") else line for line in lines]
    else:
        body = [
            i for i, line in enumerate(lines) if line and not line.startswith(("{#", "---", "#")) and ":" not in line
        ]
        if not body:
            return []
        at = body[which % len(body)]
        lines[at] = lines[at] + (f"[@{text}]" if kind == "cite" else text)
    path.write_text("\n".join(lines), encoding="utf-8")
    return [path]


def full_build(root: Path, out: Path) -> dict[str, bytes] | None:
    """What a full build makes of the project as it is now; None when it has problems."""
    shutil.rmtree(out, ignore_errors=True)
    try:
        SiteState.full(make_config(root, out))
    except BuildFailed:
        return None
    return snapshot(out)


@pytest.mark.parametrize("long_review", [False, True], ids=["full-navigation", "long-review-navigation"])
@settings(
    max_examples=25,
    deadline=None,
    derandomize=True,
    phases=(Phase.explicit, Phase.generate),
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(steps=st.lists(edits(), min_size=1, max_size=4))
def test_incremental_rebuild_equals_full_build(
    tmp_path_factory: pytest.TempPathFactory,
    monkeypatch: pytest.MonkeyPatch,
    long_review: bool,
    steps: list[tuple[str, int, str]],
) -> None:
    if long_review:
        monkeypatch.setattr(bireview.build.views, "FULL_NAVIGATION_LIMIT", 3)
        monkeypatch.setattr(bireview.build.publish.metadata, "ALL_REFERENCES_LIMIT", 1)
    tmp_path = tmp_path_factory.mktemp("incremental")
    root = scenario(tmp_path)
    out = tmp_path / "site-out"
    state = SiteState.full(make_config(root, out))
    for step in steps:
        changed = apply(root, step)
        before = snapshot(out)
        try:
            written = state.update(changed)
        except BuildFailed:
            assert snapshot(out) == before, f"a failed update changed the site after {step}"
            assert full_build(root, tmp_path / "full") is None, f"the update failed, a full build did not, after {step}"
            continue
        after = snapshot(out)
        assert sorted(path for path in set(before) | set(after) if before.get(path) != after.get(path)) == written
    expected = full_build(root, tmp_path / "full")
    if expected is not None:
        actual = snapshot(out)
        assert sorted(actual) == sorted(expected)
        assert [path for path in expected if actual[path] != expected[path]] == []


def test_an_unchanged_site_rewrites_nothing(tmp_path: Path) -> None:
    root = scenario(tmp_path)
    out = tmp_path / "site-out"
    state = SiteState.full(make_config(root, out))
    before = snapshot(out)
    assert state.update([]) == []
    assert state.update([root / "content" / "zh" / "ra.md"]) == []  # saved without a change
    assert snapshot(out) == before


def test_a_changed_catalogue_reaches_every_page(tmp_path: Path) -> None:
    """Interface strings are compiled into the templates (render.Edition): a changed translation
    must compile them again, not reuse the templates compiled with the old one."""
    root = scenario(tmp_path)
    out = tmp_path / "site-out"
    state = SiteState.full(make_config(root, out))
    page = out / "zh" / "p03" / "index.html"
    assert "下一篇" in page.read_text(encoding="utf-8")
    catalogue = root / "locale" / "zh" / "LC_MESSAGES" / "messages.po"
    catalogue.write_text(
        catalogue.read_text(encoding="utf-8").replace('msgstr "下一篇"', 'msgstr "下一节"'), encoding="utf-8"
    )
    written = state.update([catalogue])
    assert "zh/p03/index.html" in written
    assert "下一节" in page.read_text(encoding="utf-8") and "下一篇" not in page.read_text(encoding="utf-8")
    assert snapshot(out) == full_build(root, tmp_path / "fresh")


def long_review(monkeypatch: pytest.MonkeyPatch) -> None:
    """The navigation of a long review: each page lists its neighbours, so an edit's reach is a window."""
    monkeypatch.setattr(bireview.build.views, "FULL_NAVIGATION_LIMIT", 3)
    monkeypatch.setattr(bireview.build.publish.metadata, "ALL_REFERENCES_LIMIT", 1)


def test_a_page_added_or_removed_while_serving_is_seen(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The content folders' listing is kept between updates (review.content_files): a file that
    appears or goes away must still be found."""
    long_review(monkeypatch)
    root = scenario(tmp_path)
    out = tmp_path / "site-out"
    state = SiteState.full(make_config(root, out))
    added = root / "content" / "zh" / "p99.md"
    added.write_text(
        "---\ntitle: 新的一节\norder: 99\n---\n\n{#p99-1}\n新的一段[@alpha2020first]。\n", encoding="utf-8"
    )
    written = state.update([added])
    assert {"zh/p99/index.html", "en/p99/index.html"} <= set(written)
    assert "新的一段" in (out / "zh" / "p99" / "index.html").read_text(encoding="utf-8")
    assert snapshot(out) == full_build(root, tmp_path / "after-adding")
    added.unlink()
    removed = root / "content" / "zh" / "p05.md"
    removed.unlink()
    written = state.update([added, removed])
    assert {"zh/p99/index.html", "zh/p05/index.html"} <= set(written)
    assert not (out / "zh" / "p99" / "index.html").exists() and not (out / "zh" / "p05" / "index.html").exists()
    assert snapshot(out) == full_build(root, tmp_path / "after-removing")


def test_a_changed_title_reaches_every_page_whose_navigation_shows_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Pages whose files did not change keep their keys unless a page in their navigation window
    changed (state.Keys.unchanged): the window must reach as far as the navigation does."""
    long_review(monkeypatch)
    root = scenario(tmp_path)
    out = tmp_path / "site-out"
    state = SiteState.full(make_config(root, out))
    edited = root / "content" / "zh" / "p07.md"  # in the middle: pages on both sides show it
    edited.write_text(edited.read_text(encoding="utf-8").replace("title: 第7节", "title: 第七节"), encoding="utf-8")
    written = state.update([edited])
    neighbours = bireview.build.views.NEIGHBOURS
    for far in (7 - neighbours, 7 + neighbours):  # the farthest pages whose navigation lists it
        page = out / "zh" / f"p{far:02d}" / "index.html"
        assert f"zh/p{far:02d}/index.html" in written and "第七节" in page.read_text(encoding="utf-8")
    assert snapshot(out) == full_build(root, tmp_path / "fresh")


SHARED_EDITS = {  # a file every page reads, and an edit of it
    "templates/base.html": ("</footer>", "</footer><p>改过的页脚</p>"),
    "data/glossary.yaml": ("en: patient", "en: participant"),
    "locale/en/LC_MESSAGES/messages.po": ('msgstr "Next"', 'msgstr "Onward"'),
}


@pytest.mark.parametrize("name", sorted(SHARED_EDITS))
def test_a_changed_shared_input_reaches_every_page(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, name: str) -> None:
    """A template, the glossary or a catalogue is read by every page: an edit of it is no edit of
    one page, and every page whose output it changes must be made again."""
    long_review(monkeypatch)
    root = scenario(tmp_path)
    out = tmp_path / "site-out"
    state = SiteState.full(make_config(root, out))
    path = root / name
    old, new = SHARED_EDITS[name]
    assert old in path.read_text(encoding="utf-8")
    path.write_text(path.read_text(encoding="utf-8").replace(old, new), encoding="utf-8")
    before = dict(state.keys)
    state.update([path])
    pages = [page for page in before if page.startswith(("zh/", "en/"))]  # the chooser and 404 are no edition's
    assert len(pages) > 50 and [page for page in pages if state.keys[page] == before[page]] == []  # all made again
    assert snapshot(out) == full_build(root, tmp_path / "fresh")


def test_a_changed_reference_reaches_the_pages_citing_it(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    long_review(monkeypatch)
    root = scenario(tmp_path)
    out = tmp_path / "site-out"
    state = SiteState.full(make_config(root, out))
    bib = root / "bib" / "references.bib"
    bib.write_text(bib.read_text(encoding="utf-8").replace("Third title", "A third title, corrected"), encoding="utf-8")
    written = state.update([bib])
    assert {"zh/p11/index.html", "en/references/index.html"} <= set(written)  # p11 cites gamma2019third
    assert "A third title, corrected" in (out / "zh" / "p11" / "index.html").read_text(encoding="utf-8")
    assert snapshot(out) == full_build(root, tmp_path / "fresh")


def test_an_english_citation_follows_the_chinese_citations(tmp_path: Path) -> None:
    """A key the English cites but the Chinese does not is a problem of the English page, which is
    kept per page between updates: a change of the Chinese citations alone must reach it."""
    root = scenario(tmp_path)
    bib = root / "bib" / "references.bib"
    bib.write_text(
        bib.read_text(encoding="utf-8") + "\n@article{delta2018fourth,\n  author = {Delta, D},\n"
        "  title = {Fourth title},\n  journal = {J Test},\n  year = {2018},\n  langid = {english}\n}\n",
        encoding="utf-8",
    )
    state = SiteState.full(make_config(root, tmp_path / "site-out"))
    english, chinese = root / "content" / "en" / "ra.md", root / "content" / "zh" / "ra.md"
    english.write_text(
        english.read_text(encoding="utf-8").replace("[@gamma2019third]", "[@gamma2019third; @delta2018fourth]"),
        encoding="utf-8",
    )
    with pytest.raises(BuildFailed) as failed:
        state.update([english])
    assert [problem.category for problem in failed.value.problems] == ["citation/not-in-chinese"]
    cited = chinese.read_text(encoding="utf-8")
    chinese.write_text(cited.replace("[@gamma2019third]", "[@gamma2019third; @delta2018fourth]"), encoding="utf-8")
    assert "en/ra/index.html" in state.update([chinese])
    chinese.write_text(cited, encoding="utf-8")  # the English file is the same object: only the numbers changed
    with pytest.raises(BuildFailed) as failed:
        state.update([chinese])
    assert [problem.category for problem in failed.value.problems] == ["citation/not-in-chinese"]


def test_a_search_index_given_up_for_a_newer_edit_is_made_with_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """serve gives up the search index and downloads of an edit when a newer edit comes
    (update_data's `abandon`): the site keeps what it had, and the next update makes them for both."""
    monkeypatch.setattr(bireview.build.search, "PARALLEL_MIN", 0)  # indexed by forked workers, as a long review is
    monkeypatch.setattr(bireview.build.search, "cores", lambda workers=None: 2)
    root = scenario(tmp_path)
    out = tmp_path / "site-out"
    state = SiteState.full(make_config(root, out))
    page = root / "content" / "zh" / "p03.md"
    page.write_text(page.read_text(encoding="utf-8").replace("第二段。", "第二段。甲乙丙丁"), encoding="utf-8")
    assert "zh/p03/index.html" in state.update_pages([page])
    before = snapshot(out)
    with pytest.raises(Abandoned):
        state.update_data(abandon=lambda: True)
    assert snapshot(out) == before  # the old search index, not half a new one
    assert [path.name for path in out.iterdir() if path.name.startswith(".bireview-update")] == []
    other = root / "content" / "zh" / "p04.md"
    other.write_text(other.read_text(encoding="utf-8").replace("第二段。", "第二段。戊己庚辛"), encoding="utf-8")
    state.update_pages([other])
    written = state.update_data()
    assert any(path.startswith("zh/search/") for path in written)
    index = "".join(path.read_text(encoding="utf-8") for path in (out / "zh" / "search").glob("t*.js"))
    assert "甲乙丙丁" in index and "戊己庚辛" in index
    assert snapshot(out) == full_build(root, tmp_path / "full")
