"""Hostile names and URLs in a real browser: a data folder made from the sample with firm, industry,
region and indicator names full of Markdown, HTML and Plotly templates, and URLs with images and links
in their values. Every request to a host other than 127.0.0.1 is blocked and recorded; no page may
make one, show a link or image the data put there, or run the data's script."""

from __future__ import annotations

from urllib.parse import quote, urlsplit

import pandas as pd
import pytest

from tests.e2e import browser

EVIL = "evil.example"
FIRM_NAMES = (
    "![x](https://evil.example/track.png)이미지",
    '<img src=x onerror="window.__pwned=1">태그',
    "[링크](https://evil.example/) <a href='https://evil.example/a'>a</a>",
    "%{customdata[0]}<b>굵게</b>",
)
# Any element that links to, loads from or runs for the outside host (Plotly's `data-unformatted` keeps
# the raw label as an inert attribute), and the marker a run script would set.
INJECTED = """() => ({
    pwned: window.__pwned !== undefined,
    elements: Array.from(document.querySelectorAll('*')).filter(el => Array.from(el.attributes).some(a =>
        (/^(href|xlink:href|src|srcset|style|action|formaction|poster|data)$/.test(a.name) || a.name.startsWith('on'))
        && (a.value.includes('evil.example') || a.name.startsWith('on') && a.value.includes('__pwned'))
    )).map(el => el.outerHTML.slice(0, 200)),
})"""


@pytest.fixture(scope="module")
def hostile_url(tmp_path_factory):
    folder = tmp_path_factory.mktemp("hostile_data")
    companies = pd.read_parquet(browser.SAMPLE_DIR / "companies.parquet")
    companies["company_name"] = [
        f"{FIRM_NAMES[i % len(FIRM_NAMES)]}{i}" if i < 40 else name for i, name in enumerate(companies["company_name"])
    ]
    companies["industry"] = "<b>" + companies["industry"] + "</b>[업](https://evil.example/i)"
    companies["region"] = "![r](https://evil.example/r.png)" + companies["region"]
    companies.to_parquet(folder / "companies.parquet")
    outcomes = pd.read_parquet(browser.SAMPLE_DIR / "outcomes.parquet")
    outcomes["indicator"] = "<a href='https://evil.example/p'>" + outcomes["indicator"] + "</a>%{y}"
    outcomes.to_parquet(folder / "outcomes.parquet")
    for name in ("participations", "tasks"):
        pd.read_parquet(browser.SAMPLE_DIR / f"{name}.parquet").to_parquet(folder / f"{name}.parquet")
    with browser.serve(tmp_path_factory.mktemp("hostile_server"), data_dir=folder) as url:
        yield url


def test_hostile_names_and_urls_stay_text_and_reach_no_other_host(new_context, hostile_url):
    context = new_context()
    outside: list[str] = []

    def guard(route):
        if urlsplit(route.request.url).hostname not in ("127.0.0.1", None):
            outside.append(route.request.url)
            route.abort()
        else:
            route.continue_()

    context.route("**/*", guard)
    page = context.new_page()
    hostile_query = (
        f"from={quote('![x](https://evil.example/u.png)')}&industry={quote('[l](https://evil.example/l)')}"
        f"&{quote('<img src=https://evil.example/k.png>')}=1"
    )
    # The default page is visited with the hostile URL; the others as they open.
    visits = [(browser.page_path(spec), "") for spec in browser.PAGES[1:]]
    visits += [("/companies", "company=C001"), (browser.page_path(browser.PAGES[0]), hostile_query)]
    for path, query in visits:
        browser.open_app(page, hostile_url, path, query)
        found = page.evaluate(INJECTED)
        assert found == {"pwned": False, "elements": []}, (path, query)
        if query == "company=C001":
            # The profile heading shows the firm's name as the characters it is.
            heading = page.get_by_test_id("stMain").get_by_role("heading", level=3).first.inner_text()
            assert heading.replace("\u2060", "").startswith("![x](https://evil.example/track.png)이미지")
        if query == hostile_query:
            warnings = page.get_by_test_id("stAlertContentWarning").all_inner_texts()
            assert any("![x](https://evil.example/u.png)" in w.replace("\u2060", "") for w in warnings), warnings
    assert outside == []
