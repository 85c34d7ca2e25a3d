"""A first visit in Chromium: the cards are on screen before Plotly's code is even requested, and each
chart is then drawn exactly where its placeholder stood, at its size (dashboard/view/firstpaint.py)."""

from __future__ import annotations

from tests.e2e import browser

# Sampled every animation frame from the navigation on: the frame the cards are first all shown in
# (and whether Plotly's chunk had been requested or a chart drawn by then), and the places of the
# charts' placeholders (element containers, relative to the main block) while all of them are shown.
WATCH = """
(() => {
  const seen = window.__firstPaint = { cards: null, plotlyRequested: null, charts: null, places: [] };
  const main = () => document.querySelector('[data-testid="stMainBlockContainer"]');
  const place = (element) => {
    const box = element.closest('[data-testid="stElementContainer"]').getBoundingClientRect();
    const origin = main().getBoundingClientRect();
    return [box.left - origin.left, box.top - origin.top, box.width, box.height].map(Math.round);
  };
  window.__place = place;
  const sample = () => {
    const values = Array.from(document.querySelectorAll('[data-testid="stMetricValue"]'));
    if (seen.cards === null && values.length >= __CARDS__ && values.every(v => v.innerText.trim() !== '')) {
      seen.cards = performance.now();
      seen.plotlyRequested = performance.getEntriesByType('resource').some(r => r.name.includes('PlotlyChart'));
      seen.charts = document.querySelectorAll('[data-testid="stPlotlyChart"]').length;
    }
    const placeholders = Array.from(document.querySelectorAll('[data-testid="stSkeletonElement"]'));
    // The last frame with every placeholder: the next run replaces them one chart at a time.
    const every = placeholders.length > 0 && placeholders.length >= seen.places.length;
    if (every && main()) seen.places = placeholders.map(place);
    requestAnimationFrame(sample);
  };
  requestAnimationFrame(sample);
})();
"""
CARDS = 7  # 개요's


def test_a_first_visit_paints_the_cards_before_plotly_and_draws_each_chart_in_its_placeholders_place(
    new_context, base_url
):
    context = new_context()
    context.add_init_script(WATCH.replace("__CARDS__", str(CARDS)))
    page = context.new_page()
    browser.open_app(page, base_url)
    seen = page.evaluate("window.__firstPaint")
    assert seen["cards"] is not None
    assert seen["plotlyRequested"] is False and seen["charts"] == 0, seen
    charts = page.evaluate(
        """() => Array.from(document.querySelectorAll('[data-testid="stPlotlyChart"]')).map(window.__place)"""
    )
    assert len(charts) == 5
    assert seen["places"] == charts
    # The component that asked for the charts is gone, and took no room while it was there.
    assert page.locator(".st-key-charts_after_paint").count() == 0
