"""Every registered page runs headless, through the router and on its own, with the same filters."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from dashboard.navigation import PAGES
from tests.reference import ROOT

QUERY = {"from": "2016", "to": "2019", "tier": ["2", "3"]}


@pytest.mark.parametrize("page", [p.path for p in PAGES])
def test_page_runs_through_the_router(app, page):
    at = app(QUERY, page=page)
    assert not at.exception, at.exception
    assert not at.error
    assert at.slider(key="f_years").value == (2016, 2019)
    assert at.multiselect(key="f_tier").value == [2, 3]
    assert at.query_params == {"from": "2016", "to": "2019", "tier": ["2", "3"]}


@pytest.mark.parametrize("page", [p.path for p in PAGES])
def test_page_runs_on_its_own_with_the_same_filters(monkeypatch, page):
    monkeypatch.delenv("DASHBOARD_DATA_DIR", raising=False)
    at = AppTest.from_file(str(ROOT / page), default_timeout=60)
    for key, value in QUERY.items():
        at.query_params[key] = value
    at.run()
    assert not at.exception, at.exception
    assert at.slider(key="f_years").value == (2016, 2019)
    assert at.multiselect(key="f_tier").value == [2, 3]
    assert any("합성 데이터" in c.value for c in at.caption)
