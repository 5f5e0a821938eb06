"""The translation report and the stale notice's diff in a real browser (Debian's Chromium), checked by axe.

A scenario repository (git history, a stale unit, a missing unit, a terminology problem) is built and
reported on, then served on 127.0.0.1: the report's links must lead to the paragraphs of the built site.
"""

from __future__ import annotations

import subprocess
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from axe_playwright_python.sync_playwright import Axe
from browser_support import CHROMIUM, LAUNCH_ARGS, NARROW, WIDE, PageWatch, describe_violations, serve
from conftest import make_scenario, run
from playwright.sync_api import expect, sync_playwright

ARTIFACTS = Path(__file__).resolve().parent.parent / "test-artifacts" / "screenshots"


def git(root: Path, *arguments: str) -> None:
    subprocess.run(
        ["git", "-c", "user.name=test", "-c", "user.email=test@example.org", *arguments],
        cwd=root,
        check=True,
        capture_output=True,
    )


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory):
    site = make_scenario(tmp_path_factory.mktemp("report"), "translated")
    git(site, "init", "-q")
    git(site, "add", "-A")
    git(site, "commit", "-q", "-m", "as translated")
    chinese = site / "content" / "zh" / "ra.md"
    chinese.write_text(
        chinese.read_text(encoding="utf-8").replace("共 9 例患者", "共 12 例难治性患者")
        + "\n{#ra-2}\n新增的一段[@alpha2020first]。\n",
        encoding="utf-8",
    )
    english = site / "content" / "en" / "ra.md"
    english.write_text(english.read_text(encoding="utf-8").replace("9 patients", "9 people"), encoding="utf-8")
    assert run(site, "build") == 0
    assert run(site, "status", "--format", "html") == 0
    server = serve(site)
    yield f"http://127.0.0.1:{server.server_port}/"
    server.shutdown()
    server.server_close()


def in_browser(check: Callable[[Any], None]) -> None:
    """Run `check(browser)` with a Chromium of its own, in a thread of its own: test_browser.py keeps a
    Playwright session open on the main thread, and Playwright's sync API allows one per thread."""
    failures: list[BaseException] = []

    def session() -> None:
        try:
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(executable_path=CHROMIUM, args=LAUNCH_ARGS)
                try:
                    check(browser)
                finally:
                    browser.close()
        except BaseException as failure:  # noqa: BLE001 — handed to the test's thread below
            failures.append(failure)

    thread = threading.Thread(target=session, name="report-browser")
    thread.start()
    thread.join()
    if failures:
        raise failures[0]


def open_page(chromium, url: str, **options):
    context = chromium.new_context(**options)
    page = context.new_page()
    page.set_default_timeout(10_000)
    watch = PageWatch(url)
    watch.attach(page)
    page.goto(url)
    page.wait_for_load_state("networkidle")
    return context, page, watch


def serious_axe(page) -> list[str]:
    return describe_violations(Axe().run(page).response["violations"])


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_report_reads_well_and_passes_axe(served: str, scheme: str) -> None:
    in_browser(lambda chromium: check_report(chromium, served, scheme))


def check_report(chromium: Any, served: str, scheme: str) -> None:
    context, page, watch = open_page(chromium, served + "translations/status.html", viewport=WIDE, color_scheme=scheme)
    try:
        expect(page.get_by_role("heading", level=1)).to_have_text("Translation status")
        bar = page.get_by_role("img", name="ra: 1 of 3 units translated, 1 stale, 1 missing")
        expect(bar).to_be_visible()
        widths = bar.locator("span").evaluate_all("spans => spans.map(s => s.getBoundingClientRect().width)")
        total = bar.evaluate("bar => bar.clientWidth")
        assert all(width > 0 for width in widths) and abs(sum(widths) - total) < 2
        stale = page.locator("#unit-ra-1")
        expect(stale.locator("del")).to_contain_text("9")
        expect(stale.locator("ins").last).to_contain_text("难治性")
        expect(page.locator("#unit-ra-2 .chinese")).to_have_text("新增的一段[@alpha2020first]。")
        expect(page.locator("li.problem[data-category='translation/terminology']")).to_contain_text("患者")
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / f"translation-report-{scheme}.png"), full_page=True)
        assert serious_axe(page) == []
        stale.get_by_role("link", name="English ra-1").click()
        page.wait_for_url("**/_site/en/ra/index.html#ra-1")
        expect(page.locator("#ra-1")).to_be_visible()
        assert watch.problems() == []
    finally:
        context.close()


def test_stale_notice_opens_to_the_diff_and_passes_axe(served: str) -> None:
    in_browser(lambda chromium: check_stale_notice(chromium, served))


def check_stale_notice(chromium: Any, served: str) -> None:
    for viewport in (WIDE, NARROW):
        context, page, watch = open_page(chromium, served + "_site/en/ra/index.html", viewport=viewport)
        try:
            details = page.locator(".unit-stale details.stale-change")
            expect(details.locator(".char-diff")).to_be_hidden()
            details.locator("summary").click()
            diff = details.locator(".char-diff")
            expect(diff).to_be_visible()
            expect(diff).to_have_attribute("lang", "zh-Hans")
            assert diff.inner_text().startswith("剂量为 1×10^6^/kg,共 ")
            assert serious_axe(page) == []
            assert watch.problems() == []
        finally:
            context.close()
    context, page, watch = open_page(chromium, served + "_site/en/ra/parallel.html", viewport=WIDE)
    try:
        row = page.locator(".parallel-row.status-stale")
        row.locator("summary").click()
        expect(row.locator(".char-diff ins").last).to_contain_text("难治性")
        assert serious_axe(page) == []
        assert watch.problems() == []
    finally:
        context.close()
