"""Plotly figures in the dashboard's look: one palette (matching .streamlit/config.toml), Korean
axis titles with units, Korean hover labels; units and number formats come from `units`, by the
plotted column's name. Text from the data reaches a figure only through `safe.plot_frame` (names, ticks,
titles) and customdata (hovers), never inside a template string.

A figure here is plotly.js's own form, a dict `{"data": [trace, ...], "layout": {...}}` whose arrays may
be pandas or numpy (`spec_of` encodes them as plotly does). It is built without plotly's graph
objects: their validation, property paths and template cost 20-110 ms a figure, and what they send
is this dict's JSON (tests/test_charts_specs.py holds every builder to that, against plotly's own
validation and against the specs the graph-object builders sent)."""

from __future__ import annotations

import base64
import functools
import hashlib
import json
import pickle
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import plotly.io as pio
import streamlit as st
from _plotly_utils.basevalidators import is_homogeneous_array
from _plotly_utils.utils import is_skipped_key, to_typed_array_spec
from plotly.basedatatypes import BaseFigure

from dashboard import contract, safe, units
from dashboard.memo import Memo

# Same blue as theme.primaryColor in .streamlit/config.toml; the rest chosen to stay readable on
# both the light and the dark theme.
PALETTE = ("#1f5fae", "#e8833a", "#2a9d8f", "#c44e52", "#8172b2", "#937860", "#da8bc3", "#8c8c8c")
SUPPORT_COLOR = PALETTE[0]
OUTCOME_COLOR = PALETTE[1]
MULTIPLE_COLOR = PALETTE[2]
# The same measure keeps its colour on every chart.
SERIES_COLORS = {"지원금": SUPPORT_COLOR, "재무성과": OUTCOME_COLOR, "성과배수": MULTIPLE_COLOR}
FONT_FAMILY = "'Noto Sans KR', 'Noto Sans CJK KR', 'NanumGothic', 'Malgun Gothic', sans-serif"
# No mode bar (it covered legends and its zoom tools lost people in a zoomed chart), no scroll or
# double-click zoom: a chart always shows what its title says.
CONFIG = {"displayModeBar": False, "scrollZoom": False, "doubleClick": False, "showTips": False}
NOTE_FONT = {"size": 11}
# However many rows the data has, a chart draws at most this many panels or categories (the first
# ones: queries sort by the measure the chart shows) and says how many more there are, so data
# within the contract can never make a page slow for everyone.
PANEL_LIMIT = 12
CATEGORY_LIMIT = 30

Figure = dict  # {"data": [trace, ...], "layout": {...}}, as plotly.js reads it
PLOTLY_HEIGHT = 450  # px, plotly.js's height of a figure whose layout names none (`styled` always does)


def _figure() -> Figure:
    return {"data": [], "layout": {}}


def _update(target: dict, changes: Mapping) -> dict:
    """Plotly's `update`: a mapping merges into the one already there, anything else replaces it.
    Mappings are copied in, so a constant (NOTE_FONT) never becomes part of a figure."""
    for key, value in changes.items():
        if isinstance(value, Mapping):
            _update(target.setdefault(key, {}), value)
        else:
            target[key] = value
    return target


_AXIS_NAME = {"x": re.compile(r"xaxis\d*"), "y": re.compile(r"yaxis\d*")}


def _axes(fig: Figure, letter: str) -> list[dict]:
    """Every x (`letter` "x") or y axis of the figure, as plotly's `update_xaxes` finds them: the first
    one always, then each one the layout has."""
    layout = fig["layout"]
    layout.setdefault(f"{letter}axis", {})
    return [axis for name, axis in layout.items() if _AXIS_NAME[letter].fullmatch(name)]


def _annotate(fig: Figure, **annotation) -> None:
    fig["layout"].setdefault("annotations", []).append(_update({}, annotation))


def capped(frame: pd.DataFrame, limit: int = CATEGORY_LIMIT) -> tuple[pd.DataFrame, int]:
    """The first `limit` rows of `frame` and how many were left out."""
    return frame.head(limit), max(0, len(frame) - limit)


def note_rest(fig: Figure, rest: int, where: str) -> None:
    """Say under the chart that `rest` more are not drawn, and where to find them."""
    if rest:
        _annotate(
            fig,
            text=f"외 {rest:,}개는 그리지 않았습니다 ({where}).",
            xref="paper",
            yref="paper",
            x=0,
            y=0,
            yshift=-40,
            xanchor="left",
            yanchor="top",
            showarrow=False,
            font=NOTE_FONT,
        )
        _update(fig["layout"], {"margin": {"b": 70}})


