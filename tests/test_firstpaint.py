"""A browser's first page with charts: its first run draws each chart as a skeleton of the chart's height
in the chart's place, with the component that asks for the next run once the cards are painted; the next
run draws the charts there (dashboard/view/firstpaint.py; in Chromium: tests/e2e/test_firstpaint.py).
A run not asked for by a browser (AppTest, the light client) draws the charts at once. AppTest stands for
a browser when given the browser's context (`AppTest.context`), as Streamlit's frontend sends it."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from dashboard import cards
from dashboard.view import firstpaint
from tests.conftest import DEFAULT_TIMEOUT, ROOT
from tests.helpers import record_sent

QUERY = {"from": "2013", "to": "2016"}
BROWSER = {"timezone": "Asia/Seoul"}
SHOWN = ("metric", "plotly_chart", "skeleton", "bidi_component")


@pytest.fixture
def sent(monkeypatch):
    """Per run, the cards, charts, skeletons and components it sent: (type, delta path, height in px)."""

    def describe(message, element, kind):
        if kind in SHOWN:
            return kind, tuple(message.metadata.delta_path), element.height_config.pixel_height
        return None

    return record_sent(monkeypatch, describe)


@pytest.fixture
def browser_app(monkeypatch):
    """`browser_app(context)`: an AppTest of app.py on the sample, its runs asked for with `context`."""

    def make(context: dict) -> AppTest:
        monkeypatch.delenv("DASHBOARD_DATA_DIR", raising=False)
        at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=DEFAULT_TIMEOUT)
        at.context = context
        for key, value in QUERY.items():
            at.query_params[key] = value
        return at

    return make


def kinds(elements, kind: str) -> list[tuple[tuple[int, ...], int]]:
    return [(path, height) for k, path, height in elements if k == kind]


def test_a_browsers_first_run_keeps_each_charts_place_and_height_and_the_next_run_draws_them(browser_app, sent):
    at = browser_app(BROWSER).run()
    assert not at.exception, at.exception
    first = sent[-1]
    assert not kinds(first, "plotly_chart")
    skeletons = kinds(first, "skeleton")
    [(component, _)] = kinds(first, "bidi_component")
    # The cards come first; the component stands in the first chart's block, beside its skeleton.
    assert len(kinds(first, "metric")) == len(cards.CARDS)
    assert max(i for i, (k, *_) in enumerate(first) if k == "metric") < first.index(("bidi_component", component, 0))
    assert component[:-1] == skeletons[0][0][:-1]

    at.run()
    second = sent[-1]
    charts = kinds(second, "plotly_chart")
    assert not kinds(second, "skeleton") and not kinds(second, "bidi_component")
    assert len(charts) == len(skeletons) == 5
    # Each chart where its skeleton was (the first one's block), at the skeleton's height.
    assert [(path[: len(path) - (i == 0)], h) for i, (path, h) in enumerate(skeletons)] == charts
    assert all(h > 0 for _, h in charts)

    at.run()  # every later run (a filter change, another page) draws the charts at once
    assert len(kinds(sent[-1], "plotly_chart")) == 5 and not kinds(sent[-1], "skeleton")
    assert at.session_state[firstpaint.STATE] == firstpaint.DRAW


def test_without_a_browser_every_chart_is_drawn_in_the_first_run(browser_app, sent):
    at = browser_app({}).run()
    assert len(kinds(sent[-1], "plotly_chart")) == 5
    assert not kinds(sent[-1], "skeleton") and not kinds(sent[-1], "bidi_component")
    assert at.session_state[firstpaint.STATE] == firstpaint.DRAW


def test_a_page_without_charts_leaves_the_wait_to_the_first_page_with_charts(browser_app, sent):
    at = browser_app(BROWSER).switch_page("pages/data.py").run()
    assert not at.exception, at.exception
    assert not kinds(sent[-1], "skeleton") and at.session_state[firstpaint.STATE] == firstpaint.WAIT
    at.switch_page("pages/overview.py").run()
    assert len(kinds(sent[-1], "skeleton")) == 5 and not kinds(sent[-1], "plotly_chart")


def test_the_urls_warnings_stay_through_the_run_that_draws_the_charts(browser_app):
    at = browser_app(BROWSER)
    at.query_params["tier"] = "9"
    shown = []
    for _ in range(3):
        at.run()
        shown.append([w.value for w in at.warning if "'tier'" in w.value])
    first, drawing, later = shown
    assert first and drawing == first
    assert not later
