"""The browser's own print of 개요: A4, sidebar and Streamlit chrome hidden, the main column scaled to
the paper so no chart is cut at the right edge. A PDF of it is saved in artifacts/ for a human look."""

from __future__ import annotations

from playwright.sync_api import Page

from tests.e2e import browser

PAPER_PX = (210 - 2 * 12) * 96 / 25.4  # A4 less the margins of style.css's @page


def test_print_hides_the_chrome_and_fits_the_paper(page: Page, base_url: str):
    browser.open_app(page, base_url)
    page.emulate_media(media="print")
    page.evaluate("window.dispatchEvent(new Event('beforeprint'))")
    hidden = page.evaluate(
        """() => ['stSidebar', 'stHeader', 'stButton'].map(id => {
            const el = document.querySelector(`[data-testid="${id}"]`);
            return el === null || getComputedStyle(el).display === 'none';
        })"""
    )
    assert hidden == [True, True, True]
    widest = page.evaluate(
        """() => {
            const main = document.querySelector('[data-testid="stMainBlockContainer"]');
            const charts = [...main.querySelectorAll('[data-testid="stPlotlyChart"]')];
            // Chromium's rectangles include the CSS zoom.
            return Math.max(...charts.map(c => c.getBoundingClientRect().right - main.getBoundingClientRect().left));
        }"""
    )
    assert widest <= PAPER_PX + 1, f"a chart reaches {widest:.0f}px on a {PAPER_PX:.0f}px wide paper"
    out = browser.ROOT / "artifacts" / "print-overview.pdf"
    out.parent.mkdir(exist_ok=True)
    page.pdf(path=str(out), format="A4", prefer_css_page_size=True)
