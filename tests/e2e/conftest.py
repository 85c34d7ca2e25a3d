"""Fixtures of the browser tests: one Streamlit server on the sample for the session, Debian's
Chromium, and a fresh browser context per test. Without Chromium the tests skip with how to install
it; in CI (CI=true) they fail instead, so a broken setup can never pass as green."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect, sync_playwright

from tests.e2e import browser

expect.set_options(timeout=browser.APP_TIMEOUT_MS)
FAILURES_DIR = browser.ROOT / "artifacts" / "e2e-failures"


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    report = yield
    setattr(item, f"report_{report.when}", report)
    return report


@pytest.fixture(scope="session")
def chromium() -> Browser:
    if not browser.CHROMIUM.exists():
        if os.environ.get("CI") == "true":
            pytest.fail(f"CI=true but {browser.INSTALL_HINT}", pytrace=False)
        pytest.skip(browser.INSTALL_HINT)
    shutil.rmtree(FAILURES_DIR, ignore_errors=True)
    with sync_playwright() as playwright:
        launched = browser.launch_chromium(playwright)
        yield launched
        launched.close()


@pytest.fixture(scope="session")
def base_url(chromium: Browser, tmp_path_factory) -> str:
    """The app on the sample. One visit to the root first: until the router has run once, Streamlit
    routes a deep link straight to a file under pages/ (test_deep_link_on_a_fresh_server checks that
    separately), and the other tests should each fail for their own reason only."""
    with browser.serve(tmp_path_factory.mktemp("streamlit")) as url:
        context = browser.new_context(chromium)
        browser.open_app(context.new_page(), url)
        context.close()
        yield url


@pytest.fixture
def fresh_base_url(tmp_path) -> str:
    """A server no browser has visited yet."""
    with browser.serve(tmp_path) as url:
        yield url


@pytest.fixture
def new_context(chromium: Browser, request):
    """`new_context(color_scheme="light")` -> a fresh browser context (no cookies, no session);
    on failure each of its pages is saved under artifacts/e2e-failures/."""
    contexts: list[BrowserContext] = []

    def make(color_scheme: str = "light") -> BrowserContext:
        contexts.append(browser.new_context(chromium, color_scheme))
        return contexts[-1]

    yield make
    report = getattr(request.node, "report_call", None)
    for n, context in enumerate(contexts):
        if report is not None and report.failed:
            for m, page in enumerate(context.pages):
                name = f"{request.node.name}-{n}-{m}.png".replace("/", "_")
                FAILURES_DIR.mkdir(parents=True, exist_ok=True)
                page.screenshot(path=str(FAILURES_DIR / name), full_page=True)
        context.close()


@pytest.fixture
def page(new_context) -> Page:
    return new_context().new_page()


@pytest.fixture(scope="session")
def screenshots_dir() -> Path:
    path = browser.ROOT / "artifacts" / "screenshots"
    path.mkdir(parents=True, exist_ok=True)
    return path
