"""The 기업 page: its queries against the pandas reference on the mini fixture and the sample, and the
page run headless (leaderboard, search, profile for one chosen firm, empty selection)."""

from __future__ import annotations

import pandas as pd
import pytest

from dashboard.db import EVERY_FIRM, run_query
from dashboard.filters import Filters
from tests.helpers import FILTERS, PAGE_PARAMS, assert_matches_reference, metrics
from tests.reference import MINI_DIR


@pytest.mark.parametrize("f", FILTERS, ids=str)
@pytest.mark.parametrize("which", ["mini", "sample"])
def test_company_leaderboard_matches_reference(request, which, f):
    con, frames = request.getfixturevalue(f"{which}_con"), request.getfixturevalue(f"{which}_ref")
    assert_matches_reference(con, frames, "company_leaderboard", f)


@pytest.mark.parametrize("search", ["테크", " 산업 ", "정밀", "없는이름"])
def test_company_leaderboard_search_matches_reference_on_sample(sample_con, sample_ref, search):
    assert_matches_reference(sample_con, sample_ref, "company_leaderboard", Filters(2013, 2020), search=search)


def test_company_leaderboard_limit_keeps_the_count_of_all_matches(sample_con, sample_ref):
    rows = assert_matches_reference(sample_con, sample_ref, "company_leaderboard", Filters(2013, 2020), limit=10)
    assert len(rows) == 10
    assert rows["matching_firms"].iloc[0] == 161
    every = assert_matches_reference(sample_con, sample_ref, "company_leaderboard", Filters(2013, 2020), limit=None)
    assert len(every) == 161


def test_company_leaderboard_mini_by_hand(mini_con):
    rows = run_query(
        mini_con, "company_leaderboard", Filters(2013, 2020).params() | PAGE_PARAMS | {"limit": 100}, scope=EVERY_FIRM
    )
    # Measured outcome first: A4 1억원, then A1 and A2 with 9,000만원 each (A1 has more support, 5,000 vs
    # 4,500만원), then the unmeasured A3 and A5 (2,000만원 support each) by id.
    assert list(rows["company_id"]) == ["A4", "A1", "A2", "A3", "A5"]
    a1 = rows.set_index("company_id").loc["A1"]
    assert a1["cohort_years"] == "2013, 2016, 2020"
    assert (a1["support_man"], a1["outcome_man"]) == (5000, 9000)
    # Outcome over the support of the measured cohorts 2013 and 2016 only: 9,000 / 4,000.
    assert a1["outcome_multiple_x"] == pytest.approx(2.25)
    assert (a1["tasks_done"], a1["tasks_total"]) == (3, 4)
    # 노동생산성 +50%, 불량률 +25% (2013), 작업시간 +25% (2016); 2020 리드타임 not measured.
    assert a1["mean_improvement_pct"] == pytest.approx(100 / 3)
    a3 = rows.set_index("company_id").loc["A3"]
    assert pd.isna(a3["outcome_man"]) and pd.isna(a3["mean_improvement_pct"])
    # A3 dropped out: its support was spent, so its multiple is settled at 0; A5 (in progress) has none.
    assert a3["outcome_multiple_x"] == 0
    assert pd.isna(rows.set_index("company_id").loc["A5", "outcome_multiple_x"])


@pytest.mark.parametrize(("search", "expected"), [("가나", ["A1"]), (" 경민 ", ["A5"]), ("%", []), ("_", [])])
def test_company_leaderboard_search_is_literal(mini_con, search, expected):
    params = Filters(2013, 2020).params() | PAGE_PARAMS | {"search": search, "limit": 100}
    assert list(run_query(mini_con, "company_leaderboard", params, scope=EVERY_FIRM)["company_id"]) == expected


@pytest.mark.parametrize("f", FILTERS, ids=str)
@pytest.mark.parametrize("which", ["mini", "sample"])
def test_company_support_outcome_matches_reference(request, which, f):
    con, frames = request.getfixturevalue(f"{which}_con"), request.getfixturevalue(f"{which}_ref")
    assert_matches_reference(con, frames, "company_support_outcome", f)


def test_company_support_outcome_leaves_out_unsettled_firms_and_limits(mini_con, sample_con, sample_ref):
    rows = run_query(
        mini_con, "company_support_outcome", Filters(2013, 2020).params() | {"limit": 100}, scope=EVERY_FIRM
    )
    # A3 dropped out (outcome 0 on 2,000만원); A5 is only in progress and has no point.
    assert list(rows["company_id"]) == ["A4", "A1", "A2", "A3"]
    assert tuple(rows.iloc[-1][["support_man", "outcome_man"]]) == (2000, 0)
    limited = assert_matches_reference(sample_con, sample_ref, "company_support_outcome", Filters(2013, 2020), limit=5)
    assert len(limited) == 5


