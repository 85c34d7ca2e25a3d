"""The written summary (핵심 요약) against the pandas reference: scale, return, change with its
direction word, strongest/weakest industry, lagging task area, what is not measured, small groups."""

from __future__ import annotations

import pandas as pd
import pytest

from dashboard import units
from dashboard.briefing import summary
from dashboard.db import EVERY_FIRM, run_query
from dashboard.filters import Filters
from tests.reference import compute, kpis

VIEWS = [
    Filters(2013, 2020),
    Filters(2016, 2017),  # rising
    Filters(2018, 2019),  # falling
    Filters(2020, 2020),  # a single year, nothing measured yet
    Filters(2014, 2015, tiers=(3,)),
    Filters(2013, 2019, phases=("2단계",)),
    Filters(2015, 2017, regions=("충남",)),
]


def written(con, f: Filters) -> list[str]:
    return summary.sentences(summary.inputs_from(lambda n: run_query(con, n, f.params(), scope=EVERY_FIRM)), f)


def period(f: Filters) -> str:
    return str(f.year_from) if f.year_from == f.year_to else f"{f.year_from}–{f.year_to}"


@pytest.mark.parametrize("f", VIEWS, ids=str)
def test_sentences_match_the_reference(sample_con, sample_ref, f):
    got = written(sample_con, f)
    k, prev = kpis(sample_ref, f), kpis(sample_ref, f.previous())
    assert 3 <= len(got) <= 6, got
    support = units.EOK.text(k["support_krw"] / 1e8)
    assert got[0] == f"{period(f)} 기수 {units.FIRMS.text(k['firms'])}에 지원금 {support}을 지원했습니다."
    text = "\n".join(got)
    if pd.isna(k["outcome_krw"]):
        assert "선택한 기수는 아직 재무성과가 측정되지 않았습니다." in got
        assert "성과배수)" not in text
    else:
        assert (
            f"측정된 재무성과는 {units.EOK.text(k['outcome_krw'] / 1e8)}으로, "
            f"지원금의 {units.MULTIPLE.text(k['outcome_multiple_x'])}(성과배수)입니다."
        ) in got
    change = [s for s in got if s.startswith("직전 기간")]
    if prev["participations"] == 0 or prev["firms"] < summary.MIN_FIRMS:
        assert not change
    else:
        delta = k["support_krw"] - prev["support_krw"]
        word = "늘었" if delta > 0 else "줄었"
        assert f"지원금은 {units.EOK.delta(delta / 1e8)}으로" in change[0]
        assert word in change[0].split(",")[0]
    industries = compute(sample_ref, "outcome_by_industry", f.params())
    eligible = industries[(industries["firms"] >= summary.MIN_FIRMS) & industries["outcome_multiple_x"].notna()]
    told = [s for s in got if s.startswith("업종별")]
    if len(eligible) < 2:
        assert not told
    else:
        best = eligible.loc[eligible["outcome_multiple_x"].idxmax()]
        multiple = units.MULTIPLE.text(best["outcome_multiple_x"])
        assert f"{summary.josa(best['industry'], '이', '가')} {multiple}" in told[0]
        small = industries.loc[industries["firms"] < summary.MIN_FIRMS, "industry"]
        assert not any(name in told[0] for name in small)
    if not pd.isna(k["task_completion_pct"]):
        assert f"개선과제 완료율은 {units.PCT.text(k['task_completion_pct'])}" in text


def test_a_falling_view_says_fewer(sample_con):
    change = next(s for s in written(sample_con, Filters(2018, 2019)) if s.startswith("직전 기간"))
    assert "지원금은 -" in change and "줄었" in change and "늘었" not in change


def test_a_small_group_gets_no_sentence(sample_con):
    assert written(sample_con, Filters(2013, 2020, company_ids=("C001", "C002", "C003"))) == []


@pytest.mark.parametrize(
    ("delta", "before", "stem"),
    [(1, 100, "비슷했"), (10, 100, "소폭 늘었"), (-30, 100, "크게 줄었"), (0, 5, "같았"), (3, 0, "늘었")],
)
def test_direction_words_follow_sign_and_size(delta, before, stem):
    assert summary._direction(delta, before) == stem
