"""Server CPU per page view and views per second of one Streamlit process, measured with the load test's
light client (benchmarks/client.py) instead of a browser, so only the server's work is counted.

Per page and server: SESSIONS sessions open the page, the period cycle is run once in the first round (so
its queries are cached, the steady state of many executives looking at the same periods), then the sessions together
make `views` script runs, each moving the year slider to the cycle's next period. CPU is the server
process's utime + stime from /proc/PID/stat over those views; views/s is views over their wall time
(SESSIONS at once keep the process busy: a Streamlit process runs scripts one at a time under the GIL).
Called by benchmarks/browser.py for each server of a scale, the servers taken in turn.
"""

from __future__ import annotations

import asyncio
import os
import time
from pathlib import Path

from benchmarks import speed
from benchmarks.client import Connection
from dashboard.navigation import PAGES

SESSIONS = 3
# Periods that hold data at every scale and on the empty app (2018 alone has no cohort).
PERIODS = ((2013, 2019), (2016, 2019), (2013, 2016), (2014, 2020), (2015, 2017), (2019, 2020))
PAGE_KEYS = [p.url_path for p in PAGES[:4]]
TICKS = os.sysconf("SC_CLK_TCK")


def query(period: tuple[int, int]) -> str:
    return f"from={period[0]}&to={period[1]}"


def cpu_of(pid: int) -> float:
    return speed.cpu_seconds(Path(f"/proc/{pid}/stat").read_text(), TICKS)


async def _open(url: str, page: str = "") -> Connection:
    """A session whose first run opens the page with script hash `page` ("" the default page)."""
    connection = Connection(url)
    await connection.connect()
    first = await connection.view(page, "", move_slider=False)
    if first.failure:
        raise RuntimeError(f"{url}: {first.failure}")
    return connection


async def _warm(url: str) -> None:
    connection = await _open(url)
    for page in connection.browser.pages[1:4]:
        await connection.view(page, "", move_slider=False)
    await connection.close()


def warm(url: str) -> None:
    """One run of every measured page, the first opening (and converting) the data."""
    asyncio.run(_warm(url))


async def _block(url: str, pid: int, page: str, views: int, warm: bool) -> dict:
    sessions = [await _open(url, page) for _ in range(SESSIONS)]
    if warm:  # the cycle's first runs; the process keeps their results for the later rounds
        for period in PERIODS:
            await sessions[0].view(page, query(period), move_slider=True)

    async def session(number: int, connection: Connection) -> list:
        made = []
        for view in range(number, views, SESSIONS):
            period = PERIODS[view % len(PERIODS)]
            made.append(await connection.view(page, query(period), move_slider=True))
        return made

    cpu, began = cpu_of(pid), time.monotonic()
    made = [run for runs in await asyncio.gather(*(session(n, c) for n, c in enumerate(sessions))) for run in runs]
    wall, cpu = time.monotonic() - began, cpu_of(pid) - cpu
    for connection in sessions:
        await connection.close()
    failures = [run.failure for run in made if run.failure]
    return {"views": len(made), "errors": len(failures), "failures": failures[:3], "wall_s": wall, "cpu_s": cpu}


def pages_of(url: str) -> list[str]:
    """The script hashes of the app's pages, in the order of its page list."""

    async def ask() -> list[str]:
        connection = await _open(url)
        await connection.close()
        return connection.browser.pages

    return asyncio.run(ask())


def measure(targets: list[tuple[str, str, int]], views: int, rounds: int, *, scale: int, log) -> list[dict]:
    """(name, url, pid) of each server; the servers in turn, the order reversed every round."""
    records = []
    hashes = {url: pages_of(url) for _name, url, _pid in targets}
    for number in range(rounds):
        for name, url, pid in targets if number % 2 == 0 else targets[::-1]:
            pages = [("floor", "")] if name == "floor" else list(zip(PAGE_KEYS, hashes[url], strict=False))
            for key, page in pages:
                block = asyncio.run(_block(url, pid, page, views, warm=number == 0))
                records.append({"scale": scale, "target": name, "page": key, "round": number, **block})
                log(records[-1])
    return records
