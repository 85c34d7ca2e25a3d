"""What several test modules share: the filter combinations the query tests run, the comparison of a
query's result with the pandas reference, and reading the cards of a headless page."""

from __future__ import annotations

import re

import pandas as pd
from streamlit.testing.v1 import AppTest

from dashboard.db import EVERY_FIRM, Scope, run_query
from dashboard.filters import Filters
from tests import reference
from tests.reference import kpis

FILTERS = [
    Filters(2013, 2020),
    Filters(2014, 2019, industries=("기계가공", "금속·주조")),
    Filters(2013, 2020, phases=("1단계",), tiers=(2, 3)),
]
# What a page passes besides the filters, at its widest: no search, every status, no limit.
PAGE_PARAMS = {"search": "", "limit": 1000, "indicators": None, "task_statuses": None, "domains": None, "areas": None}


def assert_rows(actual: pd.DataFrame, expected: pd.DataFrame) -> None:
    """Same columns, same rows in the same order; numbers equal or both missing, text equal."""
    problems = reference.differences(actual, expected)
    assert not problems, problems


def assert_matches_reference(
    con, frames: reference.Frames, name: str, f: Filters, scope: Scope = EVERY_FIRM, **params
) -> pd.DataFrame:
    """`queries/<name>.sql` under `f`, `scope` and `params` (defaults: PAGE_PARAMS) equals the reference
    over `frames`; returns it."""
    bound = f.params() | PAGE_PARAMS | params
    rows = run_query(con, name, bound, scope=scope)
    assert_rows(rows, reference.compute(frames, name, bound))
    return rows


def metrics(at: AppTest) -> dict[str, str]:
    """Card label -> value shown."""
    return {m.label: m.value for m in at.metric}


def expected_cards(frames, f: Filters) -> dict[str, str]:
    k = kpis(frames, f)

    def eok(krw):
        return "–" if pd.isna(krw) else f"{krw / 1e8:,.1f}억원"

    def pct(x):
        return "–" if pd.isna(x) else f"{x:.1f}%"

    return {
        "지원 기업": f"{k['firms']}개사",
        "지원금": eok(k["support_krw"]),
        "재무성과": eok(k["outcome_krw"]),
        "성과배수": "–" if pd.isna(k["outcome_multiple_x"]) else f"{k['outcome_multiple_x']:.2f}배",
        "성과공유 계약": f"{k['sharing_contracts']}건",
        "과제 완료율": pct(k["task_completion_pct"]),
        "평균 개선율": pct(k["mean_improvement_pct"]),
    }


def shown(markdown: str) -> str:
    """The text a Markdown element shows: its backslash escapes and word joiners (`safe.md`) removed."""
    return re.sub(r"\\(.)", r"\1", markdown).replace("\u2060", "")
