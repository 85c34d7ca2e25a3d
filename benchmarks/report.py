"""The markdown of benchmarks/results-browser.md from a run's raw records (browser.py writes both;
`python -m benchmarks.browser --report-only RAW.json` rewrites it)."""

from __future__ import annotations

import math
from collections.abc import Iterable

from benchmarks.speed import percentile, verdict
from dashboard import cards
from dashboard.navigation import PAGES

# The measured pages (데이터 has no filters or cards) and the cards each shows; 0: a table instead.
MEASURED = {
    "overview": len(cards.CARDS),
    "companies": 0,
    "tasks": len(cards.TASKS.stats),
    "outcomes": len(cards.OUTCOMES.stats),
}
TITLES = {p.url_path: p.title for p in PAGES} | {"floor": "빈 앱 (floor)"}
LAYOUT = "layout"  # benchmarks/layout_app.py, measured with `--layout`; "layout-header+sparklines" a variant


def layout_name(parts: str) -> str:
    """The target name of the layout app leaving out `parts` ("" none, else "header+sparklines")."""
    return f"{LAYOUT}-{parts}" if parts else LAYOUT


def is_layout(name: str) -> bool:
    return name == LAYOUT or name.startswith(f"{LAYOUT}-")


def left_out(name: str) -> str:
    """BENCH_LAYOUT_LEAVE_OUT for the target `name` ("" for every other target)."""
    return name.removeprefix(f"{LAYOUT}-").replace("+", ",") if name.startswith(f"{LAYOUT}-") else ""


def title(page: str) -> str:
    """A row's page name: the page's title, the floor's or the layout app's (with what it leaves out)."""
    if is_layout(page):
        return "앱 틀 (layout)" if page == LAYOUT else f"앱 틀 − {page.removeprefix(LAYOUT + '-')}"
    return TITLES[page]


APPS = ("before", "after")
# Issue 15's targets on what this benchmark measures: (name, kind, statistic, limit × the floor's median).
FILTER_LIMITS = {1: 3.0, 1000: 4.0}
FIRST_VISIT_LIMIT = 2.0
CPU_LIMIT = 0.25  # after ÷ before, server CPU per view at 1x


def values(records: Iterable[dict], field: str, **match) -> list[float]:
    return [r[field] for r in records if all(r.get(k) == v for k, v in match.items()) and r.get(field) is not None]


def median(numbers: list[float]) -> float:
    return percentile(numbers, 0.5)


def p95(numbers: list[float]) -> float:
    return percentile(numbers, 0.95)


def ms(value: float) -> str:
    return "–" if math.isnan(value) else f"{value:,.0f}"


def spread(numbers: list[float]) -> str:
    """'median / p95 (n)' in ms."""
    return "–" if not numbers else f"{ms(median(numbers))} / {ms(p95(numbers))} ({len(numbers)})"


def ratio(a: float, b: float) -> float:
    return a / b if b and not math.isnan(a) and not math.isnan(b) else math.nan


def shown_ratio(value: float) -> str:
    return "–" if math.isnan(value) else f"{value:.2f}"


def cpu_per_view(views: list[dict], **match) -> tuple[float, float, int]:
    """(CPU seconds per view, views per second, views) over the matching throughput blocks."""
    chosen = [v for v in views if all(v.get(k) == x for k, x in match.items())]
    made = sum(v["views"] - v["errors"] for v in chosen)
    if not made:
        return math.nan, math.nan, 0
    return sum(v["cpu_s"] for v in chosen) / made, made / sum(v["wall_s"] for v in chosen), made


def targets(scales: dict[str, dict]) -> list[dict]:
    """Each target of issue 15 this run measures, per scale and page: the working tree's value, the
    limit from the same run's floor or baseline, and whether it holds."""
    rows = []
    for name, scale in scales.items():
        records, views = scale["browser"], scale["throughput"]
        floor_filter = median(values(records, "cards_ms", target="floor", kind="filter_change"))
        floor_first = median(values(records, "cards_ms", target="floor", kind="first_visit"))
        for page in MEASURED:
            if int(name) in FILTER_LIMITS:
                measured = p95(values(records, "cards_ms", target="after", page=page, kind="filter_change"))
                limit = FILTER_LIMITS[int(name)] * floor_filter
                rows.append(
                    {
                        "target": f"filter change → cards p95 ≤ {FILTER_LIMITS[int(name)]:g}× floor's rerun",
                        "scale": name,
                        "page": page,
                        "measured": measured,
                        "limit": limit,
                        "before": p95(values(records, "cards_ms", target="before", page=page, kind="filter_change")),
                        "verdict": verdict(measured, limit),
                    }
                )
            measured = median(values(records, "cards_ms", target="after", page=page, kind="first_visit"))
            if math.isnan(floor_first):  # no first visits at this scale (quick mode)
                continue
            rows.append(
                {
                    "target": f"first visit → cards median ≤ {FIRST_VISIT_LIMIT:g}× floor's first visit",
                    "scale": name,
                    "page": page,
                    "measured": measured,
                    "limit": FIRST_VISIT_LIMIT * floor_first,
                    "before": median(values(records, "cards_ms", target="before", page=page, kind="first_visit")),
                    "verdict": verdict(measured, FIRST_VISIT_LIMIT * floor_first),
                }
            )
            if name == "1" and views:
                after, before = (cpu_per_view(views, target=t, page=page)[0] for t in ("after", "before"))
                rows.append(
                    {
                        "target": f"server CPU per view ≤ {CPU_LIMIT:g}× before's (s)",
                        "scale": name,
                        "page": page,
                        "measured": after,
                        "limit": CPU_LIMIT * before,
                        "before": before,
                        "verdict": verdict(after, CPU_LIMIT * before),
                    }
                )
    return rows