def _subplots(
    fig: Figure,
    *,
    rows: int,
    cols: int,
    titles: list[str],
    horizontal_spacing: float,
    vertical_spacing: float | None = None,
    column_widths: list[int] | None = None,
    shared_yaxes: bool = False,
) -> None:
    """A grid of panels as plotly's `make_subplots` lays it out (its arithmetic, step for step, so the
    same floats; it takes 20-40 ms): axes x and y for the top left panel, then x2 and y2 and on, row by
    row (`_cell`), each with its domain; with `shared_yaxes` a row's y axes follow its first; a title
    over each panel given one (tests/test_charts_specs.py compares the two)."""
    if vertical_spacing is None:
        vertical_spacing = 0.5 / rows  # make_subplots' default for panels with titles
    free = 1.0 - horizontal_spacing * (cols - 1)
    if column_widths is None:
        widths = [free / cols] * cols
    else:
        total = float(sum(column_widths))
        widths = [free * (w / total) for w in column_widths]
    heights = [(1.0 - vertical_spacing * (rows - 1)) / rows] * rows
    layout = fig["layout"]
    for row in range(rows):
        below = rows - 1 - row  # rows under this one: the first row is the top one
        for col in range(cols):
            x0 = sum(widths[:col]) + col * horizontal_spacing
            y0 = sum(heights[:below]) + below * vertical_spacing
            x_domain = [x0, x0 + widths[col]]
            y_domain = [_unit_edge(y0), _unit_edge(y0 + heights[-1 - row])]
            n = _cell(row + 1, col + 1, cols)
            # The axes' domains clamped to 0-1 against rounding, the titles placed by the unclamped ones.
            layout[f"xaxis{n}"] = {"domain": [max(0.0, x_domain[0]), min(1.0, x_domain[1])], "anchor": f"y{n}"}
            layout[f"yaxis{n}"] = {"domain": [max(0.0, y_domain[0]), min(1.0, y_domain[1])], "anchor": f"x{n}"}
            if shared_yaxes and col:
                layout[f"yaxis{n}"].update(matches=f"y{_cell(row + 1, 1, cols)}", showticklabels=False)
            index = row * cols + col
            if index < len(titles) and titles[index]:
                layout.setdefault("annotations", []).append(
                    {
                        "y": y_domain[1],
                        "xref": "paper",
                        "x": sum(x_domain) / 2.0,
                        "yref": "paper",
                        "text": titles[index],
                        "showarrow": False,
                        "font": {"size": 16},
                        "xanchor": "center",
                        "yanchor": "bottom",
                    }
                )


def _unit_edge(y: float) -> float:
    """A domain's edge a rounding error outside 0-1 put back on it, as make_subplots does."""
    if -0.01 < y < 0.0:
        return 0.0
    if 1.0 < y < 1.01:
        return 1.0
    return y


def _cell(row: int, col: int, cols: int) -> str:
    """The number of panel (`row`, `col`)'s axes in a `_subplots` grid `cols` wide: "" for the first
    (x, y), then "2" (x2, y2) and on."""
    n = (row - 1) * cols + col
    return str(n) if n > 1 else ""


@dataclass(frozen=True)
class Plot:
    """A figure not built yet: `builder(*args, **kwargs)`. `show` builds it only when no run in this
    process has drawn it from the same inputs (`plot` makes one)."""

    builder: Callable[..., Figure]
    args: tuple
    kwargs: dict = field(default_factory=dict)

    def key(self) -> str:
        """The figure's inputs in one digest: the builder's name and every argument's value (a frame by
        its pickled bytes, so equal bytes mean an equal frame). Any argument a builder gains is in it."""
        digest = hashlib.blake2b(digest_size=20)
        _feed(digest, f"{self.builder.__module__}.{self.builder.__qualname__}")
        _feed(digest, self.args)
        _feed(digest, self.kwargs)
        return digest.hexdigest()


def plot(builder: Callable[..., Figure], /, *args, **kwargs) -> Plot:
    """`builder(*args, **kwargs)` for `show` to build, or take from the figure cache."""
    return Plot(builder, args, kwargs)


def _feed(digest, value) -> None:
    if isinstance(value, pd.DataFrame | pd.Series):
        digest.update(b"F" + pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL))
    elif isinstance(value, Mapping):
        digest.update(b"{")
        for k, v in value.items():
            _feed(digest, k)
            _feed(digest, v)
        digest.update(b"}")
    elif isinstance(value, list | tuple):
        digest.update(b"[" if isinstance(value, list) else b"(")
        for v in value:
            _feed(digest, v)
        digest.update(b"]")
    elif value is None or isinstance(value, str | int | float | np.generic):
        digest.update(f"{type(value).__name__}:{value!r};".encode())
    else:
        # A value without a faithful digest would let two different figures share an entry.
        raise TypeError(f"charts.plot: 그림 캐시 키를 만들 수 없는 인자입니다: {type(value).__name__}")


