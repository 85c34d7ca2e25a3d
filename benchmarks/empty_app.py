"""The floor of the browser benchmark: the empty page (empty_page.py) made a two-page app with what the
measured interactions need, and nothing else: a year-range slider in the sidebar (the filter change),
one card showing its value (what "cards readable" waits for) and a second page (the page switch)."""

import streamlit as st


def card() -> None:
    years = st.sidebar.slider("기수(연도)", 2013, 2020, (2013, 2020))
    st.metric("기간", f"{years[0]}–{years[1]}")


def one() -> None:
    card()


def two() -> None:
    card()


st.navigation([st.Page(one, title="빈 쪽 1", default=True), st.Page(two, title="빈 쪽 2")]).run()
