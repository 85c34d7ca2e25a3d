"""Explore by clicking in Chromium (issue 12): a click on a bar filters every card (checked against the
pandas reference), a shift-click adds, a chip undoes, 기업 보기 drills through, Back restores, a stale
value in a link warns, and a link copied with 링크 복사 restores the whole view in a fresh browser."""

from __future__ import annotations

from playwright.sync_api import Page, expect

from dashboard.filters import Filters
from tests.e2e import browser
from tests.e2e.test_browser import expect_cards, expect_query
from tests.helpers import expected_cards

# The centre of mark `point` of trace `trace` in the chart under widget key `key` (scrolled into view)
# and the filter value it carries (the last item of its customdata).
MARK = """([key, trace, point]) => {
    const plot = document.querySelector(`[class*="st-key-${key}"] .js-plotly-plot`);
    const bar = plot.querySelectorAll('.barlayer .trace')[trace].querySelectorAll('.point')[point];
    bar.scrollIntoView({block: 'center'});
    const box = bar.getBoundingClientRect();
    const row = plot.data[trace].customdata[point];
    return {x: box.x + box.width / 2, y: box.y + box.height / 2, value: row[row.length - 1]};
}"""


def click_mark(page: Page, key: str, trace: int, point: int, *, shift: bool = False) -> str:
    mark = page.evaluate(MARK, [key, trace, point])
    page.mouse.move(mark["x"], mark["y"])
    if shift:
        page.keyboard.down("Shift")
    page.mouse.click(mark["x"], mark["y"])
    if shift:
        page.keyboard.up("Shift")
    return mark["value"]


def regions(*names: str) -> Filters:
    return Filters(2013, 2020, regions=names)


def test_stale_link_click_shift_click_chip_drill_through_and_back(page: Page, base_url: str, sample_ref):
    browser.open_app(page, base_url, "/", "overview_tab=지역별&region=없는지역")
    expect(page.get_by_test_id("stAlert").filter(has_text="없는지역")).to_have_count(1)
    expect_query(page, {"overview_tab": ["지역별"]})
    first = click_mark(page, "outcome_by_region", 0, 0)
    expect_query(page, {"region": [first], "overview_tab": ["지역별"]})
    expect_cards(page, expected_cards(sample_ref, regions(first)))

    second = click_mark(page, "outcome_by_region", 0, 1, shift=True)
    expect_query(page, {"region": [first, second], "overview_tab": ["지역별"]})
    expect_cards(page, expected_cards(sample_ref, regions(first, second)))

    page.locator(".st-key-filter_chips").get_by_role("button", name=second, exact=True).click()
    expect_query(page, {"region": [first], "overview_tab": ["지역별"]})
    expect_cards(page, expected_cards(sample_ref, regions(first)))

    page.get_by_role("link", name="기업 보기").click()
    page.wait_for_url(lambda url: browser.path_of(url).endswith("/companies"))
    expect_query(page, {"region": [first], "overview_tab": ["지역별"]})
    expect(page.get_by_role("heading", name="기업별 성과 순위")).to_be_visible()
    expect(browser.card_value(page, "지원 기업")).to_have_count(0)

    page.go_back()
    page.wait_for_url(lambda url: not browser.path_of(url).endswith("/companies"))
    expect_query(page, {"region": [first], "overview_tab": ["지역별"]})
    expect_cards(page, expected_cards(sample_ref, regions(first)))
    expect(page.get_by_role("radio", name="지역별")).to_have_attribute("aria-checked", "true")


def test_a_copied_link_restores_the_view_in_a_fresh_browser(new_context, base_url: str):
    context = new_context()
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=base_url)
    page = context.new_page()
    state = "from=2016&tier=2&task_search=공정&task_status=done&task_domain=경영"
    browser.open_app(page, base_url, "/tasks", state)
    page.get_by_role("button", name="링크 복사").click()
    expect(page.get_by_role("button", name="복사했습니다")).to_be_visible()
    copied = page.evaluate("() => navigator.clipboard.readText()")
    assert copied == page.url
    shown = page.get_by_test_id("stDataFrame").last.inner_text()

    fresh = new_context().new_page()
    fresh.goto(copied, wait_until="domcontentloaded")
    browser.wait_idle(fresh)
    assert browser.query_of(fresh.url) == browser.query_of(copied)
    expect(fresh.get_by_role("textbox", name="과제명·기업명 검색")).to_have_value("공정")
    expect(browser.selected_tags(fresh, "협력 차수")).to_have_text(["2차"])
    assert browser.card_values(fresh) == browser.card_values(page)
    assert fresh.get_by_test_id("stDataFrame").last.inner_text() == shown
