"""The built site in a real browser (Debian's Chromium through Playwright): every page, and the reading aids.

The real review is built once (conftest's `real_site`), served on 127.0.0.1, and opened in one browser for the
session; every test gets fresh contexts. Every page load records console errors, uncaught exceptions and requests
that leave 127.0.0.1, and every test asserts there were none. Screenshots of every page at 360 and 1280 px go to
test-artifacts/screenshots/, and axe's full findings per page to test-artifacts/axe/.
"""

from __future__ import annotations

import itertools
import json
import re
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from browser_support import (
    CHROMIUM,
    LAUNCH_ARGS,
    NARROW,
    WIDE,
    PageWatch,
    built_pages,
    describe_violations,
    expected_pages,
    in_viewport,
    screenshot_name,
    serve,
    strip_inline_scripts,
)
from playwright.sync_api import Page, expect, sync_playwright
from search_shards import plan

PROJECT = Path(__file__).resolve().parent.parent
ARTIFACTS = PROJECT / "test-artifacts"
SCREENSHOTS = ARTIFACTS / "screenshots"
AXE_REPORTS = ARTIFACTS / "axe"
PAGES = expected_pages(PROJECT)
AXE = Axe()


# ---- Session: one build, one server, one browser ------------------------------------------------------------


@pytest.fixture(scope="session")
def base_url(real_site: Path):
    server = serve(real_site)
    yield f"http://127.0.0.1:{server.server_port}/"
    server.shutdown()
    server.server_close()


FIRST_LOAD: list[str] = []


@pytest.fixture(scope="session")
def browser(base_url):
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=LAUNCH_ARGS)
        # Chromium asks for /favicon.ico once per session, on whichever page comes first: make that a page
        # of our own choosing, so what it records is reported by one test whatever the order.
        context = chromium.new_context(viewport=WIDE)
        page = context.new_page()
        watch = PageWatch("zh/index.html (first load of the session)")
        watch.attach(page)
        page.goto(base_url + "zh/index.html")
        page.wait_for_load_state("networkidle")
        page.wait_for_timeout(300)
        FIRST_LOAD.extend(watch.problems())
        context.close()
        yield chromium
        chromium.close()


class Browse:
    """Opens pages in fresh contexts and keeps what each load recorded."""

    def __init__(self, browser, base_url: str) -> None:
        self.browser = browser
        self.base_url = base_url
        self.contexts = []
        self.watches: list[PageWatch] = []
        self.checked = False

    def url(self, path: str) -> str:
        return self.base_url + path

    def open(
        self, path: str, *, viewport=WIDE, js: bool = True, static_chooser: bool = False, before=None, **options
    ) -> Page:
        context = self.browser.new_context(viewport=viewport, java_script_enabled=js, **options)
        self.contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(10_000)
        watch = PageWatch(path)
        watch.attach(page)
        self.watches.append(watch)
        if static_chooser:
            page.route(self.url("index.html"), strip_inline_scripts)
        if before is not None:  # e.g. to listen from the very first request
            before(page)
        page.goto(self.url(path))
        return page

    def problems(self) -> list[str]:
        return [f"{watch.label}: {problem}" for watch in self.watches for problem in watch.problems()]

    def assert_clean(self) -> None:
        self.checked = True
        problems = self.problems()
        assert not problems, "the page reported problems:\n" + "\n".join(problems)

    def close(self) -> None:
        for context in self.contexts:
            context.close()


@pytest.fixture
def browse(browser, base_url):
    session = Browse(browser, base_url)
    yield session
    try:
        if not session.checked:
            session.assert_clean()
    finally:
        session.close()


# ---- Helpers ------------------------------------------------------------------------------------------------


def axe_violations(page: Page, name: str) -> list[dict]:
    violations = AXE.run(page).response["violations"]
    AXE_REPORTS.mkdir(parents=True, exist_ok=True)
    summary = [
        {"id": v["id"], "impact": v["impact"], "help": v["help"], "targets": [n["target"] for n in v["nodes"]]}
        for v in violations
    ]
    (AXE_REPORTS / f"{name}.json").write_text(json.dumps(summary, ensure_ascii=False, indent=1), encoding="utf-8")
    return violations


def screenshot(page: Page, path: str, width: int) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / screenshot_name(path, width)), full_page=True)


def scroll_to_top_of(page: Page, selector: str) -> None:
    page.locator(selector).evaluate("element => element.scrollIntoView({block: 'start'})")
    page.wait_for_timeout(150)


def rgb(colour: str) -> tuple[int, ...]:
    numbers = re.findall(r"[\d.]+", colour)
    assert len(numbers) >= 3, f"not an rgb colour: {colour}"
    return tuple(round(float(n)) for n in numbers[:3])


REFERENCE_TEXT = """entry => {
  const copy = entry.cloneNode(true);
  copy.querySelectorAll('.back-links, .cited-in').forEach(node => node.remove());
  return copy.textContent.replace(/\\s+/g, ' ').trim();
}"""

