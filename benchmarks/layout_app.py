"""The app's own frame without its data work, for the browser benchmark (`browser.py --layout`): app.py's
router (style, print script, access, page list, the shared sidebar with its widgets and URL sync) and
개요's header (title, chips, period presets, 링크 복사, 비교 toggle) and card row, as the product draws them,
but the card values come from one `kpi_summary` row read once per data version, with 지원 기업 set from
the period so that every filter change shows new values. What this misses of the limit is the cost of
Streamlit drawing the app's elements, not of its queries, figures or tables.

Two pages (FLOOR_PAGES' titles), like benchmarks/empty_app.py, for the page switch.

`BENCH_LAYOUT_LEAVE_OUT` (comma-separated; this app only) leaves parts out, to weigh each: `header`
(the title, chips, presets, 링크 복사 and 비교 toggle), `sparklines` (the cards without their trend line),
`filters` (the sidebar without its filter widgets: the year slider alone, which the benchmark moves)."""

import os
from contextlib import nullcontext
from pathlib import Path
from unittest.mock import patch

import streamlit as st

from dashboard import access, cards
from dashboard.filters import Filters, Options
from dashboard.navigation import APP_TITLE
from dashboard.view import context, sidebar
from dashboard.view.layout import slot

ROOT = Path(__file__).resolve().parents[1]

st.set_page_config(page_title=APP_TITLE, page_icon=str(ROOT / "assets" / "favicon.png"), layout="wide")
st.html(ROOT / "dashboard" / "style.css")
PRINT_FIT = (ROOT / "dashboard" / "print.js").read_text(encoding="utf-8")
st.html(f"<script>{PRINT_FIT}</script>", unsafe_allow_javascript=True)
gate = access.resolve()


@st.cache_resource
def whole_period(fingerprint: str, _ctx: context.PageContext) -> tuple[dict, object]:
    """The `kpi_summary` row and `kpi_by_year` rows of the whole data, once per data version."""
    everything = _ctx.filters.without("year", _ctx.options)
    return dict(_ctx.row("kpi_summary", filters=everything)), _ctx.query("kpi_by_year", filters=everything)


LEAVE_OUT = set(filter(None, os.environ.get("BENCH_LAYOUT_LEAVE_OUT", "").split(",")))


def year_slider_alone(options: Options, source: object, viewer: object) -> Filters:
    """The sidebar's filter widgets as the `filters` variant draws them: the year slider alone."""
    year_from, year_to = st.sidebar.slider("기수(연도)", min(options.years), max(options.years), key=sidebar.YEARS_KEY)
    return Filters(year_from, year_to)


def layout() -> None:
    ctx = context.page_context()
    if "header" not in LEAVE_OUT:
        st.title("산업혁신운동 성과 개요")
        header = ctx.context_line(with_presets=True)
        header.container(width="content")  # 브리핑 PDF's place
        ctx.compare_filters(header)
    slot()  # 핵심 요약's place
    row, by_year = whole_period(ctx.source.fingerprint, ctx)
    f = ctx.filters
    row = row | {"firms": f.year_from * 10 + f.year_to - f.year_from}
    # The trend lines change with the period, as the page's do; one point draws none.
    by_year = (
        by_year.iloc[:1] if "sparklines" in LEAVE_OUT else by_year[by_year["year"].between(f.year_from, f.year_to)]
    )
    previous = f.previous()
    cards.render(row, by_year, (previous.year_from, previous.year_to), ctx.source.stamp)


def one() -> None:
    layout()


def two() -> None:
    layout()


page = st.navigation(
    [st.Page(one, title="빈 쪽 1", default=True), st.Page(two, title="빈 쪽 2")],
    position="sidebar" if isinstance(gate, access.Viewer) else "hidden",
)
st.set_page_config(page_title=f"{page.title} · {APP_TITLE}")
access.show_identity(access.admit(gate))
st.sidebar.caption("한국서부발전 산업혁신운동 성과 대시보드")
# The `filters` variant: the router's sidebar (URL sync, warnings) with no widget but the slider, for this
# run only (AppTest runs this script in the tests' own process).
with patch.object(sidebar, "_widgets", year_slider_alone) if "filters" in LEAVE_OUT else nullcontext():
    context.stash_context(context.build_context())
try:
    page.run()
finally:
    context.clear_stash()
