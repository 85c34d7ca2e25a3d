"""The dashboard in a real browser: a Streamlit server on a free local port over a data folder,
Debian's Chromium driven by Playwright, and waits that hold on a slow two-core CI machine.

Shared by the browser tests (tests/e2e) and `scripts/screenshots.py`.
"""

from __future__ import annotations

import os
import subprocess
import time
import urllib.request
from collections.abc import Iterator
from contextlib import closing, contextmanager
from pathlib import Path
from socket import socket
from urllib.parse import parse_qs, urlsplit

from playwright.sync_api import Browser, BrowserContext, Locator, Page, Playwright

from dashboard.navigation import PAGES, PageSpec
from deploy.launch import streamlit_command

ROOT = Path(__file__).resolve().parents[2]
SAMPLE_DIR = ROOT / "data" / "sample"
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = (
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
)
INSTALL_HINT = (
    f"the browser tests need Chromium at {CHROMIUM} and a Korean font: "
    "apt-get install chromium fonts-noto-cjk (or run .ci/run, which installs them)"
)
# Generous on purpose: a cold DuckDB open plus the first script run take seconds on a busy CI machine.
STARTUP_TIMEOUT_S = 120
APP_TIMEOUT_MS = 60_000
VIEWPORT = {"width": 1366, "height": 768}
# The screens the dashboard must read well on (issue 11): desktop and laptop sizes (1280×720 is a
# 1920×1080 laptop at 150 % zoom), an iPad in portrait and a phone.
SCREENS = {
    "1920x1080": {"width": 1920, "height": 1080},
    "1366x768": {"width": 1366, "height": 768},
    "1280x720": {"width": 1280, "height": 720},
    "1152x864": {"width": 1152, "height": 864},
    "ipad-portrait": {"width": 1024, "height": 1366},
    "phone": {"width": 390, "height": 844},
}
YEARS_LABEL = "기수(연도)"
COMPANY_LABEL = "기업"


def default_page() -> PageSpec:
    """app.py makes the first page of the list the default one."""
    return PAGES[0]


def page_path(spec: PageSpec) -> str:
    """The address a user reaches the page at: Streamlit serves the default page at the root (and
    answers its own url_path with a "Page not found" dialog)."""
    return "/" if spec == default_page() else f"/{spec.url_path}"


def free_port() -> int:
    with closing(socket()) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _healthy(url: str) -> bool:
    try:
        with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:
            return response.status == 200
    except OSError:
        return False


@contextmanager
def serve(
    workdir: Path, data_dir: Path = SAMPLE_DIR, extra_args: tuple[str, ...] = (), secrets_file: Path | None = None
) -> Iterator[str]:
    """`streamlit run app.py` on a free port over `data_dir`, with a store of its own under
    `workdir` (so an upload kept in data/store cannot change what the tests see) and only the secrets
    of `secrets_file` (none by default: local mode, whatever .streamlit/secrets.toml a developer keeps);
    yields the base URL once the server answers its health check and stops the server afterwards."""
    with serve_process(workdir, data_dir, extra_args, secrets_file) as (url, _server):
        yield url


@contextmanager
def serve_process(
    workdir: Path,
    data_dir: Path | None = SAMPLE_DIR,
    extra_args: tuple[str, ...] = (),
    secrets_file: Path | None = None,
    env: dict[str, str] | None = None,
) -> Iterator[tuple[str, subprocess.Popen]]:
    """`serve`, yielding the server process too (its memory can be read from /proc). `data_dir=None`
    reads the store under `workdir` (its active version, else the sample) with upload on; `env` adds
    settings."""
    port = free_port()
    env = {**os.environ, "DASHBOARD_STORE_DIR": str(workdir / "store"), **(env or {})}
    if data_dir is None:
        env.pop("DASHBOARD_DATA_DIR", None)
    else:
        env["DASHBOARD_DATA_DIR"] = str(data_dir)
    # Other edits in the work tree must not rerun or reload the app under test: the launcher has no file watcher.
    command = streamlit_command(port, f"--secrets.files={secrets_file or workdir / 'no-secrets.toml'}", *extra_args)
    log_path = workdir / "streamlit.log"
    url = f"http://127.0.0.1:{port}"
    with log_path.open("wb") as log:
        server = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
        try:
            deadline = time.monotonic() + STARTUP_TIMEOUT_S
            while not _healthy(url):
                if server.poll() is not None:
                    raise RuntimeError(f"streamlit exited with {server.returncode}:\n{log_path.read_text()}")
                if time.monotonic() > deadline:
                    raise RuntimeError(f"streamlit did not answer within {STARTUP_TIMEOUT_S}s:\n{log_path.read_text()}")
                time.sleep(0.25)
            yield url, server
        finally:
            server.terminate()
            try:
                server.wait(timeout=20)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait()