# Finished figure specs by their inputs (`show`), for every session of the process: a spec is a
# function of its key's inputs alone, and a viewer's inputs are already scoped (a firm user's frames
# hold only their firm). A spec is 5-50 kB at 1x, at most a few hundred kB (the scatter's 2000 points).
figure_cache: Memo[_Finished] = Memo(256)


class _Finished(BaseFigure):
    """A figure already built, finished and serialised. `st.plotly_chart` takes any plotly figure and
    serialises `figure.to_dict()` (a dict it would validate through plotly's graph objects first); this
    one hands over its spec (a fresh copy each time), so nothing is built or validated again, and the
    chart sent is the same JSON."""

    def __init__(self, spec: str, height: int):  # no BaseFigure.__init__: nothing here is a plotly object
        self._spec = spec
        self._height = height  # layout.height (px): its placeholder's, while it waits (`firstpaint.later`)

    def to_dict(self) -> dict:
        return json.loads(self._spec)

    def __repr__(self) -> str:
        return f"_Finished({len(self._spec)} bytes)"


def finish(fig: Figure) -> Figure:
    """Every chart of the dashboard as drawn: fixed ranges, nothing clipped at the plot's edge (a marker
    or label on the top value)."""
    fig["layout"]["dragmode"] = False
    for letter in "xy":
        for each in _axes(fig, letter):
            each["fixedrange"] = True
    for trace in fig["data"]:
        if trace.get("type", "scatter") in ("scatter", "bar"):
            trace["cliponaxis"] = False
    return fig


def spec_of(fig: Figure) -> str:
    """The JSON `st.plotly_chart` makes of the figure, as plotly makes it of a graph-object figure:
    plotly's default template (Streamlit's) in the layout, arrays as plotly.js typed arrays."""
    spec = _encoded(fig)
    if "template" not in spec["layout"] and pio.templates.default is not None:
        spec["layout"] = {"template": _template(pio.templates.default), **spec["layout"]}
    return pio.to_json(spec, validate=False)


@functools.cache
def _template(name: str) -> dict:
    return pio.templates[name].to_plotly_json()  # plain lists and numbers: nothing to encode


def _encoded(value):
    """Plotly's `convert_to_base64` on a copy: every homogeneous array (pandas, numpy) that is a dict's
    value becomes a typed array, outside the keys plotly leaves alone. Dicts are new; a list of plain
    values, which plotly walks without changing, is shared (a figure's lists hold one kind of thing:
    dicts, lists, or plain values)."""
    if isinstance(value, dict):
        return {
            key: item if is_skipped_key(key) else _typed(item) if is_homogeneous_array(item) else _encoded(item)
            for key, item in value.items()
        }
    if isinstance(value, list | tuple) and value and isinstance(value[0], dict | list | tuple):
        return [_encoded(item) for item in value]
    return value


# Typed arrays of plotly.js, by numpy type: plotly sends an int64 array in the smallest that holds it.
_TYPED = {np.dtype(name): code for name, code in (("float64", "f8"), ("int32", "i4"), ("int16", "i2"), ("int8", "i1"))}
_NARROWER = [np.dtype("int8"), np.dtype("int16"), np.dtype("int32")]


def _typed(values):
    """Plotly's `to_typed_array_spec` (a few tenths of a ms an array, mostly asking narwhals what the
    array is), done here for the arrays the builders make: float and int columns, and text."""
    if isinstance(values, pd.Series) and isinstance(values.dtype, np.dtype | pd.StringDtype):
        values = values.to_numpy()
    if not isinstance(values, np.ndarray) or values.ndim != 1 or values.size == 0:
        return to_typed_array_spec(values)
    if values.dtype == object:
        return values  # sent as a list, as plotly sends it
    if values.dtype == np.int64:
        low, high = values.min(), values.max()
        narrower = [t for t in _NARROWER if np.iinfo(t).min <= low and high <= np.iinfo(t).max]
        if not narrower:
            return values
        values = values.astype(narrower[0])
    if values.dtype not in _TYPED:
        return to_typed_array_spec(values)
    return {"dtype": _TYPED[values.dtype], "bdata": base64.b64encode(np.ascontiguousarray(values)).decode("ascii")}


