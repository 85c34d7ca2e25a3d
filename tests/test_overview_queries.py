"""The Overview's chart queries against the pandas reference, on the mini fixture and the sample, and
worked by hand on the mini fixture."""

from __future__ import annotations

import pytest

from dashboard.db import EVERY_FIRM, run_query
from dashboard.filters import Filters
from tests.helpers import FILTERS, assert_matches_reference

OVERVIEW_FILTERS = [*FILTERS, Filters(2014, 2019, tiers=(2, 3)), Filters(2013, 2020, regions=("충남",))]


@pytest.mark.parametrize(
    "name", ["kpi_by_year", "kpi_by_phase", "top_companies_by_outcome", "outcome_by_industry", "outcome_by_region"]
)
@pytest.mark.parametrize("f", [*OVERVIEW_FILTERS, Filters(2030, 2031)], ids=str)
@pytest.mark.parametrize("which", ["mini", "sample"])
def test_overview_queries_match_reference(request, which, f, name):
    con, frames = request.getfixturevalue(f"{which}_con"), request.getfixturevalue(f"{which}_ref")
    assert_matches_reference(con, frames, name, f, limit=10)


def test_top_companies_mini_exact(mini_con):
    rows = run_query(
        mini_con, "top_companies_by_outcome", Filters(2013, 2020).params() | {"limit": 2}, scope=EVERY_FIRM
    )
    # A4: 1.0억원 on 0.4억원; A1: 0.5 + 0.4 = 0.9억원 on 0.2 + 0.2 = 0.4억원 (2020 not measured).
    assert rows[["company_id", "company_name"]].values.tolist() == [["A4", "사아금속"], ["A1", "가나정밀"]]
    assert list(rows["outcome_multiple_x"]) == pytest.approx([2.5, 2.25])


def test_outcome_by_segment_largest_outcome_first(sample_con):
    for name in ("outcome_by_industry", "outcome_by_region"):
        rows = run_query(sample_con, name, Filters(2013, 2020).params(), scope=EVERY_FIRM)
        assert list(rows["outcome_eok"]) == sorted(rows["outcome_eok"], reverse=True)


def test_filter_options_mini_exact(mini_con):
    rows = run_query(mini_con, "filter_options", {"listed_firms": 1000}, scope=EVERY_FIRM)
    got = {f: list(g["value"]) for f, g in rows.groupby("field")}
    assert got == {
        "company": ["A1", "A5", "A2", "A3", "A4"],
        "firms": ["5"],
        "industry": ["금속·주조", "기계가공", "발전설비 부품", "전기·계장"],
        "phase": ["1단계", "2단계"],
        "region": ["경기", "서울", "전북", "충남"],
        "tier": ["1", "2", "3"],
        "year": ["2013", "2014", "2016", "2019", "2020"],
        # Each phase with its cohort years (label), and the cohorts with a measured outcome: the presets.
        "phase_year": ["1단계", "1단계", "1단계", "2단계", "2단계"],
        "measured_year": ["2013", "2016", "2019"],
    }
    labels = dict(zip(rows["value"], rows["label"], strict=True))
    assert labels["A5"] == "경민테크" and labels["2"] == "2차"
