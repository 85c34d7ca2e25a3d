"""Explore by clicking: a chart whose marks stand for a filter value sets that filter when a mark is
clicked, and shows the chosen marks selected.

Each mark carries its value(s) at the end of its customdata (the raw value, not the escaped text a
hover shows). A chart is drawn with the marks of the current choice selected (Plotly's
`selectedpoints`), under a widget key that changes with the choice, so Plotly's own click selection
starts from the choice: a click selects one mark, a shift-click adds or removes one, a click on the
one chosen mark clears it. The callback turns the new selection into the filter's new values and
sets them through the module that owns the filter's widget (`sidebar` or `local`).
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from functools import partial

import plotly.graph_objects as go
import streamlit as st

from dashboard import safe
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


def mark_values(fig: go.Figure, width: int) -> dict[Point, tuple]:
    """Each mark's values: the last `width` items of its customdata row."""
    found: dict[Point, tuple] = {}
    for curve, trace in enumerate(fig.data):
        rows = getattr(trace, "customdata", None)
        if rows is None:
            continue
        for index, row in enumerate(rows):
            found[(curve, index)] = _tail(row, width)
    return found


def _tail(row, width: int) -> tuple:
    """The last `width` items of a customdata row (Plotly may hand a one-item row over as the item)."""
    items = list(row) if isinstance(row, list | tuple) or getattr(row, "ndim", 0) else [row]
    return tuple(_plain(v) for v in items[-width:])


def _plain(value):
    """A mark's value as the filter holds it: text unescaped, a numpy scalar as the Python number (JSON
    gives ints back for years and tiers)."""
    return safe.unplot(value.item() if hasattr(value, "item") else value)


def is_chosen(values: tuple, current: Sequence[tuple]) -> bool:
    """A mark is chosen when some field is narrowed and every narrowed field holds its value."""
    narrowed = [(v, c) for v, c in zip(values, current, strict=True) if c]
    return bool(narrowed) and all(v in c for v, c in narrowed)


def next_values(current: Sequence[tuple], before: Mapping[Point, tuple], after: Mapping[Point, tuple]) -> list[list]:
    """The fields' values after a selection event: `before` the marks drawn selected (with their
    values), `after` the marks Plotly reports selected now. Each field takes the values of the marks
    selected now, kept in the order they were chosen; when that changes nothing (a mark chosen through
    a twin in another series, e.g. the 재무성과 bar beside its 지원금 bar, was clicked), the values of
    the marks that left the selection are dropped."""
    result = []
    for i, was in enumerate(current):
        now = list(dict.fromkeys(values[i] for values in after.values()))
        result.append([v for v in was if v in now] + [v for v in now if v not in was])
    if all(set(r) == set(c) for r, c in zip(result, current, strict=True)):
        left = [before[p] for p in before.keys() - after.keys()]
        result = [[v for v in was if v not in {values[i] for values in left}] for i, was in enumerate(current)]
    return result


def _on_select(widget: str, fields: tuple[str, ...], current: tuple[tuple, ...], before: dict) -> None:
    points = st.session_state[widget].selection.points
    after = {
        (p["curve_number"], p["point_index"]): _tail(p["customdata"], len(fields))
        for p in points
        if p.get("customdata") is not None
    }
    for field, values in zip(fields, next_values(current, before, after), strict=True):
        if list(values) != list(chosen(field)):
            choose(field, values)


def wire(fig: go.Figure, key: str, filters_on: str | tuple[str, ...]) -> dict:
    """Select the chosen marks of `fig` and return what `st.plotly_chart` needs to report clicks."""
    fields = (filters_on,) if isinstance(filters_on, str) else tuple(filters_on)
    unknown = set(fields) - set(FIELDS)
    if unknown:
        raise ValueError(f"no filter field {sorted(unknown)}")
    current = tuple(tuple(chosen(f)) for f in fields)
    marks = mark_values(fig, len(fields))
    before = {p: v for p, v in marks.items() if is_chosen(v, current)}
    if any(current):
        for curve, trace in enumerate(fig.data):
            if getattr(trace, "customdata", None) is not None:
                trace.selectedpoints = [i for c, i in before if c == curve]
    # A new widget per choice: its selection state (Plotly's and Streamlit's) then starts as drawn.
    widget = f"{key}_{hashlib.sha1(repr(current).encode()).hexdigest()[:10]}" if any(current) else key
    return {
        "key": widget,
        "on_select": partial(_on_select, widget, fields, current, before),
        "selection_mode": "points",
    }
