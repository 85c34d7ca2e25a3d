"""The sidebar's company selector: every firm when there are few, a name search over the data when
there are more than `sidebar.COMPANY_LIST_LIMIT` (the list is then never built whole on a rerun)."""

from __future__ import annotations

import pytest

from dashboard import filters
from dashboard.db import EVERY_FIRM, run_query
from dashboard.filters import FirmNames, Options, parse_url
from dashboard.view import cache, sidebar
from tests.helpers import metrics


def names_by_id(frames) -> dict[str, str]:
    companies = frames["companies"]
    return dict(zip(companies["company_id"], companies["company_name"], strict=True))


def test_company_options_lists_every_firm_by_name_for_an_empty_search(sample_con, sample_frames):
    rows = run_query(sample_con, "company_options", {"search": " ", "limit": 1000}, scope=EVERY_FIRM)
    names = names_by_id(sample_frames)
    assert list(rows["company_id"]) == sorted(names, key=lambda cid: (names[cid], cid))
    assert set(rows["matching_firms"]) == {len(names)}


def test_company_options_lists_the_first_matches_and_counts_them_all(sample_con, sample_frames):
    names = names_by_id(sample_frames)
    rows = run_query(sample_con, "company_options", {"search": " 정밀 ", "limit": 3}, scope=EVERY_FIRM)
    matching = sorted((name, cid) for cid, name in names.items() if "정밀" in name)
    assert list(rows["company_id"]) == [cid for _, cid in matching[:3]]
    assert set(rows["matching_firms"]) == {len(matching)}


def test_company_options_takes_the_search_literally(sample_con):
    assert run_query(sample_con, "company_options", {"search": "%", "limit": 10}, scope=EVERY_FIRM).empty


def test_the_first_firms_of_the_filter_options_are_what_an_empty_search_lists(sample_con):
    """The selector lists the options' first firms instead of running company_options with no search."""
    options = run_query(sample_con, "filter_options", {"listed_firms": 1000}, scope=EVERY_FIRM)
    firms = options.loc[options["field"] == "company", "value"].tolist()
    listed = run_query(sample_con, "company_options", {"search": "", "limit": 20}, scope=EVERY_FIRM)
    assert firms[:20] == listed["company_id"].tolist()


@pytest.fixture
def few_listed(monkeypatch):
    monkeypatch.setattr(sidebar, "COMPANY_LIST_LIMIT", 5)


def test_with_many_firms_a_search_box_lists_the_matches_and_keeps_the_chosen(app, few_listed):
    at = app({"from": "2020"})
    assert len(at.multiselect(key="f_company").options) == 5
    assert any("5개사만" in c.value for c in at.sidebar.caption)
    at.text_input(key=sidebar.COMPANY_SEARCH_KEY).input("경민").run()
    company = at.multiselect(key="f_company")
    assert company.options == ["경민테크"]
    company.select("C161").run()
    assert metrics(at)["지원 기업"] == "1개사"
    at.text_input(key=sidebar.COMPANY_SEARCH_KEY).input("정밀").run()
    assert at.multiselect(key="f_company").options[0] == "경민테크"
    assert at.multiselect(key="f_company").value == ["C161"]
    assert at.query_params["company"] == "C161"


def test_with_many_firms_a_company_in_the_url_is_still_applied(app, few_listed):
    at = app({"from": "2020", "company": "C161"})
    assert not at.exception
    assert at.multiselect(key="f_company").value == ["C161"]
    assert metrics(at)["지원 기업"] == "1개사"


def test_beyond_the_listed_firms_names_are_looked_up_by_id(sample_con, sample_frames, monkeypatch):
    """With more firms than LISTED_FIRMS the options hold the first ones and count them all; any other
    firm's name is fetched by id, an id the data lacks is not offered, and the firms are never listed whole."""
    monkeypatch.setattr(filters, "LISTED_FIRMS", 5)
    options = Options.read(sample_con, EVERY_FIRM)
    names = options.companies
    assert isinstance(names, FirmNames)
    assert (len(names), len(names.listed)) == (161, 5)
    every = names_by_id(sample_frames)
    unlisted = max(set(every) - set(names.listed))
    assert names[unlisted] == every[unlisted] and names["C161"] == "경민테크"
    assert "없는기업" not in names and names.get("없는기업") is None
    assert options.names([unlisted, "없는기업", "C161"]) == {unlisted: every[unlisted], "C161": "경민테크"}
    assert parse_url({"company": [unlisted, "없는기업"]}, options).filters.company_ids == (unlisted,)
    with pytest.raises(TypeError):
        list(names)


def test_with_names_looked_up_a_chosen_firm_keeps_its_chip_and_url(app, few_listed, monkeypatch):
    monkeypatch.setattr(filters, "LISTED_FIRMS", 5)
    cache._options.clear()
    try:
        at = app({"from": "2020", "company": "C161"})
        assert not at.exception
        assert at.multiselect(key="f_company").value == ["C161"]
        assert "경민테크" in at.multiselect(key="f_company").options
        assert any(b.label == "경민테크" for b in at.button)
        assert at.query_params["company"] == "C161"
    finally:
        cache._options.clear()