# The page's width, and the first few elements (outside table scrollers) that reach past 360 px.
PAGE_WIDTH = """() => {
  const name = e => e.tagName.toLowerCase() + (e.id ? '#' + e.id : '')
    + (typeof e.className === 'string' && e.className.trim() ? '.' + e.className.trim().split(/\\s+/).join('.') : '');
  const wide = [...document.querySelectorAll('body *')]
    .filter(e => !e.closest('.table-scroll') && e.getBoundingClientRect().right > 361)
    .slice(0, 5).map(e => name(e) + ' right=' + Math.round(e.getBoundingClientRect().right));
  return {page: document.documentElement.scrollWidth, wide};
}"""

VISIBLE_ROWS = """rows => rows.filter(row => row.getClientRects().length > 0)
  .map(row => ({disease: row.dataset.disease, source: row.dataset.source, dose: row.dataset.dose}))"""


# ---- 1 and 7: every page ------------------------------------------------------------------------------------


def test_every_built_page_is_covered(real_site):
    """The page list the browser tests walk is exactly what the build wrote."""
    assert built_pages(real_site) == sorted(PAGES)


def test_first_load_of_the_session_is_clean(browser):
    """The browser's once-per-session requests (the site icon) find everything they ask for."""
    assert not FIRST_LOAD, "the first page load reported problems:\n" + "\n".join(FIRST_LOAD)


@pytest.mark.parametrize("path", PAGES)
def test_page_loads_clean_and_accessible(browse, path):
    """No console error, no off-host request, no serious or critical axe violation; a screenshot at 1280 px.
    The chooser redirects at once with JavaScript, so it is checked as served less its redirecting script."""
    page = browse.open(path, viewport=WIDE, static_chooser=path == "index.html")
    assert page.url == browse.url(path)
    violations = axe_violations(page, screenshot_name(path, 1280).removesuffix("-1280.png"))
    screenshot(page, path, 1280)
    browse.assert_clean()
    serious = describe_violations(violations)
    assert not serious, f"axe on {path}:\n" + "\n".join(serious)


@pytest.mark.parametrize("path", PAGES)
def test_page_fits_a_360px_screen(browse, path):
    """At 360 px nothing makes the page scroll sideways (tables scroll in their own container); a screenshot."""
    page = browse.open(path, viewport=NARROW, static_chooser=path == "index.html")
    screenshot(page, path, 360)
    widths = page.evaluate(PAGE_WIDTH)
    browse.assert_clean()
    assert widths["page"] <= 361, f"{path} is {widths['page']} px wide at 360 px; wide elements: {widths['wide']}"
    outside = page.evaluate(
        "() => [...document.querySelectorAll('table')].filter(t => !t.closest('.table-scroll')).length"
    )
    assert outside == 0, f"{path}: {outside} table(s) outside a .table-scroll container"


@pytest.mark.parametrize(("locale", "lang"), [("zh-CN", "zh"), ("en-US", "en"), ("fr-FR", "en")])
def test_chooser_sends_the_reader_to_their_language(browse, locale, lang):
    page = browse.open("index.html#ra", locale=locale)
    expect(page).to_have_url(browse.url(f"{lang}/index.html#ra"))
    expect(page.locator("main#main")).to_be_visible()
    browse.assert_clean()


# ---- 2: the language switch keeps the reading position ------------------------------------------------------


@pytest.mark.parametrize(("start", "target"), [("zh", "en"), ("en", "zh")])
def test_language_switch_keeps_the_reading_position(browse, start, target):
    page = browse.open(f"{start}/sle/index.html")
    scroll_to_top_of(page, "#sle-3")
    page.locator("a.language-switch").click()
    expect(page).to_have_url(browse.url(f"{target}/sle/index.html#sle-3"))
    expect(page.locator("html")).to_have_attribute("lang", "zh-Hans" if target == "zh" else "en")
    expect(page.locator("#sle-3")).to_be_in_viewport()
    browse.assert_clean()


# ---- 3: citation previews -----------------------------------------------------------------------------------


def first_citation(page: Page):
    link = page.locator(".citation a").first
    key = link.get_attribute("href").split("#", 1)[1]
    assert key.startswith("ref-"), key
    entry = page.locator(f"li[id='{key}']")
    return link, key, entry.evaluate(REFERENCE_TEXT)


def preview_text(page: Page) -> str:
    return page.locator("#citation-preview").evaluate("e => e.textContent.replace(/\\s+/g, ' ').trim()")


def test_citation_preview_on_hover(browse):
    page = browse.open("en/ra/index.html")
    link, key, reference = first_citation(page)
    link.hover()
    preview = page.locator("#citation-preview")
    expect(preview).to_be_visible()
    expect(preview).to_be_in_viewport()
    assert reference in preview_text(page), f"the preview does not show {key}: {preview_text(page)!r}"
    expect(link).to_have_attribute("aria-describedby", "citation-preview")
    page.keyboard.press("Escape")
    expect(preview).to_be_hidden()
    browse.assert_clean()


