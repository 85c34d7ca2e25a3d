"""Where a filter change's time goes in Chromium: the working tree's app, the empty app (the floor) and,
with `--layout`, the app's frame without its data work (benchmarks/layout_app.py), one server each,
each filter change measured as browser.py measures it (probe.js, the same rule for "cards show new
values") while Chromium's CPU profiler samples the page's main thread and every websocket frame is
decoded (which element each delta carries).

    python -m benchmarks.filter_trace [--data-root /work/bench-data] [--scale 1] [--changes 4]
        [--pages overview,companies] [--layout [PARTS]]... [--no-app] [--json out.json]

Per filter change it prints the timeline from the key press: rerun sent, the server's first delta,
the first and last card delta received, the cards seen (probe.js), the run finished; and for each
stretch between them the main thread's busy time from the CPU profile: JavaScript per script file
(index = Streamlit's frontend and React, PlotlyChart = plotly.js), `(program)` (the browser's own
work: style, layout, paint) and `(garbage collector)`. Then the deltas received before the cards,
by element type, with their bytes. The profiler and the frame capture slow the page: read the
stretches against each other and against the floor in the same run, not as the benchmark's times.
"""

from __future__ import annotations

import argparse
import base64
import json
from collections import Counter, defaultdict
from itertools import pairwise
from pathlib import Path

from playwright.sync_api import sync_playwright
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

from benchmarks import browser, speed
from tests.e2e import browser as e2e

SAMPLING_US = 200


def delta_kind(message: ForwardMsg) -> str:
    """What a received message carries: a delta's element type (or `block`), else the message type."""
    kind = message.WhichOneof("type")
    if kind != "delta":
        return kind or "?"
    delta = message.delta
    which = delta.WhichOneof("type")
    if which == "new_element":
        return delta.new_element.WhichOneof("type") or "element"
    if which == "add_block":
        return "block"
    return which or "delta"


def busy(profile: dict, start_us: float, end_us: float) -> Counter:
    """Sampled main-thread time (ms) between two profile times, by where the sampled frame's code is:
    the script file of the innermost frame with one, else the profiler's own node name."""
    nodes = {n["id"]: n for n in profile["nodes"]}
    parent = {c: n["id"] for n in profile["nodes"] for c in n.get("children", [])}

    def where(node_id: int) -> str:
        current = node_id
        while current is not None:
            frame = nodes[current]["callFrame"]
            if frame["url"]:
                return Path(frame["url"].split("?")[0]).name.split(".")[0]
            name = frame["functionName"]
            if name.startswith("("):
                return name
            current = parent.get(current)
        return "(native)"

    found: Counter = Counter()
    at = profile["startTime"]
    for sample, delta in zip(profile["samples"], profile["timeDeltas"], strict=True):
        at += delta
        if start_us <= at < end_us:
            found[where(sample)] += delta / 1000
    return found


def top_functions(profile: dict, start_us: float, end_us: float, count: int = 8) -> list[tuple[str, float]]:
    """The functions with the most self time (ms) between two profile times, as `name@file:line`."""
    nodes = {n["id"]: n for n in profile["nodes"]}
    found: Counter = Counter()
    at = profile["startTime"]
    for sample, delta in zip(profile["samples"], profile["timeDeltas"], strict=True):
        at += delta
        if start_us <= at < end_us:
            frame = nodes[sample]["callFrame"]
            file = Path(frame["url"].split("?")[0]).name.split(".")[0] if frame["url"] else ""
            found[f"{frame['functionName'] or '(anonymous)'}@{file}:{frame['lineNumber']}"] += delta / 1000
    return found.most_common(count)


