"""What several test modules share: the filter combinations the query tests run, the comparison of a
query's result with the pandas reference, and reading the cards of a headless page."""

from __future__ import annotations

import pandas as pd
from streamlit.testing.v1 import AppTest

from dashboard.db import run_query
from dashboard.filters import Filters
from tests import reference

FILTERS = [
    Filters(2013, 2020),
    Filters(2014, 2019, industries=("기계가공", "금속·주조")),
    Filters(2013, 2020, phases=("1단계",), tiers=(2, 3)),
]
# What a page passes besides the filters, at its widest: no search, every status, no limit.
PAGE_PARAMS = {"search": "", "limit": 1000, "indicators": None, "task_statuses": None, "domains": None}


def assert_rows(actual: pd.DataFrame, expected: pd.DataFrame) -> None:
    """Same columns, same rows in the same order; numbers equal or both missing, text equal."""
    problems = reference.differences(actual, expected)
    assert not problems, problems


def assert_matches_reference(con, frames: reference.Frames, name: str, f: Filters, **params) -> pd.DataFrame:
    """`queries/<name>.sql` under `f` and `params` (defaults: PAGE_PARAMS) equals the reference; returns it."""
    bound = f.params() | PAGE_PARAMS | params
    rows = run_query(con, name, bound)
    assert_rows(rows, reference.compute(frames, name, bound))
    return rows


def metrics(at: AppTest) -> dict[str, str]:
    """Card label -> value shown."""
    return {m.label: m.value for m in at.metric}
