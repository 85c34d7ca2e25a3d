"""Server CPU per page view, a baseline commit beside the working tree, in one run.

    python benchmarks/page_cost.py [--baseline e864ab5] [--runs 12] [--pages 개요,기업] [--out FILE]

Starts two Streamlit servers on 127.0.0.1 (`deploy/launch.py`'s command, on the bundled sample): one in a
git worktree of the baseline commit under `benchmarks/out/` (git-ignored, made once and reused), one in
this working tree. One light client per server (`benchmarks/client.py`, as the load test uses) speaks
Streamlit's own protocol: a `rerun_script` BackMsg with the page and the URL's query string, then
ForwardMsgs until `script_finished`. The cost of a view is the server process's CPU time (user + system, all its
threads: the script run, protobuf and websocket shipping) from just before the request until the
run has finished and the server is idle again. Each measurement is taken on both servers in turn,
alternating which goes first, so a busy spell of the shared machine falls on both.

Per page, two kinds of view:
- *new filters*: a URL with filters new to that page in the process (a period, for the profile a firm),
  so no cache of the page holds its results: what the first executive to look at a view costs;
- *same view*: the same request again (another executive opening the same link, a rerun that changes
  nothing the page shows): what caches can save.

Prints a markdown table of CPU ms per view (median and p95), the ratio after/before of the medians and of
the means, and the bytes the server sent per view. Linux charges CPU time in clock ticks (10 ms), so one
view's figure is coarse; the mean over the views is not (a tick is charged to whoever runs when it falls).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

import psutil

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.browser import baseline_tree  # noqa: E402
from benchmarks.client import Connection, PageRun  # noqa: E402
from benchmarks.speed import percentile  # noqa: E402
from deploy.launch import streamlit_command  # noqa: E402

OUT = ROOT / "benchmarks" / "out"
SAMPLE = ROOT / "data" / "sample"
START_TIMEOUT_S = 120
RUN_TIMEOUT_S = 120
# A server keeps working briefly after script_finished (closing the run, writing the last messages).
SETTLE_S = 0.05
YEARS = range(2013, 2021)
# (label, URL path as the navigation names it, how a view's query string is made from its number)
PAGES = {
    "개요": ("", lambda i: _period(i)),  # the default page: no path of its own
    "기업": ("companies", lambda i: _period(i)),
    "개선과제": ("tasks", lambda i: _period(i)),
    "성과": ("outcomes", lambda i: _period(i)),
    "기업 프로필": ("companies", lambda i: f"company=C{i + 1:03d}"),
    "데이터": ("data", lambda i: ""),
}


def _period(i: int) -> str:
    """The i-th cohort period (from, to), every one of the 36 different; then again with an industry."""
    periods = [(a, b) for a in YEARS for b in YEARS if a <= b]
    year_from, year_to = periods[(i * 7) % len(periods)]
    return f"from={year_from}&to={year_to}" + ("&industry=기계가공" if i >= len(periods) else "")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class Server:
    name: str
    tree: Path
    port: int = field(default_factory=_free_port)
    process: subprocess.Popen | None = None
    log: Path | None = None

    def start(self, cache: Path) -> None:
        env = dict(os.environ) | {
            "DASHBOARD_DATA_DIR": str(SAMPLE),
            "DASHBOARD_CACHE_DIR": str(cache / self.name),
            "PYTHONPATH": str(self.tree),
        }
        self.log = cache / f"{self.name}.log"
        self.process = subprocess.Popen(
            streamlit_command(self.port),
            cwd=self.tree,
            env=env,
            stdout=self.log.open("w"),
            stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + START_TIMEOUT_S
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{self.port}/_stcore/health", timeout=2) as answer:
                    if answer.status == 200:
                        return
            except OSError:
                time.sleep(0.3)
        raise SystemExit(f"{self.name}: server did not start; see {self.log}")

    def cpu(self) -> float:
        times = psutil.Process(self.process.pid).cpu_times()
        return times.user + times.system

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()
            self.process.wait(timeout=30)


async def view(connection: Connection, server: Server, url_path: str, query: str) -> tuple[float, int, list[str]]:
    """One script run of the page at `url_path` with `query` as the browser's URL: server CPU seconds,
    bytes received, the problem shown (an exception or an error box), if any."""
    connection.browser.url_query = query
    run = PageRun(0, server.name, connection.browser.paths.get(url_path, ""), query, time.monotonic())
    before = server.cpu()
    await connection.send_run(run, move_slider=False)
    await asyncio.sleep(SETTLE_S)
    return server.cpu() - before, run.received, [run.failure] if run.failure else []


async def _views(servers: list[Server], pages: list[str], runs: int) -> tuple[dict, list[str], float]:
    """Every page's views on every server, alternating which server goes first: the raw results, the
    problems shown and the minutes it took."""
    connections = [Connection(f"http://127.0.0.1:{server.port}") for server in servers]
    results: dict[tuple[str, str, str], list[tuple[float, int]]] = {}
    problems: list[str] = []
    started = time.monotonic()
    try:
        for connection, server in zip(connections, servers, strict=True):
            await connection.connect()
            # Imports, opening the data, the first page: not a view's cost. The default page first: its
            # run sends the page list, so every other page is asked for by its hash.
            for url_path in ["", *(PAGES[page][0] for page in pages)]:
                await view(connection, server, url_path, "")
        step = 0
        for page in pages:
            url_path, query_of = PAGES[page]
            for i in range(runs):
                query = query_of(i)
                for kind in ("new filters", "same view"):
                    order = list(zip(connections, servers, strict=True))
                    order = order if step % 2 == 0 else order[::-1]
                    step += 1
                    for connection, server in order:
                        # A view's filters come from its URL: the app reads a URL it did not write.
                        cpu, received, shown = await view(connection, server, url_path, query)
                        results.setdefault((page, kind, server.name), []).append((cpu, received))
                        problems += [f"{server.name} {page} {query}: {p}" for p in shown]
    finally:
        for connection in connections:
            await connection.close()
    return results, problems, (time.monotonic() - started) / 60


def measure(pages: list[str], runs: int, baseline: str) -> str:
    OUT.mkdir(parents=True, exist_ok=True)
    cache = Path(tempfile.mkdtemp(prefix="page_cost-", dir=OUT))
    before, _ = baseline_tree(baseline)
    servers = [Server("before", before), Server("after", ROOT)]
    for server in servers:
        server.start(cache)
    try:
        results, problems, minutes = asyncio.run(_views(servers, pages, runs))
    finally:
        for server in servers:
            server.stop()
    lines = [
        f"Server CPU per page view: {baseline} (before) and the working tree (after), one run of "
        f"{minutes:.1f} min on {os.cpu_count()} cores, {runs} views per page and kind, sample data (1x).",
        "",
        "| page | view | before median | before p95 | after median | after p95 | after/before median "
        "| after/before mean | KB sent before | KB sent after |",
        "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for page in pages:
        for kind in ("new filters", "same view"):
            before = results[(page, kind, "before")]
            after = results[(page, kind, "after")]
            b = [c * 1000 for c, _ in before]
            a = [c * 1000 for c, _ in after]
            kb_b = statistics.median(r for _, r in before) / 1024
            kb_a = statistics.median(r for _, r in after) / 1024
            ratio = statistics.median(a) / statistics.median(b) if statistics.median(b) else float("nan")
            mean_ratio = statistics.mean(a) / statistics.mean(b) if statistics.mean(b) else float("nan")
            lines.append(
                f"| {page} | {kind} | {percentile(b, 0.5):.0f} | {percentile(b, 0.95):.0f} | {percentile(a, 0.5):.0f} "
                f"| {percentile(a, 0.95):.0f} | {ratio:.2f} | {mean_ratio:.2f} | {kb_b:.0f} | {kb_a:.0f} |"
            )
    if problems:
        lines += ["", "Problems shown:", *[f"- {p}" for p in problems[:20]]]
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--baseline", default="e864ab5", help="the commit measured as 'before'")
    parser.add_argument("--runs", type=int, default=12, help="views per page and kind")
    parser.add_argument("--pages", default=",".join(PAGES), help="comma-separated, of: " + ", ".join(PAGES))
    parser.add_argument("--out", type=Path, help="also write the table here")
    args = parser.parse_args()
    pages = [p.strip() for p in args.pages.split(",") if p.strip()]
    unknown = set(pages) - set(PAGES)
    if unknown:
        parser.error(f"unknown pages: {', '.join(sorted(unknown))}")
    table = measure(pages, args.runs, args.baseline)
    print(table)
    if args.out:
        args.out.write_text(table + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
