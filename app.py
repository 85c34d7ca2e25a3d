"""Router of the 산업혁신운동 성과 대시보드: page list, shared sidebar (filters), then the page."""

import streamlit as st

from dashboard import ui

PAGES = [
    st.Page("pages/overview.py", title="개요", icon="📊", url_path="overview", default=True),
    st.Page("pages/companies.py", title="기업", icon="🏭", url_path="companies"),
    st.Page("pages/tasks.py", title="개선과제", icon="🛠️", url_path="tasks"),
    st.Page("pages/outcomes.py", title="성과", icon="📈", url_path="outcomes"),
    st.Page("pages/data.py", title="데이터", icon="🗂️", url_path="data"),
]

st.set_page_config(page_title="산업혁신운동 성과 대시보드", page_icon="📊", layout="wide")
page = st.navigation(PAGES)
st.sidebar.caption("한국서부발전 산업혁신운동 성과 대시보드")
ui.stash_context(ui.build_context())
try:
    page.run()
finally:
    ui.clear_stash()
