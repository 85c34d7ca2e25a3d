"""The 개선과제 page: its queries against pandas on the mini fixture and the sample, and the page run
headless (cards, search and selectors narrowing the table, empty selections)."""

from __future__ import annotations

import shutil

import pandas as pd
import pytest

from dashboard.db import EVERY_FIRM, run_query
from dashboard.filters import Filters
from tests.helpers import FILTERS, PAGE_PARAMS, assert_matches_reference, metrics
from tests.reference import MINI_DIR, compute


@pytest.mark.parametrize(
    "name", ["task_summary", "tasks_by_area_status", "task_completion_by_cohort", "task_completion_by_area"]
)
@pytest.mark.parametrize("f", [*FILTERS, Filters(2030, 2031)], ids=str)
@pytest.mark.parametrize("which", ["mini", "sample"])
def test_task_queries_match_reference(request, which, f, name):
    con, frames = request.getfixturevalue(f"{which}_con"), request.getfixturevalue(f"{which}_ref")
    assert_matches_reference(con, frames, name, f)


def test_task_summary_mini_by_hand(mini_con):
    row = run_query(mini_con, "task_summary", Filters(2013, 2020).params(), scope=EVERY_FIRM).iloc[0]
    # tests/fixtures/mini/tasks.csv: 12 tasks, 7 done, T7 and T10 in progress, T4 and T12 planned, T3 on hold.
    assert (row["tasks_total"], row["tasks_done"], row["tasks_in_progress"]) == (12, 7, 2)
    assert (row["tasks_planned"], row["tasks_on_hold"], row["firms"]) == (2, 1, 5)
    assert row["task_completion_pct"] == pytest.approx(700 / 12)


LIST_CASES = [
    {},
    {"search": "공정"},
    {"search": " 경민 "},
    {"task_statuses": ["done", "on_hold"], "domains": ["제조"]},
    {"areas": ["품질", "원가"], "task_statuses": ["done"]},
    {"search": "개선", "task_statuses": ["in_progress"]},
    {"limit": 3},
    {"limit": None},
]


@pytest.mark.parametrize("case", LIST_CASES, ids=str)
@pytest.mark.parametrize("f", FILTERS[:2], ids=str)
@pytest.mark.parametrize("which", ["mini", "sample"])
def test_task_list_matches_reference(request, which, f, case):
    con, frames = request.getfixturevalue(f"{which}_con"), request.getfixturevalue(f"{which}_ref")
    assert_matches_reference(con, frames, "task_list", f, **case)


def test_task_list_mini_search_over_title_and_firm(mini_con):
    params = Filters(2013, 2020).params() | PAGE_PARAMS | {"limit": 100}
    assert list(run_query(mini_con, "task_list", params | {"search": "공정"}, scope=EVERY_FIRM)["task_id"]) == [
        "T5",
        "T10",
    ]
    assert list(run_query(mini_con, "task_list", params | {"search": "경민"}, scope=EVERY_FIRM)["task_id"]) == [
        "T10",
        "T11",
    ]
    assert run_query(mini_con, "task_list", params | {"search": "%"}, scope=EVERY_FIRM).empty


def task_table(at) -> pd.DataFrame:
    return next(df.value for df in at.dataframe if "task_id" in df.value.columns)


def test_page_shows_cards_and_the_task_table(app, mini_ref):
    at = app(data_dir=MINI_DIR, page="pages/tasks.py")
    assert not at.exception
    assert metrics(at) == {
        "전체 과제": "12건",
        "완료": "7건",
        "진행 중": "2건",
        "계획": "2건",
        "보류": "1건",
        "과제 완료율": "58.3%",
    }
    table = task_table(at)
    expected = compute(mini_ref, "task_list", Filters(2013, 2020).params() | PAGE_PARAMS | {"limit": None})
    assert list(table["task_id"]) == list(expected["task_id"])
    assert set(table["status"]) == {"완료", "진행 중", "계획", "보류"}
    assert len(at.get("plotly_chart")) == 2