def launch_chromium(playwright: Playwright) -> Browser:
    return playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=list(CHROMIUM_ARGS))


def new_context(chromium: Browser, color_scheme: str = "light") -> BrowserContext:
    """A fresh browser context (no cookies, no session) of the tests' size, language and time zone."""
    context = chromium.new_context(
        viewport=VIEWPORT, locale="ko-KR", timezone_id="Asia/Seoul", color_scheme=color_scheme
    )
    context.set_default_timeout(APP_TIMEOUT_MS)
    return context


def wait_idle(page: Page) -> None:
    """Until the app is connected, its script run has finished, nothing on screen is stale or still a
    placeholder (Streamlit draws a skeleton until an element's code has loaded; the app one where a
    chart comes with the next run, `dashboard/view/firstpaint.py`), and every chart is drawn."""
    page.wait_for_function(
        """() => {
            const app = document.querySelector('[data-testid="stApp"]');
            const charts = Array.from(document.querySelectorAll('[data-testid="stPlotlyChart"]'));
            return app !== null
                && app.dataset.testConnectionState === 'CONNECTED'
                && app.dataset.testScriptState === 'notRunning'
                && document.querySelector('[data-testid="stStatusWidget"]') === null
                && document.querySelector('[data-stale="true"]') === null
                && document.querySelector('[data-testid="stSkeleton"], [data-testid="stSkeletonElement"]') === null
                && document.querySelector('[data-testid="stMain"] [data-testid="stElementContainer"]') !== null
                && charts.every(chart => chart.querySelector('svg.main-svg') !== null);
        }""",
        timeout=APP_TIMEOUT_MS,
    )


def resize(page: Page, size: dict[str, int]) -> None:
    """Change the viewport and wait until every shown chart (not one in a hidden tab) has been redrawn
    at its new width."""
    page.set_viewport_size(size)
    page.wait_for_function(
        """() => Array.from(document.querySelectorAll('[data-testid="stPlotlyChart"]')).every(chart => {
            const plot = chart.querySelector('.js-plotly-plot');
            const width = chart.getBoundingClientRect().width;
            return width === 0 || (plot && plot._fullLayout && Math.abs(plot._fullLayout.width - width) <= 2);
        })""",
        timeout=APP_TIMEOUT_MS,
    )
    page.evaluate("() => new Promise(done => requestAnimationFrame(() => requestAnimationFrame(done)))")
    wait_idle(page)


def open_app(page: Page, base_url: str, path: str = "/", query: str = "") -> None:
    page.goto(f"{base_url}{path}{'?' + query if query else ''}", wait_until="domcontentloaded")
    wait_idle(page)


def query_of(url: str) -> dict[str, list[str]]:
    return parse_qs(urlsplit(url).query)


def path_of(url: str) -> str:
    return urlsplit(url).path


def card_value(page: Page, label: str) -> Locator:
    """The value of the KPI card labelled exactly `label`. While a rerun moves elements (a filter chip
    appearing above the cards), Streamlit shows the old card, marked stale, beside the new one."""
    label_box = page.get_by_test_id("stMetricLabel").get_by_text(label, exact=True)
    fresh = page.locator('[data-testid="stMetric"]:not([data-stale="true"] *)')
    return fresh.filter(has=label_box).get_by_test_id("stMetricValue")


def card_values(page: Page) -> dict[str, str]:
    return page.evaluate(
        """() => Object.fromEntries(Array.from(document.querySelectorAll('[data-testid="stMetric"]')).map(card => [
            card.querySelector('[data-testid="stMetricLabel"]').innerText.trim(),
            card.querySelector('[data-testid="stMetricValue"]').innerText.trim(),
        ]))"""
    )


