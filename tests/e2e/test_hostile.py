"""Hostile names and URLs in a real browser: a data folder made from the sample with firm, industry,
region and indicator names full of Markdown, HTML and Plotly templates, and URLs with images and links
in their values. Every request to a host other than 127.0.0.1 is blocked and recorded; no page may
make one, show a link or image the data put there, or run the data's script."""

from __future__ import annotations

import threading
import time
import urllib.request
from pathlib import Path
from urllib.parse import quote, urlsplit

import pandas as pd
import pytest

from dashboard import export
from dashboard.reading import importer
from dashboard.store import Store
from tests import bombs
from tests.e2e import browser
from tests.reference import MINI_DIR

EVIL = "evil.example"
FIRM_NAMES = (
    "![x](https://evil.example/track.png)이미지",
    '<img src=x onerror="window.__pwned=1">태그',
    "[링크](https://evil.example/) <a href='https://evil.example/a'>a</a>",
    "%{customdata[0]}<b>굵게</b>",
)
# Any element that links to, loads from or runs for the outside host (Plotly's `data-unformatted` keeps
# the raw label as an inert attribute), and the marker a run script would set.
INJECTED = """() => ({
    pwned: window.__pwned !== undefined,
    elements: Array.from(document.querySelectorAll('*')).filter(el => Array.from(el.attributes).some(a =>
        (/^(href|xlink:href|src|srcset|style|action|formaction|poster|data)$/.test(a.name) || a.name.startsWith('on'))
        && (a.value.includes('evil.example') || a.name.startsWith('on') && a.value.includes('__pwned'))
    )).map(el => el.outerHTML.slice(0, 200)),
})"""


@pytest.fixture(scope="module")
def hostile_url(tmp_path_factory):
    folder = tmp_path_factory.mktemp("hostile_data")
    companies = pd.read_parquet(browser.SAMPLE_DIR / "companies.parquet")
    companies["company_name"] = [
        f"{FIRM_NAMES[i % len(FIRM_NAMES)]}{i}" if i < 40 else name for i, name in enumerate(companies["company_name"])
    ]
    companies["industry"] = "<b>" + companies["industry"] + "</b>[업](https://evil.example/i)"
    companies["region"] = "![r](https://evil.example/r.png)" + companies["region"]
    companies.to_parquet(folder / "companies.parquet")
    outcomes = pd.read_parquet(browser.SAMPLE_DIR / "outcomes.parquet")
    outcomes["indicator"] = "<a href='https://evil.example/p'>" + outcomes["indicator"] + "</a>%{y}"
    outcomes.to_parquet(folder / "outcomes.parquet")
    for name in ("participations", "tasks"):
        pd.read_parquet(browser.SAMPLE_DIR / f"{name}.parquet").to_parquet(folder / f"{name}.parquet")
    with browser.serve(tmp_path_factory.mktemp("hostile_server"), data_dir=folder) as url:
        yield url


def test_hostile_names_and_urls_stay_text_and_reach_no_other_host(new_context, hostile_url):
    context = new_context()
    outside: list[str] = []

    def guard(route):
        if urlsplit(route.request.url).hostname not in ("127.0.0.1", None):
            outside.append(route.request.url)
            route.abort()
        else:
            route.continue_()

    context.route("**/*", guard)
    page = context.new_page()
    hostile_query = (
        f"from={quote('![x](https://evil.example/u.png)')}&industry={quote('[l](https://evil.example/l)')}"
        f"&{quote('<img src=https://evil.example/k.png>')}=1"
    )
    # The default page is visited with the hostile URL; the others as they open.
    visits = [(browser.page_path(spec), "") for spec in browser.PAGES[1:]]
    visits += [("/companies", "company=C001"), (browser.page_path(browser.PAGES[0]), hostile_query)]
    for path, query in visits:
        browser.open_app(page, hostile_url, path, query)
        found = page.evaluate(INJECTED)
        assert found == {"pwned": False, "elements": []}, (path, query)
        if query == "company=C001":
            # The profile heading shows the firm's name as the characters it is.
            heading = page.get_by_test_id("stMain").get_by_role("heading", level=3).first.inner_text()
            assert heading.replace("\u2060", "").startswith("![x](https://evil.example/track.png)이미지")
        if query == hostile_query:
            warnings = page.get_by_test_id("stAlertContentWarning").all_inner_texts()
            assert any("![x](https://evil.example/u.png)" in w.replace("\u2060", "") for w in warnings), warnings
    assert outside == []


