"""A browser's first page with charts paints its cards before Plotly is loaded.

Streamlit's frontend loads each element's code when the element first arrives, and React (18.3, in
Streamlit's bundle) reveals the elements that waited for their code together when their chunks arrive
within 500 ms of each other. On a first visit the cards' small chunk was revealed with Plotly's 4.7 MB
one, and react-plotly draws synchronously in that commit: the cards were painted only after the first
chart had been drawn. So the first run of a browser's session that draws a chart draws each chart as a
skeleton of the chart's height, and a hidden component asks for the next run once the browser has
painted everything above it; every later run draws the charts (Plotly is loaded by then). The page
ends up as before, nothing moving: a chart takes its skeleton's place and height.

Only Streamlit's frontend runs the component, and only it sends the browser's context (time zone)
with a run: AppTest and the light websocket client (`benchmarks/client.py`) get the charts in the
first run, as before."""

from __future__ import annotations

import streamlit as st

# This session's state: the next chart waits (WAIT), this run's charts wait (WAITING), or every chart
# is drawn at once (DRAW).
STATE = "_first_paint"
WAIT, WAITING, DRAW = "wait", "waiting", "draw"
KEY = "charts_after_paint"  # the component's key, and its element's class, which style.css hides

# Once the frame in which no element above the component is waiting for its code (Streamlit shows its
# own skeleton, stSkeleton, until then) has been painted: ask for the next run. A timeout set in an
# animation frame runs after that frame is on screen.
_JS = """
export default function ({ parentElement, setTriggerValue }) {
  const me = parentElement.host ?? parentElement;
  const waiting = () =>
    Array.from(document.querySelectorAll('[data-testid="stSkeleton"]')).some(
      (skeleton) => skeleton.compareDocumentPosition(me) & Node.DOCUMENT_POSITION_FOLLOWING,
    );
  const painted = () => setTriggerValue("painted", true);
  const check = () => {
    if (document.hidden) painted();  // a tab in the background paints nothing and runs no frames
    else if (waiting()) requestAnimationFrame(check);
    else requestAnimationFrame(() => setTimeout(painted, 0));
  };
  check();
}
"""
_after_paint = st.components.v2.component(KEY, js=_JS)


def begin() -> None:
    """At the start of every run (the router, before the sidebar): whether this run's charts wait for the
    browser's paint. They do until a run has drawn a chart as a placeholder, and only when a browser
    asked for the run."""
    state = st.session_state
    wait = state.get(STATE, WAIT) == WAIT and st.context.timezone is not None
    state[STATE] = WAIT if wait else DRAW


def waits() -> bool:
    """Whether this run's charts would wait: then the run that draws them follows at once, and what a
    page shows only once (the URL's warnings) is shown by that run too."""
    return st.session_state.get(STATE, DRAW) == WAIT


def later(height: int) -> bool:
    """True when this run draws the chart later: a skeleton of the chart's `height` (px) is here, and
    the first one in the run comes with the component that asks for the next run. False: draw it now."""
    state = st.session_state
    mode = state.get(STATE, DRAW)
    if mode == DRAW:
        return False
    if mode == WAIT:
        state[STATE] = WAITING
        # One block in the chart's place, as the chart will be: nothing below it moves.
        with st.container():
            _after_paint(key=KEY)
            st.skeleton(height=height)
    else:
        st.skeleton(height=height)
    return True
