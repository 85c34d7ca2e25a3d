"""Router of the 산업혁신운동 성과 대시보드: who may look, page list, shared sidebar (filters), then the page."""

from pathlib import Path

import streamlit as st

from dashboard import access
from dashboard.navigation import APP_TITLE, PAGES
from dashboard.view import context, firstpaint

HERE = Path(__file__).parent
# A file from the repository: a Material icon name would make every browser fetch the favicon from
# a public font CDN, which an offline intranet cannot reach.
FAVICON = HERE / "assets" / "favicon.png"

st.set_page_config(page_title=APP_TITLE, page_icon=str(FAVICON), layout="wide")
st.html(HERE / "dashboard" / "style.css")
# Our own static script (no data in it): fits the page to A4 when the browser prints.
PRINT_FIT = (HERE / "dashboard" / "print.js").read_text(encoding="utf-8")
st.html(f"<script>{PRINT_FIT}</script>", unsafe_allow_javascript=True)
# Who is looking is settled before any data is opened; a refused visitor sees no page list either.
gate = access.resolve()
page = st.navigation(
    [st.Page(p.path, title=p.title, icon=p.icon, url_path=p.url_path, default=i == 0) for i, p in enumerate(PAGES)],
    position="sidebar" if isinstance(gate, access.Viewer) else "hidden",
)
# Each page its own browser tab title, so several open tabs can be told apart.
st.set_page_config(page_title=f"{page.title} · {APP_TITLE}")
access.show_identity(access.admit(gate))
st.sidebar.caption("한국서부발전 산업혁신운동 성과 대시보드")
spec = next(p for p in PAGES if p.title == page.title)
firstpaint.begin()
context.stash_context(context.build_context(allow_broken=spec.opens_on_broken_data))
try:
    page.run()
finally:
    context.clear_stash()