def test_citation_preview_on_keyboard_focus(browse):
    page = browse.open("en/ra/index.html")
    for _ in range(120):
        page.keyboard.press("Tab")
        if page.evaluate("() => !!document.activeElement.closest('.citation a')"):
            break
    else:
        pytest.fail("Tab never reached a citation link")
    focused = page.evaluate("() => document.activeElement.getAttribute('href')")
    entry = page.locator(f"li[id='{focused[1:]}']").evaluate(REFERENCE_TEXT)
    preview = page.locator("#citation-preview")
    expect(preview).to_be_visible()
    expect(preview).to_be_in_viewport()
    assert entry in preview_text(page)
    page.keyboard.press("Escape")
    expect(preview).to_be_hidden()
    assert page.evaluate("() => document.activeElement.getAttribute('href')") == focused
    browse.assert_clean()


def test_citation_preview_on_touch(browse):
    page = browse.open("en/ra/index.html", viewport=NARROW, has_touch=True, is_mobile=True)
    link, key, reference = first_citation(page)
    before = page.url
    link.tap()
    preview = page.locator("#citation-preview")
    expect(preview).to_be_visible()
    expect(preview).to_be_in_viewport()
    assert page.url == before, "the first tap on a citation must preview it, not follow it"
    assert reference in preview_text(page), f"the preview does not show {key}: {preview_text(page)!r}"
    fits = preview.evaluate(
        "e => { const b = e.getBoundingClientRect(); return b.left >= 0 && b.right <= innerWidth + 1; }"
    )
    assert fits, "the preview sticks out of the 360 px screen"
    preview.locator("button.citation-preview-close").tap()
    expect(preview).to_be_hidden()
    assert page.url == before
    browse.assert_clean()


def test_citation_without_javascript_goes_to_the_reference(browse):
    page = browse.open("en/ra/index.html", js=False)
    link = page.locator(".citation a").first
    key = link.get_attribute("href").split("#", 1)[1]
    link.click()
    expect(page).to_have_url(browse.url(f"en/ra/index.html#{key}"))
    assert in_viewport(page.locator(f"li[id='{key}']")), f"#{key} is not on screen after following the citation"
    assert page.locator("#citation-preview").count() == 0
    browse.assert_clean()


def test_interactive_states_have_no_serious_axe_violations(browse):
    """What the script adds (the open citation preview, search results, the studies controls) passes axe too."""
    page = browse.open("en/ra/index.html")
    page.locator("#search-input").fill("lupus")
    expect(page.locator("#search-results a").first).to_be_visible()
    page.locator(".citation a").first.focus()
    expect(page.locator("#citation-preview")).to_be_visible()
    problems = describe_violations(axe_violations(page, "en-ra-index-interactive"))
    studies = browse.open("en/studies/index.html")
    studies.locator("table.studies th[data-sort] button.sort-button").nth(3).click()
    studies.locator("select[name=disease]").select_option("sle")
    problems += describe_violations(axe_violations(studies, "en-studies-index-interactive"))
    browse.assert_clean()
    assert not problems, "\n".join(problems)


# ---- 4: search ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("path", "term"),
    [
        ("zh/ra/index.html", "脐带间充质"),
        ("zh/index.html", "干燥综合征"),
        ("en/index.html", "lupus"),
        ("en/ra/index.html", "nephritis"),
    ],
)
def test_search_finds_and_lands_on_the_paragraph(browse, path, term):
    page = browse.open(path)
    form = page.locator("form.search")
    expect(form).to_be_visible()
    page.locator("#search-input").fill(term)
    hits = page.locator("#search-results a")
    expect(hits.first).to_be_visible()
    texts = hits.all_inner_texts()
    assert texts, "no search results"
    assert all(term.lower() in text.lower() for text in texts), [t for t in texts if term.lower() not in t.lower()]
    expect(page.locator("#search-status")).to_contain_text(str(len(texts)))
    hits.first.click()
    expect(page).to_have_url(re.compile(r"#[\w-]+$"))
    anchor = page.url.rsplit("#", 1)[1]
    target = page.locator(f"[id='{anchor}']")
    expect(target).to_have_count(1)
    is_unit = "e => !!e.closest('.review-body') || (e.tagName === 'H1' && !!e.closest('.page-header'))"
    assert target.evaluate(is_unit), f"#{anchor} is neither a unit of the review body nor the page title"
    expect(target).to_be_in_viewport()
    assert term.lower() in target.inner_text().lower(), f"#{anchor} does not contain {term}"
    browse.assert_clean()


def test_search_snippets_keep_superscripts(browse):
    page = browse.open("zh/ra/index.html")
    page.locator("#search-input").fill("脐带间充质")
    hit = page.locator("#search-results a[href$='#ra-3']")
    expect(hit).to_be_visible()
    snippet = hit.locator(".search-snippet").inner_text()
    assert "1×10⁷/人次" in snippet and "1×107" not in snippet, snippet
    browse.assert_clean()


@pytest.mark.parametrize("path", ["zh/ra/index.html", "en/index.html"])
def test_search_results_fit_a_phone_screen(browse, path):
    """On a 360 px phone the field starts at the left edge: its results open from there, all on screen."""
    page = browse.open(path, viewport=NARROW, has_touch=True, is_mobile=True)
    page.locator("#search-input").fill("脐带" if path.startswith("zh") else "cells")
    results = page.locator("#search-results")
    expect(results.locator("a").first).to_be_visible()
    box = results.bounding_box()
    assert box and box["x"] >= 0 and box["x"] + box["width"] <= NARROW["width"], box
    assert box["width"] >= NARROW["width"] * 0.85, box  # as wide as the screen allows, for the snippets
    browse.assert_clean()


