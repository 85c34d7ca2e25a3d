"""What row-level security costs: every query run as an executive (every firm) and as a firm user
(one firm), alternating in one process so both see the same machine, and the cost of setting a scope
on a cursor with no query at all. Prints a markdown table of medians; not part of the tests.

    .venv/bin/python benchmarks/scope_overhead.py [--scale 1] [--repeats 30]
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from dashboard.db import EVERY_FIRM, Scope, parameter_names, run_query, scoped_cursor  # noqa: E402
from dashboard.filters import Filters  # noqa: E402
from dashboard.reading.opening import open_folder  # noqa: E402
from dashboard.reading.settings import QUERIES_DIR, SAMPLE_DIR  # noqa: E402
from dashboard.tables import DEFAULT_ORDER  # noqa: E402

# What a page passes besides the filters, at its widest.
PAGE_PARAMS = {
    "search": "",
    "limit": 1000,
    "indicators": None,
    "task_statuses": None,
    "domains": None,
    "areas": None,
    **DEFAULT_ORDER,
}


def data_folder(scale: int) -> Path:
    if scale == 1:
        return SAMPLE_DIR
    folder = ROOT / "benchmarks" / "out" / "data" / f"scale-{scale}"
    if not folder.is_dir():
        generate = [sys.executable, "-m", "dashboard", "generate", "--out", str(folder), "--scale", str(scale)]
        subprocess.run(generate, check=True, cwd=ROOT)
    return folder


def timed_ms(action) -> float:
    started = time.perf_counter()
    action()
    return (time.perf_counter() - started) * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=int, default=1)
    parser.add_argument("--repeats", type=int, default=30)
    args = parser.parse_args()

    con, _ = open_folder(data_folder(args.scale))
    with scoped_cursor(con, EVERY_FIRM) as cur:
        firm, years_from, years_to = cur.execute(
            "SELECT arg_max(company_id, support_krw), min(year), max(year) FROM participation_base"
        ).fetchone()
    scopes = {"executive": EVERY_FIRM, "firm": Scope((firm,))}
    params = Filters(years_from, years_to).params() | PAGE_PARAMS
    names = sorted(p.stem for p in QUERIES_DIR.glob("*.sql") if parameter_names(p.stem) <= params.keys())

    times: dict[tuple[str, str], list[float]] = {}
    for _ in range(args.repeats):
        for name in names:
            for who, scope in scopes.items():
                times.setdefault((name, who), []).append(
                    timed_ms(lambda name=name, scope=scope: run_query(con, name, params, scope=scope))
                )
    setting = [timed_ms(lambda: scoped_cursor(con, EVERY_FIRM).__enter__()) for _ in range(args.repeats * 10)]

    print(f"Scale {args.scale}x, firm {firm}, {args.repeats} runs each, medians in ms\n")
    print("| query | executive | firm user | firm ÷ executive |")
    print("|---|---:|---:|---:|")
    totals = {"executive": 0.0, "firm": 0.0}
    for name in names:
        medians = {who: statistics.median(times[(name, who)]) for who in scopes}
        for who, value in medians.items():
            totals[who] += value
        ratio = medians["firm"] / medians["executive"]
        print(f"| {name} | {medians['executive']:.2f} | {medians['firm']:.2f} | {ratio:.2f} |")
    ratio = totals["firm"] / totals["executive"]
    print(f"| **all queries** | **{totals['executive']:.1f}** | **{totals['firm']:.1f}** | **{ratio:.2f}** |")
    print(f"\nSetting a scope on a new cursor, no query: median {statistics.median(setting):.3f} ms")


if __name__ == "__main__":
    main()
