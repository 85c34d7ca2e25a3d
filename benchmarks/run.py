"""Benchmark of the dashboard at 1x, 100x and 1000x the programme (issue 5); not part of the tests.

    .venv/bin/python benchmarks/run.py [--with-10000] [--scales 1,100,1000] [--reruns 12] [--regenerate]

Generates the data (kept in benchmarks/out/data/ while the generator is unchanged), then measures,
each in a fresh process: the empty page (the floor); per scale, in a few processes taken in turn with
the other scales, the dashboard (cold start, every page of app.py rerun with filter combinations new
to the process, the query time of each run, peak memory); per scale the typical-Streamlit baseline
replaying the same query calls in pandas, checked to give the same numbers. Prints a markdown table
and writes it to benchmarks/results.md. See benchmarks/README.md.
"""

from __future__ import annotations

import argparse
import ast
import hashlib
import importlib
import json
import math
import os
import platform
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import duckdb

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
OUT = HERE / "out"
RESULTS = HERE / "results.md"
GENERATOR = ROOT / "dashboard" / "generate.py"
DEFAULT_SCALES = (1, 100, 1000)
# One worker may take long at 10000x; a hung one must not hold the whole run.
WORKER_TIMEOUT_S = 3600

# The targets of each larger scale against 1x (issues 5 and 15); a measure without one is reported only.
TARGETS = {
    1000: {"speedup": 10, "run_ratio": 1.5, "memory_mb": 300, "cold_ratio": 2},
    10000: {"memory_mb": 600, "cold_ratio": 2},
}
TARGET_TOTAL_S = 15 * 60


@dataclass(frozen=True)
class Page:
    path: str
    title: str


def app_pages() -> list[Page]:
    """The pages of app.py's PAGES, written there as `st.Page(...)` calls or imported from a module."""
    tree = ast.parse((ROOT / "app.py").read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and any(a.name == "PAGES" and not a.asname for a in node.names):
            sys.path.insert(0, str(ROOT))
            module = importlib.import_module(node.module)
            return [Page(p.path, p.title) for p in module.PAGES]
        if isinstance(node, ast.Assign) and any(isinstance(t, ast.Name) and t.id == "PAGES" for t in node.targets):
            return [
                Page(
                    ast.literal_eval(call.args[0]),
                    next(ast.literal_eval(k.value) for k in call.keywords if k.arg == "title"),
                )
                for call in node.value.elts
            ]
    raise SystemExit("app.py has no PAGES list")


def _generator_hash() -> str:
    return hashlib.sha256(GENERATOR.read_bytes()).hexdigest()[:16]


def ensure_data(scale: int, regenerate: bool) -> tuple[Path, dict | None]:
    """The folder with the generated data at `scale`, and how generating it went (None: reused)."""
    folder = OUT / "data" / f"scale-{scale}"
    stamp = folder / ".generator"
    if not regenerate and stamp.is_file() and stamp.read_text() == _generator_hash():
        return folder, None
    command = [sys.executable, "-m", "dashboard", "generate", "--out", str(folder), "--scale", str(scale)]
    started = time.perf_counter()
    process = subprocess.Popen(command, cwd=ROOT, env=_env())
    _, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - started
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"generating scale {scale} failed")
    stamp.write_text(_generator_hash())
    return folder, {"seconds": seconds, "peak_rss_mb": usage.ru_maxrss / 1024}


def prepare(scale: int, folder: Path) -> dict:
    """Open the scale's data once before any measurement, as the first server to open a data version
    does: the folder's check and conversion and the tables of queries/setup, kept in the cache folder
    for every later process (benchmarks/README.md). Its time and peak memory are reported apart."""
    plan = OUT / f"plan-prepare-{scale}.json"
    plan.write_text(json.dumps({"data": str(folder)}))
    return worker("prepare", plan, OUT / f"prepare-{scale}.json")


def _column(sql: str, path: Path) -> list:
    """The first column of `sql` over the Parquet file `path` (bound as $1)."""
    return [row[0] for row in duckdb.connect().execute(sql, [str(path)]).fetchall()]


def row_counts(folder: Path) -> dict[str, int]:
    tables = ("companies", "participations", "tasks", "outcomes")
    return {t: _column("SELECT count(*) FROM read_parquet($1)", folder / f"{t}.parquet")[0] for t in tables}