def test_search_reports_no_results(browse):
    page = browse.open("en/index.html")
    page.locator("#search-input").fill("zzzqqqxxx")
    expect(page.locator("#search-results")).to_be_hidden()
    expect(page.locator("#search-status")).to_have_text("No results")
    browse.assert_clean()


def search_requests(requested: list[str]):
    """Record the search files a page asks for, by name (`index.js`, `g3.js`, `t0.js`), from its first request."""

    def listen(page: Page) -> None:
        page.on(
            "request",
            lambda request: requested.append(request.url.rsplit("/", 1)[1]) if "/search/" in request.url else None,
        )

    return listen


@pytest.mark.parametrize("path", ["zh/index.html", "en/ra/index.html", "zh/sle/parallel.html"])
def test_no_search_data_loads_until_the_reader_searches(browse, path):
    requested: list[str] = []
    page = browse.open(path, before=search_requests(requested))
    page.wait_for_load_state("networkidle")
    page.locator("#search-input").focus()
    page.wait_for_timeout(200)
    assert requested == [], requested
    assert page.evaluate("document.querySelectorAll('script[src*=\"search\"]').length") == 0
    page.locator("#search-input").fill("MSC")
    expect(page.locator("#search-results a").first).to_be_visible()
    assert requested[0] == "index.js"
    browse.assert_clean()


@pytest.mark.parametrize(
    ("lang", "query"),
    [
        ("zh", "脐带间充质"),
        ("zh", "脐"),
        ("zh", "MSCs 狼疮"),
        ("en", "Lupus"),
        ("en", "Lupus nephritis"),
        ("en", "1×10⁷"),
    ],
)
def test_a_query_loads_only_the_shards_it_needs(browse, real_site, lang, query):
    """What the page loads and shows is what bireview/search.py's design says (tests/search_shards.py's plan):
    the manifest, the buckets of the query's grams, the text shards that hold them, in reading order."""
    folder = real_site / lang / "search"
    expected = plan(folder, query)
    assert expected.hits, f"the real review has hits for {query}"
    requested: list[str] = []
    page = browse.open(f"{lang}/index.html", before=search_requests(requested))
    page.locator("#search-input").fill(query)
    expect(page.locator("#search-results a")).to_have_count(len(expected.hits))
    page.wait_for_load_state("networkidle")
    assert sorted(requested) == sorted(expected.files)
    assert set(requested) < {path.name for path in folder.iterdir()}  # never the whole index (see test_search_index)
    hrefs = page.locator("#search-results a").evaluate_all("links => links.map(a => a.getAttribute('href'))")
    assert hrefs == [hit["href"] for hit in expected.hits]
    texts = page.locator("#search-results a").all_inner_texts()
    assert all(all(term in text.casefold() for term in query.casefold().split()) for text in texts), texts
    browse.assert_clean()


def test_search_works_from_a_file_url(browser, real_site):
    """No server: the page and its search index opened as files."""
    context = browser.new_context(viewport=WIDE)
    try:
        page = context.new_page()
        errors: list[str] = []
        page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
        page.on("pageerror", lambda error: errors.append(str(error)))
        page.goto((real_site / "zh" / "ra" / "index.html").as_uri())
        page.locator("#search-input").fill("脐带间充质")
        hits = page.locator("#search-results a")
        expect(hits.first).to_be_visible()
        assert all("脐带间充质" in text for text in hits.all_inner_texts())
        hits.first.click()
        expect(page).to_have_url(re.compile(r"^file://.*/zh/[\w-]+/index\.html#[\w-]+$"))
        anchor = page.url.rsplit("#", 1)[1]
        expect(page.locator(f"[id='{anchor}']")).to_contain_text("脐带间充质")
        page.locator("#search-input").fill("zzzqqqxxx")
        expect(page.locator("#search-status")).to_have_text("无结果")
        assert not errors, errors
    finally:
        context.close()


# ---- 5: the studies table -----------------------------------------------------------------------------------


def visible_rows(page: Page) -> list[dict]:
    return page.locator("table.studies tbody tr").evaluate_all(VISIBLE_ROWS)


def test_studies_filters(browse):
    page = browse.open("en/studies/index.html")
    expect(page.locator("form#study-filters")).to_be_visible()
    every = visible_rows(page)
    assert len(every) == page.locator("table.studies tbody tr").count() > 0
    output = page.locator("form#study-filters output")
    disease = page.locator("select[name=disease]")
    source = page.locator("select[name=source]")

    disease.select_option("sle")
    sle = visible_rows(page)
    assert sle and all(row["disease"] == "sle" for row in sle), sle
    assert len(sle) == sum(row["disease"] == "sle" for row in every) < len(every)
    expect(output).to_contain_text(str(len(sle)))

    disease.select_option("")
    assert len(visible_rows(page)) == len(every)

    source.select_option("uc")
    uc = visible_rows(page)
    assert uc and all(row["source"] == "uc" for row in uc), uc
    assert len(uc) == sum(row["source"] == "uc" for row in every) < len(every)
    source.select_option("")
    assert len(visible_rows(page)) == len(every)
    browse.assert_clean()


