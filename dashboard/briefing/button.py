"""The "브리핑 PDF" button of a page: the PDF of the current view, made in the viewer's scope from the
same cached query results as the page, kept per data version, view, filters and scope."""

from __future__ import annotations

import json

import streamlit as st

from dashboard import safe
from dashboard.briefing import pdf
from dashboard.db import Scope
from dashboard.filters import Filters
from dashboard.view import cache
from dashboard.view.cache import Source


@st.cache_data(show_spinner=False, max_entries=64)
def _briefing(fingerprint: str, view: str, filters_key: str, scope: Scope, _source: Source, _filters: Filters):
    # Keyed by data version, view, filters and scope; `_source` and `_filters` are what those keys describe.
    def query(name: str, **extra):
        return cache.query(_source, name, _filters.params() | extra, scope)

    options = cache.options(_source, scope)
    info = pdf.data_info(_source.folder, fingerprint)
    return pdf.briefing_pdf(view, query, _filters, options, info)


def file_name(view: str, filters: Filters) -> str:
    years = str(filters.year_from) if filters.year_from == filters.year_to else f"{filters.year_from}-{filters.year_to}"
    return f"브리핑_{pdf.VIEWS[view]}_{years}.pdf".replace(" ", "_")


@st.fragment
def show(source: Source, filters: Filters, scope: Scope, view: str, label: str = "브리핑 PDF") -> None:
    """A button that makes the briefing, then offers it for download. A fragment: making it reruns only
    this part of the page, and it runs in this session's own script thread, so other sessions go on."""
    key = json.dumps([view, filters.sql()], ensure_ascii=False)
    state = f"_briefing_{view}"
    made = st.session_state.get(state)
    if made is not None and made[0] != (source.fingerprint, key, scope):
        made = None
    if made is None:
        # A callback, not the button's return value: the click is kept in the session until the run that
        # makes the briefing, whatever reruns the URL sync causes in between.
        if not st.session_state.pop(f"{state}_wanted", False):
            st.button(  # markdown: the label is the calling page's literal
                label,
                icon=":material/picture_as_pdf:",
                key=f"briefing_make_{view}",
                on_click=st.session_state.__setitem__,
                args=(f"{state}_wanted", True),
            )
            return
        try:
            with st.spinner("브리핑 PDF를 만드는 중… (조회, 조판)"):
                data = _briefing(source.fingerprint, view, key, scope, source, filters)
        except pdf.BriefingError as exc:
            st.error(safe.md(str(exc)), icon=":material/error:")
            return
        made = ((source.fingerprint, key, scope), data)
        st.session_state[state] = made
    st.download_button(  # markdown: the label is the calling page's literal
        f"{label} 내려받기",
        made[1],
        file_name=file_name(view, filters),
        mime="application/pdf",
        icon=":material/download:",
        key=f"briefing_download_{view}",
        on_click="ignore",
    )
