"""The sidebar's filter widgets are sent after the page's cards (the router puts them off until the page
draws 브리핑 PDF, `context.build_context(widgets_later=True)`), so a filter change's new cards reach the
browser without the widgets' elements before them; and they are always drawn, once, whatever the run
does: a page that stops before its cards, a page without cards (데이터), a page run without the router."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from dashboard import cards
from dashboard.view.sidebar import WIDGET_KEYS, YEARS_KEY
from tests.helpers import metrics
from tests.test_cards_first import card_positions, first, sent  # noqa: F401 (the fixture)

QUERY = {"from": "2013", "to": "2016"}


def widgets_drawn(at: AppTest) -> None:
    """Every filter widget is on screen, with no error."""
    assert not at.exception
    assert at.slider(key=YEARS_KEY) is not None
    for key in ("phase", "company", "industry", "region", "tier"):
        assert at.multiselect(key=WIDGET_KEYS[key]) is not None
    assert [b.label for b in at.sidebar.button] == ["필터 초기화"]


def widget_positions(elements) -> list[int]:
    return [i for i, (kind, _text, _path) in enumerate(elements) if kind in ("slider", "multiselect")]


def test_the_filter_widgets_are_sent_after_the_cards_on_every_page(app, sent):  # noqa: F811
    at = app(QUERY)
    at.slider(key=YEARS_KEY).set_value((2014, 2016)).run()
    widgets_drawn(at)
    elements = sent[-1]
    assert len(widget_positions(elements)) == 6  # each once: the slider and five multiselects
    assert min(widget_positions(elements)) > max(card_positions(elements))
    assert len(card_positions(elements)) == len(cards.CARDS) == len(metrics(at))
    for page in ("pages/tasks.py", "pages/outcomes.py"):
        at.switch_page(page).run()
        widgets_drawn(at)
        elements = sent[-1]
        assert min(widget_positions(elements)) > max(card_positions(elements))
    at.switch_page("pages/companies.py").run()
    widgets_drawn(at)
    elements = sent[-1]
    assert min(widget_positions(elements)) > first(elements, "dataframe")


def test_the_widgets_give_the_filters_the_page_used(app):
    """The page reads the filters before the widgets are drawn; each change through a widget, a chip
    or 필터 초기화 is what the page shows (the widgets would raise were they to differ)."""
    at = app(QUERY)
    before = metrics(at)
    at.multiselect(key=WIDGET_KEYS["phase"]).set_value(["2단계"]).run()
    widgets_drawn(at)
    assert metrics(at) != before
    assert at.query_params["phase"] == "2단계"
    next(b for b in at.button if b.key == "chip_phase_2단계").click().run()
    widgets_drawn(at)
    assert "phase" not in at.query_params
    assert metrics(at) == before
    at.button(key="chip_reset").click().run()
    widgets_drawn(at)
    assert not {"from", "to"} & set(at.query_params)


@pytest.mark.parametrize("query", [{"from": "2018", "to": "2018"}, {"phase": "2단계", "from": "2013", "to": "2013"}])
def test_a_page_that_stops_before_its_cards_keeps_its_filter_widgets(app, query):
    at = app(query)
    widgets_drawn(at)
    assert not metrics(at)
    assert any("참여 기업이 없습니다" in i.value for i in at.info)


def test_a_page_without_cards_draws_the_widgets(app):
    """데이터 draws no 브리핑 PDF: the router draws the widgets at the end of its run (a page run without
    the router draws them first: tests/test_pages.py)."""
    widgets_drawn(app(QUERY, page="pages/data.py"))