def show(fig: Figure | Plot, *, key: str, filters_on: str | tuple[str, ...] | None = None, static: str = "") -> None:
    """Draw a figure as every chart of the dashboard is drawn (`finish`).

    Given a `Plot` (`charts.plot(builder, ...)`), the finished spec is kept in `figure_cache` under its
    inputs (`Plot.key`) and, for a wired chart, the chosen values it highlights (`explore.wire`'s
    `shown`): a view drawn before, by this session or another, costs neither building nor serialising
    again.

    A chart whose marks stand for a filter value names that filter in `filters_on` (a field of
    `explore.FIELDS`, or a tuple when a mark stands for several, e.g. a task area and status): a click
    on a mark sets it (`dashboard.view.explore`), and each mark's value(s) must end its customdata.
    Any other chart says in `static` why a click does nothing (tests/test_explore.py checks every
    page's charts say one or the other)."""
    from dashboard.view import firstpaint  # the page layer: charts stay importable without a session

    widget = {"key": key}
    shown = ()
    if filters_on is not None:
        from dashboard.view import explore

        wiring = explore.wire(key, filters_on)
        widget, shown = wiring.widget, wiring.shown

    def finished(figure: Figure) -> _Finished:
        finish(figure)
        if filters_on is not None:
            highlight(figure, shown)
        return _Finished(spec_of(figure), figure["layout"].get("height", PLOTLY_HEIGHT))

    if isinstance(fig, Plot):
        plot = fig
        # Keyed on what the figure highlights (`shown`), which after a chart's own click is what it was
        # drawn with: the same inputs give the same JSON, so the browser keeps Plotly's selection.
        figure = figure_cache.get(f"{plot.key()}:{shown!r}", lambda: finished(plot.builder(*plot.args, **plot.kwargs)))
    else:
        figure = finished(fig)
    if not firstpaint.later(figure._height):
        st.plotly_chart(figure, config=CONFIG, **widget)


# A mark that is not chosen while others are: still readable, clearly behind the chosen ones.
DIMMED = 0.3


def highlight(fig: Figure, chosen: tuple[tuple, ...]) -> None:
    """Chosen marks at full colour, the others dimmed, on a chart whose marks end their customdata
    with the values of the fields it stands for: `chosen` holds each field's chosen values (none: the
    field does not narrow). Nothing chosen: every mark at full colour. Plotly's own click selection is
    styled the same, so a click and a choice made elsewhere look alike."""
    width = len(chosen)
    wanted = [{mark_value(v) for v in values} for values in chosen]
    for trace in fig["data"]:
        if trace.get("type", "scatter") not in ("bar", "scatter") or trace.get("customdata") is None:
            continue
        trace["selected"] = {"marker": {"opacity": 1.0}}
        trace["unselected"] = {"marker": {"opacity": DIMMED}}
        if not any(wanted):
            continue
        marks = [list(row)[-width:] for row in trace["customdata"]]
        opacity = [
            1.0 if all(not w or mark_value(v) in w for v, w in zip(mark, wanted, strict=True)) else DIMMED
            for mark in marks
        ]
        trace["marker"] = {**trace.get("marker", {}), "opacity": opacity}


def mark_value(value):
    """A mark's value (from its customdata) as the filter holds it: text as `safe.plot` stored it read
    back, a numpy number as the Python number (JSON gives ints back for years and tiers)."""
    value = value.item() if hasattr(value, "item") else value
    return safe.unplot(value) if isinstance(value, str) else value


def with_values(customdata, values) -> list:
    """Customdata rows (or none) with each mark's filter value appended: a click reads the value from
    there, never from the text on screen. Text is stored as `safe.plot` made it, like all text in a
    figure; `safe.unplot` gives the value back."""
    values = [safe.plot(v) if isinstance(v, str) else v for v in values]
    if customdata is None:
        return [[v] for v in values]
    return [[*row, v] for row, v in zip(list(customdata), values, strict=True)]


def styled(fig: Figure, *, x_title: str, y_title: str, height: int = 360) -> Figure:
    _update(
        fig["layout"],
        {
            "colorway": list(PALETTE),
            "font": {"family": FONT_FAMILY},
            "height": height,
            "margin": {"l": 10, "r": 10, "t": 40, "b": 10},
            "legend": {"orientation": "h", "yanchor": "bottom", "y": 1.02, "x": 0},
            "hoverlabel": {"font": {"family": FONT_FAMILY}},
            "separators": ".,",
        },
    )
    for each in _axes(fig, "x"):
        _update(each, {"title": {"text": x_title}})
    for each in _axes(fig, "y"):
        _update(each, {"title": {"text": y_title}, "tickformat": ","})
    return fig


