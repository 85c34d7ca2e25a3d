"""개요's 비교 mode: set A (the sidebar) and set B (URL keys `vs_*`, `compare=1`) side by side, each
set's cards equal to the pandas reference, B's deltas the reference's difference B − A; invalid `vs_`
values warn and are dropped as the sidebar's are."""

from __future__ import annotations

import numpy as np
import pytest

from dashboard import cards
from dashboard.filters import COMPARE_URL_KEYS, Filters, parse_url
from tests.helpers import assert_matches_reference, expected_cards
from tests.reference import kpis
from tests.test_filters import OPTIONS

CASES = [
    # (A's URL, B's URL, A, B)
    (
        {"phase": "1단계"},
        {"vs_phase": "2단계"},
        Filters(2013, 2020, phases=("1단계",)),
        Filters(2013, 2020, phases=("2단계",)),
    ),
    ({"tier": "2"}, {"vs_tier": "3"}, Filters(2013, 2020, tiers=(2,)), Filters(2013, 2020, tiers=(3,))),
    (
        {"region": "충남", "from": "2016"},
        {"vs_region": "경기", "vs_from": "2014", "vs_to": "2017"},
        Filters(2016, 2020, regions=("충남",)),
        Filters(2014, 2017, regions=("경기",)),
    ),
]


def shown_cards(at) -> list[tuple[str, str, str]]:
    return [(m.label, m.value, m.proto.delta) for m in at.metric]


@pytest.mark.parametrize(("url_a", "url_b", "a", "b"), CASES, ids=["phase", "tier", "region"])
def test_both_sets_cards_and_b_minus_a_match_the_reference(app, sample_ref, url_a, url_b, a, b):
    at = app(url_a | url_b | {"compare": "1"})
    assert not at.exception
    assert not at.warning
    shown = shown_cards(at)
    assert len(shown) == 2 * len(cards.CARDS)
    for (label, value, _), (want_label, want_value) in zip(
        shown[:7], expected_cards(sample_ref, a).items(), strict=True
    ):
        assert (label, value) == (want_label, want_value)
    for (label, value, _), (want_label, want_value) in zip(
        shown[7:], expected_cards(sample_ref, b).items(), strict=True
    ):
        assert (label, value) == (want_label, want_value)
    # Set A's cards carry no delta; B's carry B − A, from the reference's KPIs of each set.
    assert not any(delta for _, _, delta in shown[:7])
    ka, kb = kpis(sample_ref, a), kpis(sample_ref, b)
    for card, (_, _, delta) in zip(cards.CARDS, shown[7:], strict=True):
        difference = kb[card.column] - ka[card.column]
        if card.column == "outcome_krw":  # as kpi_summary: an unmeasured side counts as 0
            difference = np.nan_to_num(kb[card.column]) - np.nan_to_num(ka[card.column])
        assert delta == (card.delta(difference) or "")
    assert at.query_params["compare"] == "1"
    assert [s.value.split(":")[0] for s in at.subheader][:2] == ["A", "B"]


def test_an_invalid_vs_value_warns_and_is_dropped(app):
    at = app({"compare": "1", "vs_tier": ["3", "9"], "vs_from": "20x6", "vs_company": "C001"})
    assert not at.exception
    warnings = " ".join(w.value for w in at.warning)
    assert "'vs_tier'(비교 협력 차수) 값 '9'" in warnings
    assert "'vs_from'(비교 시작 연도) 값 '20x6'" in warnings
    assert "vs_company" in warnings
    assert "알 수 없는" not in warnings
    assert at.query_params["vs_tier"] == "3"
    assert "vs_from" not in at.query_params and "vs_company" not in at.query_params


def test_turning_the_mode_off_removes_set_b_from_the_url(app):
    at = app({"compare": "1", "vs_tier": "3", "tier": "2"})
    assert len(at.metric) == 14
    at.toggle(key="compare_on").set_value(False).run()
    assert not at.exception
    assert {k for k in at.query_params} == {"tier"}
    assert len(at.metric) == 7


def test_the_prefixed_parse_reads_only_its_own_keys():
    url = {"tier": "2", "vs_tier": "3", "vs_from": "2016", "compare": "1"}
    a, b = parse_url(url, OPTIONS), parse_url(url, OPTIONS, prefix="vs_")
    assert a.warnings == [] and b.warnings == []
    assert a.filters.tiers == (2,) and a.filters.year_from == min(OPTIONS.years)
    assert b.filters.tiers == (3,) and b.filters.year_from == 2016
    assert b.filters.to_url(OPTIONS, "vs_") == {"vs_from": "2016", "vs_tier": ["3"]}
    assert set(b.filters.to_url(OPTIONS, "vs_")) <= set(COMPARE_URL_KEYS)


def test_kpi_summary_against_another_set_is_the_reference_difference(sample_con, sample_ref):
    for _, _, a, b in CASES:
        assert_matches_reference(sample_con, sample_ref, "kpi_summary", b, f_previous=a.sql())
