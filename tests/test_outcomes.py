"""The 성과 page: its queries against the pandas reference on the mini fixture and the sample, and the page run headless
(cards, indicator table and its selector, nothing measured yet, empty selection)."""

from __future__ import annotations

import pandas as pd
import pytest

from dashboard.db import EVERY_FIRM, run_query
from dashboard.filters import Filters
from tests.helpers import FILTERS, assert_matches_reference, metrics
from tests.reference import MINI_DIR, Rerun


@pytest.mark.parametrize(
    "name",
    [
        "outcome_summary",
        "indicator_before_after",
        "improvement_distribution",
        "improvement_by_industry",
        "improvement_by_area",
    ],
)
@pytest.mark.parametrize("f", [*FILTERS, Filters(2030, 2031)], ids=str)
@pytest.mark.parametrize("which", ["mini", "sample"])
def test_outcome_queries_match_reference(request, which, f, name):
    con, frames = request.getfixturevalue(f"{which}_con"), request.getfixturevalue(f"{which}_ref")
    assert_matches_reference(con, frames, name, f)


def test_indicator_before_after_mini_by_hand(mini_con):
    rows = run_query(
        mini_con, "indicator_before_after", Filters(2013, 2020).params() | {"limit": None}, scope=EVERY_FIRM
    ).set_index("indicator")
    # 불량률: A1 2013 4 -> 3 measured; A3 2014 and A5 2020 not yet, so the means cover A1 only.
    assert (rows.loc["불량률", "indicator_rows"], rows.loc["불량률", "measured_rows"]) == (3, 1)
    assert (rows.loc["불량률", "mean_baseline"], rows.loc["불량률", "mean_result"]) == (4, 3)
    # 노동생산성: 100 -> 150, 50 -> 60, 40 -> 52: means 63.3 -> 87.3, row improvements 50, 20, 30.
    assert rows.loc["노동생산성", "mean_baseline"] == pytest.approx(190 / 3)
    assert rows.loc["노동생산성", "mean_result"] == pytest.approx(262 / 3)
    assert rows.loc["노동생산성", "mean_improvement_pct"] == pytest.approx(100 / 3)


def test_improvement_distribution_mini_fills_empty_bands(mini_con):
    rows = run_query(mini_con, "improvement_distribution", Filters(2013, 2020).params(), scope=EVERY_FIRM)
    # Improvements 50, 25, 50, 20, 25, 25, 20, 30: nothing in 40-50 but the band is listed.
    assert rows.values.tolist() == [[20, 30, 5], [30, 40, 1], [40, 50, 0], [50, 60, 2]]


def test_improvement_by_area_mini_counts_a_participation_in_each_of_its_areas(mini_con):
    rows = run_query(mini_con, "improvement_by_area", Filters(2013, 2020).params(), scope=EVERY_FIRM).set_index("area")
    # 품질: A2 2013 (리드타임 +50%) and A4 2016 (노동생산성 +20%, 제조원가 +25%); A4 2016 also counts in
    # 생산성 and 디지털.
    assert (rows.loc["품질", "participations"], rows.loc["품질", "measured_rows"]) == (2, 3)
    assert rows.loc["품질", "mean_improvement_pct"] == pytest.approx(95 / 3)
    assert rows.loc["디지털", "mean_improvement_pct"] == pytest.approx(22.5)


@pytest.mark.parametrize(
    "case",
    [{}, {"indicators": ["불량률", "리드타임"]}, {"limit": 4}, {"indicators": ["없는지표"]}, {"limit": None}],
    ids=str,
)
@pytest.mark.parametrize("f", FILTERS[:2], ids=str)
@pytest.mark.parametrize("which", ["mini", "sample"])
def test_outcome_rows_matches_reference(request, which, f, case):
    con, frames = request.getfixturevalue(f"{which}_con"), request.getfixturevalue(f"{which}_ref")
    assert_matches_reference(con, frames, "outcome_rows", f, **case)


def indicator_table(at) -> pd.DataFrame:
    return at.dataframe[0].value


def test_page_shows_cards_charts_and_indicator_rows(app):
    at = app(data_dir=MINI_DIR, page="pages/outcomes.py")
    assert not at.exception
    assert metrics(at) == {
        "측정된 지표": "8건",
        "측정 전 지표": "3건",
        "평균 개선율": "30.6%",
        "개선된 지표 비율": "100.0%",
        "측정 기업": "4개사",
    }
    assert [c.key for c in at.get("plotly_chart")] == ["before_after", "distribution", "by_industry"]
    at.segmented_control(key="outcomes_tab").set_value("과제 분야별").run()
    assert [c.key for c in at.get("plotly_chart")] == ["before_after", "distribution", "by_area"]
    assert at.query_params["outcomes_tab"] == "과제 분야별"
    table = indicator_table(at)
    assert len(table) == 11
    unmeasured = table[table["result"].isna()]
    assert list(zip(unmeasured["company_name"], unmeasured["indicator"], strict=True)) == [
        ("마바테크", "불량률"),
        ("가나정밀", "리드타임"),
        ("경민테크", "불량률"),
    ]
    assert unmeasured["improvement_pct"].isna().all()


def test_indicator_selector_narrows_the_table(app):
    at = app(data_dir=MINI_DIR, page="pages/outcomes.py")
    at.multiselect(key="outcomes_indicator").select("불량률").run()
    assert not at.exception
    table = indicator_table(at)
    assert list(table["company_name"]) == ["가나정밀", "마바테크", "경민테크"]
    assert set(table["direction"]) == {"낮을수록 좋음"}


def test_nothing_measured_yet_still_renders(app):
    at = app({"company": "A3"}, data_dir=MINI_DIR, page="pages/outcomes.py")
    assert not at.exception
    assert metrics(at)["측정된 지표"] == "0건"
    assert metrics(at)["평균 개선율"] == "–"
    assert any("측정된 지표가 없어" in i.value for i in at.info)
    assert len(at.get("plotly_chart")) == 1
    assert len(indicator_table(at)) == 1


def test_empty_selection_shows_a_message(app):
    at = app({"from": "2018", "to": "2018"}, page="pages/outcomes.py")
    assert not at.exception
    assert any("조건에 맞는 참여 기업이 없습니다" in i.value for i in at.info)
    assert not at.metric and not at.dataframe


def test_page_runs_on_sample_with_filters(app, sample_ref):
    f = Filters(2014, 2019, industries=("기계가공", "금속·주조"))
    at = app({"from": "2014", "to": "2019", "industry": ["기계가공", "금속·주조"]}, page="pages/outcomes.py")
    assert not at.exception
    measured = Rerun(sample_ref, f, {}).outcomes["improvement_pct"].dropna()
    assert metrics(at)["측정된 지표"] == f"{len(measured)}건"
    assert metrics(at)["평균 개선율"] == f"{measured.mean():.1f}%"


def test_indicator_panels_are_limited_in_the_query_and_count_the_rest(sample_con):
    params = Filters(2013, 2020).params()
    every = run_query(sample_con, "indicator_before_after", params | {"limit": None}, scope=EVERY_FIRM)
    two = run_query(sample_con, "indicator_before_after", params | {"limit": 2}, scope=EVERY_FIRM)
    assert len(every) > 2 and len(two) == 2
    assert set(two["matching_indicators"]) == set(every["matching_indicators"]) == {len(every)}
    pd.testing.assert_frame_equal(two, every.head(2))
