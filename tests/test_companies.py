"""The 기업 page: its queries against pandas on the mini fixture and the sample, and the page run headless
(leaderboard, search, profile for one chosen firm, empty selection).

`participation_facts` and `assert_rows` are the pandas side shared with test_tasks and test_outcomes."""

from __future__ import annotations

import pandas as pd
import pytest

from dashboard.db import run_query
from dashboard.filters import Filters
from tests.reference import MINI_DIR, filtered_participations, improvement_pct, metrics, same

FILTERS = [
    Filters(2013, 2020),
    Filters(2014, 2019, industries=("기계가공", "금속·주조")),
    Filters(2013, 2020, phases=("1단계",), tiers=(2, 3)),
]
KEYS = ["company_id", "year"]
LEADERBOARD_COLUMNS = [
    "company_id",
    "company_name",
    "tier",
    "industry",
    "region",
    "employees",
    "cohorts",
    "cohort_years",
    "support_man",
    "outcome_man",
    "outcome_multiple_x",
    "tasks_done",
    "tasks_total",
    "task_completion_pct",
    "mean_improvement_pct",
    "matching_firms",
]


def participation_facts(frames: dict[str, pd.DataFrame], f: Filters) -> pd.DataFrame:
    """Filtered participations with their task counts and the sum and count of measured improvements."""
    p = filtered_participations(frames, f)
    tasks = frames["tasks"]
    task_counts = (
        tasks.assign(done=tasks["status"] == "done")
        .groupby(KEYS)
        .agg(tasks_total=("task_id", "size"), tasks_done=("done", "sum"))
        .reset_index()
    )
    outcomes = frames["outcomes"].assign(improvement_pct=improvement_pct(frames["outcomes"]))
    improvements = (
        outcomes.groupby(KEYS)
        .agg(measured_indicators=("improvement_pct", "count"), improvement_pct_sum=("improvement_pct", "sum"))
        .reset_index()
    )
    p = p.merge(task_counts, on=KEYS, how="left").merge(improvements, on=KEYS, how="left")
    for column in ("tasks_total", "tasks_done", "measured_indicators"):
        p[column] = p[column].fillna(0).astype(int)
    return p


def ratio(numerator, denominator):
    return None if not denominator else numerator / denominator


def assert_rows(actual: pd.DataFrame, expected: pd.DataFrame) -> None:
    """Same columns, same rows in the same order; numbers equal or both missing, text equal."""
    assert list(actual.columns) == list(expected.columns)
    assert len(actual) == len(expected), (len(actual), len(expected))
    for i, (a, e) in enumerate(zip(actual.to_dict("records"), expected.to_dict("records"), strict=True)):
        for column, wanted in e.items():
            got = a[column]
            if isinstance(wanted, str) or isinstance(got, str):
                assert got == wanted, (i, column, got, wanted)
            else:
                assert same(got, wanted), (i, column, got, wanted)


def expected_leaderboard(frames, f: Filters, search: str = "", limit: int = 1000) -> pd.DataFrame:
    p = participation_facts(frames, f)
    p = p[p["company_name"].str.lower().str.contains(search.strip().lower(), regex=False)]
    employees = frames["companies"].set_index("company_id")["employees"]
    rows = []
    for company_id, g in p.groupby("company_id"):
        measured = g[g["financial_outcome_krw"].notna()]
        outcome = measured["financial_outcome_krw"].sum() if len(measured) else None
        rows.append(
            {
                "company_id": company_id,
                "company_name": g["company_name"].iloc[0],
                "tier": g["tier"].iloc[0],
                "industry": g["industry"].iloc[0],
                "region": g["region"].iloc[0],
                "employees": employees[company_id],
                "cohorts": len(g),
                "cohort_years": ", ".join(str(y) for y in sorted(g["year"])),
                "support_man": g["support_krw"].sum() / 1e4,
                "outcome_man": None if outcome is None else outcome / 1e4,
                "outcome_multiple_x": None if outcome is None else ratio(outcome, measured["support_krw"].sum()),
                "tasks_done": g["tasks_done"].sum(),
                "tasks_total": g["tasks_total"].sum(),
                "task_completion_pct": ratio(100 * g["tasks_done"].sum(), g["tasks_total"].sum()),
                "mean_improvement_pct": ratio(g["improvement_pct_sum"].sum(), g["measured_indicators"].sum()),
            }
        )
    frame = pd.DataFrame(rows, columns=LEADERBOARD_COLUMNS[:-1])
    frame["_outcome"] = frame["outcome_man"].astype("Float64")
    frame = frame.sort_values(
        ["_outcome", "support_man", "company_id"], ascending=[False, False, True], na_position="last"
    ).drop(columns="_outcome")
    frame["matching_firms"] = len(frame)
    return frame.head(limit).reset_index(drop=True)


@pytest.mark.parametrize("f", FILTERS, ids=str)
@pytest.mark.parametrize("which", ["mini", "sample"])
def test_company_leaderboard_matches_reference(request, which, f):
    con, frames = request.getfixturevalue(f"{which}_con"), request.getfixturevalue(f"{which}_frames")
    rows = run_query(con, "company_leaderboard", f.params() | {"search": "", "limit": 1000})
    assert_rows(rows, expected_leaderboard(frames, f))


