"""The dashboard as an executive sees it in Chromium: every page renders its cards and titled charts
in a Korean font, the sidebar filters change the numbers and round-trip through the URL, the filters
survive page changes, and a bad URL value only warns."""

from __future__ import annotations

import subprocess
import tomllib

import pytest
from playwright.sync_api import Page, expect
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

from dashboard.navigation import PAGES, PageSpec
from tests.e2e import browser
from tests.reference import read_frames

# Card labels and order as the dashboard issue specifies them.
CARD_LABELS = ["지원 기업", "지원금", "재무성과", "성과배수", "성과공유 계약", "과제 완료율", "평균 개선율"]
# The Plotly charts each page must show at least (a new page must be added here).
MIN_CHARTS = {"overview": 4, "companies": 1, "tasks": 2, "outcomes": 2, "data": 0}
KMT_ID, KMT_NAME = "C161", "경민테크"


def ids(spec: PageSpec) -> str:
    return spec.url_path


def expect_no_errors(page: Page) -> None:
    """No exception box, no st.error, no dialog (Streamlit's "Page not found" is one), no "Error" text."""
    expect(page.get_by_test_id("stException")).to_have_count(0)
    expect(page.get_by_role("dialog")).to_have_count(0)
    expect(page.get_by_test_id("stAlertContentError")).to_have_count(0)
    expect(page.get_by_test_id("stApp")).not_to_contain_text("Error")


def expect_no_tofu(page: Page) -> None:
    found = browser.tofu(page)
    assert found["hangul"] > 0, "no Hangul text was checked"
    assert not found["missing"], f"drawn as boxes: {found['missing']}"


def expect_query(page: Page, expected: dict[str, list[str]]) -> None:
    """The URL's query becomes exactly `expected` (the app rewrites it during its run)."""
    try:
        page.wait_for_url(lambda url: browser.query_of(url) == expected, timeout=browser.APP_TIMEOUT_MS)
    except PlaywrightTimeoutError:
        assert browser.query_of(page.url) == expected, f"URL {page.url}"


def expect_years(page: Page, year_from: int, year_to: int) -> None:
    expect(browser.year_thumb(page, "start")).to_have_attribute("aria-valuetext", str(year_from))
    expect(browser.year_thumb(page, "end")).to_have_attribute("aria-valuetext", str(year_to))


def expect_cards(page: Page, values: dict[str, str]) -> None:
    for label, value in values.items():
        expect(browser.card_value(page, label)).to_have_text(value)


def chart_problems(page: Page) -> list[dict]:
    """Per drawn Plotly chart: its value axes (numeric, with tick labels) lacking a title with a unit
    in parentheses, e.g. 금액(억원), and its hoverable traces without a Korean hover template."""
    return page.get_by_test_id("stPlotlyChart").evaluate_all(
        r"""charts => charts.map(chart => {
            const plot = chart.querySelector('.js-plotly-plot');
            const layout = plot._fullLayout;
            const untitled = Object.keys(layout)
                .filter(key => /^[xy]axis\d*$/.test(key))
                .filter(key => ['linear', 'log'].includes(layout[key].type))
                .filter(key => layout[key].visible !== false && layout[key].showticklabels !== false)
                .filter(key => !/\(.+\)/.test(layout[key].title.text || ''))
                .map(key => `${key}: '${layout[key].title.text || ''}'`);
            const hangul = /\p{Script=Hangul}/u;
            const englishHover = plot._fullData
                .filter(trace => !['skip', 'none'].includes(trace.hoverinfo))
                .filter(trace => !hangul.test(trace.hovertemplate || ''))
                .map(trace => trace.name);
            return {untitled, englishHover};
        })"""
    )


def expect_page_content(page: Page, spec: PageSpec) -> None:
    """Title, the cards (overview) and at least MIN_CHARTS drawn charts, titled with units, hovering in Korean."""
    expect(page.get_by_test_id("stMain").locator("h1")).to_be_visible()
    if spec.url_path == "overview":
        expect(page.get_by_test_id("stMetricLabel")).to_have_text(CARD_LABELS)
        for value in page.get_by_test_id("stMetricValue").all():
            expect(value).not_to_be_empty()
    charts = page.get_by_test_id("stPlotlyChart")
    minimum = MIN_CHARTS[spec.url_path]
    if minimum:
        expect(charts.nth(minimum - 1)).to_be_attached()
    for chart in charts.all():
        expect(chart.locator("svg.main-svg").first).to_be_attached()
    for n, problems in enumerate(chart_problems(page)):
        assert problems == {"untitled": [], "englishHover": []}, f"chart {n} on {spec.url_path}: {problems}"


