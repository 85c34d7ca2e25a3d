"""Explore by clicking in Chromium (issue 12): a click on a bar filters every card (checked against the
pandas reference), a shift-click adds, a chip undoes, 기업 보기 drills through, Back restores, a stale
value in a link warns, a link copied with 링크 복사 restores the whole view in a fresh browser, and
"which firms make up the 충남 support, and how does the largest compare with its peers" takes three
clicks from 개요. 개요's header is one row, so its cards are on the first screen."""

from __future__ import annotations

from pathlib import Path

from playwright.sync_api import Page, expect

from dashboard import export
from dashboard.filters import Filters
from tests import reference
from tests.e2e import browser
from tests.e2e.test_browser import expect_cards, expect_query
from tests.helpers import expected_cards

# The centre of mark `point` of trace `trace` in the chart under widget key `key` (scrolled into view)
# and the filter value it carries (the last item of its customdata). `point` may be that value instead.
MARK = """([key, trace, point]) => {
    const plot = document.querySelector(`[class*="st-key-${key}"] .js-plotly-plot`);
    const rows = plot.data[trace].customdata;
    if (typeof point === 'string') point = rows.findIndex(row => row[row.length - 1] === point);
    const bar = plot.querySelectorAll('.barlayer .trace')[trace].querySelectorAll('.point')[point];
    bar.scrollIntoView({block: 'center'});
    const box = bar.getBoundingClientRect();
    const row = plot.data[trace].customdata[point];
    return {x: box.x + box.width / 2, y: box.y + box.height / 2, value: row[row.length - 1]};
}"""


def click_mark(page: Page, key: str, trace: int, point: int | str, *, shift: bool = False) -> str:
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
    # The region chart sits in the second column beside the industry chart: the chips and 기업 보기
    # that the first click adds above must not draw it afresh (it would lose Plotly's selection).
    browser.open_app(page, base_url, "/", "region=없는지역")
    expect(page.get_by_test_id("stAlert").filter(has_text="없는지역")).to_have_count(1)
    expect_query(page, {})
    first = click_mark(page, "outcome_by_region", 0, 0)
    expect_query(page, {"region": [first]})
    expect_cards(page, expected_cards(sample_ref, regions(first)))

    second = click_mark(page, "outcome_by_region", 0, 1, shift=True)
    expect_query(page, {"region": [first, second]})
    expect_cards(page, expected_cards(sample_ref, regions(first, second)))

    page.locator(".st-key-filter_chips").get_by_role("button", name=second, exact=True).click()
    expect_query(page, {"region": [first]})
    expect_cards(page, expected_cards(sample_ref, regions(first)))

    page.get_by_role("link", name="기업 보기").click()
    page.wait_for_url(lambda url: browser.path_of(url).endswith("/companies"))
    expect_query(page, {"region": [first], "firm_sort": ["support"]})
    expect(page.get_by_role("heading", name="기업별 성과 순위")).to_be_visible()
    expect(browser.card_value(page, "지원 기업")).to_have_count(0)

    page.go_back()
    page.wait_for_url(lambda url: not browser.path_of(url).endswith("/companies"))
    expect_query(page, {"region": [first]})
    expect_cards(page, expected_cards(sample_ref, regions(first)))


def listed_firms(page: Page) -> list[str]:
    """The leaderboard's firms in its order, all of them, from its CSV download (the table is a canvas)."""
    with page.expect_download() as download:
        page.locator(".st-key-leaderboard_csv button").click()
    return list(export.read_csv_table(Path(download.value.path()).read_bytes())["기업명"])


def test_three_clicks_from_the_overview_to_how_a_chungnam_firm_compares_with_its_peers(
    page: Page, base_url: str, sample_ref
):
    """Issue 12's done-when at 1366×768: the 충남 bar, 기업 보기, the first row; no typing."""
    clicks = 0
    browser.open_app(page, base_url, "/")
    click_mark(page, "outcome_by_region", 0, "충남")
    clicks += 1
    expect_query(page, {"region": ["충남"]})
    expect_cards(page, expected_cards(sample_ref, regions("충남")))

    page.get_by_role("link", name="기업 보기").click()
    clicks += 1
    page.wait_for_url(lambda url: browser.path_of(url).endswith("/companies"))
    browser.wait_idle(page)
    expect_query(page, {"region": ["충남"], "firm_sort": ["support"]})
    chungnam = regions("충남").params() | {"search": "", "limit": None, "sort": "support", "descending": True}
    board = reference.compute(sample_ref, "company_leaderboard", chungnam)
    assert listed_firms(page) == list(board["company_name"])

    # The first row: the leaderboard's first firm (the reference's order), chosen by its selection box.
    grid = page.get_by_test_id("stDataFrame").first
    grid.evaluate("grid => grid.scrollIntoView({block: 'center'})")
    box = grid.bounding_box()
    page.mouse.click(box["x"] + 18, box["y"] + 35 + 17)
    clicks += 1
    first = board.iloc[0]
    expect_query(page, {"region": ["충남"], "company": [first["company_id"]], "firm_sort": ["support"]})
    expect(page.get_by_role("heading", name=f"{first['company_name']} 프로필")).to_be_visible()
    expect(page.get_by_text("동종 기업과 비교", exact=True)).to_be_visible()
    expect(page.get_by_text("비교 집단:")).to_be_visible()
    assert clicks == 3


def boxes(page: Page, selector: str) -> list[dict]:
    return page.locator(selector).evaluate_all("els => els.map(e => e.getBoundingClientRect().toJSON())")


def overlap(a: dict, b: dict) -> bool:
    return a["left"] < b["right"] and b["left"] < a["right"] and a["top"] < b["bottom"] and b["top"] < a["bottom"]


def test_the_overview_header_is_one_row_and_the_cards_are_on_the_first_screen(page: Page, base_url: str):
    browser.open_app(page, base_url, "/")
    header = ".st-key-page_header > div"
    items = boxes(page, header)
    assert len(items) == 4, "presets, 링크 복사, 브리핑 PDF, 비교 모드"
    assert len({round(b["top"] + b["height"] / 2) for b in items}) == 1, f"not one row: {items}"
    card = boxes(page, '[data-testid="stMetric"]')[0]
    assert card["top"] >= 0 and card["bottom"] <= 768 and card["right"] <= 1366, card

    browser.resize(page, {"width": 390, "height": 844})
    blocks = boxes(page, f"{header}, .st-key-summary, [data-testid='stMetric']")
    for group in (blocks, boxes(page, ".st-key-period_presets button")):
        for i, a in enumerate(group):
            assert a["right"] <= 390, f"wider than the phone: {a}"
            assert not any(overlap(a, b) for b in group[i + 1 :]), f"{a} overlaps another of {group}"


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