def _target_table(scales: dict) -> list[str]:
    lines = [
        "| target | scale | page | after | limit | verdict | before, same run |",
        "|---|---:|---|---:|---:|---|---:|",
    ]
    for row in targets(scales):
        cpu = "CPU" in row["target"]
        show = (lambda v: f"{v:.3f}") if cpu else ms
        lines.append(
            f"| {row['target']} | {row['scale']}x | {title(row['page'])} | {show(row['measured'])} "
            f"| {show(row['limit'])} | **{row['verdict']}** | {show(row['before'])} |"
        )
    return lines


def _browser_table(scales: dict) -> list[str]:
    lines = [
        "| scale | page | app | first visit → cards | first visit → all drawn | filter change → cards "
        "| page switch → cards | KB per run: first visit / filter change |",
        "|---:|---|---|---:|---:|---:|---:|---:|",
    ]
    for name, scale in scales.items():
        records = scale["browser"]
        for page, app in _rows(records, APPS):
            match = {"target": app, "page": page}
            first = values(records, "bytes", kind="first_visit", **match)
            change = values(records, "bytes", kind="filter_change", **match)
            lines.append(
                f"| {name}x | {title(page)} | {app} "
                f"| {spread(values(records, 'cards_ms', kind='first_visit', **match))} "
                f"| {spread(values(records, 'complete_ms', kind='first_visit', **match))} "
                f"| {spread(values(records, 'cards_ms', kind='filter_change', **match))} "
                f"| {spread(values(records, 'cards_ms', kind='page_switch', **match))} "
                f"| {median(first) / 1000:,.1f} / {median(change) / 1000:,.1f} |"
            )
    return lines


def _rows(records: list[dict], apps: tuple[str, ...]) -> list[tuple[str, str]]:
    """(page, app) of each table row: every measured page of `apps`, then each bare app measured."""
    measured = {r["target"] for r in records}
    rows = [(page, app) for page in MEASURED for app in apps if app in measured]
    bare = ["floor"] if "floor" in measured else []
    return rows + [(name, name) for name in bare + sorted(filter(is_layout, measured))]


def _noise_table(scales: dict) -> list[str]:
    lines = [
        "| scale | page | first visit | filter change | page switch | CPU per view |",
        "|---:|---|---:|---:|---:|---:|",
    ]
    for name, scale in scales.items():
        records, views = scale["browser"], scale["throughput"]
        for page in MEASURED:
            cells = []
            for kind in ("first_visit", "filter_change", "page_switch"):
                a, b = (median(values(records, "cards_ms", target=t, page=page, kind=kind)) for t in APPS[::-1])
                cells.append(shown_ratio(ratio(a, b)))
            a, b = (cpu_per_view(views, target=t, page=page)[0] for t in APPS[::-1])
            cells.append(shown_ratio(ratio(a, b)))
            lines.append(f"| {name}x | {title(page)} | " + " | ".join(cells) + " |")
    return lines


SPLIT = (
    ("html_ms", "HTML"),
    ("boot_ms", "JS and CSS load, start (HTML → websocket)"),
    ("connect_ms", "websocket connect"),
    ("sent_to_cards_ms", "first script run until cards (rerun sent → cards)"),
    ("run_ms", "first script run (rerun sent → script_finished)"),
)