@pytest.fixture(scope="module")
def kmt_2020() -> dict[str, str]:
    """경민테크 alone in 2020, computed with pandas from the sample (not through the app)."""
    frames = read_frames(browser.SAMPLE_DIR)
    companies = frames["companies"].set_index("company_id")
    assert companies.loc[KMT_ID, "company_name"] == KMT_NAME
    part = frames["participations"]
    rows = part[(part["company_id"] == KMT_ID) & (part["year"] == 2020)]
    support = (rows["consulting_krw"] + rows["equipment_krw"]).sum()
    return {"지원 기업": f"{rows['company_id'].nunique()}개사", "지원금": f"{support / 1e8:,.1f}억원"}


@pytest.mark.parametrize("spec", PAGES, ids=ids)
def test_page_loads_with_its_cards_and_charts(page: Page, base_url: str, spec: PageSpec):
    browser.open_app(page, base_url, browser.page_path(spec))
    expect_no_errors(page)
    expect(browser.nav_labels(page)).to_have_text([p.title for p in PAGES])
    expect_page_content(page, spec)


def test_filters_change_the_cards_and_the_url_and_the_link_restores_the_view(
    page: Page, base_url: str, new_context, kmt_2020: dict[str, str]
):
    browser.open_app(page, base_url)
    expect_cards(page, {"지원 기업": "161개사", "지원금": "32.0억원", "재무성과": "72.0억원"})
    expect_query(page, {})

    browser.year_thumb(page, "end").press("ArrowLeft")
    expect_cards(page, {"지원 기업": "144개사", "지원금": "28.0억원", "재무성과": "72.0억원"})
    expect_query(page, {"to": ["2019"]})

    browser.year_thumb(page, "end").press("End")
    expect_cards(page, {"지원 기업": "161개사"})
    browser.year_thumb(page, "start").press("End")
    expect_cards(page, {"지원 기업": "20개사"})
    expect_query(page, {"from": ["2020"]})

    browser.choose(page, browser.COMPANY_LABEL, KMT_NAME)
    expect_cards(page, kmt_2020)
    expect_query(page, {"from": ["2020"], "company": [KMT_ID]})
    browser.wait_idle(page)
    seen = browser.card_values(page)
    assert list(seen) == CARD_LABELS

    shared = new_context().new_page()
    shared.goto(page.url, wait_until="domcontentloaded")
    browser.wait_idle(shared)
    expect_cards(shared, seen)
    expect_years(shared, 2020, 2020)
    expect(browser.selected_tags(shared, browser.COMPANY_LABEL)).to_have_text([KMT_NAME])
    expect_query(shared, {"from": ["2020"], "company": [KMT_ID]})


def test_navigating_between_pages_keeps_the_filters(page: Page, base_url: str, kmt_2020: dict[str, str]):
    wanted = {"from": ["2020"], "company": [KMT_ID]}
    browser.open_app(page, base_url, query="from=2020&company=C161")
    expect_cards(page, kmt_2020)
    default = browser.default_page()
    heading = page.get_by_test_id("stMain").locator("h1").first
    for spec in [*PAGES[1:], default]:
        previous = heading.inner_text()
        browser.nav_link(page, spec.title).click()
        expect(heading).not_to_have_text(previous)
        path = browser.page_path(spec)
        page.wait_for_url(lambda url, path=path: browser.path_of(url) == path)
        browser.wait_idle(page)
        expect(page.get_by_test_id("stSidebarNavLink").and_(page.locator("[aria-current=page]"))).to_contain_text(
            spec.title
        )
        expect_query(page, wanted)
        expect_years(page, 2020, 2020)
        expect(browser.selected_tags(page, browser.COMPANY_LABEL)).to_have_text([KMT_NAME])
        expect_no_errors(page)
    expect_cards(page, kmt_2020)


def korean_font_families() -> set[str]:
    """Families fontconfig says cover Korean (each localized name too, e.g. NanumGothic and 나눔고딕)."""
    listed = subprocess.run(["fc-list", ":lang=ko", "family"], capture_output=True, text=True, check=True).stdout
    return {name.strip() for line in listed.splitlines() for name in line.split(",") if name.strip()}


def families(css_value: str) -> list[str]:
    return [name.strip().strip("'\"") for name in css_value.split(",")]


def platform_fonts(page: Page, selector: str) -> list[dict]:
    """The fonts Chromium actually drew the first `selector` element's own text with."""
    cdp = page.context.new_cdp_session(page)
    root = cdp.send("DOM.getDocument", {"depth": -1})["root"]["nodeId"]
    cdp.send("CSS.enable")
    node = cdp.send("DOM.querySelector", {"nodeId": root, "selector": selector})["nodeId"]
    assert node, f"nothing matches {selector}"
    fonts = cdp.send("CSS.getPlatformFontsForNode", {"nodeId": node})["fonts"]
    cdp.detach()
    return fonts


