"""개요's 비교 mode in Chromium on a phone: a link with set B opens both sets' cards stacked (B under A,
each card whole) and keeps both sets in the URL (switching the mode off: tests/test_compare.py)."""

from __future__ import annotations

from playwright.sync_api import Page, expect

from tests.e2e import browser


def test_compare_link_on_a_phone_stacks_the_sets(page: Page, base_url: str):
    phone = browser.SCREENS["phone"]
    page.set_viewport_size(phone)
    browser.open_app(page, base_url, "/", "tier=2&compare=1&vs_tier=3")
    cards = page.locator('[data-testid="stMetric"]:not([data-stale="true"] *)')
    expect(cards).to_have_count(14)
    a = page.get_by_role("heading", name="A: 2013–2020 · 2차")
    b = page.get_by_role("heading", name="B: 2013–2020 · 3차")
    # Stacked: B's heading starts below A's last card, and no card is wider than the screen.
    assert b.bounding_box()["y"] > cards.nth(6).bounding_box()["y"] > a.bounding_box()["y"]
    assert all(box["x"] + box["width"] <= phone["width"] for box in (cards.nth(i).bounding_box() for i in range(14)))
    assert browser.query_of(page.url) == {"tier": ["2"], "compare": ["1"], "vs_tier": ["3"]}
