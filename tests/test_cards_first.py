"""Every page sends its cards before the slower parts drawn above or beside them (브리핑 PDF, 핵심 요약, the
firm one-pager) and before any chart or table below them. Streamlit draws each element as it arrives, so
this order is what lets an executive read the cards first. Positions on screen stay the same: each slower
part fills a place made for it above the cards. The order checked is the order in which a run sends its
elements, as AppTest receives them."""

from __future__ import annotations

import pytest

from dashboard import cards
from tests.helpers import metrics, record_sent

QUERY = {"from": "2013", "to": "2016"}
FIRM = "C001"  # a firm of the sample with participations in that period


@pytest.fixture
def sent(monkeypatch):
    """The elements of each run in the order they were sent: (type, label or text, delta path)."""

    def describe(message, element, kind):
        proto = getattr(element, kind)
        return kind, getattr(proto, "label", "") or getattr(proto, "body", ""), list(message.metadata.delta_path)

    return record_sent(monkeypatch, describe)


def first(elements, kind: str, text: str = "") -> int:
    return next(i for i, (k, t, _path) in enumerate(elements) if k == kind and t.startswith(text))


def card_positions(elements) -> list[int]:
    return [i for i, (kind, _text, _path) in enumerate(elements) if kind == "metric"]


def test_every_page_sends_its_cards_before_the_slower_parts_and_charts(app, sent):
    at = app(QUERY)
    elements = sent[-1]
    shown = card_positions(elements)
    assert len(shown) == len(cards.CARDS)
    later = [first(elements, "button", "브리핑 PDF"), first(elements, "markdown", "**핵심 요약**")]
    assert max(shown) < min([*later, first(elements, "plotly_chart")])
    # On screen the summary and the button still stand above the cards.
    assert all(elements[i][2] < elements[shown[0]][2] for i in later)

    for page, count in (("pages/tasks.py", len(cards.TASKS.stats)), ("pages/outcomes.py", len(cards.OUTCOMES.stats))):
        at.switch_page(page).run()
        assert not at.exception
        elements = sent[-1]
        shown = card_positions(elements)
        assert len(shown) == count == len(metrics(at))
        briefing = first(elements, "button", "브리핑 PDF")
        assert max(shown) < min(briefing, first(elements, "plotly_chart"))
        assert elements[briefing][2] < elements[shown[0]][2]

    at.switch_page("pages/companies.py").run()
    elements = sent[-1]
    leaderboard = first(elements, "dataframe")
    assert leaderboard < min(first(elements, "button", "브리핑 PDF"), first(elements, "plotly_chart"))

    at.multiselect(key="f_company").set_value([FIRM]).run()
    assert not at.exception
    elements = sent[-1]
    shown = card_positions(elements)
    assert len(shown) == len(cards.PROFILE.stats)
    one_pager = first(elements, "button", "기업 한 장 요약 PDF")
    assert max(shown) < min(one_pager, first(elements, "button", "브리핑 PDF"), first(elements, "dataframe"))
    assert elements[one_pager][2] < elements[shown[0]][2]
