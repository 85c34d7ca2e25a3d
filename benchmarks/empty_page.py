"""The floor of the benchmark: a page that does nothing, run the same way as the dashboard's pages."""

import streamlit as st

st.empty()