def one_change(tab: browser.Tab, cdp, frames: list) -> dict:
    """One filter change with the profiler on; the timeline and the stretches' busy time."""
    frames.clear()
    # The profile's clock (µs) against the page's performance.now() (ms): its start lies between two
    # readings of the page's clock, so the offset is known within half the time between them.
    now = {"expression": "performance.now()", "returnByValue": True}
    before = cdp.send("Runtime.evaluate", now)["result"]["value"]
    cdp.send("Profiler.start")
    after = cdp.send("Runtime.evaluate", now)["result"]["value"]
    record = tab.filter_change()
    profile = cdp.send("Profiler.stop")["profile"]
    raw = tab.page.evaluate("() => ({frames: window.__bench.frames, result: window.__bench.result})")
    result = raw["result"]
    offset_us = profile["startTime"] - (before + after) / 2 * 1000
    uncertainty = (after - before) / 2

    action = result["action"]
    page_frames = [f for f in raw["frames"] if f[0] >= action]
    received = [f for f in page_frames if f[1] == speed.RECEIVED]
    decoded = [ForwardMsg.FromString(base64.b64decode(f["payloadData"])) for f in frames if f["opcode"] == 2]
    # The CDP frames and the probe's received frames are the same messages in the same order; the
    # CDP list may hold a few from before the action.
    decoded = decoded[len(decoded) - len(received) :] if len(decoded) >= len(received) else decoded
    kinds = [delta_kind(m) for m in decoded]
    sent = next((f[0] for f in page_frames if f[1] == speed.SENT and f[3] == speed.RERUN), None)
    timeline = [(f[0], kind, f[2]) for f, kind in zip(received, kinds, strict=False)]
    metric_times = [t for t, kind, _ in timeline if kind == "metric"]
    grid_times = [t for t, kind, _ in timeline if kind == "arrow_data_frame" or kind == "arrow_table"]
    first_delta = next((t for t, kind, _ in timeline if kind not in ("new_session", "page_info_changed")), None)
    finished = next((t for t, kind, _ in timeline if kind == "script_finished"), None)
    cards_in = (metric_times[-1] if metric_times else grid_times[0]) if (metric_times or grid_times) else None
    points = {
        "key press": action,
        "rerun sent": sent,
        "first delta in": first_delta,
        "cards' delta in": cards_in,
        "cards seen": result["cards"],
        "run finished": finished,
    }
    ordered = sorted(((t, name) for name, t in points.items() if t is not None), key=lambda p: p[0])
    stretches = []
    for (t0, a), (t1, b) in pairwise(ordered):
        where = busy(profile, t0 * 1000 + offset_us, t1 * 1000 + offset_us)
        stretches.append(
            {
                "from": a,
                "to": b,
                "ms": t1 - t0,
                "busy_ms": sum(v for k, v in where.items() if k != "(idle)"),
                "where": dict(where.most_common()),
                "top": top_functions(profile, t0 * 1000 + offset_us, t1 * 1000 + offset_us),
            }
        )
    before_cards = [(round(t - action), kind, size) for t, kind, size in timeline if cards_in is None or t <= cards_in]
    return {
        "page": tab.key,
        "target": tab.target.name,
        "period": record["period"],
        "cards_ms": record["cards_ms"],
        "points": {k: (None if v is None else round(v - action, 1)) for k, v in points.items()},
        "align_ms": uncertainty,
        "stretches": stretches,
        "deltas_before_cards": before_cards,
        "kinds_in_run": dict(Counter(kinds)),
        "bytes_in_run": sum(f[2] for f in received),
        "cards_changed": record["cards_changed"],
    }


def show(found: dict) -> None:
    points = "  ".join(f"{k} {v:.0f}" for k, v in found["points"].items() if v is not None)
    print(f"\n== {found['target']} {found['page']} {found['period']}: cards {found['cards_ms']:.0f} ms ({points})")
    print(f"   (profile aligned within ±{found['align_ms']:.1f} ms; {found['bytes_in_run']:,} bytes received)")
    for s in found["stretches"]:
        where = ", ".join(f"{k} {v:.0f}" for k, v in s["where"].items() if v >= 1)
        print(f"   {s['from']} → {s['to']}: {s['ms']:.0f} ms, busy {s['busy_ms']:.0f} [{where}]")
        for name, ms in s["top"][:5]:
            if ms >= 2:
                print(f"        {ms:5.0f}  {name}")
    kinds = Counter(kind for _, kind, _ in found["deltas_before_cards"])
    size = sum(size for _, _, size in found["deltas_before_cards"])
    print(f"   before the cards: {len(found['deltas_before_cards'])} messages, {size:,} bytes: {dict(kinds)}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data-root", type=Path, default=browser.OUT / "data")
    parser.add_argument("--scale", type=int, default=1)
    parser.add_argument("--changes", type=int, default=4, help="filter changes per page")
    parser.add_argument("--pages", default="overview", help="comma-separated url paths of the app's pages")
    parser.add_argument(
        "--layout",
        action="append",
        nargs="?",
        const="",
        metavar="PARTS",
        help="also trace benchmarks/layout_app.py; with PARTS (header+sparklines) a variant leaving them out",
    )
    parser.add_argument("--no-app", action="store_true", help="trace the floor and layout apps only")
    parser.add_argument("--json", type=Path, help="write every change's record here")
    args = parser.parse_args()
    wanted = args.pages.split(",")
    records = []
    work = browser.OUT / "filter-trace"
    started = browser.apps(None, tuple(args.layout or ()))
    if args.no_app:
        started = [app for app in started if app[0] != "after"]
    with browser.servers(args.scale, started, args.data_root, work) as targets:
        browser.warm(targets)
        with sync_playwright() as playwright:
            chromium = e2e.launch_chromium(playwright)
            for target in targets:
                pages = target.pages() if target.bare else [p for p in target.pages() if p[0] in wanted]
                for key, path, count in pages:
                    # A context of its own: tabs of one site share a renderer, whose profile would mix them.
                    context = chromium.new_context(viewport=e2e.VIEWPORT)
                    context.add_init_script(browser._probe())
                    tab = browser.open_tab(context, target, key, path, count)
                    cdp = context.new_cdp_session(tab.page)
                    frames: list = []
                    cdp.on("Network.webSocketFrameReceived", lambda e, frames=frames: frames.append(e["response"]))
                    cdp.send("Network.enable")
                    cdp.send("Profiler.enable")
                    cdp.send("Profiler.setSamplingInterval", {"interval": SAMPLING_US})
                    for _ in range(args.changes):
                        found = one_change(tab, cdp, frames)
                        show(found)
                        records.append(found)
                    context.close()
            chromium.close()
    by = defaultdict(list)
    for r in records:
        by[(r["target"], r["page"])].append(r["cards_ms"])
    print("\ncards ms per change:", {f"{t}/{p}": [round(v) for v in vs] for (t, p), vs in by.items()})
    if args.json:
        args.json.write_text(json.dumps(records, ensure_ascii=False, indent=1), encoding="utf-8")


if __name__ == "__main__":
    main()
