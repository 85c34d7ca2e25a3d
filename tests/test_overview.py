"""The Overview page run headless: cards equal the definitions, URL filters apply and round-trip."""

from __future__ import annotations

import pytest

from dashboard.filters import Filters
from tests.helpers import expected_cards, metrics
from tests.reference import MINI_DIR


def test_published_totals_for_2013_2019(app):
    at = app({"from": "2013", "to": "2019"})
    assert not at.exception
    cards = metrics(at)
    assert (cards["지원 기업"], cards["지원금"], cards["재무성과"]) == ("144개사", "28.0억원", "72.0억원")
    assert cards["성과배수"] == "2.57배"
    helps = {m.label: m.proto.help for m in at.metric}
    assert "성과 측정 완료 144건 · 지원금 28.0억원 기준" in helps["성과배수"]
    assert "중도 포기" in helps["성과배수"]
    for label, text in helps.items():
        assert "데이터 표본 데이터 · 기준 시각 20" in text, label


def test_2020_alone_has_20_firms_and_kyungmin_tech_selectable(app):
    at = app({"from": "2020"})
    assert metrics(at)["지원 기업"] == "20개사"
    assert metrics(at)["재무성과"] == "–"
    company = at.multiselect(key="f_company")
    assert "경민테크" in company.options
    company.select("C161").run()
    assert metrics(at)["지원 기업"] == "1개사"
    assert at.query_params["company"] == "C161"


@pytest.mark.parametrize(
    "query",
    [
        {},
        {"from": "2016", "to": "2017"},
        {"phase": "2단계"},
        {"industry": ["기계가공", "발전설비 부품"], "tier": "2"},
        {"region": "충남", "from": "2014"},
        {"company": ["C161", "C001", "C020"]},
    ],
    ids=str,
)
def test_cards_equal_definitions_for_url_filters(app, sample_ref, query):
    at = app(query)
    assert not at.exception
    assert not at.warning
    as_lists = {k: [v] if isinstance(v, str) else v for k, v in query.items()}
    f = Filters(
        int(as_lists.get("from", ["2013"])[0]),
        int(as_lists.get("to", ["2020"])[0]),
        tuple(as_lists.get("phase", [])),
        tuple(as_lists.get("company", [])),
        tuple(as_lists.get("industry", [])),
        tuple(as_lists.get("region", [])),
        tuple(int(t) for t in as_lists.get("tier", [])),
    )
    assert metrics(at) == expected_cards(sample_ref, f)


def test_cards_on_hand_made_fixture(app):
    at = app(data_dir=MINI_DIR)
    assert metrics(at) == {
        "지원 기업": "5개사",
        "지원금": "1.8억원",
        "재무성과": "2.8억원",
        "성과배수": "1.93배",
        "성과공유 계약": "4건",
        "과제 완료율": "58.3%",
        "평균 개선율": "30.6%",
    }


def test_deltas_compare_with_previous_period(app):
    at = app({"from": "2016", "to": "2017"}, data_dir=MINI_DIR)
    deltas = {m.label: m.delta for m in at.metric}
    assert deltas["지원 기업"] == "+1개사"
    assert deltas["지원금"] == "+0.4억원"
    assert deltas["재무성과"] == "+1.4억원"
    # 2014-2015 holds only A3, dropped: settled at 0배, so 2016-2017's 2.33배 is all gain.
    assert deltas["성과배수"] == "+2.33배"


def test_no_delta_when_previous_period_is_empty(app):
    at = app()
    assert all(not m.delta for m in at.metric)


def test_invalid_url_values_warn_and_page_still_renders(app):
    at = app({"tier": ["9"], "from": "abc", "company": "nobody"})
    assert not at.exception
    warnings = " ".join(w.value for w in at.warning)
    assert "'9'" in warnings and "'abc'" in warnings and "'nobody'" in warnings
    assert metrics(at)["지원 기업"] == "161개사"
    assert "tier" not in at.query_params


def test_widget_changes_update_the_url(app):
    at = app()
    at.slider(key="f_years").set_value((2016, 2017)).run()
    assert at.query_params == {"from": "2016", "to": "2017"}
    assert metrics(at)["지원 기업"] == "54개사"


def test_filters_persist_across_pages(app):
    at = app({"from": "2016", "to": "2017", "tier": "2"})
    at.switch_page("pages/tasks.py").run()
    assert not at.exception
    assert at.slider(key="f_years").value == (2016, 2017)
    assert at.multiselect(key="f_tier").value == [2]
    at.switch_page("pages/overview.py").run()
    assert at.slider(key="f_years").value == (2016, 2017)
    assert at.query_params == {"from": "2016", "to": "2017", "tier": "2"}


def test_empty_selection_shows_a_message(app):
    at = app({"from": "2018", "to": "2018"})
    assert not at.exception
    assert any("조건에 맞는" in i.value for i in at.info)
    assert not at.metric


def test_synthetic_notice_on_sample_only(app):
    at = app()
    assert any("합성 데이터" in c.value for c in at.caption)
    at = app(data_dir=MINI_DIR)
    assert not any("합성 데이터" in c.value for c in at.caption)


@pytest.mark.parametrize(
    ("query", "notes"),
    [
        ({}, {"1단계": None, "2단계": "2020 진행 중 · 성과 측정 전"}),
        ({"from": "2013", "to": "2019"}, {"1단계": None, "2단계": None}),
    ],
)
def test_the_phase_table_names_the_cohorts_not_yet_measured(app, query, notes):
    """The 2단계 multiple leaves 2020 out (nothing measured yet); its row says so, from the data."""
    at = app(query)
    phases = next(
        d.value for d in at.dataframe if "outcome_multiple_x" in d.value.columns and "phase" in d.value.columns
    )
    shown = dict(zip(phases["phase"], phases["note"], strict=True))
    assert {phase: note if isinstance(note, str) else None for phase, note in shown.items()} == notes