# The bombs of the issue, uploaded by a data admin (local mode) to a server over a store, a few files
# to an upload. The server reads with bombs.LIMITS (its decoded-size and distinct-text limits lowered
# so each file stays small and quick to build; the defaults refuse the same files the same way, later).
UPLOADS = (
    ("companies.parquet (사전 인코딩 폭탄)",),
    ("data.xlsx (공유 문자열 48MB 하나)", "companies.csv (열 200,000개)"),
    ("data.xlsx (열 5,000개)", "companies.csv (서로 다른 값 15만 개)"),
)
UPLOAD_SECONDS = 30  # from choosing the files to the reasons on screen, on a busy two-core machine (seen: 5–14 s)
SERVER_GROWTH_MB = 150  # the server's peak resident memory over all the uploads together
HEALTH_SECONDS = 5  # the longest another client waits for the server's health answer meanwhile


def _memory_mb(pid: int) -> dict[str, float]:
    """VmHWM (peak resident) and VmRSS of a process, in MB."""
    status = dict(line.split(":", 1) for line in Path(f"/proc/{pid}/status").read_text().splitlines())
    return {key: int(status[key].split()[0]) / 1024 for key in ("VmHWM", "VmRSS")}


def _store_state(store: Store) -> tuple:
    files = sorted((str(p.relative_to(store.versions_dir)), p.stat().st_size) for p in store.versions_dir.rglob("*"))
    return [v.id for v in store.versions()], store.active_id(), files


class _HealthWatch(threading.Thread):
    """Asks the server's health endpoint every 0.2 s from another client; keeps the slowest answer."""

    def __init__(self, url: str):
        super().__init__(daemon=True)
        self.url, self.slowest, self.failures, self.done = url, 0.0, [], threading.Event()

    def run(self) -> None:
        while not self.done.wait(0.2):
            started = time.monotonic()
            try:
                with urllib.request.urlopen(f"{self.url}/_stcore/health", timeout=10) as response:
                    response.read()
            except OSError as exc:
                self.failures.append(repr(exc))
            self.slowest = max(self.slowest, time.monotonic() - started)


def _reasons(page, case: str) -> list[str]:
    """The refused file's reasons, from the report's CSV download (the table itself is a canvas)."""
    with page.expect_download() as download:
        page.locator(".st-key-upload_report_csv button").click()
    report = export.read_csv_table(Path(download.value.path()).read_bytes())
    name = case.split(" ")[0]
    return [m for f, m in zip(report["파일"], report["내용"], strict=True) if str(f).startswith(name)]


def test_bombs_uploaded_to_a_running_server_are_refused_and_nobody_else_notices(new_context, tmp_path):
    store = Store(tmp_path / "store")
    store.add(importer.load_paths([MINI_DIR]).tables, {t: f"{t}.csv" for t in ("companies",)})
    before = _store_state(store)
    limits = {
        "DASHBOARD_MAX_DECODED_MB": str(bombs.LIMITS.max_decoded_bytes // bombs.MB),
        "DASHBOARD_MAX_DISTINCT_STRINGS": str(bombs.LIMITS.max_distinct_strings),
    }
    with browser.serve_process(tmp_path, data_dir=None, env=limits) as (url, server):
        other = new_context().new_page()
        browser.open_app(other, url)
        admin = new_context().new_page()
        browser.open_app(admin, url, "/data")
        admin.get_by_role("tab", name="데이터 올리기").click()
        browser.wait_idle(admin)
        start = _memory_mb(server.pid)
        watch = _HealthWatch(url)
        watch.start()
        try:
            for n, cases in enumerate(UPLOADS):
                files = [
                    {
                        "name": case.split(" ")[0],
                        "mimeType": "application/octet-stream",
                        "buffer": bombs.CASES[case][0](),
                    }
                    for case in cases
                ]
                started = time.monotonic()
                admin.get_by_test_id("stFileUploader").locator("input[type=file]").set_input_files(files=files)
                if n == 0:
                    # Another session runs a page with filters new to the server while the check runs.
                    browser.open_app(other, url, "/", "from=2019&to=2020")
                    assert "지원 기업" in browser.card_values(other)
                admin.get_by_test_id("stAlertContentError").wait_for()
                browser.wait_idle(admin)
                elapsed = time.monotonic() - started
                for case in cases:
                    reasons = _reasons(admin, case)
                    assert any(m.startswith(bombs.CASES[case][1]) for m in reasons), (case, reasons)
                assert elapsed < UPLOAD_SECONDS, (cases, elapsed)
                for file in files:
                    uploader = admin.get_by_test_id("stFileUploader")
                    uploader.get_by_role("button", name=f"Remove {file['name']}").click()
                admin.get_by_test_id("stAlertContentError").wait_for(state="detached")
                browser.wait_idle(admin)
        finally:
            watch.done.set()
            watch.join()
        grown = _memory_mb(server.pid)["VmHWM"] - start["VmHWM"]
        assert grown < SERVER_GROWTH_MB, (start, grown)
        assert (watch.failures, watch.slowest < HEALTH_SECONDS) == ([], True), (watch.failures, watch.slowest)
        assert server.poll() is None
    assert _store_state(store) == before