def test_search_and_selectors_narrow_the_table(app):
    at = app(data_dir=MINI_DIR, page="pages/tasks.py")
    at.text_input(key="tasks_search").input("경민").run()
    assert list(task_table(at)["task_id"]) == ["T10", "T11"]
    at.multiselect(key="tasks_status").select("done").run()
    assert list(task_table(at)["task_id"]) == ["T11"]
    at.text_input(key="tasks_search").input("").run()
    at.multiselect(key="tasks_domain").select("경영").run()
    assert list(task_table(at)["task_id"]) == ["T2", "T6", "T9"]
    at.multiselect(key="tasks_status").unselect("done").select("on_hold").run()
    assert not at.exception
    assert any("맞는 과제가 없습니다" in i.value for i in at.info)


def test_sidebar_filters_apply(app):
    at = app({"company": "A1", "to": "2016"}, data_dir=MINI_DIR, page="pages/tasks.py")
    assert metrics(at)["전체 과제"] == "3건"
    assert list(task_table(at)["task_id"]) == ["T1", "T2", "T8"]


def test_empty_selection_shows_a_message(app):
    at = app({"from": "2018", "to": "2018"}, page="pages/tasks.py")
    assert not at.exception
    assert any("조건에 맞는 참여 기업이 없습니다" in i.value for i in at.info)
    assert not at.metric and not at.dataframe


def test_participations_without_tasks_show_a_message(app, tmp_path):
    for name in ("companies", "participations", "outcomes"):
        shutil.copy(MINI_DIR / f"{name}.csv", tmp_path / f"{name}.csv")
    lines = (MINI_DIR / "tasks.csv").read_text(encoding="utf-8").splitlines()
    (tmp_path / "tasks.csv").write_text("\n".join(lines[:3]) + "\n", encoding="utf-8")
    at = app({"company": "A2"}, data_dir=tmp_path, page="pages/tasks.py")
    assert not at.exception
    assert any("등록된 개선과제가 없습니다" in i.value for i in at.info)


def test_page_runs_on_sample(app):
    at = app(page="pages/tasks.py")
    assert not at.exception
    assert metrics(at)["전체 과제"] == "468건"
    assert len(task_table(at)) == 468


def test_lagging_areas_table_equals_the_reference_lowest_rate_first(app, sample_ref):
    at = app({"from": "2016", "to": "2019"}, page="pages/tasks.py")
    assert not at.exception
    table = next(df.value for df in at.dataframe if "task_completion_pct" in df.value.columns)
    expected = compute(sample_ref, "task_completion_by_area", Filters(2016, 2019).params())
    assert table["area"].tolist() == expected["area"].tolist()
    assert table["tasks_done"].tolist() == expected["tasks_done"].tolist()
    assert table["tasks_total"].tolist() == expected["tasks_total"].tolist()
    assert table["task_completion_pct"].is_monotonic_increasing


def _url(at, key: str) -> list[str]:
    value = at.query_params.get(key, [])
    return [value] if isinstance(value, str) else list(value)


def test_task_area_and_status_choices_are_kept_in_the_url(app, sample_ref):
    at = app({"task_area": ["품질", "없는영역"], "task_status": "done"}, page="pages/tasks.py")
    assert not at.exception
    assert "'없는영역'" in " ".join(w.value for w in at.warning)
    assert at.multiselect(key="tasks_area").value == ["품질"]
    assert at.multiselect(key="tasks_status").value == ["done"]
    assert _url(at, "task_area") == ["품질"]
    listed = task_table(at)
    assert set(listed["area"]) == {"품질"} and set(listed["status"]) == {"완료"}
    at.multiselect(key="tasks_status").set_value(["done", "on_hold"]).run()
    assert _url(at, "task_status") == ["done", "on_hold"]
    at.multiselect(key="tasks_area").set_value([]).run()
    assert "task_area" not in at.query_params