def test_studies_dose_filter_and_labels(browse):
    page = browse.open("en/studies/index.html")
    every = visible_rows(page)
    dose = page.locator("select[name=dose]")
    options = dose.locator("option").evaluate_all("os => os.map(o => ({value: o.value, label: o.textContent}))")
    flattened = [o["label"] for o in options if re.search(r"×10\d", o["label"])]
    assert not flattened, f"dose options lose their exponents (1×10⁶ reads as 1×106): {flattened}"
    for option in options[1:]:
        dose.select_option(option["value"])
        shown = visible_rows(page)
        assert shown and all(row["dose"] == option["value"] for row in shown), (option, shown)
    dose.select_option("")
    assert len(visible_rows(page)) == len(every)
    browse.assert_clean()


def test_studies_sort_by_patients(browse):
    page = browse.open("en/studies/index.html")
    headers = page.locator("table.studies thead th")
    expect(headers.locator("button.sort-button").first).to_be_visible()
    names = headers.evaluate_all("ths => ths.map(th => th.textContent.trim())")
    assert names.count("Patients") == 1, names
    column = names.index("Patients")
    header = headers.nth(column)

    def patients() -> list[float]:
        values = page.locator("table.studies tbody tr").evaluate_all(
            f"rows => rows.map(row => row.cells[{column}].getAttribute('data-value') || '')"
        )
        numbers = []
        for value in values:
            try:
                numbers.append(float(value))
            except ValueError:
                continue
        return numbers

    button = header.locator("button.sort-button")
    button.click()
    expect(header).to_have_attribute("aria-sort", "ascending")
    ascending = patients()
    assert len(ascending) > 1 and ascending == sorted(ascending), ascending
    button.click()
    expect(header).to_have_attribute("aria-sort", "descending")
    descending = patients()
    assert descending == sorted(descending, reverse=True), descending
    browse.assert_clean()


def test_studies_without_javascript(browse):
    page = browse.open("en/studies/index.html", js=False)
    rows = page.locator("table.studies tbody tr")
    assert rows.count() > 0
    assert len(visible_rows(page)) == rows.count()
    expect(page.locator("form#study-filters")).to_be_hidden()
    assert page.locator("button.sort-button").count() == 0
    browse.assert_clean()


# ---- 6: the parallel view -----------------------------------------------------------------------------------

PARALLEL_CELLS = """rows => rows.map(row => {
  const zh = row.querySelector(':scope > .parallel-zh'), en = row.querySelector(':scope > .parallel-en');
  const place = e => { if (!e) return null; const b = e.getBoundingClientRect();
    return {top: b.top, bottom: b.bottom, left: b.left, right: b.right, lang: e.getAttribute('lang')}; };
  return {unit: row.id, zh: place(zh), en: place(en)};
})"""


def parallel_cells(page: Page) -> list[dict]:
    return page.locator(".parallel-row[id]").evaluate_all(PARALLEL_CELLS)


def test_parallel_rows_match_the_units(browse):
    page = browse.open("en/ra/parallel.html")
    cells = parallel_cells(page)
    for row in cells:
        assert row["zh"] and row["zh"]["lang"] == "zh-Hans", row
        assert row["en"] and row["en"]["lang"] == "en", row
    source = browse.open("zh/ra/index.html")
    units = source.locator(".review-body p[id]").evaluate_all("ps => ps.map(p => p.id)")
    title = source.locator("h1").get_attribute("id")
    assert [row["unit"] for row in cells] == [title, *units]
    browse.assert_clean()


def test_parallel_view_side_by_side_when_wide(browse):
    page = browse.open("en/ra/parallel.html", viewport=WIDE)
    for row in parallel_cells(page):
        zh, en = row["zh"], row["en"]
        assert abs(zh["top"] - en["top"]) <= 2, f"{row['unit']}: the Chinese and English cells do not line up: {row}"
        assert en["left"] >= zh["right"] - 1, f"{row['unit']}: the English cell is not right of the Chinese: {row}"
    browse.assert_clean()


def test_parallel_view_interleaved_when_narrow(browse):
    page = browse.open("en/ra/parallel.html", viewport=NARROW)
    cells = parallel_cells(page)
    for row in cells:
        assert row["en"]["top"] >= row["zh"]["bottom"] - 1, f"{row['unit']}: English is not below the Chinese: {row}"
    for earlier, later in itertools.pairwise(cells):
        assert later["zh"]["top"] >= earlier["en"]["bottom"] - 1, f"rows out of order: {earlier} / {later}"
    browse.assert_clean()


# ---- 8, 9: dark theme and print -----------------------------------------------------------------------------