@pytest.mark.parametrize("spec", PAGES, ids=ids)
def test_korean_text_uses_a_korean_font(page: Page, base_url: str, spec: PageSpec, screenshots_dir):
    browser.open_app(page, base_url, browser.page_path(spec))
    expect_page_content(page, spec)
    theme_font = families(tomllib.loads((browser.ROOT / ".streamlit" / "config.toml").read_text())["theme"]["font"])
    texts = ['[data-testid="stMain"] h1', '[data-testid="stSidebarNavLink"] p']
    for selector in texts:
        computed = families(page.locator(selector).first.evaluate("el => getComputedStyle(el).fontFamily"))
        assert computed[: len(theme_font)] == theme_font, f"{selector}: {computed}"
    if MIN_CHARTS[spec.url_path]:
        texts.append('[data-testid="stPlotlyChart"] [class^="g-y"][class$="title"] text')
    korean = korean_font_families()
    for selector in texts:
        fonts = platform_fonts(page, selector)
        assert fonts and all(f["familyName"] in korean and f["glyphCount"] > 0 for f in fonts), (selector, fonts)
    expect_no_tofu(page)
    browser.full_page_screenshot(page, screenshots_dir / f"{spec.url_path}.png")


@pytest.mark.parametrize("spec", PAGES, ids=ids)
def test_invalid_url_values_warn_and_the_page_still_renders(page: Page, base_url: str, spec: PageSpec):
    browser.open_app(page, base_url, browser.page_path(spec), "tier=9&from=abc")
    warnings = page.get_by_test_id("stAlertContentWarning")
    expect(warnings.filter(has_text="'tier'")).to_contain_text("'9'")
    expect(warnings.filter(has_text="'from'")).to_contain_text("'abc'")
    expect_no_errors(page)
    expect_page_content(page, spec)
    expect_years(page, 2013, 2020)
    expect_query(page, {})
    expect_no_tofu(page)
    if spec.url_path == "overview":
        expect_cards(page, {"지원 기업": "161개사", "지원금": "32.0억원", "재무성과": "72.0억원"})


def test_deep_link_on_a_fresh_server_opens_the_dashboard(page: Page, fresh_base_url: str):
    """A shared link is often the first request a freshly started server gets."""
    browser.open_app(page, fresh_base_url, "/companies", f"company={KMT_ID}")
    expect(browser.nav_labels(page)).to_have_text([p.title for p in PAGES])
    expect(browser.selected_tags(page, browser.COMPANY_LABEL)).to_have_text([KMT_NAME])
    expect_no_errors(page)


def test_dark_theme_keeps_text_and_charts_readable(new_context, base_url: str, screenshots_dir):
    page = new_context("dark").new_page()
    browser.open_app(page, base_url)
    expect_page_content(page, browser.default_page())
    colours = page.evaluate(
        """() => {
            const rgb = el => getComputedStyle(el).color;
            const chart = document.querySelector('[data-testid="stPlotlyChart"]');
            return {
                background: getComputedStyle(document.querySelector('[data-testid="stApp"]')).backgroundColor,
                title: rgb(document.querySelector('[data-testid="stMain"] h1')),
                card: rgb(document.querySelector('[data-testid="stMetricValue"]')),
                tick: chart.querySelector('.xtick text').style.fill,
                axis_title: chart.querySelector('.g-xtitle text').style.fill,
                paper: chart.querySelector('svg.main-svg').style.background,
            };
        }"""
    )
    background = colours["background"]
    assert luminance(background) < 0.1, colours
    for name in ("title", "card", "tick", "axis_title"):
        assert contrast(colours[name], background) >= 4.5, (name, colours)
    assert colours["paper"] in (background, "rgba(0, 0, 0, 0)", "transparent"), colours
    browser.full_page_screenshot(page, screenshots_dir / "overview-dark.png")


def _channels(css: str) -> list[float]:
    inside = css[css.index("(") + 1 : css.index(")")]
    return [float(v) for v in inside.replace("/", ",").split(",")[:3]]


def luminance(css: str) -> float:
    """WCAG relative luminance of an rgb()/rgba() colour."""
    linear = [c / 255 / 12.92 if c / 255 <= 0.03928 else ((c / 255 + 0.055) / 1.055) ** 2.4 for c in _channels(css)]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(foreground: str, background: str) -> float:
    light, dark = sorted((luminance(foreground), luminance(background)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def test_contrast_helper_tells_readable_from_unreadable():
    assert contrast("rgb(255, 255, 255)", "rgb(0, 0, 0)") == pytest.approx(21)
    assert contrast("rgb(40, 40, 40)", "rgb(23, 22, 20)") < 1.5
