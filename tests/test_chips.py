"""The line under each title: chips name the active filters and remove them; period presets set the URL."""

from __future__ import annotations

from dashboard.filters import Filters, Options
from dashboard.view.sidebar import _years_help
from tests.helpers import expected_cards, metrics


def _labels(at) -> list[str]:
    return [b.label for b in at.button if b.key and b.key.startswith("chip_") and b.key != "chip_reset"]


def test_chips_name_every_active_filter_and_one_click_removes_it(app, sample_ref):
    at = app({"from": "2016", "to": "2017", "tier": "2", "region": "경기"})
    assert not at.exception
    assert _labels(at) == ["2016–2017", "경기", "2차"]
    at.button(key="chip_tier_2").click().run()
    assert _labels(at) == ["2016–2017", "경기"]
    assert "tier" not in at.query_params
    assert metrics(at) == expected_cards(sample_ref, Filters(2016, 2017, regions=("경기",)))
    at.button(key="chip_years_None").click().run()
    assert "from" not in at.query_params and "to" not in at.query_params
    assert at.slider(key="f_years").value == (2013, 2020)
    at.button(key="chip_reset").click().run()
    assert _labels(at) == [] and dict(at.query_params) == {}


def test_a_firm_chosen_in_the_leaderboard_shows_as_a_chip(app):
    at = app({"company": "C161"}, page="pages/companies.py")
    assert "경민테크" in _labels(at)


def test_presets_come_from_the_data_and_set_url_and_cards(app, sample_ref):
    at = app()
    presets = [b.label for b in at.button if b.key and b.key.startswith("preset_")]
    assert presets == ["전체", "1단계(2013–2017)", "2단계(2019–)", "공식 집계(2013–2019)", "최근 3개 기수"]
    at.button(key="preset_공식 집계(2013–2019)").click().run()
    assert at.query_params["to"] == "2019" and "from" not in at.query_params
    cards = metrics(at)
    assert (cards["지원 기업"], cards["지원금"], cards["재무성과"], cards["성과배수"]) == (
        "144개사",
        "28.0억원",
        "72.0억원",
        "2.57배",
    )
    at.button(key="preset_최근 3개 기수").click().run()
    assert (at.query_params["from"], "to" in at.query_params) == ("2017", False)
    assert metrics(at) == expected_cards(sample_ref, Filters(2017, 2020))


def test_the_year_slider_explains_a_missing_cohort_only_when_there_is_one():
    sample_options = Options((2013, 2014, 2015, 2016, 2017, 2019, 2020), (), {}, (), (), ())
    assert "2018년에는 선정된 기수가 없어" in _years_help(sample_options)
    whole = Options((2013, 2014, 2015), (), {}, (), (), ())
    assert "선정된 기수가 없어" not in _years_help(whole)