def support_vs_outcome_by_year(frame: pd.DataFrame) -> Figure:
    """Bars of support and outcome (억원) per cohort, with the outcome multiple (배) on a second axis."""
    fig = _figure()
    measured = frame = frame[["year", "support_eok", "outcome_eok", "outcome_multiple_x"]]
    if not frame.empty:
        # A year without a cohort breaks the 성과배수 line instead of being bridged.
        frame = frame.set_index("year").reindex(range(frame["year"].min(), frame["year"].max() + 1))
        frame = frame.rename_axis("year").reset_index()
    years = frame["year"].astype(str)
    year_values = with_values(None, frame["year"].astype(int))
    amount = units.of("support_eok")
    fig["data"] = [
        {
            "type": "bar",
            "x": years,
            "y": frame["support_eok"],
            "customdata": year_values,
            "name": "지원금",
            "marker": {"color": SUPPORT_COLOR},
            "hovertemplate": f"지원금 {amount.hover('y')}<extra></extra>",
        },
        {
            "type": "bar",
            "x": years,
            "y": frame["outcome_eok"],
            "customdata": year_values,
            "name": "재무성과",
            "marker": {"color": OUTCOME_COLOR},
            "hovertemplate": f"재무성과 {amount.hover('y')}<extra></extra>",
        },
        {
            "type": "scatter",
            "x": years,
            "y": frame["outcome_multiple_x"],
            "customdata": year_values,
            "name": "성과배수",
            "yaxis": "y2",
            "mode": "lines+markers",
            "line": {"color": MULTIPLE_COLOR},
            "hovertemplate": f"성과배수 {units.MULTIPLE.hover('y')}<extra></extra>",
        },
    ]
    styled(fig, x_title="기수(연도)", y_title=amount.header("금액"))
    unmeasured = measured.loc[measured["outcome_eok"].isna() & (measured["support_eok"] > 0)]
    year_axis(fig, measured["year"], dict(zip(unmeasured["year"], unmeasured["support_eok"], strict=True)))
    _update(
        fig["layout"],
        {
            "barmode": "group",
            "hovermode": "x unified",
            "yaxis2": {
                "title": {"text": units.MULTIPLE.header("성과배수")},
                "overlaying": "y",
                "side": "right",
                "rangemode": "tozero",
                "showgrid": False,
                "tickformat": ".1f",
                "tickmode": "linear",
                "tick0": 0,
                "dtick": 0.5,
            },
        },
    )
    return fig


def year_axis(fig: Figure, years: pd.Series, unmeasured: dict[int, float] | None = None) -> None:
    """A cohort axis from the first to the last year shown, a year without a cohort (2018) kept as an
    empty slot that says so, and each year with participations but no measured outcome marked
    above its bar (`unmeasured`: year -> bar height): the reader sees a gap and a low bar explained,
    not a trend. Lines of three syllables fit a year's slot on a phone."""
    present = sorted({int(y) for y in years})
    slots = list(range(present[0], present[-1] + 1)) if present else []
    for each in _axes(fig, "x"):
        _update(
            each,
            {
                "type": "category",
                "categoryorder": "array",
                "categoryarray": [str(y) for y in slots],
                "unifiedhovertitle": {"text": "%{x}기수"},
            },
        )
    # Annotations take a slot's index: a year's name ("2018") would be read as index 2018.
    for slot, year in enumerate(slots):
        if year not in present:
            _annotate(
                fig, x=slot, y=0, yref="paper", yanchor="bottom", text="기수<br>없음", showarrow=False, font=NOTE_FONT
            )
    for year, height in (unmeasured or {}).items():
        _annotate(
            fig,
            x=slots.index(year),
            y=height,
            yanchor="bottom",
            text="진행 중<br>성과<br>측정 전",
            showarrow=False,
            font=NOTE_FONT,
        )


def grouped_bars(
    frame: pd.DataFrame,
    category: str,
    series: dict[str, str],
    *,
    category_title: str,
    value_title: str,
    horizontal: bool = False,
    height: int = 360,
    value: str | None = None,
) -> Figure:
    """One bar series per `series` column (column -> Korean name) over `category`, all in the unit the
    columns' names carry, which the value axis title (`value_title`) names. Each bar carries the raw
    value of `value` (default `category`) for a click."""
    (unit,) = {units.of(column) for column in series}
    raw, rest = capped(frame)
    marks = with_values(None, raw[value or category])
    frame = safe.plot_frame(raw[[category, *series]])  # only what is drawn: escaping text costs
    fig = _figure()
    cat_axis, value_axis = ("y", "x") if horizontal else ("x", "y")
    for i, (column, label) in enumerate(series.items()):
        values, cats = frame[column], frame[category].astype(str)
        fig["data"].append(
            {
                "type": "bar",
                "x": values if horizontal else cats,
                "y": cats if horizontal else values,
                "orientation": "h" if horizontal else "v",
                "customdata": marks,
                "name": label,
                "marker": {"color": SERIES_COLORS.get(label, PALETTE[i % len(PALETTE)])},
                "hovertemplate": f"{label} {unit.hover(value_axis)}<extra></extra>",
            }
        )
    titles = (unit.header(value_title), category_title)
    x_title, y_title = titles if horizontal else titles[::-1]
    styled(fig, x_title=x_title, y_title=y_title, height=height)
    # One hover box per category with every series in it, in the frame's order (the query sorts by
    # the measure the chart's title names).
    order = {"type": "category", "categoryorder": "array", "categoryarray": list(frame[category].astype(str))}
    _update(fig["layout"], {"barmode": "group", "hovermode": f"{cat_axis} unified"})
    if horizontal:
        for each in _axes(fig, "y"):
            _update(each, {"autorange": "reversed", "tickformat": "", **order})
        for each in _axes(fig, "x"):
            _update(each, {"tickformat": unit.d3_format})
    else:
        for each in _axes(fig, "x"):
            _update(each, order)
    note_rest(fig, rest, "사이드바 필터로 좁히면 보입니다")
    return fig


