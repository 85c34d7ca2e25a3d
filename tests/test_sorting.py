"""Tables whose order carries meaning (issue 12): the order chosen in the page's 정렬 control is sorted in
SQL as the pandas reference sorts it, lives in the URL (a stale value warns and is dropped), and the
checked rows of the 기업 leaderboard and of 완료율이 낮은 영역 choose the firms and the task areas."""

from __future__ import annotations

import json
import re

import pytest
from streamlit.proto.WidgetStates_pb2 import WidgetState

from dashboard.db import sql_text
from dashboard.filters import Filters
from dashboard.tables import LEADERBOARD_SORT, SORTINGS, TASK_SORT, Sorting
from tests.helpers import PAGE_PARAMS, assert_matches_reference
from tests.reference import compute

QUERY = {"firm": "company_leaderboard", "task": "task_list", "indicator": "outcome_rows"}
# The page of each sortable table, the index of the table among the page's tables and the columns
# that name a row.
PAGE = {
    "firm": ("pages/companies.py", 0, ["company_name"]),
    "task": ("pages/tasks.py", 1, ["task_id"]),
    "indicator": ("pages/outcomes.py", 0, ["year", "company_name", "indicator"]),
}


def _cases():
    for sorting in SORTINGS:
        for key in sorting.columns:
            for descending in (False, True):
                yield pytest.param(sorting, key, descending, id=f"{sorting.url}-{key}-{descending}")


@pytest.mark.parametrize("sorting", SORTINGS, ids=lambda s: s.url)
def test_the_query_sorts_by_exactly_the_declared_keys(sorting: Sorting):
    sql = sql_text(QUERY[sorting.url])
    named = set(re.findall(r"WHEN '(\w+)'", sql)) | set(re.findall(r"\$sort = '(\w+)'", sql))
    assert named == set(sorting.columns)


@pytest.mark.parametrize(("sorting", "key", "descending"), list(_cases()))
def test_each_order_matches_the_reference_on_the_sample(sample_con, sample_ref, sorting, key, descending):
    f = Filters(2014, 2020, tiers=(2, 3))
    rows = assert_matches_reference(
        sample_con, sample_ref, QUERY[sorting.url], f, sort=key, descending=descending, limit=40
    )
    assert len(rows) == 40
    # The first rows are the order's, not the default's cut: the sort comes before the limit.
    column = sorting.columns[key][0]
    values = rows[column].dropna().tolist()
    assert values == sorted(values, reverse=descending)


def test_the_default_choice_is_the_default_order(sample_con, sample_ref):
    for sorting in SORTINGS:
        first = next(iter(sorting.columns))
        chosen = compute(
            sample_ref,
            QUERY[sorting.url],
            Filters(2013, 2020).params() | PAGE_PARAMS | _order(first, sorting.descending),
        )
        default = compute(sample_ref, QUERY[sorting.url], Filters(2013, 2020).params() | PAGE_PARAMS)
        assert chosen.equals(default), sorting.url


def _order(key: str, descending: bool) -> dict:
    return {"sort": key, "descending": descending}


def _table(at, sorting: Sorting):
    _, index, _ = PAGE[sorting.url]
    return at.dataframe[index].value


def _expected(sample_ref, sorting: Sorting, key: str, descending: bool, limit: int):
    params = Filters(2013, 2020).params() | PAGE_PARAMS | _order(key, descending) | {"limit": limit}
    return compute(sample_ref, QUERY[sorting.url], params)


def _ids(frame, sorting: Sorting) -> list[tuple]:
    _, _, columns = PAGE[sorting.url]
    return list(frame[columns].itertuples(index=False, name=None))


@pytest.mark.parametrize("sorting", SORTINGS, ids=lambda s: s.url)
def test_each_sort_choice_lists_the_table_in_the_reference_order(app, sample_ref, sorting: Sorting):
    page, _, _ = PAGE[sorting.url]
    at = app(page=page)
    column_key, order_key = sorting.keys
    default_order = "desc" if sorting.descending else "asc"
    assert (at.selectbox(key=column_key).value, at.segmented_control(key=order_key).value) == (
        next(iter(sorting.columns)),
        default_order,
    )
    order = default_order
    for key in sorting.columns:
        # Each column once in each direction: the column first, then the other direction.
        at.selectbox(key=column_key).set_value(key).run()
        _assert_listed(at, sample_ref, sorting, key, order)
        order = "asc" if order == "desc" else "desc"
        at.segmented_control(key=order_key).set_value(order).run()
        _assert_listed(at, sample_ref, sorting, key, order)


def _assert_listed(at, sample_ref, sorting: Sorting, key: str, order: str) -> None:
    """The page's table in the reference's order for `key` and `order`, and both in the URL unless default."""
    assert not at.exception
    shown = _table(at, sorting)
    expected = _expected(sample_ref, sorting, key, order == "desc", len(shown))
    assert _ids(shown, sorting) == _ids(expected, sorting), (key, order)
    column_key, order_key = sorting.keys
    url = {k: at.query_params.get(k) for k in sorting.keys if k in at.query_params}
    assert url == {
        **({column_key: key} if key != next(iter(sorting.columns)) else {}),
        **({order_key: order} if order != ("desc" if sorting.descending else "asc") else {}),
    }