def test_dark_theme(browse):
    page = browse.open("en/ra/index.html")
    body_background = "() => getComputedStyle(document.body).backgroundColor"
    light = rgb(page.evaluate(body_background))
    page.emulate_media(color_scheme="dark")
    dark = rgb(page.evaluate(body_background))
    assert dark != light
    assert sum(dark) < 200, f"the dark background is not dark: rgb{dark}"
    contrast = [line for line in describe_violations(axe_violations(page, "en-ra-index-dark")) if "contrast" in line]
    browse.assert_clean()
    assert not contrast, "\n".join(contrast)


def test_print_stylesheet(browse):
    page = browse.open("en/ra/index.html")
    page.emulate_media(media="print")
    display = "e => getComputedStyle(e).display"
    assert page.locator("nav.toc").evaluate(display) == "none"
    assert page.locator("header.site-header").evaluate(display) == "none"
    expect(page.locator(".page-references")).to_be_visible()
    assert page.locator(".page-references").evaluate(display) != "none"
    browse.assert_clean()


# ---- 10: without JavaScript ---------------------------------------------------------------------------------


def test_reading_without_javascript(browse):
    page = browse.open("zh/index.html", js=False)
    expect(page.locator("main#main h1")).to_be_visible()
    first = page.locator(".review-body p[id]").first
    expect(first).to_be_visible()
    assert len(first.inner_text().strip()) > 20
    expect(page.locator("form.search")).to_be_hidden()
    expect(page.locator("a.language-switch")).to_be_visible()
    browse.assert_clean()


def test_chooser_without_javascript(browse):
    page = browse.open("index.html", js=False)
    assert page.url == browse.url("index.html")
    zh = page.locator("ul.languages a[hreflang='zh-Hans']")
    en = page.locator("ul.languages a[hreflang='en']")
    expect(zh).to_be_visible()
    expect(en).to_be_visible()
    expect(zh).to_have_attribute("href", "zh/index.html")
    expect(en).to_have_attribute("href", "en/index.html")
    en.click()
    expect(page).to_have_url(browse.url("en/index.html"))
    browse.assert_clean()


# ---- The "done" journey, on a phone -------------------------------------------------------------------


def test_a_phone_reader_searches_previews_switches_language_and_compares_studies(browse):
    page = browse.open("zh/index.html", viewport=NARROW, has_touch=True, is_mobile=True)
    page.locator("#search-input").fill("脐带")
    hit = page.locator("#search-results a").first
    expect(hit).to_be_visible()
    hit.tap()
    expect(page).to_have_url(re.compile(r"/zh/(?:[\w-]+/)?index\.html#[\w-]+-\d+$"))
    anchor = page.url.rsplit("#", 1)[1]
    paragraph = page.locator(f"[id='{anchor}']")
    expect(paragraph).to_be_in_viewport()
    assert "脐带" in paragraph.inner_text()

    citation = paragraph.locator(".citation a").first
    before = page.url
    citation.tap()
    preview = page.locator("#citation-preview")
    expect(preview).to_be_visible()
    assert page.url == before
    preview.locator("button.citation-preview-close").tap()
    expect(preview).to_be_hidden()

    page.locator("a.language-switch").tap()
    expect(page).to_have_url(re.compile(rf"/en/(?:[\w-]+/)?index\.html#{anchor}$"))
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.locator(f"[id='{anchor}']")).to_be_in_viewport()

    page.locator("nav.toc a", has_text="Clinical studies").tap()
    expect(page).to_have_url(re.compile(r"/en/studies/index\.html$"))
    expect(page.locator("table.studies tbody tr").first).to_be_visible()
    browse.assert_clean()


# ---- Abbreviations the generator spells out ------------------------------------------------------------------

EXPANSION = """abbr => {
  const after = getComputedStyle(abbr, '::after');
  const text = getComputedStyle(abbr.closest('p'));
  const range = document.createRange();
  range.selectNodeContents(abbr.closest('p'));
  const selection = getSelection();
  selection.removeAllRanges();
  selection.addRange(range);
  const copied = selection.toString();
  selection.removeAllRanges();
  return {content: after.content, colour: after.color, size: parseFloat(after.fontSize), textColour: text.color,
          textSize: parseFloat(text.fontSize), copied, abbr: abbr.textContent};
}"""


@pytest.mark.parametrize(
    ("path", "unit", "opening", "expansion"),
    [
        ("zh/sle/index.html", "sle-2", "〔", "脐带间充质干细胞"),
        ("en/sle/index.html", "sle-2", " [", "umbilical cord-derived mesenchymal stem cells"),
    ],
)
def test_a_generated_expansion_is_set_apart_from_the_authors_words(browse, path, unit, opening, expansion):
    """孙凌云等对…UC-MSCs: the expansion the generator adds is bracketed as an editor's insertion, smaller and
    muted, and not part of the text a reader copies (it is generated content, not the author's words)."""
    page = browse.open(path)
    abbr = page.locator(f"#{unit} abbr.abbr-expanded", has_text="UC-MSCs").first
    expect(abbr).to_be_visible()
    seen = abbr.evaluate(EXPANSION)
    assert seen["content"].startswith(f'"{opening}') and expansion in seen["content"], seen["content"]
    assert rgb(seen["colour"]) != rgb(seen["textColour"]) and seen["size"] < seen["textSize"], seen
    assert "UC-MSCs" in seen["copied"] and expansion not in seen["copied"], seen["copied"][:200]


