"""The Overview's chart queries against the pandas reference, on the mini fixture and the sample."""

from __future__ import annotations

import pandas as pd
import pytest

from dashboard.db import run_query
from dashboard.filters import Filters
from tests.reference import filtered_participations, kpis, same

FILTERS = [Filters(2013, 2020), Filters(2014, 2019, tiers=(2, 3)), Filters(2013, 2020, regions=("충남",))]


def measured_ratio(group: pd.DataFrame) -> float | None:
    measured = group[group["financial_outcome_krw"].notna()]
    support = measured["support_krw"].sum()
    return None if measured.empty or not support else measured["financial_outcome_krw"].sum() / support


@pytest.mark.parametrize("f", FILTERS, ids=str)
@pytest.mark.parametrize("which", ["mini", "sample"])
def test_kpi_by_phase(request, which, f):
    con, frames = request.getfixturevalue(f"{which}_con"), request.getfixturevalue(f"{which}_frames")
    rows = run_query(con, "kpi_by_phase", f.params()).set_index("phase")
    for phase in rows.index:
        expected = kpis(frames, Filters(f.year_from, f.year_to, (phase,), tiers=f.tiers, regions=f.regions))
        row = rows.loc[phase]
        assert row["firms"] == expected["firms"]
        assert row["support_eok"] == pytest.approx(expected["support_krw"] / 1e8)
        assert (
            pd.isna(row["outcome_eok"])
            if expected["outcome_krw"] is None
            else row["outcome_eok"] == pytest.approx(expected["outcome_krw"] / 1e8)
        )
        assert same(row["mean_improvement_pct"], expected["mean_improvement_pct"])
        assert same(row["task_completion_pct"], expected["task_completion_pct"])
    assert set(rows.index) == set(filtered_participations(frames, f)["phase"])


@pytest.mark.parametrize("f", FILTERS, ids=str)
def test_top_companies_by_outcome(sample_con, sample_frames, f):
    rows = run_query(sample_con, "top_companies_by_outcome", f.params() | {"limit": 10})
    p = filtered_participations(sample_frames, f)
    p = p[p["financial_outcome_krw"].notna()]
    expected = (
        p.groupby("company_id")
        .agg(outcome=("financial_outcome_krw", "sum"), support=("support_krw", "sum"))
        .reset_index()
        .sort_values(["outcome", "company_id"], ascending=[False, True])
        .head(10)
    )
    assert list(rows["company_id"]) == list(expected["company_id"])
    assert list(rows["outcome_eok"]) == pytest.approx(list(expected["outcome"] / 1e8))
    assert list(rows["outcome_multiple_x"]) == pytest.approx(list(expected["outcome"] / expected["support"]))


def test_top_companies_mini_exact(mini_con):
    rows = run_query(mini_con, "top_companies_by_outcome", Filters(2013, 2020).params() | {"limit": 2})
    # A4: 1.0억원 on 0.4억원; A1: 0.5 + 0.4 = 0.9억원 on 0.2 + 0.2 = 0.4억원 (2020 not measured).
    assert rows[["company_id", "company_name"]].values.tolist() == [["A4", "사아금속"], ["A1", "가나정밀"]]
    assert list(rows["outcome_multiple_x"]) == pytest.approx([2.5, 2.25])


@pytest.mark.parametrize(("name", "segment"), [("outcome_by_industry", "industry"), ("outcome_by_region", "region")])
@pytest.mark.parametrize("f", FILTERS, ids=str)
@pytest.mark.parametrize("which", ["mini", "sample"])
def test_outcome_by_segment(request, which, name, segment, f):
    con, frames = request.getfixturevalue(f"{which}_con"), request.getfixturevalue(f"{which}_frames")
    rows = run_query(con, name, f.params()).set_index(segment)
    p = filtered_participations(frames, f)
    assert set(rows.index) == set(p[segment])
    for value, group in p.groupby(segment):
        row = rows.loc[value]
        assert row["firms"] == group["company_id"].nunique()
        assert row["support_eok"] == pytest.approx(group["support_krw"].sum() / 1e8)
        assert row["outcome_eok"] == pytest.approx(group["financial_outcome_krw"].sum() / 1e8)
        ratio = measured_ratio(group)
        assert same(row["outcome_multiple_x"], ratio)
    assert list(rows["outcome_eok"]) == sorted(rows["outcome_eok"], reverse=True)


def test_filter_options_mini_exact(mini_con):
    rows = run_query(mini_con, "filter_options")
    got = {f: list(g["value"]) for f, g in rows.groupby("field")}
    assert got == {
        "company": ["A1", "A5", "A2", "A3", "A4"],
        "industry": ["금속·주조", "기계가공", "발전설비 부품", "전기·계장"],
        "phase": ["1단계", "2단계"],
        "region": ["경기", "서울", "전북", "충남"],
        "tier": ["1", "2", "3"],
        "year": ["2013", "2014", "2016", "2019", "2020"],
    }
    labels = dict(zip(rows["value"], rows["label"], strict=True))
    assert labels["A5"] == "경민테크" and labels["2"] == "2차"