@pytest.mark.parametrize("f", [*FILTERS, Filters(2013, 2020, company_ids=("A1", "C136"))], ids=str)
@pytest.mark.parametrize("which", ["mini", "sample"])
def test_company_cohorts_matches_reference(request, which, f):
    con, frames = request.getfixturevalue(f"{which}_con"), request.getfixturevalue(f"{which}_ref")
    assert_matches_reference(con, frames, "company_cohorts", f)


def leaderboard(at) -> pd.DataFrame:
    return next(d.value for d in at.dataframe if "cohort_years" in d.value.columns)


def test_page_lists_firms_and_hints_at_the_profile(app):
    at = app(data_dir=MINI_DIR, page="pages/companies.py")
    assert not at.exception
    assert list(leaderboard(at)["company_name"]) == ["사아금속", "가나정밀", "다라전기", "마바테크", "경민테크"]
    assert any("프로필" in i.value for i in at.info)
    assert not any("프로필" in s.value for s in at.main.subheader)
    assert not at.metric


def test_search_narrows_the_leaderboard(app):
    at = app(data_dir=MINI_DIR, page="pages/companies.py")
    at.text_input(key="companies_search").input("가나").run()
    assert not at.exception
    assert list(leaderboard(at)["company_name"]) == ["가나정밀"]
    assert any(c.value.startswith("1개사") for c in at.caption)
    at.text_input(key="companies_search").input("없는회사").run()
    assert any("없는회사" in i.value for i in at.info)
    assert not [d for d in at.dataframe if "cohort_years" in d.value.columns]


def test_profile_of_one_chosen_firm(app):
    at = app({"company": "A1"}, data_dir=MINI_DIR, page="pages/companies.py")
    assert not at.exception
    assert [s.value for s in at.main.subheader] == ["가나정밀 프로필"]
    assert metrics(at) == {
        "참여 횟수": "3회",
        "지원금": "5,000만원",
        "재무성과": "9,000만원",
        "성과배수": "2.25배",
        "과제 완료": "3/4건",
        "평균 개선율": "33.3%",
    }
    # The two peer tables (tests/test_peers.py) come first.
    _, _, cohorts, tasks, indicators = (d.value for d in at.dataframe)
    assert list(cohorts["year"]) == [2013, 2016, 2020]
    assert list(cohorts["status"]) == ["완료", "완료", "진행 중"]
    assert pd.isna(cohorts["outcome_man"].iloc[2])
    assert sorted(tasks["title"]) == ["=실적 집계 전산화", "가공 라인 셀 생산", "자재 원가절감", "작업환경 개선"]
    assert list(indicators["indicator"]) == ["노동생산성", "불량률", "작업시간", "리드타임"]
    assert list(indicators["unit"]) == ["개/인·시", "%", "분", "일"]
    assert list(indicators["improvement_pct"].iloc[:3]) == pytest.approx([50.0, 25.0, 25.0])
    assert pd.isna(indicators["result"].iloc[3])


def test_back_to_all_firms_clears_the_company_filter(app):
    at = app({"company": "A1"}, data_dir=MINI_DIR, page="pages/companies.py")
    next(b for b in at.button if b.label == "전체 기업 보기").click().run()
    assert not at.exception
    assert at.multiselect(key="f_company").value == []
    assert "company" not in at.query_params
    assert len(leaderboard(at)) == 5


def test_profile_of_kyungmin_tech_on_sample_shows_unmeasured_outcome(app):
    at = app({"company": "C161"}, page="pages/companies.py")
    assert not at.exception
    assert [s.value for s in at.main.subheader] == ["경민테크 프로필"]
    assert metrics(at)["재무성과"] == "–"
    assert metrics(at)["성과배수"] == "–"
    cohorts = next(t.value for t in at.dataframe if "year" in t.value.columns)
    assert list(cohorts["year"]) == [2020]


def test_two_chosen_firms_show_the_leaderboard_not_a_profile(app):
    at = app({"company": ["A1", "A2"]}, data_dir=MINI_DIR, page="pages/companies.py")
    assert not at.exception
    assert list(leaderboard(at)["company_name"]) == ["가나정밀", "다라전기"]
    assert not at.metric


def test_empty_selection_shows_a_message(app):
    at = app({"company": "A3", "from": "2016"}, data_dir=MINI_DIR, page="pages/companies.py")
    assert not at.exception
    assert any("조건에 맞는 참여 기업이 없습니다" in i.value for i in at.info)
    assert not at.dataframe


def test_page_runs_on_sample(app):
    at = app(page="pages/companies.py")
    assert not at.exception
    assert len(leaderboard(at)) == 161
