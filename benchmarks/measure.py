"""One measurement in a fresh process, started by `benchmarks/run.py` (see benchmarks/README.md).

    measure.py app PLAN OUT              the dashboard: cold start, then every page with new filters
    measure.py floor PLAN OUT            the empty page, run the same way
    measure.py typical PLAN APP OUT      the pandas baseline, replaying the query calls recorded in APP
    measure.py prepare PLAN OUT          the first open of the data: check, conversion, built tables

PLAN is the JSON written by run.py (data folder, pages, filter combinations); OUT gets the results
as JSON. run.py puts the project and this folder on PYTHONPATH. Nothing of the dashboard is imported
before the first page run, so that run pays what a freshly started server pays.
"""

from __future__ import annotations

import json
import logging
import os
import pickle
import resource
import sys
import time
from pathlib import Path

import psutil

ROOT = Path(__file__).resolve().parent.parent
HERE = Path(__file__).resolve().parent
# Generous: at 10000x the first run reads a few hundred MB of Parquet on two busy cores.
RUN_TIMEOUT_S = 900


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


class QueryLog(logging.Handler):
    """Collects the (name, parameters, ms) that `dashboard.db.run_query` logs for every query it runs."""

    def __init__(self):
        super().__init__(logging.DEBUG)
        self.calls: list[tuple[str, dict, float]] = []

    def emit(self, record: logging.LogRecord) -> None:
        name, ms, params = record.args
        self.calls.append((name, params, ms))

    def take(self) -> list[tuple[str, dict, float]]:
        calls, self.calls = self.calls, []
        return calls


def _listen_to_queries() -> QueryLog:
    handler = QueryLog()
    logger = logging.getLogger("dashboard.queries")
    logger.setLevel(logging.DEBUG)
    logger.propagate = False
    logger.addHandler(handler)
    return handler


def _problems(at) -> list[str]:
    return [str(e.value)[:300] for e in at.exception] + [str(e.value)[:300] for e in at.error]


def _timed_run(at) -> float:
    started = time.perf_counter()
    at.run(timeout=RUN_TIMEOUT_S)
    return time.perf_counter() - started


def measure_app(plan: dict) -> dict:
    from streamlit.testing.v1 import AppTest

    queries = _listen_to_queries()
    os.environ["DASHBOARD_DATA_DIR"] = plan["data"]
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=RUN_TIMEOUT_S)
    first_run = _timed_run(at)
    cold = time.time() - psutil.Process().create_time()
    result = {
        "cold_start_s": cold,
        "first_run_s": first_run,
        "first_run_calls": queries.take(),
        "rss_after_first_run_mb": psutil.Process().memory_info().rss / 2**20,
        "first_run_problems": _problems(at),
        "pages": {},
    }
    from dashboard.view import sidebar

    combos = iter(plan["filters"])
    for page in plan["pages"]:
        runs = []
        at.switch_page(page["path"])
        for kind in ["switch"] + ["rerun"] * plan["reruns"]:
            filters = next(combos)
            at.session_state[sidebar.YEARS_KEY] = (filters["from"], filters["to"])
            for key in ("industry", "company"):
                at.session_state[sidebar.WIDGET_KEYS[key]] = filters[key]
            seconds = _timed_run(at)
            runs.append(
                {
                    "kind": kind,
                    "filters": filters,
                    "seconds": seconds,
                    "calls": queries.take(),
                    "problems": _problems(at),
                }
            )
        result["pages"][page["path"]] = runs
    result["peak_rss_mb"] = peak_rss_mb()
    return result


def measure_floor(plan: dict) -> dict:
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(HERE / "empty_page.py"), default_timeout=RUN_TIMEOUT_S)
    first_run = _timed_run(at)
    cold = time.time() - psutil.Process().create_time()
    reruns = [_timed_run(at) for _ in range(plan["reruns"])]
    return {"cold_start_s": cold, "first_run_s": first_run, "reruns_s": reruns, "peak_rss_mb": peak_rss_mb()}


def _cache_copy_seconds(frames) -> float:
    """What `st.cache_data` adds to every rerun of a typical app: it hands out an unpickled copy of
    the cached frames. Not counted in the baseline's time, reported beside it."""
    pickled = pickle.dumps(frames)
    times = []
    for _ in range(3):
        started = time.perf_counter()
        pickle.loads(pickled)
        times.append(time.perf_counter() - started)
    return sorted(times)[1]


def measure_typical(plan: dict, app: dict) -> dict:
    """The baseline's time for the query calls of every measured rerun of the app, and the same calls
    run through DuckDB right beside it (alternating which goes first), so that both see the same
    machine load; each pandas frame is checked against the app's."""
    import typical_streamlit as typical

    from dashboard.db import EVERY_FIRM, run_query
    from dashboard.reading.opening import open_folder

    folder = Path(plan["data"])
    started = time.perf_counter()
    frames = typical.load(folder)
    result = {
        "load_s": time.perf_counter() - started,
        "rss_after_load_mb": psutil.Process().memory_info().rss / 2**20,
        "cache_copy_s": _cache_copy_seconds(frames),
        "pages": {},
        "mismatches": [],
    }
    con, _ = open_folder(folder)
    checked = 0
    for path, runs in app["pages"].items():
        page_runs = []
        for index, run in enumerate(r for r in runs if r["kind"] == "rerun"):
            calls = [(name, params) for name, params, _ in run["calls"] if name in typical.QUERIES]
            seconds = {}
            for side in ("pandas", "duckdb") if index % 2 == 0 else ("duckdb", "pandas"):
                started = time.perf_counter()
                if side == "pandas":
                    computed = typical.compute(frames, calls)
                else:
                    expected = [run_query(con, name, params, scope=EVERY_FIRM) for name, params in calls]
                seconds[side] = time.perf_counter() - started
            for number, ((name, params), frame) in enumerate(zip(calls, expected, strict=True)):
                checked += 1
                problems = typical.differences(frame, computed[f"{number}:{name}"])
                if problems:
                    shown = json.dumps(params, ensure_ascii=False)
                    result["mismatches"].append(f"{path} {name} {shown}: {'; '.join(problems)}")
            page_runs.append(
                {
                    "seconds": seconds["pandas"],
                    "duckdb_seconds": seconds["duckdb"],
                    "calls": len(calls),
                    "missing": sorted({name for name, _, _ in run["calls"] if name not in typical.QUERIES}),
                }
            )
        result["pages"][path] = page_runs
    con.close()
    if not checked:
        result["mismatches"].append("no query call could be checked")
    result["peak_rss_mb"] = peak_rss_mb()
    return result


def measure_prepare(plan: dict) -> dict:
    """What the first process to open a data version pays once (the folder's check and conversion, the
    tables of queries/setup), kept in the cache folder for every later process."""
    from dashboard.reading.opening import open_folder

    started = time.perf_counter()
    con, _ = open_folder(Path(plan["data"]))
    con.close()
    return {"seconds": time.perf_counter() - started, "peak_rss_mb": peak_rss_mb()}


def main(argv: list[str]) -> int:
    mode, plan_path, *rest = argv
    plan = json.loads(Path(plan_path).read_text(encoding="utf-8"))
    if mode == "app":
        result = measure_app(plan)
    elif mode == "floor":
        result = measure_floor(plan)
    elif mode == "prepare":
        result = measure_prepare(plan)
    elif mode == "typical":
        app = json.loads(Path(rest.pop(0)).read_text(encoding="utf-8"))
        result = measure_typical(plan, app)
    else:
        raise SystemExit(f"unknown mode {mode}")
    Path(rest[0]).write_text(json.dumps(result, ensure_ascii=False, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
