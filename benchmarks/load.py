"""Bounded load on the cluster through HAProxy, with a light client speaking Streamlit's own protocol,
while new data is imported, the old version restored and one replica killed.

    python -m benchmarks.load --sessions 20 50 [--duration 150]

Per scenario it starts `deploy/cluster.py`'s layout on 127.0.0.1 (moto S3, 2 replicas, HAProxy), imports
the sample (v0001) through the CLI, and opens N sessions over the first 10 s. Each session does what a
browser does: GET / (HAProxy's cookie pins the replica), open the websocket `/_stcore/stream` with the
`streamlit` subprotocol and that cookie, send BackMsg `rerun_script` with the page and the URL's query
string, read ForwardMsg until `script_finished`. It opens 개요 with a period in the URL (a shared link),
then after 1-3 s each: another page (기업, 개선과제, 성과 in turn), then 개요 with the year slider moved to
the next period (a widget state, as the browser sends it; the app keeps filters in the session, so a
changed query string alone changes nothing), and so on; it keeps the URL the app writes. Meanwhile, from
other processes as from a second machine: `python -m dashboard import tests/fixtures/mini` (v0002) at 25 %
of the duration, `restore v0001` at 50 %, and replica app2 killed (SIGKILL) at 70 %. A session whose
websocket drops reconnects through HAProxy (GET / with its cookie, a new websocket) and sends the same
run again with only its URL, as a reconnecting browser does: the app restores the filters from it.

What a page run showed (the mixed-view check, `check`): on 개요 every card's help ends in the data stamp
(`데이터 저장소 버전 vNNNN · 기준 시각 …`). A run is clean when every card names the same version and every
card value is the one that version gives for the run's filters, computed before the load from the
version's files by the pandas reference (tests/reference.py) and formatted as the card formats it;
otherwise it is mixed. The filters are chosen so that every card set differs between the two versions
(checked before the load), so cards of one version under the stamp of the other cannot pass. Runs of
the other pages carry no stamp; they count for errors and timing only.

Errors: a connection that cannot be (re)made, an exception or an error box on the page, a run that does
not finish in RUN_TIMEOUT_S. Only 127.0.0.1, at most MAX_SESSIONS sessions and MAX_DURATION_S seconds.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import signal
import sys
import tempfile
import time
from collections import Counter
from dataclasses import asdict, dataclass, field
from pathlib import Path
from urllib.parse import parse_qs

import psutil
import websockets

from benchmarks.client import CARD_LABELS, RUN_TIMEOUT_S, Connection, PageRun
from benchmarks.speed import percentile
from dashboard import cards
from dashboard.filters import LISTED_FIRMS, Options, parse_url
from deploy.cluster import ROOT, Cluster, running
from tests import reference

MAX_SESSIONS = 60
MAX_DURATION_S = 600
RAMP_S = 10
THINK_S = (1.0, 3.0)
RECONNECT_TRIES = 5
OLD_DATA = ROOT / "data" / "sample"
NEW_DATA = ROOT / "tests" / "fixtures" / "mini"
OLD, NEW = "v0001", "v0002"  # the sample imported before the load, the fixture imported during it
# Period filters in the URL of 개요; each gives different cards on the two versions (checked by `Expected`).
FILTERS = ("from=2013&to=2019", "from=2016&to=2019", "from=2013&to=2016")
EVENTS = (("import", 0.25), ("restore", 0.50), ("kill", 0.70))
KILLED = "app2"


class Expected:
    """The card values 개요 shows for a version and a URL query, computed by the pandas reference from the
    version's files (OLD_DATA, NEW_DATA), read through the app's own URL parsing and card formats."""

    def __init__(self) -> None:
        self.frames = {OLD: reference.load(OLD_DATA), NEW: reference.load(NEW_DATA)}
        self.known: dict[tuple[str, str], dict[str, str]] = {}
        for query in FILTERS:
            if self.cards(OLD, query) == self.cards(NEW, query):
                raise SystemExit(f"filter {query!r} shows the same cards on both versions: the check could not tell")

    def cards(self, version: str, query: str) -> dict[str, str] | None:
        if version not in self.frames:
            return None
        if (version, query) not in self.known:
            frames = self.frames[version]
            rows = reference.compute(frames, "filter_options", {"listed_firms": LISTED_FIRMS})
            options = Options.from_rows(
                rows,
                lambda ids: reference.compute(frames, "company_names", {"company_ids": ids}).set_index("company_id")[
                    "company_name"
                ],
            )
            kpis = reference.kpis(frames, parse_url(parse_qs(query), options).filters)
            self.known[version, query] = {card.label: card.value(kpis[card.column]) for card in cards.CARDS}
        return self.known[version, query]


def check(run: PageRun, expected: Expected) -> str | None:
    """The version a 개요 run showed; None for a run without stamped cards (other pages show some of
    the same cards, without the stamp); 'mixed' when its stamps name more than one version, a card
    lacks its stamp, a card is missing, or a card value is not the one the named version gives."""
    if not any(run.stamps.values()):
        return None
    versions = set(run.stamps.values())
    if len(versions) != 1 or set(run.cards) != CARD_LABELS:
        return "mixed"
    version = versions.pop()
    wanted = expected.cards(version, run.query)
    return version if wanted == run.cards else "mixed"


# --- the sessions ------------------------------------------------------------------------------------


class Session(Connection):
    """One executive's browser tab: it opens a link with a period in its URL, then moves the year slider
    and visits pages; when its replica goes away it reconnects with the URL the app last wrote."""

    def __init__(self, number: int, load: Load):
        super().__init__(load.url)
        self.number = number
        self.load = load

    async def run(self, page: str, query: str) -> PageRun:
        """One script run showing the period `query` (from=…&to=…): the first opens the URL with it, later
        ones move the slider to it. When the websocket drops, reconnect through HAProxy and send the run
        again as a reloading browser does, with only its URL: the app restores the filters from it."""
        run = PageRun(self.number, self.replica, page, query, time.monotonic())
        move_slider = bool(self.browser.year_slider)
        if not move_slider:
            self.browser.url_query = query
        for attempt in range(RECONNECT_TRIES):
            try:
                if self.ws is None:
                    await self.connect()
                    run.replica = self.replica
                await self.send_run(run, move_slider)
                break
            except TimeoutError:
                run.failure = f"no script_finished within {RUN_TIMEOUT_S}s"
                break
            except (OSError, websockets.WebSocketException) as exc:
                if self.ws is not None:  # it was connected: the replica went away
                    run.reconnected = True
                    self.load.reconnects[self.number] += 1
                    self.ws = None
                    run.cards.clear()
                    run.stamps.clear()
                    # A reloading browser brings its URL, not the slider it moved in the lost session.
                    move_slider = False
                    run.query = self.browser.url_query
                elif attempt == RECONNECT_TRIES - 1:
                    run.failure = f"connect: {type(exc).__name__}: {str(exc)[:60]}"
                await asyncio.sleep(1)
        else:
            run.failure = run.failure or "connect: gave up"
        run.finished = time.monotonic()
        self.load.runs.append(run)
        return run


async def visit(number: int, load: Load) -> None:
    """Open 개요 with a period, then in turn: another page, 개요 with the slider moved to the next period."""
    rng = random.Random(number)
    await asyncio.sleep(RAMP_S * number / load.sessions)
    session = Session(number, load)
    load.first_replica[number] = "?"
    period = number % len(FILTERS)
    first = await session.run("", FILTERS[period])
    load.first_replica[number] = first.replica
    step = 0
    while time.monotonic() < load.ends and first.failure is None:
        await asyncio.sleep(rng.uniform(*THINK_S))
        step += 1
        pages = session.browser.pages
        if step % 2:
            others = pages[1:4] or pages[:1]
            await session.run(others[step // 2 % len(others)], FILTERS[period])
        else:
            period = (period + 1) % len(FILTERS)
            await session.run(pages[0] if pages else "", FILTERS[period])
    await session.close()


# --- the scenario --------------------------------------------------------------------------------------


@dataclass
class Load:
    cluster: Cluster
    sessions: int
    duration: float
    cli_cache: Path
    started: float = field(default_factory=time.monotonic)
    runs: list[PageRun] = field(default_factory=list)
    reconnects: Counter = field(default_factory=Counter)
    first_replica: dict[int, str] = field(default_factory=dict)
    # (the version made active, when the CLI began, when it returned): the switch happened in between
    switches: list[tuple[str, float, float]] = field(default_factory=list)
    killed_at: float | None = None
    memory: dict[str, float] = field(default_factory=dict)  # replica → peak RSS MiB
    cpu: dict[str, float] = field(default_factory=dict)  # replica → CPU seconds (user + system) during the load
    cli_errors: list[str] = field(default_factory=list)

    @property
    def url(self) -> str:
        return self.cluster.url

    @property
    def ends(self) -> float:
        return self.started + self.duration

    async def cli(self, *args: str) -> bool:
        env = dict(os.environ) | self.cluster.env | {"DASHBOARD_CACHE_DIR": str(self.cli_cache)}
        env.pop("DASHBOARD_DATA_DIR", None)
        process = await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            "dashboard",
            *args,
            env=env,
            cwd=ROOT,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.PIPE,
        )
        _out, err = await process.communicate()
        if process.returncode:
            self.cli_errors.append(f"{' '.join(args)}: {err.decode()[-200:]}")
        return process.returncode == 0

    async def events(self) -> None:
        for name, at in EVENTS:
            await asyncio.sleep(max(0.0, self.started + at * self.duration - time.monotonic()))
            began = time.monotonic()
            if name == "import" and await self.cli("import", str(NEW_DATA)):
                self.switches.append((NEW, began, time.monotonic()))
            elif name == "restore" and await self.cli("restore", OLD):
                self.switches.append((OLD, began, time.monotonic()))
            elif name == "kill":
                self.cluster.kill(KILLED)
                self.killed_at = time.monotonic()

    async def watch_replicas(self) -> None:
        """Peak memory and CPU time of each replica, sampled every second (a killed one keeps its last)."""
        processes = {n: psutil.Process(p.pid) for n, p in self.cluster.processes.items() if n.startswith("app")}
        cpu_before = {n: sum(p.cpu_times()[:2]) for n, p in processes.items()}
        while time.monotonic() < self.ends + RUN_TIMEOUT_S:
            for name, process in processes.items():
                try:
                    with process.oneshot():
                        rss, cpu = process.memory_info().rss, sum(process.cpu_times()[:2])
                except psutil.NoSuchProcess:
                    continue
                self.memory[name] = max(self.memory.get(name, 0.0), rss / 2**20)
                self.cpu[name] = cpu - cpu_before[name]
            await asyncio.sleep(1)

    async def go(self) -> None:
        watcher = asyncio.create_task(self.watch_replicas())
        await asyncio.gather(self.events(), *(visit(n, self) for n in range(self.sessions)))
        watcher.cancel()


def summarise(load: Load, expected: Expected) -> dict:
    """The scenario's numbers; see the table header in `main` for what each means."""
    shown = {id(run): check(run, expected) for run in load.runs}
    mixed = [r for r in load.runs if shown[id(r)] == "mixed"]
    checked = [r for r in load.runs if shown[id(r)] not in (None, "mixed")]
    seen, not_seen, stale = [], 0, 0
    next_began = [*(began for _, began, _ in load.switches[1:]), float("inf")]
    for (version, _began, done), until in zip(load.switches, next_began, strict=True):
        for number in range(load.sessions):
            # Runs that began after the CLI returned and before the next change began must show `version`.
            mine = [r for r in checked if r.session == number and done < r.started < until]
            first = next((r for r in mine if shown[id(r)] == version), None)
            if first is not None:
                seen.append(first.finished - done)
            elif mine:
                not_seen += 1
            stale += sum(shown[id(r)] != version for r in mine)
    on_killed = {n for n, replica in load.first_replica.items() if replica == KILLED}
    failures = [r for r in load.runs if r.failure]
    return {
        "runs": len(load.runs),
        "checked": len(checked),
        "errors": len(failures),
        "errors_elsewhere": sum(r.session not in on_killed for r in failures),
        "failure_kinds": Counter(r.failure.split(":")[0] for r in failures),
        "mixed": len(mixed),
        "stale": stale,
        "not_seen": not_seen,
        "times": [r.seconds for r in load.runs if not r.failure and not r.reconnected],
        "seen": seen,
        "split": Counter(load.first_replica.values()),
        "on_killed": len(on_killed),
        "reconnected_sessions": len(load.reconnects),
        "reconnects": sum(load.reconnects.values()),
        "reconnect_runs": [r.seconds for r in load.runs if r.reconnected and not r.failure],
        "memory": dict(sorted(load.memory.items())),
        "cpu_per_run": sum(load.cpu.values()) / max(1, len(load.runs)),
        "cpu": {name: round(seconds) for name, seconds in sorted(load.cpu.items())},
        "wall": max((r.finished for r in load.runs), default=load.started) - load.started,
        "switch_seconds": [round(done - began, 1) for _, began, done in load.switches],
        "cli_errors": load.cli_errors,
        "killed": load.killed_at is not None,
    }


