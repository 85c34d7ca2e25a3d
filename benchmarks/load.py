"""Bounded load on the cluster through HAProxy, with a light client speaking Streamlit's own protocol.

    python -m benchmarks.load --sessions 20 [--url http://127.0.0.1:8500]

Without --url it starts `deploy/cluster.py`'s layout (moto, 2 replicas, HAProxy) and stops it after.
Each session does what the browser does: GET / (HAProxy's cookie pins the replica), open the websocket
`/_stcore/stream` with the `streamlit` subprotocol and that cookie, send BackMsg `rerun_script`, read
ForwardMsg until `script_finished`; then visits every page of the navigation and changes the year filter
through the query string. Per run it records the time until the script finished with its cards drawn, and
an error for a failed connection, an exception element or a run that never finishes. Only 127.0.0.1.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import time
import urllib.request
from collections import Counter
from urllib.parse import urlsplit

import psutil
import websockets
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

RUN_TIMEOUT_S = 120
FILTERS = ["", "from=2016&to=2019", "from=2018&to=2020&tier=2"]


def _cookie(url: str) -> tuple[str, str]:
    with urllib.request.urlopen(url, timeout=30) as answer:
        replica = answer.headers.get("X-Dashboard-Replica", "?")
        cookie = answer.headers.get("Set-Cookie", "").split(";", 1)[0]
    return cookie, replica


async def _run(ws, query: str, page_hash: str, pages: list[str]) -> tuple[float, int, bool]:
    """One script run: seconds until it finished, cards drawn, whether an exception was shown."""
    message = BackMsg()
    message.rerun_script.query_string = query
    message.rerun_script.page_script_hash = page_hash
    started = time.perf_counter()
    await ws.send(message.SerializeToString())
    cards, failed = 0, False
    while True:
        raw = await asyncio.wait_for(ws.recv(), RUN_TIMEOUT_S)
        forward = ForwardMsg()
        forward.ParseFromString(raw)
        kind = forward.WhichOneof("type")
        if kind == "delta" and forward.delta.WhichOneof("type") == "new_element":
            element = forward.delta.new_element.WhichOneof("type")
            cards += element == "metric"
            failed |= element == "exception"
        elif kind == "navigation":
            pages[:] = [p.page_script_hash for p in forward.navigation.app_pages]
        elif kind == "script_finished":
            return time.perf_counter() - started, cards, failed


async def session(url: str, results: dict) -> None:
    try:
        cookie, replica = await asyncio.to_thread(_cookie, url + "/")
        results["replicas"][replica] += 1
        ws_url = "ws://" + urlsplit(url).netloc + "/_stcore/stream"
        async with websockets.connect(
            ws_url, subprotocols=["streamlit"], additional_headers={"Cookie": cookie}, max_size=None
        ) as ws:
            pages: list[str] = []
            seconds, cards, failed = await _run(ws, "", "", pages)
            results["times"].append(seconds)
            results["errors"] += failed or cards == 0
            for number, page_hash in enumerate(list(pages)[1:]):
                seconds, _cards, failed = await _run(ws, FILTERS[number % len(FILTERS)], page_hash, pages)
                results["times"].append(seconds)
                results["errors"] += failed
    except (OSError, TimeoutError, websockets.WebSocketException):
        results["errors"] += 1


def replica_memory() -> dict[int, float]:
    """MiB of resident memory of every Streamlit process serving app.py on this machine."""
    found = {}
    for process in psutil.process_iter(["cmdline", "memory_info"]):
        cmdline = process.info["cmdline"] or []
        if "streamlit" in " ".join(cmdline) and "app.py" in cmdline and "--server.port" in cmdline:
            port = int(cmdline[cmdline.index("--server.port") + 1])
            found[port] = process.info["memory_info"].rss / 2**20
    return found


async def load(url: str, sessions: int) -> dict:
    results = {"times": [], "errors": 0, "replicas": Counter()}
    started = time.perf_counter()
    await asyncio.gather(*(session(url, results) for _ in range(sessions)))
    results["wall"] = time.perf_counter() - started
    return results


def report(sessions: int, results: dict, memory: dict[int, float]) -> str:
    times = sorted(results["times"])
    p50 = statistics.median(times) if times else float("nan")
    p95 = times[min(len(times) - 1, int(0.95 * len(times)))] if times else float("nan")
    split = ", ".join(f"{name} {n}" for name, n in sorted(results["replicas"].items()))
    mem = ", ".join(f"{m:.0f}" for _port, m in sorted(memory.items()))
    return (
        f"| {sessions} | {len(times)} | {results['errors']} | {p50:.2f} | {p95:.2f} | {results['wall']:.1f} "
        f"| {mem} | {split} |"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sessions", type=int, nargs="+", default=[20])
    parser.add_argument("--url", help="the load balancer (127.0.0.1 only); default: start a cluster")
    args = parser.parse_args()
    if args.url and urlsplit(args.url).hostname != "127.0.0.1":
        raise SystemExit("benchmarks/load.py only ever runs against 127.0.0.1")
    print("| sessions | runs | errors | p50 s | p95 s | wall s | replica RSS MiB | split |")
    print("|---|---|---|---|---|---|---|---|")
    if args.url:
        for n in args.sessions:
            print(report(n, asyncio.run(load(args.url, n)), replica_memory()), flush=True)
        return
    from deploy.cluster import running

    with running(2) as cluster:
        for n in args.sessions:
            print(report(n, asyncio.run(load(cluster.url, n)), replica_memory()), flush=True)


if __name__ == "__main__":
    main()
