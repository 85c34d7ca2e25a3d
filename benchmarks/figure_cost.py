"""What building a chart costs when no session has drawn it: the graph-object builders of a commit
beside the working tree's, in one process, on the bundled sample.

    python benchmarks/figure_cost.py [--before 2ef860a] [--repeat 15] [--periods 4] [--out FILE]

1. The inputs: every chart the pages draw (개요, its 비교 mode, 기업, 개선과제, 성과 with either tab) is
   recorded from a real page run (`streamlit.testing.v1.AppTest` on `data/sample`): the builder and
   the frames and arguments `charts.plot` was given.
2. Per chart, the steps `charts.show` takes on a figure-cache miss, each timed on both modules in turn
   (which goes first alternates), median over `--repeat` rounds: the builder, `finish`, `highlight`
   (the first mark chosen, on a chart wired to a filter) and `spec_of`. Both modules' specs are
   compared as parsed JSON; the script exits 1 if any differs.
3. Whole page runs with filters no session has drawn (`--periods` cohort periods per page): every
   cache of the app emptied before each run (query results, derived values, tables, figures), the same
   URL run with the before module in `dashboard.charts`, then with the working tree's (order
   alternating); the CPU time of `AppTest.run()`, and the part of it spent in `charts.show`.

Times are CPU time (of the thread, or the process for a page run), not wall time: on a shared machine
the wall time is mostly the wait for a core.

The before module is the commit's `dashboard/charts.py` loaded beside the working tree's package (its
imports, `dashboard.units` and the rest, are the working tree's). On a shared machine compare the ratios,
which are measured side by side, not the milliseconds across runs.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
OUT = ROOT / "benchmarks" / "out"
os.environ["DASHBOARD_DATA_DIR"] = str(ROOT / "data" / "sample")
os.environ.setdefault("DASHBOARD_ALLOW_ANONYMOUS", "1")
os.environ.setdefault("DASHBOARD_CACHE_DIR", str(OUT / "figure-cost-cache"))

from streamlit.testing.v1 import AppTest  # noqa: E402

import dashboard  # noqa: E402
from dashboard import charts, tables  # noqa: E402
from dashboard.view import cache  # noqa: E402

DEFAULT_BEFORE = "2ef860a"  # the last commit whose builders made plotly graph objects
RESULTS = ROOT / "benchmarks" / "results-figure-cost.md"
# (label, page to switch to, URL) of each view whose charts are recorded
VIEWS = [
    ("개요", None, {}),
    ("개요 비교", None, {"compare": "1", "vs_from": "2016", "vs_to": "2018"}),
    ("기업", "pages/companies.py", {}),
    ("개선과제", "pages/tasks.py", {}),
    ("성과", "pages/outcomes.py", {}),
    ("성과 과제 분야별", "pages/outcomes.py", {"outcomes_tab": "과제 분야별"}),
]
PAGES = {"개요": None, "기업": "pages/companies.py", "개선과제": "pages/tasks.py", "성과": "pages/outcomes.py"}


def load_before(ref: str):
    """The commit's charts module, as module `charts_before`."""
    text = subprocess.run(
        ["git", "show", f"{ref}:dashboard/charts.py"], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout
    OUT.mkdir(parents=True, exist_ok=True)
    path = OUT / "charts_before.py"
    path.write_text(text, encoding="utf-8")
    spec = importlib.util.spec_from_file_location("charts_before", path)
    module = importlib.util.module_from_spec(spec)
    sys.modules["charts_before"] = module  # dataclasses look their module up
    spec.loader.exec_module(module)
    return module


@dataclass
class Chart:
    view: str
    key: str
    builder: str
    args: tuple
    kwargs: dict
    filters_on: object

    @property
    def name(self) -> str:
        return f"{self.builder} · {self.key}"


def app_test() -> AppTest:
    return AppTest.from_file(str(ROOT / "app.py"), default_timeout=180)


def record() -> list[Chart]:
    """Every chart the views draw, with the inputs `charts.plot` was given."""
    drawn: list[Chart] = []
    show = charts.show
    view = None  # the view whose run is being recorded

    def recording(fig, **kwargs):
        if view and isinstance(fig, charts.Plot):
            name = fig.builder.__name__
            drawn.append(Chart(view, kwargs["key"], name, fig.args, fig.kwargs, kwargs.get("filters_on")))
        return show(fig, **kwargs)

    charts.show = recording
    try:
        for label, page, url in VIEWS:
            at = app_test()
            for key, value in url.items():
                at.query_params[key] = value
            if page:
                at.run()
                at.switch_page(page)
            view = label
            at.run()
            view = None
            assert not at.exception, (label, at.exception)
    finally:
        charts.show = show
    return drawn


def chosen(module, fig, filters_on) -> tuple:
    """The values of the figure's first mark, one per field the chart stands for."""
    width = len(filters_on) if isinstance(filters_on, tuple) else 1
    traces = fig["data"] if isinstance(fig, dict) else fig.data
    for trace in traces:
        data = trace.get("customdata") if isinstance(trace, dict) else trace.customdata
        if data is not None and len(data):
            return tuple((value,) for value in list(data[0])[-width:])
    return ((),) * width


def steps(module, chart: Chart) -> tuple[dict[str, float], str]:
    """One miss of `charts.show` on `module`, step by step: CPU ms of this thread per step (on a shared
    machine wall time mostly measures the wait for a core), and the spec."""
    times = {}
    t = time.thread_time()
    fig = getattr(module, chart.builder)(*chart.args, **chart.kwargs)
    times["build"] = time.thread_time() - t
    t = time.thread_time()
    module.finish(fig)
    times["finish"] = time.thread_time() - t
    if chart.filters_on is not None:
        values = chosen(module, fig, chart.filters_on)
        t = time.thread_time()
        module.highlight(fig, values)
        times["highlight"] = time.thread_time() - t
    t = time.thread_time()
    spec = module.spec_of(fig)
    times["spec_of"] = time.thread_time() - t
    return {k: v * 1000 for k, v in times.items()}, spec


def measure_charts(before, after, found: list[Chart], repeat: int) -> tuple[dict, list[str]]:
    """{(chart, step): ([ms before], [ms after])} and the charts whose specs differ."""
    times: dict[tuple[str, str], tuple[list[float], list[float]]] = {}
    differ = []
    for chart in found:
        for i in range(repeat):
            order = (0, 1) if i % 2 == 0 else (1, 0)
            specs = [None, None]
            for side in order:
                ms, specs[side] = steps((before, after)[side], chart)
                for step, value in ms.items():
                    times.setdefault((chart.name, step), ([], []))[side].append(value)
            if i == 0 and json.loads(specs[0]) != json.loads(specs[1]):
                differ.append(chart.name)
    return times, differ


def empty_caches() -> None:
    for memo in (cache.results, cache.derived, tables._arrow_tables, charts.figure_cache):
        memo.clear()


def use(module) -> None:
    """Pages import `dashboard.charts` on every run: this is the module they get."""
    sys.modules["dashboard.charts"] = module
    dashboard.charts = module


def measure_pages(before, after, periods: int) -> dict[str, tuple[list[float], list[float], list[float], list[float]]]:
    """Per page: CPU ms of the process per run before, after (the script runs in AppTest's thread); of
    which charts.show (CPU ms of that thread) before, after."""
    years = [(a, b) for a in range(2013, 2021) for b in range(a, 2021)]
    result = {}
    modules = (before, after)
    shows = [m.show for m in modules]
    spent = [0.0, 0.0]

    def timed(side: int) -> Callable:
        def show(*args, **kwargs):
            t = time.thread_time()
            try:
                return shows[side](*args, **kwargs)
            finally:
                spent[side] += time.thread_time() - t

        return show

    for side, module in enumerate(modules):
        module.show = timed(side)
    try:
        for page_index, (label, page) in enumerate(PAGES.items()):
            at = app_test()
            at.run()
            if page:
                at.switch_page(page).run()
            runs = ([], [], [], [])
            for i in range(periods):
                year_from, year_to = years[(i * 7 + page_index * 3 + 5) % len(years)]
                at.query_params["from"], at.query_params["to"] = str(year_from), str(year_to)
                for side in (0, 1) if i % 2 == 0 else (1, 0):
                    use(modules[side])
                    empty_caches()
                    before.figure_cache.clear()
                    spent[side] = 0.0
                    t = time.process_time()
                    at.run()
                    runs[side].append((time.process_time() - t) * 1000)
                    runs[2 + side].append(spent[side] * 1000)
                    assert not at.exception, (label, at.exception)
            result[label] = runs
    finally:
        for module, show in zip(modules, shows, strict=True):
            module.show = show
        use(after)
    return result


def _ratio(before: float, after: float) -> str:
    return f"{after / before:.2f}" if before else "–"


def report(ref: str, found: list[Chart], times: dict, pages: dict, repeat: int, periods: int) -> str:
    med = statistics.median
    lines = [
        f"# Figure cost: graph-object builders ({ref}) beside the working tree's",
        "",
        f"`python benchmarks/figure_cost.py`, bundled sample, {repeat} rounds per chart (median), "
        f"{periods} new-filter runs per page. Measured side by side in one process: compare ratios.",
        "",
        "## Per chart: building (CPU ms)",
        "",
        "| chart | view | before | after | after/before |",
        "|---|---|---:|---:|---:|",
    ]
    for chart in found:
        b, a = (med(x) for x in times[(chart.name, "build")])
        lines.append(f"| {chart.name} | {chart.view} | {b:.1f} | {a:.2f} | {_ratio(b, a)} |")
    lines += ["", "## Per step, over all charts (CPU ms, median per chart, then summed)", ""]
    lines += ["| step | before | after | after/before |", "|---|---:|---:|---:|"]
    totals = [0.0, 0.0]
    for step in ("build", "finish", "highlight", "spec_of"):
        pairs = [times[(c.name, step)] for c in found if (c.name, step) in times]
        b, a = (sum(med(p[side]) for p in pairs) for side in (0, 1))
        totals[0] += b
        totals[1] += a
        lines.append(f"| {step} ({len(pairs)} charts) | {b:.1f} | {a:.1f} | {_ratio(b, a)} |")
    lines.append(
        f"| **a miss of charts.show, all charts** | **{totals[0]:.1f}** | **{totals[1]:.1f}** | **{_ratio(*totals)}** |"
    )
    lines += ["", "## Per view: a miss of `charts.show` for every chart it draws (CPU ms)", ""]
    lines += ["| view | charts | before | after | after/before |", "|---|---:|---:|---:|---:|"]
    for view, *_ in VIEWS:
        mine = [c for c in found if c.view == view]
        sums = [
            sum(
                med(times[(c.name, s)][side])
                for c in mine
                for s in ("build", "finish", "highlight", "spec_of")
                if (c.name, s) in times
            )
            for side in (0, 1)
        ]
        lines.append(f"| {view} | {len(mine)} | {sums[0]:.1f} | {sums[1]:.1f} | {_ratio(*sums)} |")
    lines += [
        "",
        "## Whole page runs with new filters, every cache empty (CPU ms, median)",
        "",
        "| page | run before | run after | after/before | charts.show before | charts.show after |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for label, (rb, ra, sb, sa) in pages.items():
        lines.append(
            f"| {label} | {med(rb):.0f} | {med(ra):.0f} | {_ratio(med(rb), med(ra))} | {med(sb):.0f} | {med(sa):.0f} |"
        )
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--before", default=DEFAULT_BEFORE, help="the commit whose charts.py to compare with")
    parser.add_argument("--repeat", type=int, default=15, help="rounds per chart")
    parser.add_argument("--periods", type=int, default=4, help="new-filter runs per page (0: none)")
    parser.add_argument("--out", type=Path, default=RESULTS)
    args = parser.parse_args()
    before = load_before(args.before)
    found = record()
    times, differ = measure_charts(before, charts, found, args.repeat)
    pages = measure_pages(before, charts, args.periods) if args.periods else {}
    text = report(args.before, found, times, pages, args.repeat, args.periods)
    print(text)
    args.out.write_text(text, encoding="utf-8")
    if differ:
        print("Specs differ:", ", ".join(differ), file=sys.stderr)
        sys.exit(1)


if __name__ == "__main__":
    main()
