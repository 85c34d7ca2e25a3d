"""URL <-> filters: every valid value round-trips, every invalid one is dropped with a warning."""

from __future__ import annotations

from dashboard.filters import Filters, Options, parse_url

OPTIONS = Options(
    years=(2013, 2014, 2016, 2019, 2020),
    phases=("1단계", "2단계"),
    companies={"A1": "가나정밀", "A2": "다라전기"},
    industries=("기계가공", "전기·계장"),
    regions=("충남", "전북"),
    tiers=(1, 2, 3),
)


def test_empty_url_is_the_whole_range():
    parsed = parse_url({}, OPTIONS)
    assert parsed.filters == Filters(2013, 2020)
    assert parsed.warnings == []


def test_every_key_parses_and_round_trips():
    url = {
        "from": ["2014"],
        "to": ["2019"],
        "phase": ["2단계"],
        "company": ["A2", "A1"],
        "industry": ["전기·계장"],
        "region": ["충남", "전북"],
        "tier": ["3", "1"],
    }
    parsed = parse_url(url, OPTIONS)
    assert parsed.warnings == []
    assert parsed.filters == Filters(2014, 2019, ("2단계",), ("A2", "A1"), ("전기·계장",), ("충남", "전북"), (3, 1))
    back = parsed.filters.to_url(OPTIONS)
    assert back == {k: v if len(v) > 1 or k not in ("from", "to") else v[0] for k, v in url.items()}
    assert parse_url(back, OPTIONS).filters == parsed.filters


def test_year_a_year_that_is_not_a_cohort_is_still_a_valid_bound():
    assert parse_url({"from": "2015", "to": "2018"}, OPTIONS).filters == Filters(2015, 2018)


def test_invalid_values_are_dropped_with_a_warning_naming_key_and_value():
    parsed = parse_url(
        {"from": ["abc"], "to": ["2030"], "tier": ["9", "2"], "company": ["ZZ"], "colour": ["red"]},
        OPTIONS,
    )
    assert parsed.filters == Filters(2013, 2020, tiers=(2,))
    text = "\n".join(parsed.warnings)
    assert "'from'" in text and "'abc'" in text
    assert "'to'" in text and "2030" in text
    assert "'tier'" in text and "'9'" in text
    assert "'company'" in text and "'ZZ'" in text
    assert "colour" in text
    assert len(parsed.warnings) == 5


def test_reversed_range_is_ignored_with_a_warning():
    parsed = parse_url({"from": "2019", "to": "2014"}, OPTIONS)
    assert parsed.filters == Filters(2013, 2020)
    assert len(parsed.warnings) == 1


def test_duplicates_collapse():
    assert parse_url({"tier": ["2", "2"]}, OPTIONS).filters.tiers == (2,)


def test_previous_period_has_the_same_length_and_the_same_other_filters():
    assert Filters(2016, 2017, tiers=(2,)).previous() == Filters(2014, 2015, tiers=(2,))
    assert Filters(2020, 2020).previous() == Filters(2019, 2019)


def test_params_bind_one_struct_with_null_for_no_restriction():
    params = Filters(2013, 2020, tiers=(2,)).params()
    assert set(params) == {"f", "f_previous"}
    assert params["f"] == {
        "year_from": 2013,
        "year_to": 2020,
        "phases": None,
        "company_ids": None,
        "industries": None,
        "regions": None,
        "tiers": [2],
    }
    assert params["f_previous"] == params["f"] | {"year_from": 2005, "year_to": 2012}
