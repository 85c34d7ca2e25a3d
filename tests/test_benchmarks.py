"""The pure logic of the browser and throughput benchmarks (benchmarks/speed.py, benchmarks/report.py):
percentiles, holds/misses, the websocket frame accounting, CPU time from /proc, the slider walk; and the
layout app (benchmarks/layout_app.py) the browser benchmark measures beside the floor."""

from __future__ import annotations

import math

import pytest

from benchmarks import report, speed
from benchmarks.speed import EARLY_FOR_RERUN, HEARTBEAT_ACK, NEW_SESSION, RECEIVED, RERUN, SCRIPT_FINISHED, SENT

DELTA = 5  # ForwardMsg.delta


def test_percentiles_interpolate_between_ranks():
    assert speed.percentile([3, 1, 2], 0.5) == 2
    assert speed.percentile([1, 2, 3, 4], 0.5) == 2.5
    assert speed.percentile(range(1, 101), 0.95) == pytest.approx(95.05)
    assert speed.percentile([7], 0.95) == 7
    assert math.isnan(speed.percentile([], 0.5))


def test_a_target_holds_at_its_limit_and_misses_above_it():
    assert speed.verdict(3.0, 3.0) == "holds"
    assert speed.verdict(3.01, 3.0) == "misses"
    assert speed.verdict(math.nan, 3.0) == "not measured"


def test_a_page_run_counts_what_arrives_between_the_rerun_and_script_finished():
    frames = [
        (0, RECEIVED, 999, DELTA, None),  # before any rerun: not a run's
        (10, SENT, 40, RERUN, None),
        (12, RECEIVED, 30, NEW_SESSION, None),
        (20, RECEIVED, 1000, DELTA, None),
        (21, RECEIVED, 8, HEARTBEAT_ACK, None),  # not the page's
        (30, RECEIVED, 6, SCRIPT_FINISHED, 0),
        (31, RECEIVED, 500, DELTA, None),  # after it: not counted
        (40, SENT, 40, RERUN, None),
        (45, RECEIVED, 30, NEW_SESSION, None),
        (50, RECEIVED, 6, SCRIPT_FINISHED, 0),
    ]
    assert speed.runs(frames) == [speed.Run(10, 12, 30, 1036, 3), speed.Run(40, 45, 50, 36, 2)]


def test_a_run_interrupted_by_a_new_rerun_is_one_page_run_until_the_last_finishes():
    frames = [
        (0, SENT, 40, RERUN, None),
        (5, RECEIVED, 30, NEW_SESSION, None),
        (8, SENT, 40, RERUN, None),
        (9, RECEIVED, 6, SCRIPT_FINISHED, EARLY_FOR_RERUN),
        (10, RECEIVED, 30, NEW_SESSION, None),
        (20, RECEIVED, 100, DELTA, None),
        (30, RECEIVED, 6, SCRIPT_FINISHED, 0),
    ]
    assert speed.runs(frames) == [speed.Run(0, 5, 30, 172, 5)]


def test_cpu_seconds_read_utime_and_stime_even_with_spaces_in_the_command_name():
    fields = ["S", *["0"] * 10, "250", "50", *["0"] * 30]  # state, …, utime (14), stime (15), …
    assert speed.cpu_seconds("1234 (python -m (x)) " + " ".join(fields), 100) == 3.0


def shows(period):
    return period != (2018, 2018)


def test_the_slider_walk_reaches_a_new_period_in_one_press_when_it_can():
    assert speed.next_period((2013, 2020), 2013, 2020, {(2013, 2020)}, shows) == [(("end", "ArrowLeft"), (2013, 2019))]


def test_the_slider_walk_visits_every_period_with_data_once_and_never_one_without():
    period, seen, measured = (2013, 2020), {(2013, 2020)}, []
    while steps := speed.next_period(period, 2013, 2020, seen, shows):
        for _move, period in steps:
            assert shows(period)
        seen.add(period)
        measured.append(period)
    assert len(measured) == len(set(measured)) == 36 - 2  # every period but the first and 2018 alone


def test_the_targets_compare_the_working_tree_with_the_floor_and_the_baseline_of_the_same_run():
    def runs(target, page, kind, times):
        return [{"target": target, "page": page, "kind": kind, "cards_ms": t} for t in times]

    records = runs("floor", "floor", "filter_change", [100, 100, 300]) + runs("floor", "floor", "first_visit", [1000])
    for page in ("overview", "companies", "tasks", "outcomes"):
        records += runs("after", page, "filter_change", [250, 290]) + runs("after", page, "first_visit", [2500])
    views = [
        {"target": t, "page": p, "views": 10, "errors": 0, "wall_s": 1.0, "cpu_s": cpu}
        for p in ("overview", "companies", "tasks", "outcomes")
        for t, cpu in (("before", 4.0), ("after", 1.0))
    ]
    rows = report.targets({"1": {"browser": records, "throughput": views}})
    filter_rows = [r for r in rows if r["target"].startswith("filter")]
    assert {(r["limit"], r["verdict"]) for r in filter_rows} == {(300.0, "holds")}  # p95 288 ≤ 3 × median 100
    assert {r["verdict"] for r in rows if r["target"].startswith("first")} == {"misses"}  # 2500 > 2 × 1000
    cpu_rows = [r for r in rows if "CPU" in r["target"]]
    assert {(r["measured"], r["limit"], r["verdict"]) for r in cpu_rows} == {(0.1, 0.1, "holds")}


def test_cards_changed_counts_the_measurements_whose_card_texts_differ_from_before_the_action():
    records = [{"cards_changed": True}, {"cards_changed": False}, {"cards_changed": None}, {}]
    assert report.changed(records) == "1/2"  # a first visit and the leaderboard (no texts) are not counted
    assert report.changed([{"cards_changed": None}]) == "–"


def test_a_layout_variant_is_named_for_what_it_leaves_out_and_its_rows_follow_the_floor():
    assert report.layout_name("") == "layout" and report.left_out("layout") == ""
    name = report.layout_name("header+sparklines")
    assert report.is_layout(name) and not report.is_layout("floor") and not report.is_layout("after")
    assert report.left_out(name) == "header,sparklines"  # layout_app.py's BENCH_LAYOUT_LEAVE_OUT
    assert report.left_out("after") == ""
    records = [{"target": t} for t in ("after", name, "floor", "layout")]
    assert report._rows(records, report.APPS)[-3:] == [("floor", "floor"), ("layout", "layout"), (name, name)]
    assert report.title(name) == "앱 틀 − header+sparklines"


@pytest.mark.parametrize("leave_out", ["", "header,sparklines,filters"])
def test_the_layout_app_shows_the_overview_card_row_with_new_values_on_every_filter_change(monkeypatch, leave_out):
    """benchmarks/layout_app.py: the app's frame without its data work, as the browser benchmark drives it."""
    from streamlit.testing.v1 import AppTest

    from dashboard import cards
    from tests.reference import ROOT

    monkeypatch.delenv("DASHBOARD_DATA_DIR", raising=False)
    monkeypatch.setenv("BENCH_LAYOUT_LEAVE_OUT", leave_out)
    at = AppTest.from_file(str(ROOT / "benchmarks" / "layout_app.py"), default_timeout=60)
    at.run()
    assert not at.exception
    before = [m.value for m in at.metric]
    assert len(before) == len(cards.CARDS)
    at.slider(key="f_years").set_value((2015, 2016)).run()
    assert not at.exception
    assert at.metric[0].value != before[0]
    assert len(at.sidebar.multiselect) == (0 if "filters" in leave_out else 5)
    assert bool(at.title) == ("header" not in leave_out)