# ---- Cite this article, import its references, read it as PDF ---------------------------------------------


@pytest.mark.parametrize("path,style", [("zh/sle/index.html", "[J]"), ("en/sle/index.html", "English translation of:")])
def test_cite_panel_copies_the_citation(browse, path, style):
    page = browse.open(path, permissions=["clipboard-read", "clipboard-write"])
    panel = page.locator("section.cite-panel")
    citation = panel.locator("#cite-text")
    expect(citation).to_contain_text(style)
    button = panel.locator("button.copy-citation")
    expect(button).to_be_visible()
    button.click()
    expect(panel.locator(".copy-status")).to_have_text("已复制" if path.startswith("zh") else "Copied")
    copied = page.evaluate("navigator.clipboard.readText()")
    assert copied == " ".join(citation.inner_text().split())
    browse.assert_clean()


def test_cite_panel_without_javascript_is_selectable_text(browse):
    page = browse.open("en/ra/index.html", js=False)
    citation = page.locator("section.cite-panel #cite-text")
    expect(citation).to_be_visible()
    expect(page.locator("button.copy-citation")).to_be_hidden()
    citation.dblclick(position={"x": 8, "y": 8})  # the first word: the middle of the text is a link to the original
    assert page.evaluate("window.getSelection().toString()").strip()
    original = citation.locator("a[hreflang='zh-Hans']")
    original.click()
    expect(page).to_have_url(browse.url("zh/index.html"))
    browse.assert_clean()


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_downloads_and_the_pdf_link_work(browse, lang):
    page = browse.open(f"{lang}/ra/parallel.html")
    links = page.locator("section.cite-panel ul.downloads a")
    expect(links).to_have_count(7)  # the article and the references in BibTeX, RIS, CSL-JSON; the PDF
    for link in links.all():
        url = link.evaluate("a => a.href")
        response = page.request.get(url)
        assert response.ok, url
        body = response.body()
        translation = url.endswith("/review-en." + url.rpartition(".")[2])  # the English edition is a translation
        if url.endswith(".bib"):
            assert body.startswith(b"@misc{" if translation else b"@article{")
        elif url.endswith(".ris"):
            assert body.startswith(b"TY  - GEN" if translation else b"TY  - JOUR")
        elif url.endswith(".json"):
            assert json.loads(body)[0]["type"] == ("webpage" if translation else "article-journal")
        else:
            assert url.endswith(f"/downloads/review-{lang}.pdf") and body.startswith(b"%PDF-")
    browse.assert_clean()


# ---- serve: the open tab follows the edits ------------------------------------------------------------------


def test_serve_reloads_the_open_tab_after_an_edit_and_after_a_restart(browser, tmp_path):
    import threading

    from conftest import make_scenario

    from bireview.config import make_config
    from bireview.preview.server import Started
    from bireview.preview.server import serve as preview

    root = make_scenario(tmp_path)
    page_source = root / "content" / "zh" / "ra.md"

    def start(port: int) -> tuple[threading.Event, threading.Thread, int]:
        stop, started = threading.Event(), Started()
        thread = threading.Thread(target=preview, args=(make_config(root), port, stop, started), daemon=True)
        thread.start()
        assert started.wait(30)
        return stop, thread, started.port

    def edit(old: str, new: str) -> None:
        page_source.write_text(page_source.read_text(encoding="utf-8").replace(old, new), encoding="utf-8")

    stop, thread, port = start(0)
    context = browser.new_context(viewport=WIDE)
    try:
        page = context.new_page()
        page.set_default_timeout(20_000)
        page.goto(f"http://127.0.0.1:{port}/zh/ra/index.html")
        expect(page.locator("main")).to_contain_text("共 9 例患者")
        page.wait_for_timeout(300)  # the script has connected
        page.evaluate("window.beforeTheEdit = true")
        edit("共 9 例患者", "共 12 例患者")
        expect(page.locator("main")).to_contain_text("共 12 例患者")
        assert page.evaluate("window.beforeTheEdit === undefined"), "the page was not reloaded"

        stop.set()  # the server goes away; the tab keeps trying until one is back
        thread.join(10)
        page.evaluate("window.beforeTheRestart = true")
        page.wait_for_timeout(1000)
        edit("共 12 例患者", "共 15 例患者")
        stop, thread, _ = start(port)
        expect(page.locator("main")).to_contain_text("共 15 例患者")
        assert page.evaluate("window.beforeTheRestart === undefined")
    finally:
        context.close()
        stop.set()
        thread.join(10)


# ---- the article's layout (issue 23): no sideways scroll 320-1920 px, the studies table fits its column, a
# phone's first screen shows article, section and text, the cite panel is reached from the top, numbered
# translator's notes are linked both ways. Screenshots (light and dark, 1280 and 375 px): article-*.png.

LAYOUT_WIDTHS = (320, 375, 768, 1280, 1920)
LAYOUT_PAGES = (
    "zh/index.html",
    "en/index.html",
    "en/sle/index.html",
    "zh/sle/index.html",
    "en/studies/index.html",
    "zh/studies/index.html",
    "en/ra/index.html",
)