def _first_visit_split(scales: dict) -> list[str]:
    lines = [
        "| scale | page | app | " + " | ".join(label for _, label in SPLIT) + " | cards | all drawn "
        "| renderer busy: JS / all tasks | JS and CSS MB (files) |",
        "|---:|---|---|" + "---:|" * (len(SPLIT) + 4),
    ]
    for name, scale in scales.items():
        records = [r for r in scale["browser"] if r["kind"] == "first_visit"]
        for page, app in [(p, "after") for p in MEASURED] + [("floor", "floor")]:
            fields = [field for field, _ in SPLIT] + ["cards_ms", "complete_ms"]
            cells = [ms(median(values(records, field, target=app, page=page))) for field in fields]
            busy = [ms(median(values(records, f, target=app, page=page))) for f in ("script_ms", "task_ms")]
            size = median(values(records, "asset_bytes", target=app, page=page)) / 1e6
            files = median(values(records, "asset_files", target=app, page=page))
            assets = "–" if math.isnan(size) else f"{size:.1f} ({files:.0f})"
            cells += [" / ".join(busy), assets]
            lines.append(f"| {name}x | {title(page)} | {app} | " + " | ".join(cells) + " |")
    return lines


def changed(records: list[dict]) -> str:
    """How many of the measurements read card texts that differ from those before the action: the
    sanity check that new cards were not old ones (each filter change goes to a period not shown)."""
    checked = [r["cards_changed"] for r in records if r.get("cards_changed") is not None]
    return f"{sum(checked)}/{len(checked)}" if checked else "–"


def _change_split(scales: dict) -> list[str]:
    lines = [
        "| scale | page | app | key → rerun sent | rerun sent → cards | script run (sent → finished) | cards "
        "| cards changed |",
        "|---:|---|---|---:|---:|---:|---:|---:|",
    ]
    for name, scale in scales.items():
        records = [r for r in scale["browser"] if r["kind"] == "filter_change"]
        for page, app in _rows(records, APPS):
            fields = ("to_sent_ms", "sent_to_cards_ms", "run_ms", "cards_ms")
            cells = [ms(median(values(records, f, target=app, page=page))) for f in fields]
            cells.append(changed([r for r in records if r["target"] == app and r["page"] == page]))
            lines.append(f"| {name}x | {title(page)} | {app} | " + " | ".join(cells) + " |")
    return lines


def _throughput_table(scales: dict) -> list[str]:
    lines = [
        "| scale | page | app | views | server CPU s per view | views/s per process | CPU after ÷ before |",
        "|---:|---|---|---:|---:|---:|---:|",
    ]
    for name, scale in scales.items():
        views = scale["throughput"]
        if not views:
            continue
        for page in (*MEASURED, "floor"):
            before = cpu_per_view(views, target="before", page=page)[0]
            for app in ("floor",) if page == "floor" else APPS:
                cpu, rate, made = cpu_per_view(views, target=app, page=page)
                compared = shown_ratio(ratio(cpu, before)) if app == "after" else ""
                lines.append(f"| {name}x | {title(page)} | {app} | {made} | {cpu:.3f} | {rate:.1f} | {compared} |")
    return lines


def markdown(raw: dict) -> str:
    meta, scales = raw["meta"], raw["scales"]
    loads = ", ".join(f"{name}x {scale.get('load', math.nan):.1f}" for name, scale in scales.items())
    sections = [
        "# Browser benchmark: first visit, filter change and page switch in Chromium; server CPU per view",
        "",
        f"Run {meta['started']}, {meta['mode']} mode, {meta.get('minutes', '?')} min, on {meta['machine']}; "
        f"load average {meta['load_before']:.1f} at the start, after each scale {loads}. "
        f"**before** = {meta['baseline']}, **after** = the working tree ({meta['after']}), measured "
        "interleaved in this run; **floor** = benchmarks/empty_app.py"
        + (
            "; **layout** = benchmarks/layout_app.py, the app's own frame (router, sidebar, header, 개요's "
            "card row) without its data work"
            if any(is_layout(r["target"]) for scale in scales.values() for r in scale["browser"])
            else ""
        )
        + ". Data: "
        f"`{meta['data_root']}/scale-N`. Times in ms from the key press, click or navigation start, "
        "median / p95 (number of measurements). Only ratios within one run count: the machine is shared. "
        "How it is measured and how to run it: [README.md](README.md#browser-and-throughput).",
        "",
        "## Targets (issue 15)",
        "",
        "The floor's *rerun round trip* is its median filter change → card; its *first visit*, its median "
        "first visit → card. 기업 has no KPI cards: its leaderboard drawn stands for them.",
        "",
        *_target_table(scales),
        "",
        "## In the browser",
        "",
        *_browser_table(scales),
        "",
        "## after ÷ before (medians; the same code gives the noise of this run)",
        "",
        *_noise_table(scales),
        "",
        "## Where a first visit's time goes (medians, ms from navigation start)",
        "",
        *_first_visit_split(scales),
        "",
        "## Where a filter change's time goes (medians, ms)",
        "",
        *_change_split(scales),
        "",
        "## Server CPU per view and views/s per process (light client, no browser)",
        "",
        *_throughput_table(scales),
        "",
    ]
    return "\n".join(sections)
