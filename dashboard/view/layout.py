"""Page layout that survives reruns in the browser."""

from __future__ import annotations

import streamlit as st
from streamlit.delta_generator import DeltaGenerator


def slot() -> DeltaGenerator:
    """A container that is always drawn, for what a page shows only sometimes (chips, URL warnings,
    기업 보기, the summary). Streamlit's browser side hands a block its children by the block's position
    in the page, not by its key: a chip appearing above a row of `st.columns` would move that row,
    which then starts empty and draws its charts afresh, losing the Plotly selection a shift-click
    extends. With the optional parts in slots, every block below them keeps its place."""
    return st.container()