def test_a_link_with_an_order_shows_it_and_a_stale_one_warns(app, sample_ref):
    at = app({"firm_sort": "support", "firm_order": "asc"}, page="pages/companies.py")
    assert (at.selectbox(key="firm_sort").value, at.segmented_control(key="firm_order").value) == ("support", "asc")
    shown = _table(at, LEADERBOARD_SORT)
    assert _ids(shown, LEADERBOARD_SORT) == _ids(
        _expected(sample_ref, LEADERBOARD_SORT, "support", False, 500), LEADERBOARD_SORT
    )
    assert (at.query_params["firm_sort"], at.query_params["firm_order"]) == ("support", "asc")

    at = app({"task_sort": "없는열", "task_order": "sideways", "firm_sort": "name"}, page="pages/tasks.py")
    warnings = " ".join(w.value for w in at.warning)
    assert "'task_sort'" in warnings and "없는열" in warnings
    assert "'task_order'" in warnings and "sideways" in warnings
    assert "firm_sort" not in warnings, "another page's order is read by that page only"
    assert "task_sort" not in at.query_params and "task_order" not in at.query_params
    assert at.query_params["firm_sort"] == "name"
    assert at.selectbox(key="task_sort").value == "year"


def select_rows(at, key: str, rows: list[int]):
    """What the browser sends when these rows of the table under widget key `key…` are checked."""
    (table,) = [d for d in at.dataframe if d.proto.id.split("-", 2)[-1].startswith(key)]
    states = at._tree.get_widget_states()
    selection = {"selection": {"rows": rows, "columns": [], "cells": []}}
    states.widgets.append(WidgetState(id=table.proto.id, string_value=json.dumps(selection)))
    return at._run(states)


def _selected_default(at, key: str) -> list[int]:
    (table,) = [d for d in at.dataframe if d.proto.id.split("-", 2)[-1].startswith(key)]
    return json.loads(table.proto.selection_default)["selection"]["rows"]


def _url(at, key: str) -> list[str]:
    value = at.query_params.get(key, [])
    return [value] if isinstance(value, str) else list(value)


def _company(at) -> list[str]:
    return _url(at, "company")


def test_checked_leaderboard_rows_choose_the_firms(app, sample_ref):
    at = app({"firm_sort": "name", "firm_order": "asc"}, page="pages/companies.py")
    # The table sends only what it shows (names); the ids are the reference's for the same order.
    board = _expected(sample_ref, LEADERBOARD_SORT, "name", False, 500)
    assert _ids(_table(at, LEADERBOARD_SORT), LEADERBOARD_SORT) == _ids(board, LEADERBOARD_SORT)
    first, third = board["company_id"].iloc[0], board["company_id"].iloc[2]
    select_rows(at, "leaderboard_", [0, 2])
    assert not at.exception
    assert _company(at) == [first, third]
    assert at.multiselect(key="f_company").value == [first, third]
    assert [b.key for b in at.button if b.key and b.key.startswith("chip_company_")] == [
        f"chip_company_{first}",
        f"chip_company_{third}",
    ]
    name = dict(zip(board["company_id"], board["company_name"], strict=True))
    assert list(_table(at, LEADERBOARD_SORT)["company_name"]) == [name[first], name[third]]
    assert _selected_default(at, "leaderboard_") == [0, 1], "the chosen firms show checked"
    assert at.query_params["firm_sort"] == "name", "the order stays"
    # Unchecking one leaves the other: its profile.
    select_rows(at, "leaderboard_", [1])
    assert _company(at) == [third]
    assert any(h.value.endswith("프로필") for h in at.main.subheader)


def test_a_firm_hidden_by_the_search_stays_chosen(app, sample_ref):
    at = app(page="pages/companies.py")
    board = _expected(sample_ref, LEADERBOARD_SORT, "outcome", True, 500)
    assert _ids(_table(at, LEADERBOARD_SORT), LEADERBOARD_SORT) == _ids(board, LEADERBOARD_SORT)
    a, b = board["company_id"].iloc[0], board["company_id"].iloc[1]
    select_rows(at, "leaderboard_", [0, 1])
    name_of_b = board.set_index("company_id").loc[b, "company_name"]
    at.text_input(key="companies_search").set_value(name_of_b).run()
    assert list(_table(at, LEADERBOARD_SORT)["company_name"]) == [name_of_b]
    select_rows(at, "leaderboard_", [])
    assert _company(at) == [a]


def test_checked_low_completion_rows_choose_the_task_areas(app, sample_ref):
    at = app(page="pages/tasks.py")
    by_area = at.dataframe[0].value
    select_rows(at, "by_area_completion_", [0, 1])
    assert not at.exception
    areas = list(dict.fromkeys(by_area["area"].iloc[:2]))
    assert _url(at, "task_area") == areas
    assert at.multiselect(key="tasks_area").value == areas
    listed = _table(at, TASK_SORT)
    assert set(listed["area"]) == set(areas)
    expected = compute(
        sample_ref, "task_list", Filters(2013, 2020).params() | PAGE_PARAMS | {"areas": areas, "limit": None}
    )
    assert len(listed) == len(expected)
    # Every row of a chosen area shows checked: an area name can be in two domains (디지털 in 기술 and 경영).
    checked = [i for i, a in enumerate(by_area["area"]) if a in areas]
    assert _selected_default(at, "by_area_completion_") == checked
    twice = next(a for a in areas if (by_area["area"] == a).sum() == 2)
    one_of_its_rows = next(i for i in checked if by_area["area"].iloc[i] == twice)
    # Unchecking either row of it drops the area; the other area stays.
    select_rows(at, "by_area_completion_", [i for i in checked if i != one_of_its_rows])
    assert _url(at, "task_area") == [a for a in areas if a != twice]
    select_rows(at, "by_area_completion_", [])
    assert "task_area" not in at.query_params
    every = compute(sample_ref, "task_list", Filters(2013, 2020).params() | PAGE_PARAMS | {"limit": None})
    assert len(_table(at, TASK_SORT)) == min(1000, len(every))