def filter_plan(folder: Path, count: int) -> list[dict]:
    """`count` distinct filter combinations, a year range with an industry (or none) or with one firm.

    The same at every generated scale: firms are taken among the first ids in sort order, which
    every scale shares.
    """
    years = _column("SELECT DISTINCT year FROM read_parquet($1) ORDER BY 1", folder / "participations.parquet")
    industries = _column("SELECT DISTINCT industry FROM read_parquet($1) ORDER BY 1", folder / "companies.parquet")
    firms = _column("SELECT company_id FROM read_parquet($1) ORDER BY 1 LIMIT 150", folder / "companies.parquet")
    ranges = [(a, b) for i, a in enumerate(years) for b in years[i:]]
    choices = [None, *industries]
    combos, seen = [], set()
    for step in range(100 * count):
        first_year, last_year = ranges[(step * 11) % len(ranges)]
        if step % 4 == 3:
            industry, firm = None, firms[(step * 37) % len(firms)]
        else:
            industry, firm = choices[step % len(choices)], None
        if (first_year, last_year, industry, firm) in seen:
            continue
        seen.add((first_year, last_year, industry, firm))
        combos.append(
            {
                "from": first_year,
                "to": last_year,
                "industry": [industry] if industry else [],
                "company": [firm] if firm else [],
            }
        )
        if len(combos) == count:
            return combos
    raise SystemExit(f"the data offers fewer than {count} distinct filter combinations")


def _env() -> dict:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join([str(ROOT), str(HERE)])
    env.pop("DASHBOARD_DATA_DIR", None)
    # The app reads a folder within the import limits; 10000x is far beyond their defaults.
    env.setdefault("DASHBOARD_MAX_ROWS", "100000000")
    env.setdefault("DASHBOARD_MAX_UPLOAD_MB", "100000")
    env.setdefault("DASHBOARD_MAX_DISTINCT_STRINGS", "100000000")
    return env


def worker(mode: str, plan_path: Path, out: Path, *extra: Path) -> dict:
    command = [sys.executable, str(HERE / "measure.py"), mode, str(plan_path), *map(str, extra), str(out)]
    done = subprocess.run(command, cwd=ROOT, env=_env(), timeout=WORKER_TIMEOUT_S, capture_output=True, text=True)
    if done.returncode != 0:
        raise SystemExit(f"measure.py {mode} failed:\n{done.stderr[-4000:]}")
    return json.loads(out.read_text(encoding="utf-8"))


def median(values: list[float]) -> float:
    return statistics.median(values) if values else math.nan


def p95(values: list[float]) -> float:
    """Nearest-rank 95th percentile: of 12 runs, the slowest."""
    if not values:
        return math.nan
    ordered = sorted(values)
    return ordered[max(0, math.ceil(0.95 * len(ordered)) - 1)]


def ms(seconds: float) -> str:
    return "–" if math.isnan(seconds) else f"{seconds * 1000:,.0f}"


def summarise(app: dict, typical: dict) -> dict[str, dict]:
    """Per page: the reruns' full run and query time, and the baseline beside DuckDB on the same calls."""
    pages = {}
    for path, runs in app["pages"].items():
        reruns = [r for r in runs if r["kind"] == "rerun"]
        full = [r["seconds"] for r in reruns]
        data = [sum(c[2] for c in r["calls"]) / 1000 for r in reruns]
        base = typical["pages"].get(path, [])
        missing = sorted({m for r in base for m in r["missing"]})
        paired = [r["seconds"] / r["duckdb_seconds"] for r in base if r["calls"] and r["duckdb_seconds"] > 0]
        pages[path] = {
            "first_visit": median([r["seconds"] for r in runs if r["kind"] == "switch"]),
            "full_median": median(full),
            "full_p95": p95(full),
            "data_median": median(data),
            "data_p95": p95(data),
            "queries": median([len(r["calls"]) for r in reruns]),
            "typical_median": median([r["seconds"] for r in base if r["calls"]]),
            "replay_median": median([r["duckdb_seconds"] for r in base if r["calls"]]),
            "speedup": math.nan if missing else median(paired),
            "missing": missing,
            "problems": sorted({p for r in runs for p in r["problems"]}),
        }
    return pages


def ratio(a: float, b: float) -> float:
    return a / b if b else math.nan


def _speedup(page: dict) -> str:
    if page["missing"]:
        return "no baseline for " + ", ".join(page["missing"])
    return "–" if math.isnan(page["speedup"]) else f"{page['speedup']:.1f}x"


