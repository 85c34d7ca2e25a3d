"""Plotly figures in the dashboard's look: one palette (matching .streamlit/config.toml), Korean
axis titles with units, Korean hover labels."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

# Same blue as theme.primaryColor in .streamlit/config.toml; the rest chosen to stay readable on
# both the light and the dark theme.
PALETTE = ("#1f5fae", "#e8833a", "#2a9d8f", "#c44e52", "#8172b2", "#937860", "#da8bc3", "#8c8c8c")
SUPPORT_COLOR = PALETTE[0]
OUTCOME_COLOR = PALETTE[1]
MULTIPLE_COLOR = PALETTE[2]
FONT_FAMILY = "'Noto Sans KR', 'Noto Sans CJK KR', 'NanumGothic', 'Malgun Gothic', sans-serif"


def styled(fig: go.Figure, *, x_title: str, y_title: str, height: int = 360) -> go.Figure:
    fig.update_layout(
        colorway=PALETTE,
        font_family=FONT_FAMILY,
        height=height,
        margin={"l": 10, "r": 10, "t": 40, "b": 10},
        legend={"orientation": "h", "yanchor": "bottom", "y": 1.02, "x": 0},
        hoverlabel={"font_family": FONT_FAMILY},
        separators=".,",
    )
    fig.update_xaxes(title_text=x_title)
    fig.update_yaxes(title_text=y_title, tickformat=",")
    return fig


def support_vs_outcome_by_year(frame: pd.DataFrame) -> go.Figure:
    """Bars of support and outcome (억원) per cohort, with the outcome multiple (배) on a second axis."""
    fig = go.Figure()
    years = frame["year"].astype(str)
    fig.add_bar(
        x=years,
        y=frame["support_eok"],
        name="지원금",
        marker_color=SUPPORT_COLOR,
        hovertemplate="%{x}기수 지원금 %{y:,.1f}억원<extra></extra>",
    )
    fig.add_bar(
        x=years,
        y=frame["outcome_eok"],
        name="재무성과",
        marker_color=OUTCOME_COLOR,
        hovertemplate="%{x}기수 재무성과 %{y:,.1f}억원<extra></extra>",
    )
    fig.add_scatter(
        x=years,
        y=frame["outcome_multiple"],
        name="성과배수",
        yaxis="y2",
        mode="lines+markers",
        line_color=MULTIPLE_COLOR,
        hovertemplate="%{x}기수 성과배수 %{y:.2f}배<extra></extra>",
    )
    styled(fig, x_title="기수(연도)", y_title="금액(억원)")
    fig.update_layout(
        barmode="group",
        yaxis2={
            "title": {"text": "성과배수(배)"},
            "overlaying": "y",
            "side": "right",
            "rangemode": "tozero",
            "showgrid": False,
        },
    )
    fig.update_xaxes(type="category")
    return fig


def grouped_bars(
    frame: pd.DataFrame,
    category: str,
    series: dict[str, str],
    *,
    x_title: str,
    y_title: str,
    unit: str,
    horizontal: bool = False,
    height: int = 360,
) -> go.Figure:
    """One bar series per `series` column (column -> Korean name) over `category`."""
    fig = go.Figure()
    cat_axis, value_axis = ("y", "x") if horizontal else ("x", "y")
    for i, (column, label) in enumerate(series.items()):
        values, cats = frame[column], frame[category].astype(str)
        fig.add_bar(
            x=values if horizontal else cats,
            y=cats if horizontal else values,
            orientation="h" if horizontal else "v",
            name=label,
            marker_color=PALETTE[i % len(PALETTE)],
            hovertemplate=f"%{{{cat_axis}}} {label} %{{{value_axis}:,.1f}}{unit}<extra></extra>",
        )
    styled(fig, x_title=x_title, y_title=y_title, height=height)
    fig.update_layout(barmode="group")
    if horizontal:
        fig.update_yaxes(autorange="reversed", type="category", tickformat="")
        fig.update_xaxes(tickformat=",")
    else:
        fig.update_xaxes(type="category")
    return fig
