"""Every page on every screen of issue 11, light and dark: no number cut, clipped, pushed off the
screen or broken across lines; cards wrap (two to a row on a phone); charts keep legends, axis titles
and notes inside the chart, without mode bar or zoom; wide tables scroll with the row names pinned;
no developer chrome; nothing, the favicon included, is fetched from another host.

One page load per page: the viewport and the colour scheme change in place, as they do when a user
turns a tablet or the system switches to dark, so Streamlit does not rerun the script."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Page, expect

from dashboard.navigation import APP_TITLE, PAGES, PageSpec
from tests.e2e import browser

# Menu entries an executive may use; Streamlit's own test ids.
VIEWER_MENU = [
    "stMainMenuItem-theme-System",
    "stMainMenuItem-theme-Light",
    "stMainMenuItem-theme-Dark",
    "stMainMenuItem-print",
]

# Text of a KPI card that must stay whole: its value, its delta and the delta's description.
_CARD_PROBLEMS_JS = r"""() => {
    const problems = [];
    const viewport = document.documentElement.clientWidth;
    const main = document.querySelector('[data-testid="stMain"]');
    if (main.scrollWidth > main.clientWidth + 1) {
        problems.push({problem: 'page scrolls sideways', width: main.scrollWidth, visible: main.clientWidth});
    }
    const cards = Array.from(document.querySelectorAll('[data-testid="stMetric"]'));
    for (const card of cards) {
        const box = card.getBoundingClientRect();
        const label = card.querySelector('[data-testid="stMetricLabel"]').innerText.trim();
        const parts = ['stMetricLabel', 'stMetricValue', 'stMetricDelta', 'stMetricDeltaDescription'];
        for (const id of parts) {
            const part = card.querySelector(`[data-testid="${id}"]`);
            if (!part) continue;
            const text = part.innerText.trim();
            for (const el of [part, ...part.querySelectorAll('*')]) {
                if (el instanceof SVGElement) continue;
                if (el.scrollWidth > el.clientWidth + 1) {
                    problems.push(
                        {label, part: id, text, problem: 'cut off', needs: el.scrollWidth, has: el.clientWidth});
                }
            }
            const walker = document.createTreeWalker(part, NodeFilter.SHOW_TEXT);
            for (let node = walker.nextNode(); node; node = walker.nextNode()) {
                if (!node.textContent.trim()) continue;
                const range = document.createRange();
                range.selectNodeContents(node);
                const rects = Array.from(range.getClientRects()).filter(r => r.width > 0);
                for (const r of rects) {
                    if (r.left < box.left - 0.5 || r.right > box.right + 0.5) {
                        problems.push({label, part: id, text, problem: 'outside its card'});
                    }
                    if (r.left < 0 || r.right > viewport) problems.push({label, part: id, text, problem: 'off screen'});
                }
                const lines = new Set(rects.map(r => Math.round(r.top)));
                if (id !== 'stMetricLabel' && lines.size > 1) {
                    problems.push({label, part: id, text, problem: `broken over ${lines.size} lines`});
                }
            }
        }
    }
    for (const [i, a] of cards.entries()) {
        for (const b of cards.slice(i + 1)) {
            const [p, q] = [a.getBoundingClientRect(), b.getBoundingClientRect()];
            if (p.left < q.right - 1 && q.left < p.right - 1 && p.top < q.bottom - 1 && q.top < p.bottom - 1) {
                const names = [a, b].map(card => card.innerText.split('\n')[0]);
                problems.push({problem: 'cards overlap', cards: names});
            }
        }
    }
    return problems;
}"""

# Cards per row of each card row (rows told apart by their top edge).
_CARDS_PER_ROW_JS = r"""() => Array.from(document.querySelectorAll('[data-testid="stHorizontalBlock"]'))
    .filter(block => block.querySelector(':scope > [data-testid="stElementContainer"] > [data-testid="stMetric"]'))
    .map(block => {
        const tops = Array.from(block.querySelectorAll(':scope > [data-testid="stElementContainer"]'))
            .map(card => Math.round(card.getBoundingClientRect().top));
        return Array.from(new Set(tops)).map(top => tops.filter(t => t === top).length);
    })"""

# Per chart: legend, axis titles and notes that are not wholly inside the chart, and the chart
# settings an executive relies on (no mode bar, no zoom, one hover per category on grouped bars).
_CHART_PROBLEMS_JS = r"""() => Array.from(document.querySelectorAll('[data-testid="stPlotlyChart"]')).map(chart => {
    const problems = [];
    const plot = chart.querySelector('.js-plotly-plot');
    const layout = plot._fullLayout;
    const box = chart.querySelector('svg.main-svg').getBoundingClientRect();
    const viewport = document.documentElement.clientWidth;
    if (box.left < 0 || box.right > viewport + 0.5) problems.push('chart off screen');
    const parts = plot.querySelectorAll(
        '.infolayer .legend, .infolayer [class^="g-"][class$="title"] text, .annotation-text-g text');
    for (const part of parts) {
        const r = part.getBoundingClientRect();
        if (r.width === 0) continue;
        const inside = r.left >= box.left - 1 && r.right <= box.right + 1
            && r.top >= box.top - 1 && r.bottom <= box.bottom + 1;
        if (!inside) problems.push(`cut off: ${part.textContent.slice(0, 30) || part.getAttribute('class')}`);
    }
    if (layout.showlegend !== false && plot._fullData.filter(t => t.showlegend).length > 1
            && !plot.querySelector('.infolayer .legend')) problems.push('legend missing');
    if (chart.querySelector('.modebar-btn')) problems.push('mode bar shown');
    // A chart that reports clicks gets 'pan' from Streamlit; with every axis fixed (checked next) a drag
    // moves nothing.
    if (![false, 'pan'].includes(layout.dragmode)) problems.push(`dragmode ${layout.dragmode}`);
    const movable = Object.keys(layout).filter(k => /^[xy]axis\d*$/.test(k) && !layout[k].fixedrange);
    if (movable.length) problems.push(`zoomable axes ${movable}`);
    const perPanel = {};
    for (const t of plot._fullData.filter(t => t.type === 'bar')) {
        perPanel[t.xaxis + t.yaxis] = (perPanel[t.xaxis + t.yaxis] || 0) + 1;
    }
    const grouped = layout.barmode === 'group' && Object.values(perPanel).some(n => n > 1);
    if (grouped && !String(layout.hovermode).endsWith('unified')) {
        problems.push(`hovermode ${layout.hovermode} on grouped bars`);
    }
    return problems;
})"""


def _tables(page: Page) -> list[dict]:
    """Per table: whether it is wider than its frame and scrolls sideways."""
    return page.get_by_test_id("stDataFrame").evaluate_all(
        """tables => tables.map(table => {
            const scroller = table.querySelector('.dvn-scroller');
            const r = table.getBoundingClientRect();
            return {wide: scroller.scrollWidth > scroller.clientWidth + 1,
                    scrolls: ['auto', 'scroll'].includes(getComputedStyle(scroller).overflowX),
                    offScreen: r.left < 0 || r.right > document.documentElement.clientWidth + 0.5};
        })"""
    )


def _first_column_stays(page: Page, index: int) -> bool:
    """Scroll a wide table to its right end: the pinned first column must look the same."""
    table = page.get_by_test_id("stDataFrame").nth(index)
    table.scroll_into_view_if_needed()
    box = table.bounding_box()
    strip = {"x": box["x"] + 2, "y": box["y"] + 2, "width": 44, "height": min(box["height"] - 4, 120)}
    before = page.screenshot(clip=strip)
    table.locator(".dvn-scroller").evaluate("s => { s.scrollLeft = s.scrollWidth; }")
    page.evaluate("() => new Promise(done => requestAnimationFrame(() => requestAnimationFrame(done)))")
    after = page.screenshot(clip=strip)
    table.locator(".dvn-scroller").evaluate("s => { s.scrollLeft = 0; }")
    return before == after


def _expect_viewer_chrome(page: Page, spec: PageSpec) -> None:
    expect(page.get_by_test_id("stAppDeployButton")).to_have_count(0)
    expect(page).to_have_title(f"{spec.title} · {APP_TITLE}")
    page.get_by_test_id("stMainMenu").click()
    items = page.locator('[data-testid^="stMainMenuItem-"]')
    expect(items.first).to_be_visible()
    shown = [i.get_attribute("data-testid") for i in items.all() if i.is_visible()]
    assert shown == VIEWER_MENU, shown
    page.keyboard.press("Escape")
    expect(items).to_have_count(0)


def _problems(page: Page, screen: str, *, pinned: bool) -> list:
    """Everything on the page as drawn now that is cut, clipped or off the screen (see the module doc);
    with `pinned`, also scroll each wide table to check its first column stays."""
    problems = page.evaluate(_CARD_PROBLEMS_JS)
    problems += [{"chart": i, "problems": p} for i, p in enumerate(page.evaluate(_CHART_PROBLEMS_JS)) if p]
    if screen == "phone":
        rows = page.evaluate(_CARDS_PER_ROW_JS)
        problems += [{"problem": "not two cards to a row", "rows": r} for r in rows if max(r) != 2]
    for i, table in enumerate(_tables(page)):
        if table["offScreen"]:
            problems.append({"problem": "table off screen", "table": i})
        if table["wide"] and not table["scrolls"]:
            problems.append({"problem": "wide table cannot scroll", "table": i})
        if table["wide"] and pinned and not _first_column_stays(page, i):
            problems.append({"problem": "first column scrolls away", "table": i})
    return problems


# Every page as it opens, and one firm's profile (its cards hold the longest values: 1,841만원).
VIEWS = [pytest.param(spec, "", id=spec.url_path) for spec in PAGES] + [
    pytest.param(next(s for s in PAGES if s.url_path == "companies"), "company=C161", id="company-profile")
]


@pytest.mark.parametrize(("spec", "query"), VIEWS)
def test_every_screen_shows_whole_numbers_and_no_developer_chrome(new_context, base_url: str, spec: PageSpec, query):
    context = new_context()
    requested: list[str] = []
    context.on("request", lambda request: requested.append(request.url))
    page = context.new_page()
    page.set_viewport_size(browser.SCREENS["1920x1080"])
    browser.open_app(page, base_url, browser.page_path(spec), query)
    _expect_viewer_chrome(page, spec)
    icons = page.locator("link[rel~='icon']")
    expect(icons).not_to_have_count(0)
    for href in (i.get_attribute("href") for i in icons.all()):
        assert urlsplit(href).hostname in (None, "127.0.0.1"), href

    found = {}
    for scheme in ("light", "dark"):
        page.emulate_media(color_scheme=scheme)
        for name, size in browser.SCREENS.items():
            browser.resize(page, size)
            problems = _problems(page, name, pinned=scheme == "light")
            if problems:
                # Streamlit may still be re-measuring after a resize or a theme switch: only a
                # problem that is still there a moment later counts.
                page.wait_for_timeout(1000)
                problems = _problems(page, name, pinned=scheme == "light")
            if problems:
                found[f"{name} {scheme}"] = problems
    assert not found, found
    # A blob: URL is an object the page made in memory (a component's inline script), named by its origin.
    elsewhere = sorted({url for url in requested if urlsplit(url.removeprefix("blob:")).hostname != "127.0.0.1"})
    assert not elsewhere, f"fetched from other hosts: {elsewhere}"