# Task statuses in stacking order (finished work at the bottom), each with a fixed colour.
STATUS_COLORS = {"done": PALETTE[2], "in_progress": PALETTE[0], "planned": PALETTE[7], "on_hold": PALETTE[3]}
BEFORE_COLOR = PALETTE[7]
WORSE_COLOR = PALETTE[3]


def support_outcome_scatter(frame: pd.DataFrame) -> Figure:
    """One point per firm: support (x) vs measured outcome (y) in 만원 (as in the leaderboard), coloured
    by industry, with the 1배 line where outcome equals support."""
    amount = units.of("support_man")
    raw_ids = frame["company_id"].to_numpy()
    frame = safe.plot_frame(
        frame[["industry", "support_man", "outcome_man", "company_name", "outcome_multiple_x", "cohorts"]]
    )
    # Columns as numpy arrays, an industry's points picked by position: pandas' masks and takes on
    # text columns cost a few ms an industry.
    industries = frame["industry"].to_numpy()
    support, outcome = frame["support_man"].to_numpy(), frame["outcome_man"].to_numpy()
    hovers = frame[["company_name", "outcome_multiple_x", "cohorts", "industry"]].to_numpy()
    fig = _figure()
    for i, industry in enumerate(sorted(frame["industry"].unique())):
        rows = np.flatnonzero(industries == industry)
        fig["data"].append(
            {
                "type": "scatter",
                "x": support[rows],
                "y": outcome[rows],
                "mode": "markers",
                "name": industry,
                "marker": {"color": PALETTE[i % len(PALETTE)], "size": 10, "opacity": 0.85, "line": {"width": 0.5}},
                "customdata": with_values(hovers[rows], raw_ids[rows]),
                "hovertemplate": (
                    f"<b>%{{customdata[0]}}</b> (%{{customdata[3]}})<br>지원금 {amount.hover('x')}<br>"
                    f"재무성과 {amount.hover('y')}<br>성과배수 {units.MULTIPLE.hover('customdata[1]')} · "
                    f"측정된 참여 {units.TIMES.hover('customdata[2]')}<extra></extra>"
                ),
            }
        )
    reach = float(frame["support_man"].max())
    fig["data"].append(
        {
            "type": "scatter",
            "x": [0, reach],
            "y": [0, reach],
            "mode": "lines",
            "name": "성과배수 1배",
            "line": {"color": PALETTE[7], "dash": "dash", "width": 1},
            "hoverinfo": "skip",
        }
    )
    styled(fig, x_title=amount.header("지원금"), y_title=amount.header("재무성과"), height=420)
    for letter in "xy":
        for each in _axes(fig, letter):
            _update(each, {"tickformat": ",", "rangemode": "tozero"})
    return fig


