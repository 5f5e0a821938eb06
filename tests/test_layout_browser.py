"""The article's layout in Chromium: no page scrolls sideways from 320 to 1920 px, the studies table fits its
column, a phone's first screen shows the article, the section and the text, the cite panel is reachable from
the top, and translator's notes are numbered notes linked both ways. Screenshots (light and dark, 1280 and
375 px) go to test-artifacts/screenshots/article-*.png."""

from __future__ import annotations

from pathlib import Path

import pytest
from browser_support import CHROMIUM, LAUNCH_ARGS, serve
from playwright.sync_api import sync_playwright

PROJECT = Path(__file__).resolve().parent.parent
SCREENSHOTS = PROJECT / "test-artifacts" / "screenshots"
WIDTHS = (320, 375, 768, 1280, 1920)
PAGES = ("zh/index.html", "en/index.html", "en/sle/index.html", "zh/sle/index.html", "en/studies/index.html",
         "zh/studies/index.html", "en/ra/index.html")


@pytest.fixture(scope="module")
def chromium(real_site: Path):
    server = serve(real_site)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=LAUNCH_ARGS)
        yield browser, f"http://127.0.0.1:{server.server_port}/"
        browser.close()
    server.shutdown()
    server.server_close()


def open_page(chromium, path: str, width: int, height: int = 800, scheme: str = "light"):
    browser, base = chromium
    context = browser.new_context(viewport={"width": width, "height": height}, color_scheme=scheme)
    page = context.new_page()
    page.goto(base + path)
    page.wait_for_load_state("load")
    return context, page


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("path", PAGES)
def test_no_page_scrolls_sideways(chromium, path: str, width: int) -> None:
    context, page = open_page(chromium, path, width)
    try:
        sizes = page.evaluate("""() => ({scroll: document.documentElement.scrollWidth, inner: innerWidth,
            tables: [...document.querySelectorAll('table.studies')].map(t => [t.scrollWidth, t.parentElement.clientWidth])})""")
        assert sizes["scroll"] <= sizes["inner"], sizes
        for table, column in sizes["tables"]:  # the studies table fits its column: no sideways scroll inside it either
            assert table <= column + 1, (path, width, sizes["tables"])
    finally:
        context.close()


@pytest.mark.parametrize("path,article,section", [
    ("en/sle/index.html", "Advances in the clinical application", "MSCs and systemic lupus erythematosus"),
    ("zh/sle/index.html", "间充质干细胞在自身免疫性疾病治疗中的临床应用进展", "MSCs与系统性红斑狼疮")])
def test_a_phone_first_screen_shows_article_section_and_text(chromium, path: str, article: str, section: str) -> None:
    context, page = open_page(chromium, path, 375, 667)
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
    context, page = open_page(chromium, "en/sle/index.html", 1280)
    try:
        markers = page.locator("sup.note-ref a")
        assert markers.count() == 3
        assert [markers.nth(i).inner_text() for i in range(3)] == ["1", "2", "3"]
        assert page.locator("p .translator-note").count() == 0, "no note is left inline in a sentence"
        markers.nth(1).click()
        page.wait_for_timeout(200)
        target = page.evaluate("location.hash")
        note = page.locator(target)
        assert note.inner_text().startswith("Translator's note: the Chinese text writes CA199")
        assert note.evaluate("e => e.closest('aside.translator-notes') !== null")
        note.locator("a.note-back").click()
        page.wait_for_timeout(200)
        assert page.evaluate("location.hash") == "#" + markers.nth(1).get_attribute("id")
    finally:
        context.close()


@pytest.mark.parametrize("scheme", ("light", "dark"))
@pytest.mark.parametrize("width", (1280, 375))
@pytest.mark.parametrize("path", ("en/index.html", "en/sle/index.html", "en/studies/index.html", "zh/index.html"))
def test_article_screenshots(chromium, path: str, width: int, scheme: str) -> None:
    context, page = open_page(chromium, path, width, 900, scheme)
    try:
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        name = path.replace("/index.html", "").replace("/", "-")
        page.screenshot(path=str(SCREENSHOTS / f"article-{name}-{width}-{scheme}.png"))
        assert page.evaluate("document.documentElement.scrollWidth <= innerWidth")
    finally:
        context.close()


def test_the_landing_contents_list_stays_beside_the_text_on_a_wide_screen(chromium) -> None:
    context, page = open_page(chromium, "en/index.html", 1920, 1000)
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
    context, page = open_page(chromium, "en/index.html", 1280)
    try:  # narrower: in the flow, under the article's metadata
        box, column = page.locator(".article-contents").bounding_box(), page.locator("main").bounding_box()
        assert column["x"] <= box["x"] < column["x"] + column["width"]
    finally:
        context.close()