@pytest.mark.parametrize("search", ["테크", " 산업 ", "정밀", "없는이름"])
def test_company_leaderboard_search_matches_reference_on_sample(sample_con, sample_frames, search):
    f = Filters(2013, 2020)
    rows = run_query(sample_con, "company_leaderboard", f.params() | {"search": search, "limit": 1000})
    assert_rows(rows, expected_leaderboard(sample_frames, f, search))


def test_company_leaderboard_limit_keeps_the_count_of_all_matches(sample_con, sample_frames):
    f = Filters(2013, 2020)
    rows = run_query(sample_con, "company_leaderboard", f.params() | {"search": "", "limit": 10})
    assert_rows(rows, expected_leaderboard(sample_frames, f, limit=10))
    assert rows["matching_firms"].iloc[0] == 161


def test_company_leaderboard_mini_by_hand(mini_con):
    rows = run_query(mini_con, "company_leaderboard", Filters(2013, 2020).params() | {"search": "", "limit": 100})
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
    assert pd.isna(a3["outcome_man"]) and pd.isna(a3["outcome_multiple_x"]) and pd.isna(a3["mean_improvement_pct"])


@pytest.mark.parametrize(("search", "expected"), [("가나", ["A1"]), (" 경민 ", ["A5"]), ("%", []), ("_", [])])
def test_company_leaderboard_search_is_literal(mini_con, search, expected):
    params = Filters(2013, 2020).params() | {"search": search, "limit": 100}
    assert list(run_query(mini_con, "company_leaderboard", params)["company_id"]) == expected


def expected_support_outcome(frames, f: Filters, limit: int = 1000) -> pd.DataFrame:
    p = filtered_participations(frames, f)
    p = p[p["financial_outcome_krw"].notna()]
    frame = (
        p.groupby("company_id")
        .agg(
            company_name=("company_name", "first"),
            industry=("industry", "first"),
            cohorts=("year", "size"),
            support=("support_krw", "sum"),
            outcome=("financial_outcome_krw", "sum"),
        )
        .reset_index()
    )
    frame["support_man"] = frame["support"] / 1e4
    frame["outcome_man"] = frame["outcome"] / 1e4
    frame["outcome_multiple_x"] = frame["outcome"] / frame["support"]
    frame["matching_firms"] = len(frame)
    frame = frame.sort_values(["outcome", "company_id"], ascending=[False, True]).head(limit)
    columns = ["company_id", "company_name", "industry", "cohorts", "support_man", "outcome_man", "outcome_multiple_x"]
    return frame[[*columns, "matching_firms"]].reset_index(drop=True)


@pytest.mark.parametrize("f", FILTERS, ids=str)
@pytest.mark.parametrize("which", ["mini", "sample"])
def test_company_support_outcome_matches_reference(request, which, f):
    con, frames = request.getfixturevalue(f"{which}_con"), request.getfixturevalue(f"{which}_frames")
    rows = run_query(con, "company_support_outcome", f.params() | {"limit": 1000})
    assert_rows(rows, expected_support_outcome(frames, f))


def test_company_support_outcome_leaves_out_unmeasured_firms_and_limits(mini_con, sample_con, sample_frames):
    rows = run_query(mini_con, "company_support_outcome", Filters(2013, 2020).params() | {"limit": 100})
    assert list(rows["company_id"]) == ["A4", "A1", "A2"]
    f = Filters(2013, 2020)
    limited = run_query(sample_con, "company_support_outcome", f.params() | {"limit": 5})
    assert_rows(limited, expected_support_outcome(sample_frames, f, limit=5))


def expected_cohorts(frames, f: Filters) -> pd.DataFrame:
    p = participation_facts(frames, f).sort_values(KEYS)
    measured = p["measured_indicators"]
    frame = pd.DataFrame(
        {
            "company_id": p["company_id"],
            "company_name": p["company_name"],
            "year": p["year"],
            "phase": p["phase"],
            "agency": p["agency"],
            "status": p["status"],
            "support_man": p["support_krw"] / 1e4,
            "consulting_man": p["consulting_krw"] / 1e4,
            "equipment_man": p["equipment_krw"] / 1e4,
            "outcome_man": p["financial_outcome_krw"] / 1e4,
            "outcome_multiple_x": p["financial_outcome_krw"] / p["support_krw"],
            "sharing_contract": p["sharing_contract"],
            "tasks_done": p["tasks_done"],
            "tasks_total": p["tasks_total"],
            "mean_improvement_pct": p["improvement_pct_sum"].where(measured > 0) / measured.where(measured > 0),
        }
    )
    return frame.reset_index(drop=True)


@pytest.mark.parametrize("f", [*FILTERS, Filters(2013, 2020, company_ids=("A1", "C136"))], ids=str)
@pytest.mark.parametrize("which", ["mini", "sample"])
def test_company_cohorts_matches_reference(request, which, f):
    con, frames = request.getfixturevalue(f"{which}_con"), request.getfixturevalue(f"{which}_frames")
    assert_rows(run_query(con, "company_cohorts", f.params()), expected_cohorts(frames, f))


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
    assert list(leaderboard(at)["company_id"]) == ["A1"]
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
    cohorts, tasks, indicators = (d.value for d in at.dataframe)
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
    assert list(at.dataframe[0].value["year"]) == [2020]


def test_two_chosen_firms_show_the_leaderboard_not_a_profile(app):
    at = app({"company": ["A1", "A2"]}, data_dir=MINI_DIR, page="pages/companies.py")
    assert not at.exception
    assert list(leaderboard(at)["company_id"]) == ["A1", "A2"]
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