def tasks_by_area_status(frame: pd.DataFrame, status_labels: dict[str, str], domain_order: tuple[str, ...]) -> Figure:
    """Stacked task counts (건) per area, one panel per domain (in `domain_order`, others after), one
    colour per status; areas keep the frame's order."""
    raw = frame
    frame = safe.plot_frame(frame)
    present = set(frame["domain"])
    domains = [d for d in domain_order if d in present] + sorted(present - set(domain_order))
    # Columns as numpy arrays, a bar series picked by position (as in support_outcome_scatter).
    domain_of, area_of, status_of = (frame[c].to_numpy() for c in ("domain", "area", "status"))
    tasks, domain_rows = frame["tasks"].to_numpy(), frame[["domain"]].to_numpy()
    raw_area, raw_status = raw["area"].to_numpy(), raw["status"].to_numpy()
    fig = _figure()
    cols = len(domains)
    widths = [len(set(area_of[domain_of == d])) for d in domains]
    _subplots(fig, rows=1, cols=cols, titles=domains, column_widths=widths, horizontal_spacing=0.03, shared_yaxes=True)
    for col, domain in enumerate(domains, start=1):
        n = _cell(1, col, cols)
        in_domain = domain_of == domain
        areas = list(dict.fromkeys(area_of[in_domain]))
        for status, color in STATUS_COLORS.items():
            rows = np.flatnonzero(in_domain & (status_of == status))
            label = status_labels[status]
            fig["data"].append(
                {
                    "type": "bar",
                    "x": area_of[rows],
                    "y": tasks[rows],
                    "customdata": with_values(with_values(domain_rows[rows], raw_area[rows]), raw_status[rows]),
                    "name": label,
                    "legendgroup": status,
                    "showlegend": col == 1,
                    "marker": {"color": color},
                    "hovertemplate": f"%{{customdata[0]}} · %{{x}}<br>{label} {units.CASES.hover('y')}<extra></extra>",
                    "xaxis": f"x{n}",
                    "yaxis": f"y{n}",
                }
            )
        _update(fig["layout"][f"xaxis{n}"], {"categoryorder": "array", "categoryarray": areas, "type": "category"})
    styled(fig, x_title="과제 영역", y_title="", height=400)
    _update(fig["layout"]["yaxis"], {"title": {"text": units.CASES.header("과제 수")}})
    _update(fig["layout"], {"barmode": "stack", "margin": {"t": 90}, "legend": {"y": 1.12}})
    return fig


def completion_by_cohort(frame: pd.DataFrame) -> Figure:
    """Task completion rate (%) per cohort, labelled on the bars, done/all counts on hover."""
    rate = units.of("task_completion_pct")
    fig = _figure()
    fig["data"].append(
        {
            "type": "bar",
            "x": frame["year"].astype(str),
            "y": frame["task_completion_pct"],
            "marker": {"color": STATUS_COLORS["done"]},
            "text": frame["task_completion_pct"],
            "texttemplate": rate.hover("text"),
            "textposition": "outside",
            "customdata": with_values(frame[["tasks_done", "tasks_total"]].to_numpy(), frame["year"].astype(int)),
            "hovertemplate": (
                f"%{{x}}기수 과제 완료율 {rate.hover('y')}<br>완료 {units.CASES.hover('customdata[0]')} / "
                f"전체 {units.CASES.hover('customdata[1]')}<extra></extra>"
            ),
            "name": "과제 완료율",
        }
    )
    styled(fig, x_title="기수(연도)", y_title=rate.header("과제 완료율"), height=380)
    year_axis(fig, frame["year"])
    for each in _axes(fig, "y"):
        _update(each, {"range": [0, 110], "tickformat": ",", "ticksuffix": rate.word})
    fig["layout"]["showlegend"] = False
    return fig


