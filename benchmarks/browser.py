"""What an executive waits for, measured in Chromium, and what a page view costs the server: today's
code (`--baseline`, a git worktree of REF) and the working tree measured interleaved in one run, beside
an empty Streamlit app (the floor), at 1x, 100x and 1000x the programme.

    python -m benchmarks.browser [--quick] [--baseline REF|none] [--layout [PARTS]]... [--data-root /work/bench-data]

Per scale it starts three servers with deploy/launch.py's command (127.0.0.1, no file watcher): the
baseline's app.py, the working tree's app.py, both over `<data-root>/scale-N` (DASHBOARD_DATA_DIR), and
benchmarks/empty_app.py; with `--layout`, also benchmarks/layout_app.py (the app's frame without its data
work) and its variants, measured like the empty app. Each is warmed with one run of every page (the data
opened and converted), then measured in Chromium, taken in turn and the order reversed every repetition:

- first visit: a new browser context (empty cache) opens the page; cards when every KPI card shows a
  value sent by a run begun after the action (기업 has no cards: its leaderboard drawn), usually before
  that run has finished (probe.js says how old cards are told from new ones); all drawn when the run has
  finished, nothing is stale or a placeholder and every chart is drawn;
- filter change: one key press on the year slider to a period that page has not yet been shown on that
  server (so no cache answers it), until the cards show values sent by a run begun after the press;
- page switch: a click in the page list (개요 → 기업 → 개선과제 → 성과 → 개요), each round after moving the
  slider to a period no page has seen;
- bytes: the websocket payload received between a rerun sent and its script_finished.

Times are taken in the page (benchmarks/probe.js), from the key press, click or navigation start to the
first animation frame that shows the cards. Then the light client (benchmarks/throughput.py) measures
server CPU per view and views/s against each server. Writes benchmarks/results-browser.md and the raw
records to benchmarks/out/browser-<time>.json. Targets (issue 15) are ratios within this run.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path

import pyarrow.parquet as pq
from playwright.sync_api import Browser, Page, sync_playwright
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from benchmarks import report, speed, throughput
from dashboard.navigation import PAGES
from deploy.launch import streamlit_command
from tests.e2e import browser as e2e

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "benchmarks" / "out"
RESULTS = ROOT / "benchmarks" / "results-browser.md"
PROBE = (ROOT / "benchmarks" / "probe.js").read_text(encoding="utf-8")
DEFAULT_BASELINE = "e864ab5"
STEP_TIMEOUT_MS = 180_000
SPECS = [p for p in PAGES if p.url_path in report.MEASURED]
FLOOR_PAGES = (("빈 쪽 1", "/"), ("빈 쪽 2", "/two"))
FLOOR_YEARS = (2013, 2020)
# The app's own frame (router, sidebar, header, card row) without its data work: a benchmark-only app.
LAYOUT_APP = "benchmarks/layout_app.py"


@dataclass(frozen=True)
class Plan:
    scales: tuple[int, ...]
    first_visits: int  # per page and server
    first_visit_scales: tuple[int, ...]
    rounds: int  # of page switches through every page, per server
    filter_changes: int  # per page and round
    throughput_scales: tuple[int, ...]
    views: int  # per page, server and round of the throughput measurement
    throughput_rounds: int


FULL = Plan((1, 100, 1000), 2, (1, 100, 1000), 2, 2, (1, 1000), 12, 2)
# A first visit is mostly the browser's own work, the same at every scale: quick mode takes them at 1x only.
QUICK = Plan((1, 1000), 1, (1,), 1, 2, (1,), 9, 2)


def bare_cards(name: str) -> int | None:
    """The cards a bare app shows (the empty app one, the layout app and its variants 개요's row), or
    None for the dashboard itself."""
    if name == "floor":
        return 1
    return report.MEASURED["overview"] if report.is_layout(name) else None


@dataclass
class Target:
    """One server: `before` (the baseline), `after` (the working tree), `floor` (the empty app) or
    `layout` (the app's frame without its data work)."""

    name: str
    url: str
    process: subprocess.Popen
    low: int
    high: int
    shows: frozenset[tuple[int, int]]  # the periods with data: a period of only 2018 shows no cards
    seen: dict[str, set] = field(default_factory=dict)  # page → periods the page was shown on

    @property
    def floor(self) -> bool:
        return self.name == "floor"

    @property
    def bare(self) -> bool:
        """The empty app or a layout app: two pages (FLOOR_PAGES) that draw the same thing."""
        return bare_cards(self.name) is not None

    def pages(self) -> list[tuple[str, str, int]]:
        """(key, path, cards) of each measured page."""
        if self.bare:
            return [(self.name, FLOOR_PAGES[0][1], bare_cards(self.name))]
        return [(s.url_path, e2e.page_path(s), report.MEASURED[s.url_path]) for s in SPECS]


def _periods(years: set[int], low: int, high: int) -> frozenset[tuple[int, int]]:
    return frozenset((a, b) for a in range(low, high + 1) for b in range(a, high + 1) if years & set(range(a, b + 1)))


def _wait_healthy(url: str, process: subprocess.Popen, log: Path) -> None:
    deadline = time.monotonic() + e2e.STARTUP_TIMEOUT_S
    while not e2e._healthy(url):
        if process.poll() is not None or time.monotonic() > deadline:
            raise RuntimeError(f"server at {url} did not start:\n{log.read_text()[-2000:]}")
        time.sleep(0.25)


def apps(baseline: Path | None, layouts: tuple[str, ...] = ()) -> list[tuple[str, Path, str]]:
    """(name, folder, script) of each server a run measures: the baseline's app (unless None), the working
    tree's app, the empty app and a layout app per entry of `layouts`: "" the app's frame without its
    data work, else the parts it leaves out ("header+sparklines", layout_app.py's BENCH_LAYOUT_LEAVE_OUT)."""
    found = [("before", baseline, "app.py")] if baseline is not None else []
    found += [("after", ROOT, "app.py"), ("floor", ROOT, "benchmarks/empty_app.py")]
    return found + [(report.layout_name(parts), ROOT, LAYOUT_APP) for parts in layouts]


@contextmanager
def servers(
    scale: int, started_apps: list[tuple[str, Path, str]], data_root: Path, work: Path
) -> Iterator[list[Target]]:
    """The servers of `started_apps` (`apps()`), started together and stopped after."""
    data = data_root / f"scale-{scale}"
    years = set(pq.read_table(data / "participations.parquet", columns=["year"]).column("year").to_pylist())
    low, high = min(years), max(years)
    started = []
    try:
        for name, cwd, script in started_apps:
            port = e2e.free_port()
            folder = work / f"{name}-{scale}"
            folder.mkdir(parents=True, exist_ok=True)
            env = os.environ | {
                "DASHBOARD_DATA_DIR": str(data),
                "DASHBOARD_CACHE_DIR": str(folder / "cache"),
                "DASHBOARD_STORE_DIR": str(folder / "store"),
                "BENCH_LAYOUT_LEAVE_OUT": report.left_out(name),
            }
            command = streamlit_command(port, f"--secrets.files={folder / 'no-secrets.toml'}", script=script)
            log = folder / "streamlit.log"
            with log.open("wb") as out:
                process = subprocess.Popen(command, cwd=cwd, env=env, stdout=out, stderr=subprocess.STDOUT)
            started.append((name, f"http://127.0.0.1:{port}", process, log))
        targets = []
        for name, url, process, log in started:
            _wait_healthy(url, process, log)
            if name == "floor":
                targets.append(Target(name, url, process, *FLOOR_YEARS, _periods(set(range(2013, 2021)), 2013, 2020)))
            else:
                targets.append(Target(name, url, process, low, high, _periods(years, low, high)))
        yield targets
    finally:
        for _name, _url, process, _log in started:
            process.terminate()
        for _name, _url, process, _log in started:
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()


def in_turn(targets: list, repetition: int) -> list:
    """The targets in order, reversed every other repetition, so no one is always measured first."""
    return targets if repetition % 2 == 0 else targets[::-1]


# --- one measurement -------------------------------------------------------------------------------


# What the page shows when a step gets no result, for the error message.
STATE = """() => {
    const app = document.querySelector('[data-testid="stApp"]');
    return {state: app && app.dataset.testScriptState, connection: app && app.dataset.testConnectionState,
            path: location.pathname, action: window.__bench.action,
            cards: Array.from(document.querySelectorAll('[data-testid="stMetricValue"]')).map(v => v.innerText),
            stale: document.querySelectorAll('[data-stale="true"]').length,
            skeletons: document.querySelectorAll('[data-testid="stSkeleton"]').length,
            frames: window.__bench.frames.slice(-8)};
}"""


def _probe() -> str:
    return (
        PROBE.replace("__RERUN__", str(speed.RERUN))
        .replace("__FINISHED__", str(speed.SCRIPT_FINISHED))
        .replace("__EARLY__", str(speed.EARLY_FOR_RERUN))
    )


def _result(page: Page) -> dict:
    try:
        page.wait_for_function("() => window.__bench && window.__bench.result", timeout=STEP_TIMEOUT_MS, polling=100)
    except PlaywrightTimeout as exc:
        raise RuntimeError(f"no result on {page.url}: {page.evaluate(STATE)}") from exc
    return page.evaluate(
        """() => {
            const nav = performance.getEntriesByType('navigation')[0];
            const b = window.__bench;
            return {...b.result, created: b.created, opened: b.opened, frames: b.frames,
                    html: nav ? nav.responseEnd : null, dom: nav ? nav.domContentLoadedEventEnd : null};
        }"""
    )


def _record(raw: dict, **about) -> dict:
    """A measurement's times (ms from the action) and its page run's websocket accounting."""
    start = raw["action"]
    frames = [f for f in raw["frames"] if f[0] >= start]
    found = speed.runs(frames)
    run = found[0] if found else None
    record = about | {
        "cards_ms": raw["cards"] - start,
        "complete_ms": raw["complete"] - start,
        "runs": len(found),
        "bytes": sum(r.received_bytes for r in found),
        # The sanity check: the cards' texts before the action and when they were read as new (a filter
        # change to a period not shown before must change them; none before a first visit).
        "cards_before": raw["before"],
        "cards_shown": raw["shown"],
        "cards_changed": raw["before"] != raw["shown"] if raw["before"] else None,
    }
    if run is not None:
        record |= {
            "to_sent_ms": run.sent - start,
            "answer_ms": run.answered - run.sent,
            "sent_to_cards_ms": raw["cards"] - run.sent,
            "run_ms": run.finished - run.sent,
            "messages": sum(r.messages for r in found),
        }
    return record


def first_visit(chromium: Browser, target: Target, key: str, path: str, count: int, **about) -> dict:
    context = chromium.new_context(viewport=e2e.VIEWPORT)
    context.add_init_script(_probe() + f"\nwindow.__bench.arm({json.dumps({'cards': count, 'path': path})}, true);")
    try:
        page = context.new_page()
        cdp = context.new_cdp_session(page)
        cdp.send("Performance.enable")
        page.goto(target.url + path, wait_until="commit")
        raw = _result(page)
        metrics = {m["name"]: m["value"] for m in cdp.send("Performance.getMetrics")["metrics"]}
        assets = page.evaluate(
            """() => performance.getEntriesByType('resource').filter(r => /[.](js|css)$/.test(new URL(r.name).pathname))
                .reduce((sum, r) => ({count: sum.count + 1, bytes: sum.bytes + r.encodedBodySize,
                                      end: Math.max(sum.end, r.responseEnd)}), {count: 0, bytes: 0, end: 0})"""
        )
    finally:
        context.close()
    record = _record(raw, target=target.name, page=key, kind="first_visit", **about)
    if raw["created"] is not None:  # where a first visit's time goes
        record |= {
            "html_ms": raw["html"],
            "boot_ms": raw["created"] - raw["html"],
            "connect_ms": (raw["opened"] or raw["created"]) - raw["created"],
        }
    # The renderer's busy time until the page was complete (s → ms), and the JS and CSS it loaded.
    record |= {f"{name.lower()}_ms": metrics.get(f"{name}Duration", 0) * 1000 for name in ("Task", "Script", "Layout")}
    record |= {"recalcstyle_ms": metrics.get("RecalcStyleDuration", 0) * 1000, "asset_files": assets["count"]}
    record |= {"asset_bytes": assets["bytes"], "assets_loaded_ms": assets["end"]}
    return record


@dataclass
class Tab:
    """One browser tab kept open on a server for its filter changes and page switches."""

    target: Target
    key: str
    path: str
    count: int
    page: Page
    period: tuple[int, int] = (0, 0)

    def act(self, action, spec: dict) -> dict:
        self.page.evaluate("spec => window.__bench.arm(spec, false)", spec)
        action()
        return _result(self.page)

    def read_period(self) -> None:
        """The slider's period as the page shows it (a page of the empty app has its own slider)."""
        thumbs = (e2e.year_thumb(self.page, end).get_attribute("aria-valuetext") for end in ("start", "end"))
        self.period = tuple(int(value) for value in thumbs)

    def filter_change(self, **about) -> dict:
        """Key presses to the nearest period this page has not been shown on; the last one is measured."""
        seen = self.target.seen.setdefault(self.key, {self.period})
        target = self.target
        steps = speed.next_period(self.period, target.low, target.high, seen, target.shows.__contains__)
        if not steps and target.floor:  # the empty app caches nothing: any period will do again
            seen.clear()
            steps = speed.next_period(self.period, target.low, target.high, seen, target.shows.__contains__)
        spec = {"cards": self.count, "path": self.path}
        for (thumb, key), period in steps:
            raw = self.act(lambda thumb=thumb, key=key: e2e.year_thumb(self.page, thumb).press(key), spec)
            self.period = period
        seen.add(self.period)
        return _record(raw, target=target.name, page=self.key, kind="filter_change", period=self.period, **about)

    def switch(self, title: str, key: str, path: str, count: int, **about) -> dict:
        raw = self.act(lambda: e2e.nav_link(self.page, title).click(), {"cards": count, "path": path})
        self.key, self.path, self.count = key, path, count
        self.read_period()
        seen = self.target.seen.setdefault(key, set())
        fresh = self.period not in seen
        seen.add(self.period)
        return _record(raw, target=self.target.name, page=key, kind="page_switch", fresh=fresh, **about)


def open_tab(context, target: Target, key: str, path: str, count: int) -> Tab:
    page = context.new_page()
    page.goto(target.url + path, wait_until="commit")
    page.evaluate(f"window.__bench.arm({json.dumps({'cards': count, 'path': path})}, true)")
    _result(page)
    tab = Tab(target, key, path, count, page)
    tab.read_period()
    target.seen.setdefault(key, set()).add(tab.period)
    return tab


# --- one scale ---------------------------------------------------------------------------------------


def measure_first_visits(chromium: Browser, targets: list[Target], plan: Plan, scale: int, log) -> list[dict]:
    records = []
    for repetition in range(plan.first_visits):
        for target in in_turn(targets, repetition):
            for key, path, count in target.pages():
                records.append(first_visit(chromium, target, key, path, count, scale=scale, repetition=repetition))
                log(records[-1])
    return records


def route(target: Target, position: int) -> tuple[str, str, str, int]:
    """(title, key, path, cards) of the page the `position`-th switch goes to: 기업, 개선과제, 성과, 개요 in
    turn; on the empty or layout app, its other page."""
    if target.bare:
        title, path = FLOOR_PAGES[(position + 1) % 2]
        return title, target.name, path, bare_cards(target.name)
    spec = (*SPECS[1:], SPECS[0])[position % len(SPECS)]
    return spec.title, spec.url_path, e2e.page_path(spec), report.MEASURED[spec.url_path]


def measure_tabs(chromium: Browser, targets: list[Target], plan: Plan, scale: int, log) -> list[dict]:
    """A tab per server, opened on 개요; each round switches to every page in turn (measured) and makes
    `filter_changes` filter changes there. Every step is taken on each server in turn, the order
    reversed every step; the empty app does the same steps between its two pages."""
    records = []
    context = chromium.new_context(viewport=e2e.VIEWPORT)
    context.add_init_script(_probe())
    tabs = {t.name: open_tab(context, t, *t.pages()[0]) for t in targets}
    step = 0
    for repetition in range(plan.rounds):
        for position in range(len(SPECS)):
            for target in in_turn(targets, step):
                records.append(tabs[target.name].switch(*route(target, position), scale=scale, repetition=repetition))
                log(records[-1])
            step += 1
            for _ in range(plan.filter_changes):
                for target in in_turn(targets, step):
                    records.append(tabs[target.name].filter_change(scale=scale, repetition=repetition))
                    log(records[-1])
                step += 1
    context.close()
    return records


def warm(targets: list[Target]) -> None:
    """One run of every page (the first opens and converts the data), so first visits meet a running app."""
    for target in targets:
        throughput.warm(target.url)


def measure_scale(scale: int, plan: Plan, started_apps: list, data_root: Path, work: Path, log) -> dict:
    with servers(scale, started_apps, data_root, work) as targets:
        began = time.monotonic()
        warm(targets)
        log({"scale": scale, "warmed_s": round(time.monotonic() - began, 1)})
        with sync_playwright() as playwright:
            chromium = e2e.launch_chromium(playwright)
            records = (
                measure_first_visits(chromium, targets, plan, scale, log) if scale in plan.first_visit_scales else []
            )
            records += measure_tabs(chromium, targets, plan, scale, log)
            chromium.close()
        views = []
        if scale in plan.throughput_scales:
            servers_ = [(t.name, t.url, t.process.pid) for t in targets if not report.is_layout(t.name)]
            views = throughput.measure(servers_, plan.views, plan.throughput_rounds, scale=scale, log=log)
        return {"browser": records, "throughput": views, "load": os.getloadavg()[0]}


# --- the run -------------------------------------------------------------------------------------------


def baseline_tree(ref: str) -> tuple[Path, str]:
    """A git worktree of `ref` under benchmarks/out (git-ignored), made once per commit."""
    commit = subprocess.run(
        ["git", "rev-parse", "--verify", f"{ref}^{{commit}}"], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout.strip()
    path = OUT / f"baseline-{commit[:10]}"
    if not (path / "app.py").exists():
        subprocess.run(["git", "worktree", "add", "--detach", str(path), commit], cwd=ROOT, check=True)
    return path, commit


def describe_tree() -> str:
    head = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True).stdout
    dirty = subprocess.run(["git", "status", "--porcelain"], cwd=ROOT, capture_output=True, text=True).stdout
    return head.strip() + (" with uncommitted changes" if dirty.strip() else "")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="1x and 1000x, fewer repetitions")
    parser.add_argument(
        "--baseline", default=DEFAULT_BASELINE, help="the code to compare with (a git ref; 'none': not measured)"
    )
    parser.add_argument(
        "--layout",
        action="append",
        nargs="?",
        const="",
        metavar="PARTS",
        help=f"also measure {LAYOUT_APP}, the app's frame without its data work; with PARTS (e.g. "
        "header+sparklines) a variant that leaves those out too; repeatable",
    )
    parser.add_argument("--data-root", type=Path, default=ROOT / "benchmarks" / "out" / "data")
    parser.add_argument("--scales", help="comma-separated scales instead of the mode's")
    for name in ("first_visits", "rounds", "filter_changes", "views", "throughput_rounds"):
        parser.add_argument(f"--{name.replace('_', '-')}", type=int, help="instead of the mode's")
    parser.add_argument("--results", type=Path, default=RESULTS)
    parser.add_argument("--report-only", type=Path, help="rewrite the table from a raw JSON of an earlier run")
    args = parser.parse_args()
    if args.report_only:
        raw = json.loads(args.report_only.read_text(encoding="utf-8"))
        args.results.write_text(report.markdown(raw), encoding="utf-8")
        return
    plan = QUICK if args.quick else FULL
    if args.scales:
        scales = tuple(int(s) for s in args.scales.split(","))
        plan = replace(
            plan,
            scales=scales,
            first_visit_scales=tuple(s for s in plan.first_visit_scales if s in scales),
            throughput_scales=tuple(s for s in plan.throughput_scales if s in scales),
        )
    for name in ("first_visits", "rounds", "filter_changes", "views", "throughput_rounds"):
        if getattr(args, name) is not None:
            plan = replace(plan, **{name: getattr(args, name)})
    missing = [s for s in plan.scales if not (args.data_root / f"scale-{s}" / "participations.parquet").exists()]
    if missing:
        raise SystemExit(f"no data for scales {missing} under {args.data_root}: python -m dashboard generate --scale N")
    baseline, commit = baseline_tree(args.baseline) if args.baseline != "none" else (None, "")
    # `kill PID` stops the servers too, as Ctrl-C does (a background job ignores SIGINT).
    signal.signal(signal.SIGTERM, signal.default_int_handler)
    stamp = datetime.now(UTC)
    OUT.mkdir(parents=True, exist_ok=True)
    raw_path = OUT / f"browser-{stamp:%Y%m%d-%H%M}.json"
    began = time.monotonic()

    def log(record: dict) -> None:
        short = {"at_s": round(time.monotonic() - began)}
        short |= {k: (round(v) if isinstance(v, float) else v) for k, v in record.items()}
        print(json.dumps(short, ensure_ascii=False), flush=True)

    meta = {
        "started": f"{stamp:%Y-%m-%d %H:%M} UTC",
        "mode": "quick" if args.quick else "full",
        "plan": plan.__dict__,
        "baseline": f"{args.baseline} ({commit[:7]})",
        "after": describe_tree(),
        "machine": f"{os.cpu_count()} cores, Python {platform.python_version()}, {platform.machine()}",
        "load_before": os.getloadavg()[0],
        "data_root": str(args.data_root),
    }
    raw = {"meta": meta, "scales": {}}
    with tempfile.TemporaryDirectory(prefix="browserbench-", dir=OUT) as folder:
        work = Path(folder)
        for scale in plan.scales:
            measured = apps(baseline, tuple(args.layout or ()))
            raw["scales"][str(scale)] = measure_scale(scale, plan, measured, args.data_root, work, log)
            raw_path.write_text(json.dumps(raw, ensure_ascii=False), encoding="utf-8")
    meta |= {"minutes": round((time.monotonic() - began) / 60, 1), "load_after": os.getloadavg()[0]}
    raw_path.write_text(json.dumps(raw, ensure_ascii=False), encoding="utf-8")
    table = report.markdown(raw)
    args.results.write_text(table, encoding="utf-8")
    print(table)
    print(f"raw: {raw_path}", file=sys.stderr)


if __name__ == "__main__":
    main()