def report(results: dict, pages: list[Page], total_s: float) -> str:
    scales = results["scales"]
    titles = {p.path: p.title or p.path for p in pages}
    floor = results["floor"]
    lines = [
        "# Benchmark results",
        "",
        f"Run {results['started']} on {results['machine']}; whole run {total_s / 60:.1f} min. "
        f"Times in ms; each page rerun {results['reruns']}x per scale with filters new to the process, "
        f"in {results['rounds']} processes per scale taken in turn with the other scales. "
        "How to read this: [README.md](README.md).",
        "",
        "Measured by their own scripts, each in its own file: the load test through HAProxy (20 and 50 "
        "sessions, an import, a restore and a killed replica; capacity) in [results-load.md](results-load.md), "
        "hostile files in [results-hostile.md](results-hostile.md), the browser (first visit, filter change, page "
        "switch; server CPU per view, before and after in one run) in [results-browser.md](results-browser.md).",
        "",
        "## Page runs",
        "",
        "| scale | page | first visit | full run median | full run p95 | data work median | data work p95 "
        "| queries/run | typical Streamlit median | same calls in DuckDB, beside it | speed-up |",
        "|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for scale, r in scales.items():
        for path, page in r["pages"].items():
            lines.append(
                f"| {scale}x | {titles.get(path, path)} | {ms(page['first_visit'])} | {ms(page['full_median'])} "
                f"| {ms(page['full_p95'])} | {ms(page['data_median'])} | {ms(page['data_p95'])} "
                f"| {page['queries']:.0f} | {ms(page['typical_median'])} | {ms(page['replay_median'])} "
                f"| {_speedup(page)} |"
            )
    reruns = floor["reruns_s"]
    lines.append(
        f"| – | floor: empty page | {ms(floor['first_run_s'])} | {ms(median(reruns))} | {ms(p95(reruns))} "
        "| 0 | 0 | 0 | | | |"
    )
    lines += [
        "",
        "## Start and memory",
        "",
        "| scale | participations | tasks | outcomes | cold start: process start → first page (median) "
        "| first page run (median) | peak RSS (max) | typical Streamlit: load | typical Streamlit: RSS after load "
        "| typical Streamlit: st.cache_data copy per rerun | generate | first open of the version: check, convert, "
        "build tables (once) |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for scale, r in scales.items():
        a, t, rows, gen = r["app"], r["typical"], r["rows"], r["generate"]
        generated = f"{gen['seconds']:.1f} s, peak {gen['peak_rss_mb']:.0f} MB" if gen else "reused"
        first = r.get("prepare")
        opened = f"{first['seconds']:.1f} s, peak {first['peak_rss_mb']:.0f} MB" if first else "–"
        lines.append(
            f"| {scale}x | {rows['participations']:,} | {rows['tasks']:,} | {rows['outcomes']:,} "
            f"| {ms(a['cold_start_s'])} | {ms(a['first_run_s'])} | {a['peak_rss_mb']:.0f} MB "
            f"| {ms(t['load_s'])} | {t['rss_after_load_mb']:.0f} MB | {ms(t['cache_copy_s'])} | {generated} "
            f"| {opened} |"
        )
    lines.append(
        f"| – | floor: empty page | | | {ms(floor['cold_start_s'])} | {ms(floor['first_run_s'])} "
        f"| {floor['peak_rss_mb']:.0f} MB | | | | | |"
    )
    lines += ["", "## Targets", "", *targets(results, titles, total_s), "", "## Checks", ""]
    mismatches = [m for r in scales.values() for m in r["typical"]["mismatches"]]
    problems = [
        f"{scale}x {titles.get(path, path)}: {text}"
        for scale, r in scales.items()
        for path, page in r["pages"].items()
        for text in page["problems"]
    ]
    lines.append(
        "- The typical-Streamlit baseline gives the same numbers as the app on every replayed query call."
        if not mismatches
        else f"- **{len(mismatches)} baseline results differ from the app's**, e.g. {mismatches[0]}"
    )
    lines.append(
        "- No page raised or showed an error." if not problems else "- **Page problems:** " + "; ".join(problems[:5])
    )
    return "\n".join(lines) + "\n"


def _verdict(ok: bool) -> str:
    return "holds" if ok else "**misses**"


def targets(results: dict, titles: dict, total_s: float) -> list[str]:
    """Each larger scale measured against the smallest, with the targets TARGETS sets for it."""
    scales = results["scales"]
    small = min(scales)
    compared = [s for s in scales if s != small and (s in TARGETS or s == max(scales))]
    if not compared:
        return ["The targets compare a larger scale with the smallest; run more than one scale."]
    lines = [f"- Whole run {total_s / 60:.1f} min (target < 15 min): {_verdict(total_s < TARGET_TOTAL_S)}."]
    for big in compared:
        lines += ["", f"### {big}x", ""] if len(compared) > 1 else []
        lines += _targets_at(scales[big], scales[small], big, small, titles, TARGETS.get(big, {}))
    return lines


def _against(value: float, target: float | None, ok) -> str:
    """'(target …): holds/misses', or that this scale has no such target."""
    return "no target at this scale" if target is None else _verdict(ok(value, target))


def _targets_at(b: dict, s: dict, big: int, small: int, titles: dict, goal: dict) -> list[str]:
    lines = []
    speedup, run_ratio = goal.get("speedup"), goal.get("run_ratio")
    memory_mb, cold_ratio = goal.get("memory_mb"), goal.get("cold_ratio")
    for path, page in b["pages"].items():
        name = titles.get(path, path)
        if page["missing"]:
            lines.append(f"- {name}: data work at {big}x — {_speedup(page)}.")
        elif math.isnan(page["speedup"]):
            lines.append(f"- {name}: data work at {big}x — no query ran in its reruns (all answered by the cache).")
        else:
            target = f"target ≥ {speedup}x" if speedup else "no target"
            lines.append(
                f"- {name}: data work at {big}x {_speedup(page)} faster than typical Streamlit "
                f"({ms(page['replay_median'])} vs {ms(page['typical_median'])} ms; {target}): "
                f"{_against(page['speedup'], speedup, lambda v, t: v >= t)}."
            )
    for path, page in b["pages"].items():
        base = s["pages"][path]["full_median"]
        r = ratio(page["full_median"], base)
        target = f"target ≤ {run_ratio}x" if run_ratio else "no target"
        lines.append(
            f"- {titles.get(path, path)}: median full run {ms(page['full_median'])} ms at {big}x vs {ms(base)} ms "
            f"at {small}x = {r:.2f}x ({target}): {_against(r, run_ratio, lambda v, t: v <= t)}."
        )
    extra = b["app"]["peak_rss_mb"] - s["app"]["peak_rss_mb"]
    target = f"target ≤ +{memory_mb} MB" if memory_mb else "no target"
    lines.append(
        f"- Peak memory {b['app']['peak_rss_mb']:.0f} MB at {big}x vs {s['app']['peak_rss_mb']:.0f} MB at {small}x "
        f"= {extra:+.0f} MB ({target}): {_against(extra, memory_mb, lambda v, t: v <= t)}."
    )
    cold = ratio(b["app"]["cold_start_s"], s["app"]["cold_start_s"])
    first = ratio(b["app"]["first_run_s"], s["app"]["first_run_s"])
    target = f"target ≤ {cold_ratio}x" if cold_ratio else "no target"
    lines.append(
        f"- Cold start {ms(b['app']['cold_start_s'])} ms at {big}x vs {ms(s['app']['cold_start_s'])} ms at {small}x "
        f"= {cold:.2f}x ({target}): {_against(cold, cold_ratio, lambda v, t: v <= t)}. Without the "
        f"interpreter start, the first page run alone: {first:.2f}x."
    )
    return lines


def merge(processes: list[dict]) -> dict:
    """One scale's app measurements from its processes (one per round): runs pooled, starts as medians."""
    pages: dict[str, list] = {}
    for process in processes:
        for path, runs in process["pages"].items():
            pages.setdefault(path, []).extend(runs)
    return {
        "cold_start_s": median([p["cold_start_s"] for p in processes]),
        "first_run_s": median([p["first_run_s"] for p in processes]),
        "peak_rss_mb": max(p["peak_rss_mb"] for p in processes),
        "processes": processes,
        "pages": pages,
    }


def rerun_split(reruns: int, rounds: int) -> list[int]:
    return [reruns // rounds + (1 if r < reruns % rounds else 0) for r in range(rounds)]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scales", default=",".join(map(str, DEFAULT_SCALES)), help="comma-separated scales")
    parser.add_argument(
        "--with-10000", action="store_true", help="add the 10000x scale (its targets: memory, cold start)"
    )
    parser.add_argument("--reruns", type=int, default=12, help="measured reruns per page and scale (>= 10)")
    parser.add_argument("--rounds", type=int, default=3, help="processes per scale, taken in turn with the others")
    parser.add_argument("--regenerate", action="store_true", help="generate the data even if it is up to date")
    parser.add_argument("--results", type=Path, default=RESULTS, help="where to write the markdown table")
    parser.add_argument(
        "--report-only", action="store_true", help="rewrite the table from the last run's benchmarks/out/run.json"
    )
    args = parser.parse_args(argv)
    if args.report_only:
        saved = json.loads((OUT / "run.json").read_text(encoding="utf-8"))
        saved["scales"] = {int(k): v for k, v in saved["scales"].items()}
        return write_report(saved, app_pages(), saved["total_s"], args.results)
    scales = sorted({int(s) for s in args.scales.split(",")} | ({10000} if args.with_10000 else set()))
    started = time.perf_counter()
    pages = app_pages()
    OUT.mkdir(parents=True, exist_ok=True)
    results = {
        "started": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "machine": f"{os.cpu_count()} cores, Python {platform.python_version()}, DuckDB {duckdb.__version__}",
        "reruns": args.reruns,
        "rounds": args.rounds,
        "scales": {},
    }
    floor_plan = OUT / "plan-floor.json"
    floor_plan.write_text(json.dumps({"reruns": args.reruns}))
    results["floor"] = worker("floor", floor_plan, OUT / "floor.json")
    split = rerun_split(args.reruns, args.rounds)
    data = {scale: ensure_data(scale, args.regenerate) for scale in scales}
    prepared = {scale: prepare(scale, folder) for scale, (folder, _) in data.items()}
    plans = {
        scale: filter_plan(folder, len(pages) * (args.rounds + args.reruns)) for scale, (folder, _) in data.items()
    }
    processes: dict[int, list[dict]] = {scale: [] for scale in scales}
    # Scales take turns, in alternating order, so that a busy spell of a shared machine is spread
    # over all of them instead of inflating one scale's numbers and so the ratios between them.
    for round_, reruns in enumerate(split):
        used = len(pages) * (round_ + sum(split[:round_]))
        for scale in scales if round_ % 2 == 0 else reversed(scales):
            print(f"round {round_ + 1}/{args.rounds}: {scale}x …", file=sys.stderr, flush=True)
            plan = {
                "data": str(data[scale][0]),
                "pages": [{"path": p.path, "title": p.title} for p in pages],
                "reruns": reruns,
                "filters": plans[scale][used : used + len(pages) * (1 + reruns)],
            }
            plan_path = OUT / f"plan-{scale}-{round_ + 1}.json"
            plan_path.write_text(json.dumps(plan, ensure_ascii=False, indent=1), encoding="utf-8")
            processes[scale].append(worker("app", plan_path, OUT / f"app-{scale}-{round_ + 1}.json"))
    for scale in scales:
        print(f"typical Streamlit baseline: {scale}x …", file=sys.stderr, flush=True)
        folder, generated = data[scale]
        app = merge(processes[scale])
        app_path = OUT / f"app-{scale}.json"
        app_path.write_text(json.dumps(app, ensure_ascii=False), encoding="utf-8")
        typical = worker("typical", OUT / f"plan-{scale}-1.json", OUT / f"typical-{scale}.json", app_path)
        results["scales"][scale] = {
            "rows": row_counts(folder),
            "generate": generated,
            "prepare": prepared[scale],
            "app": app,
            "typical": typical,
            "pages": summarise(app, typical),
        }
    results["total_s"] = time.perf_counter() - started
    (OUT / "run.json").write_text(json.dumps(results, ensure_ascii=False), encoding="utf-8")
    return write_report(results, pages, results["total_s"], args.results)


def write_report(results: dict, pages: list[Page], total_s: float, path: Path) -> int:
    """Print the table, write it to `path`; 1 when the baseline's numbers differ from the app's."""
    text = report(results, pages, total_s)
    print(text)
    path.write_text(text, encoding="utf-8")
    return 1 if any(r["typical"]["mismatches"] for r in results["scales"].values()) else 0


if __name__ == "__main__":
    sys.exit(main())