@pytest.fixture
def chromium(browser, base_url):
    return browser, base_url


def open_layout_page(chromium, path: str, width: int, height: int = 800, scheme: str = "light"):
    browser, base = chromium
    context = browser.new_context(viewport={"width": width, "height": height}, color_scheme=scheme)
    page = context.new_page()
    page.goto(base + path)
    page.wait_for_load_state("load")
    return context, page


@pytest.mark.parametrize("width", LAYOUT_WIDTHS)
@pytest.mark.parametrize("path", LAYOUT_PAGES)
def test_no_page_scrolls_sideways(chromium, path: str, width: int) -> None:
    context, page = open_layout_page(chromium, path, width)
    try:
        sizes = page.evaluate("""() => ({scroll: document.documentElement.scrollWidth, inner: innerWidth,
            tables: [...document.querySelectorAll('table.studies')]
                .map(t => [t.scrollWidth, t.parentElement.clientWidth])})""")
        assert sizes["scroll"] <= sizes["inner"], sizes
        for table, column in sizes["tables"]:  # the studies table fits its column: no sideways scroll inside it either
            assert table <= column + 1, (path, width, sizes["tables"])
    finally:
        context.close()


@pytest.mark.parametrize(
    "path,article,section",
    [
        ("en/sle/index.html", "Advances in the clinical application", "MSCs and systemic lupus erythematosus"),
        ("zh/sle/index.html", "间充质干细胞在自身免疫性疾病治疗中的临床应用进展", "MSCs与系统性红斑狼疮"),
    ],
)
def test_a_phone_first_screen_shows_article_section_and_text(chromium, path: str, article: str, section: str) -> None:
    context, page = open_layout_page(chromium, path, 375, 667)
    try:

        def top(selector: str) -> float:
            return page.locator(selector).first.evaluate("e => e.getBoundingClientRect().top")

        title = page.locator(".article-context-title a")
        assert article in title.inner_text()
        assert section in page.locator("h1").inner_text()
        assert top(".article-context-title") < 667 and top("h1") < 667
        assert top(".review-body > p") < 667, "the text starts within the first screen"
        page.locator(".article-context a[href='#cite-heading']").click()
        page.wait_for_timeout(200)
        heading = page.locator("#cite-heading").evaluate("e => e.getBoundingClientRect().top")
        assert 0 <= heading < 667, "the cite panel is reached from the top of the page"
    finally:
        context.close()


def test_translators_notes_are_numbered_and_linked_both_ways(chromium) -> None:
    context, page = open_layout_page(chromium, "en/sle/index.html", 1280)
    try:
        markers = page.locator("sup.note-ref a")
        written = (PROJECT / "content/en/sle.md").read_text(encoding="utf-8").count("{.translator-note}")
        assert markers.count() == written >= 3
        assert [markers.nth(i).inner_text() for i in range(written)] == [str(n) for n in range(1, written + 1)]
        assert page.locator("p .translator-note").count() == 0, "no note is left inline in a sentence"
        markers.nth(3).click()
        page.wait_for_timeout(200)
        target = page.evaluate("location.hash")
        note = page.locator(target)
        assert note.inner_text().startswith("Translator's note: the Chinese text writes CA199")
        assert note.evaluate("e => e.closest('aside.translator-notes') !== null")
        note.locator("a.note-back").click()
        page.wait_for_timeout(200)
        assert page.evaluate("location.hash") == "#" + markers.nth(3).get_attribute("id")
    finally:
        context.close()


@pytest.mark.parametrize("scheme", ("light", "dark"))
@pytest.mark.parametrize("width", (1280, 375))
@pytest.mark.parametrize("path", ("en/index.html", "en/sle/index.html", "en/studies/index.html", "zh/index.html"))
def test_article_screenshots(chromium, path: str, width: int, scheme: str) -> None:
    context, page = open_layout_page(chromium, path, width, 900, scheme)
    try:
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        name = path.replace("/index.html", "").replace("/", "-")
        page.screenshot(path=str(SCREENSHOTS / f"article-{name}-{width}-{scheme}.png"))
        assert page.evaluate("document.documentElement.scrollWidth <= innerWidth")
    finally:
        context.close()


def test_the_landing_contents_list_stays_beside_the_text_on_a_wide_screen(chromium) -> None:
    context, page = open_layout_page(chromium, "en/index.html", 1920, 1000)
    try:
        box = page.locator(".article-contents").bounding_box()
        column = page.locator("main").bounding_box()
        assert box["x"] >= column["x"] + column["width"], (box, column)
        page.mouse.wheel(0, 3000)
        page.wait_for_timeout(200)
        assert 0 <= page.locator(".article-contents").bounding_box()["y"] < 1000  # still in view, beside the text
        page.screenshot(path=str(SCREENSHOTS / "article-en-1920-light.png"))
    finally:
        context.close()
    context, page = open_layout_page(chromium, "en/index.html", 1280)
    try:  # narrower: in the flow, under the article's metadata
        box, column = page.locator(".article-contents").bounding_box(), page.locator("main").bounding_box()
        assert column["x"] <= box["x"] < column["x"] + column["width"]
    finally:
        context.close()