HEADER = (
    "| sessions | page runs (checked) | errors (not on killed replica) | mixed | stale | run p50 / p95 s "
    "| new version seen p50 / p95 / max s | peak RSS MiB | replica CPU s per run | split | reconnects (sessions) "
    "| reconnected run max s | load |"
)


def row(sessions: int, s: dict, load_average: str) -> str:
    p = lambda v, q: f"{percentile(v, q):.1f}"  # noqa: E731
    memory = ", ".join(f"{n} {m:.0f}" for n, m in s["memory"].items())
    split = ", ".join(f"{n} {c}" for n, c in sorted(s["split"].items()))
    seen = f"{p(s['seen'], 0.5)} / {p(s['seen'], 0.95)} / {max(s['seen'], default=float('nan')):.1f}"
    reconnect = f"{max(s['reconnect_runs'], default=float('nan')):.1f}"
    return (
        f"| {sessions} | {s['runs']} ({s['checked']}) | {s['errors']} ({s['errors_elsewhere']}) | {s['mixed']} "
        f"| {s['stale']} | {p(s['times'], 0.5)} / {p(s['times'], 0.95)} | {seen} | {memory} "
        f"| {s['cpu_per_run']:.2f} | {split} "
        f"| {s['reconnects']} ({s['reconnected_sessions']} of {s['on_killed']} on {KILLED}) | {reconnect} "
        f"| {load_average} |"
    )