def before_after_panels(frame: pd.DataFrame, *, per_row: int = 3) -> Figure:
    """One panel per indicator: mean value before and after (over the same measured rows) in the
    indicator's unit, its mean improvement in the panel title. The query limits the rows to
    PANEL_LIMIT; the page says how many indicators there are."""
    raw_indicators = list(frame["indicator"])
    frame = safe.plot_frame(frame)
    rows = -(-len(frame) // per_row)
    titles = []
    for item in frame.itertuples():
        measured = (
            f"개선율 {units.PCT.signed(item.mean_improvement_pct)}<br>측정 {units.CASES.text(item.measured_rows)}"
            if item.measured_rows
            else "측정 전"
        )
        # Short lines (the unit is on the y axis): three panels to a row stay legible on a phone.
        titles.append(f"<b>{item.indicator}</b><br><span style='font-size:11px'>{measured}</span>")
    fig = _figure()
    _subplots(
        fig, rows=rows, cols=per_row, titles=titles, vertical_spacing=min(0.25, 0.5 / rows), horizontal_spacing=0.09
    )
    for i, item in enumerate(frame.itertuples()):
        n = _cell(i // per_row + 1, i % per_row + 1, per_row)
        better = contract.direction(item.higher_is_better)
        fig["data"].append(
            {
                "type": "bar",
                "x": ["개선 전", "개선 후"],
                "y": [item.mean_baseline, item.mean_result],
                "marker": {"color": [BEFORE_COLOR, SUPPORT_COLOR]},
                # Plotly's own figures sent these as text, and texttemplate formats them as numbers.
                "text": [str(item.mean_baseline), str(item.mean_result)],
                "texttemplate": "%{text:,.2~f}",
                "textposition": "auto",
                "customdata": with_values([[item.indicator, item.unit, better]] * 2, [raw_indicators[i]] * 2),
                "hovertemplate": (
                    "%{customdata[0]} %{x} 평균 %{y:,.2f}%{customdata[1]}<br>(%{customdata[2]})<extra></extra>"
                ),
                "showlegend": False,
                "xaxis": f"x{n}",
                "yaxis": f"y{n}",
            }
        )
    styled(fig, x_title="", y_title="", height=320 * rows)
    for i, item in enumerate(frame.itertuples()):
        n = _cell(i // per_row + 1, i % per_row + 1, per_row)
        _update(fig["layout"][f"yaxis{n}"], {"title": {"text": f"평균({item.unit})"}})
    fig["layout"]["margin"]["t"] = 80
    for annotation in fig["layout"].get("annotations", []):
        _update(annotation, {"font": {"size": 13}})
    return fig


def improvement_histogram(frame: pd.DataFrame) -> Figure:
    """Indicator rows (건) per improvement band (%), worsening bands in red."""
    labels = [f"{lo}–{hi}" for lo, hi in zip(frame["bin_from_pct"], frame["bin_to_pct"], strict=True)]
    fig = _figure()
    fig["data"].append(
        {
            "type": "bar",
            "x": labels,
            "y": frame["indicator_rows"],
            "marker": {"color": [WORSE_COLOR if lo < 0 else SUPPORT_COLOR for lo in frame["bin_from_pct"]]},
            "hovertemplate": f"개선율 %{{x}}{units.PCT.word} 구간<br>지표 {units.CASES.hover('y')}<extra></extra>",
            "name": "지표 수",
        }
    )
    styled(fig, x_title=units.PCT.header("개선율 구간"), y_title=units.CASES.header("지표 수"), height=360)
    for each in _axes(fig, "x"):
        _update(each, {"type": "category", "tickangle": 0})
    _update(fig["layout"], {"showlegend": False, "bargap": 0.05})
    return fig


def improvement_bars(frame: pd.DataFrame, category: str, *, title: str, count_column: str, count_label: str) -> Figure:
    """Horizontal bars of mean improvement (%) per `category`, best at the top, counts on hover."""
    rate = units.of("mean_improvement_pct")
    raw, rest = capped(frame)
    frame = safe.plot_frame(raw[list(dict.fromkeys([category, count_column, "measured_rows", "mean_improvement_pct"]))])
    fig = _figure()
    fig["data"].append(
        {
            "type": "bar",
            "x": frame["mean_improvement_pct"],
            "y": frame[category].astype(str),
            "orientation": "h",
            "marker": {"color": SUPPORT_COLOR},
            "text": frame["mean_improvement_pct"],
            "texttemplate": rate.hover("text"),
            "textposition": "auto",
            "customdata": with_values(frame[[count_column, "measured_rows"]].to_numpy(), raw[category]),
            "hovertemplate": (
                f"%{{y}} 평균 개선율 {rate.hover('x')}<br>{count_label} %{{customdata[0]:,}} · "
                f"측정 지표 {units.CASES.hover('customdata[1]')}<extra></extra>"
            ),
            "name": "평균 개선율",
        }
    )
    styled(fig, x_title=rate.header("평균 개선율"), y_title=title, height=max(260, 40 * len(frame) + 100))
    for each in _axes(fig, "y"):
        _update(each, {"autorange": "reversed", "type": "category", "tickformat": ""})
    for each in _axes(fig, "x"):
        _update(each, {"ticksuffix": rate.word})
    fig["layout"]["showlegend"] = False
    note_rest(fig, rest, "사이드바 필터로 좁히면 보입니다")
    return fig


def compare_by_year(a: pd.DataFrame, b: pd.DataFrame) -> Figure:
    """The 비교 mode's yearly chart: support and outcome (억원) per cohort of set A (solid) and set B
    (dashed) on one axis, from two `kpi_by_year` results."""
    fig = _figure()
    amount = units.of("support_eok")
    for frame, name, dash in ((a, "A", "solid"), (b, "B", "dash")):
        for column, label, color in (
            ("support_eok", "지원금", SUPPORT_COLOR),
            ("outcome_eok", "재무성과", OUTCOME_COLOR),
        ):
            fig["data"].append(
                {
                    "type": "scatter",
                    "x": frame["year"].astype(str),
                    "y": frame[column],
                    "name": f"{name} {label}",
                    "mode": "lines+markers",
                    "line": {"color": color, "dash": dash},
                    "marker": {"symbol": "circle" if name == "A" else "diamond-open"},
                    "hovertemplate": f"{name} {label} {amount.hover('y')}<extra></extra>",
                }
            )
    styled(fig, x_title="기수(연도)", y_title=amount.header("금액"))
    year_axis(fig, pd.concat([a["year"], b["year"]]))
    fig["layout"]["hovermode"] = "x unified"
    return fig