def year_thumb(page: Page, end: str) -> Locator:
    """The start or end thumb of the year-range slider (`end` is "start" or "end")."""
    return page.get_by_test_id("stSidebar").get_by_role("slider", name=f"{YEARS_LABEL} — {end}")


def multiselect(page: Page, label: str) -> Locator:
    box = page.get_by_role("combobox", name=label, exact=True)
    return page.get_by_test_id("stSidebar").get_by_test_id("stMultiSelect").filter(has=box)


def selected_tags(page: Page, label: str) -> Locator:
    return multiselect(page, label).locator("[data-tag]")


def choose(page: Page, label: str, option: str) -> None:
    """Type into a sidebar multiselect and pick the option, as a user searching by name does."""
    box = page.get_by_test_id("stSidebar").get_by_role("combobox", name=label, exact=True)
    box.click()
    box.press_sequentially(option)
    page.get_by_role("option", name=option, exact=True).click()
    box.press("Escape")


def nav_link(page: Page, title: str) -> Locator:
    label = page.get_by_test_id("stMarkdownContainer").get_by_text(title, exact=True)
    return page.get_by_test_id("stSidebarNav").get_by_test_id("stSidebarNavLink").filter(has=label)


def nav_labels(page: Page) -> Locator:
    return page.get_by_test_id("stSidebarNavLink").get_by_test_id("stMarkdownContainer")


# Draws every distinct non-ASCII visible character of the page in its element's font and compares
# it with a code point no font has (U+10FFFD): the same pixels mean the user sees a box (or nothing).
# Chromium's own font report (CSS.getPlatformFontsForNode) names a font even for a box, so it cannot
# tell. Material Symbols text is skipped: its ligature names are icons, not letters.
_TOFU_JS = r"""() => {
    const canvas = document.createElement('canvas');
    canvas.width = canvas.height = 48;
    const ctx = canvas.getContext('2d', {willReadFrequently: true});
    const draw = (font, text) => {
        ctx.clearRect(0, 0, 48, 48);
        ctx.font = font;
        ctx.fillText(text, 4, 36);
        return ctx.getImageData(0, 0, 48, 48).data.join(',');
    };
    const invisible = /[\p{Z}\p{C}\p{M}]/u;
    const byFont = new Map();
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        const style = getComputedStyle(node.parentElement);
        if (style.fontFamily.includes('Material Symbols')) continue;
        const font = `${style.fontWeight} 32px ${style.fontFamily}`;
        const chars = byFont.get(font) || new Map();
        byFont.set(font, chars);
        for (const ch of node.textContent) {
            if (ch.codePointAt(0) > 0x7f && !invisible.test(ch)) chars.set(ch, node.textContent.trim().slice(0, 40));
        }
    }
    const missing = [];
    let hangul = 0;
    for (const [font, chars] of byFont) {
        const box = draw(font, '\u{10FFFD}');
        for (const [ch, text] of chars) {
            hangul += /\p{Script=Hangul}/u.test(ch) ? 1 : 0;
            if (draw(font, ch) === box) missing.push({char: ch, code: ch.codePointAt(0).toString(16), text});
        }
    }
    return {missing, hangul};
}"""


def tofu(page: Page) -> dict:
    """{"missing": [{char, code (hex), text}] drawn as boxes, "hangul": Hangul characters checked}"""
    return page.evaluate(_TOFU_JS)


def full_page_screenshot(page: Page, path: Path) -> None:
    """The whole page: Streamlit scrolls inside its main block, so grow the viewport to the content,
    shoot, and restore it."""
    size = page.viewport_size
    height = page.evaluate(
        """() => Math.max(window.innerHeight, ...['stMain', 'stSidebarContent']
            .map(id => document.querySelector(`[data-testid="${id}"]`))
            .filter(Boolean).map(el => el.scrollHeight))"""
    )
    page.set_viewport_size({"width": size["width"], "height": height})
    page.evaluate("() => new Promise(done => requestAnimationFrame(() => requestAnimationFrame(done)))")
    wait_idle(page)
    path.parent.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(path), full_page=True, animations="disabled")
    page.set_viewport_size(size)
