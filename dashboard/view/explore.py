"""Explore by clicking: a chart whose marks stand for a filter value sets that filter when a mark is
clicked.

Each mark carries its value(s) at the end of its customdata (escaped by `safe.plot` like all figure
text, read back with `safe.unplot`: a click maps to the value, never to the text on screen). Plotly's
own click selection decides: a click selects one mark, a shift-click adds or removes one, a click on
the one selected mark clears it. The callback turns the selection into the filter's new values and
sets them through the module that owns the filter's widget (`sidebar` or `local`); the chart draws
every value of its own filter (pages query it `ignoring` that filter), so its figure, and with it
Plotly's selection, stays the same after its own click. A choice made elsewhere (a chip, the
sidebar, a link) draws the chart afresh, without a selection, its chosen marks highlighted
(`charts.highlight`: the others dimmed); after its own click Plotly's selection shows the choice in the
same look, and the figure keeps the highlight it was drawn with (a changed figure would be a new
element in the browser, which forgets Plotly's selection).
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import partial

import streamlit as st

from dashboard import charts
from dashboard.filters import LIST_FIELDS
from dashboard.view import local, sidebar

# Fields a chart may stand for: the sidebar's (cohort year and the list filters) and the page-local
# choices a chart shows (task area and status, indicator).
SIDEBAR_FIELDS = ("year", *LIST_FIELDS)
LOCAL_FIELDS = ("task_area", "task_status", "indicator")
FIELDS = SIDEBAR_FIELDS + LOCAL_FIELDS

Point = tuple[int, int]  # (trace, point index)


def chosen(field: str) -> tuple:
    """The values of `field` in this run."""
    return sidebar.chosen(field) if field in SIDEBAR_FIELDS else local.chosen(field)


def choose(field: str, values: list) -> None:
    if field in SIDEBAR_FIELDS:
        sidebar.choose(field, values)
    else:
        local.choose(field, values)


def _tail(row, width: int) -> tuple:
    """The last `width` items of a customdata row (Plotly may hand a one-item row over as the item)."""
    items = list(row) if isinstance(row, list | tuple) or getattr(row, "ndim", 0) else [row]
    return tuple(charts.mark_value(v) for v in items[-width:])


def next_values(current: Sequence[tuple], clicked: Mapping[Point, tuple], after: Mapping[Point, tuple]) -> list[list]:
    """The fields' values after a selection event: `after` the marks Plotly reports selected now,
    `clicked` those that joined the selection with this event. Each field takes the values of the
    marks selected now, kept in the order they were chosen; when that changes nothing, the click was on
    a mark whose value was already chosen (on a chart drawn afresh, or the 재무성과 bar beside the chosen
    지원금 bar), and its values are dropped."""
    result = []
    for i, was in enumerate(current):
        now = list(dict.fromkeys(values[i] for values in after.values()))
        result.append([v for v in was if v in now] + [v for v in now if v not in was])
    if all(set(r) == set(c) for r, c in zip(result, current, strict=True)):
        dropped = [{values[i] for values in clicked.values()} for i in range(len(current))]
        result = [[v for v in was if v not in dropped[i]] for i, was in enumerate(current)]
    return result


# chart key -> (the values its last click set, the widget key it used, the marks, the choice its
# figure was drawn highlighting)
_CHARTS = "_chart_choices"


def _on_select(key: str, widget: str, fields: tuple[str, ...], current: tuple[tuple, ...]) -> None:
    points = st.session_state[widget].selection.points
    after = {
        (p["curve_number"], p["point_index"]): _tail(p["customdata"], len(fields))
        for p in points
        if p.get("customdata") is not None
    }
    memory = st.session_state.setdefault(_CHARTS, {})
    _, last_widget, before, shown = memory.get(key, ((), None, {}, current))
    if last_widget != widget:
        before, shown = {}, current
    clicked = {p: v for p, v in after.items() if p not in before}
    values = next_values(current, clicked, after)
    memory[key] = (tuple(tuple(v) for v in values), widget, after, shown)
    for field, chosen_now in zip(fields, values, strict=True):
        if list(chosen_now) != list(chosen(field)):
            choose(field, chosen_now)


@dataclass(frozen=True)
class Wiring:
    widget: dict  # what `st.plotly_chart` needs: key, on_select, selection_mode
    shown: tuple[tuple, ...]  # per field, the values the figure highlights (charts.highlight)


def wire(key: str, filters_on: str | tuple[str, ...]) -> Wiring:
    """What `st.plotly_chart` needs to report clicks on a chart's marks as choices of `filters_on`, and
    the choice its figure highlights.

    The chart keeps its widget (and Plotly its own selection, which a shift-click extends) while the
    choice is the one its last click made, and then also the highlight it was drawn with; a choice
    made elsewhere (a chip, the sidebar, another chart, a link) draws it afresh under a new widget
    key, highlighting the values chosen now."""
    fields = (filters_on,) if isinstance(filters_on, str) else tuple(filters_on)
    unknown = set(fields) - set(FIELDS)
    if unknown:
        raise ValueError(f"no filter field {sorted(unknown)}")
    current = tuple(tuple(chosen(f)) for f in fields)
    made, last_widget, _, shown = st.session_state.get(_CHARTS, {}).get(key, ((), None, {}, current))
    if last_widget is not None and made == current:
        widget = last_widget
    else:
        shown = current
        widget = f"{key}_{hashlib.sha1(repr(current).encode()).hexdigest()[:10]}" if any(current) else key
    return Wiring(
        {"key": widget, "on_select": partial(_on_select, key, widget, fields, current), "selection_mode": "points"},
        shown,
    )
