"""Router of the 산업혁신운동 성과 대시보드: who may look, page list, shared sidebar (filters), then the page."""

import streamlit as st

from dashboard import access
from dashboard.navigation import PAGES
from dashboard.view import context

st.set_page_config(page_title="산업혁신운동 성과 대시보드", page_icon=":material/insights:", layout="wide")
# Korean breaks between words, not inside them; Streamlit's own rule needs this selector to yield.
st.html("<style>.stApp :is(p, li, h1, h2, h3) { word-break: keep-all; }</style>")
# Who is looking is settled before any data is opened; a refused visitor sees no page list either.
gate = access.resolve()
page = st.navigation(
    [st.Page(p.path, title=p.title, icon=p.icon, url_path=p.url_path, default=i == 0) for i, p in enumerate(PAGES)],
    position="sidebar" if isinstance(gate, access.Viewer) else "hidden",
)
access.show_identity(access.admit(gate))
st.sidebar.caption("한국서부발전 산업혁신운동 성과 대시보드")
spec = next(p for p in PAGES if p.title == page.title)
context.stash_context(context.build_context(allow_broken=spec.opens_on_broken_data))
try:
    page.run()
finally:
    context.clear_stash()