def dump(load: Load, expected: Expected, path: Path) -> None:
    """Every page run and event as JSON lines, times in seconds from the start of the load."""
    with path.open("w", encoding="utf-8") as out:
        for version, began, done in load.switches:
            line = {"switch": version, "began": began - load.started, "done": done - load.started}
            out.write(json.dumps(line) + "\n")
        if load.killed_at is not None:
            out.write(json.dumps({"killed": KILLED, "at": load.killed_at - load.started}) + "\n")
        for run in load.runs:
            line = asdict(run) | {"started": run.started - load.started, "finished": run.finished - load.started}
            out.write(json.dumps(line | {"shown": check(run, expected)}, ensure_ascii=False) + "\n")


def scenario(sessions: int, duration: float, expected: Expected, runs: Path | None) -> dict:
    with tempfile.TemporaryDirectory(prefix="load-") as work, running(2, work=Path(work)) as cluster:
        load = Load(cluster, sessions, duration, Path(work) / "cli-cache")
        if not asyncio.run(load.cli("import", str(OLD_DATA))):
            raise SystemExit(f"could not import {OLD_DATA}: {load.cli_errors}")
        load.started = time.monotonic()
        asyncio.run(load.go())
        if runs:
            dump(load, expected, runs.with_name(f"{runs.stem}-{sessions}{runs.suffix}"))
        return summarise(load, expected)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sessions", type=int, nargs="+", default=[20])
    parser.add_argument("--duration", type=float, default=150, help="seconds of load per scenario")
    parser.add_argument("--runs", type=Path, help="write every page run as JSON lines to RUNS-<sessions>.jsonl")
    args = parser.parse_args()
    if max(args.sessions) > MAX_SESSIONS or args.duration > MAX_DURATION_S:
        raise SystemExit(f"at most {MAX_SESSIONS} sessions and {MAX_DURATION_S} s")
    expected = Expected()
    # `kill PID` stops the cluster too (Ctrl-C does; a background job ignores SIGINT).
    signal.signal(signal.SIGTERM, signal.default_int_handler)
    print(HEADER)
    print("|" + "---|" * HEADER.count(" | ") + "---|")
    for n in args.sessions:
        before = os.getloadavg()
        summary = scenario(n, args.duration, expected, args.runs)
        after = os.getloadavg()
        print(row(n, summary, f"{before[0]:.1f} → {after[0]:.1f}"), flush=True)
        details = ("failure_kinds", "not_seen", "switch_seconds", "cli_errors", "killed", "wall", "cpu")
        extra = {k: summary[k] for k in details}
        print(f"<!-- {n} sessions: {extra} -->", flush=True)


if __name__ == "__main__":
    main()
