"""Two replicas behind HAProxy over one S3 store (moto): a browser stays on its replica, and data
imported through the CLI on one side shows in a session served by the other. The load test's light
client (benchmarks/load.py) reads the same cards as Chromium, with the version stamp it checks."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from types import SimpleNamespace

import pytest
from playwright.sync_api import Browser, expect

from benchmarks.load import CARD_LABELS, Session
from deploy.cluster import running
from tests.e2e import browser
from tests.reference import MINI_DIR, ROOT

SAMPLE_FIRMS = "161개사"


@pytest.fixture(scope="module")
def cluster(tmp_path_factory):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DASHBOARD_STORE", "AWS_"))}
    with pytest.MonkeyPatch.context() as patch:
        for name in set(os.environ) - set(env):
            patch.delenv(name)
        with running(2, work=tmp_path_factory.mktemp("cluster")) as started:
            yield started


def replica_of(context) -> str:
    return next(c["value"] for c in context.cookies() if c["name"] == "DASH_REPLICA")


async def light_client_run(url: str):
    """One 개요 run of the load test's client, as a browser opening `url` would get it."""
    load = SimpleNamespace(
        url=url, ws_url=url.replace("http://", "ws://") + "/_stcore/stream", reconnects=Counter(), runs=[]
    )
    session = Session(0, load)
    try:
        return await session.run("", "")
    finally:
        await session.close()


def test_sessions_stick_to_a_replica_and_see_an_import_made_elsewhere(chromium: Browser, cluster):
    sessions = []
    for pinned in (None, "other"):
        context = chromium.new_context(viewport=browser.VIEWPORT, locale="ko-KR")
        if pinned:  # a browser holding the other replica's cookie, as HAProxy would have given it
            other = {"app1": "app2", "app2": "app1"}[replica_of(sessions[0][0])]
            context.add_cookies([{"name": "DASH_REPLICA", "value": other, "url": cluster.url}])
        page = context.new_page()
        browser.open_app(page, cluster.url)
        expect(browser.card_value(page, "지원 기업")).to_have_text(SAMPLE_FIRMS)
        sessions.append((context, page))
    replicas = [replica_of(context) for context, _ in sessions]
    assert sorted(replicas) == ["app1", "app2"]
    assert sessions[1][0].request.get(f"{cluster.url}/_stcore/health").headers["x-dashboard-replica"] == replicas[1]

    first, page = sessions[0]
    for _ in range(3):  # every request of a browser, page loads and the websocket alike, goes to its replica
        answer = first.request.get(f"{cluster.url}/_stcore/health")
        assert answer.headers["x-dashboard-replica"] == replicas[0]
        page.reload()
        expect(browser.card_value(page, "지원 기업")).to_be_visible()
    assert replica_of(first) == replicas[0]

    env = dict(os.environ) | cluster.env | {"DASHBOARD_CACHE_DIR": str(ROOT / "data" / "cluster" / "cli-cache")}
    env.pop("DASHBOARD_DATA_DIR", None)
    imported = subprocess.run(
        [sys.executable, "-m", "dashboard", "import", str(MINI_DIR)], env=env, cwd=ROOT, capture_output=True, text=True
    )
    assert imported.returncode == 0, imported.stderr
    assert "v0001 버전을 만들고 사용합니다." in imported.stdout

    shown = []
    for _context, page in sessions:
        page.reload()
        value = browser.card_value(page, "지원 기업")
        expect(value).not_to_have_text(SAMPLE_FIRMS)
        shown.append(value.inner_text())
    assert shown[0] == shown[1], "both replicas serve the one active version"

    # Playwright's sync API runs an event loop in this thread: the light client gets a thread of its own.
    with ThreadPoolExecutor(1) as thread:
        light = thread.submit(asyncio.run, light_client_run(cluster.url)).result()
    assert light.failure is None
    assert light.cards == {label: v for label, v in browser.card_values(sessions[0][1]).items() if label in CARD_LABELS}
    assert set(light.stamps.values()) == {"v0001"}
    for context, _ in sessions:
        context.close()
