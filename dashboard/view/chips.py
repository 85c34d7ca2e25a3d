"""The line under each page title: a chip per active filter (one click removes it), 필터 초기화, and on
the Overview the period presets. State changes go through the sidebar module, which owns the widget
keys; the URL follows on the next run like any sidebar change."""

from __future__ import annotations

import streamlit as st

from dashboard import safe
from dashboard.filters import LIST_FIELDS, Filters, Options
from dashboard.view import sidebar


def _period(year_from: int, year_to: int | None) -> str:
    if year_to is None:
        return f"{year_from}–"
    return str(year_from) if year_from == year_to else f"{year_from}–{year_to}"


def chips(filters: Filters, options: Options) -> list[tuple[str, str, object]]:
    """(label, key, value) for each active filter, in sidebar order; key "years" for the range."""
    found: list[tuple[str, str, object]] = []
    if (filters.year_from, filters.year_to) != (min(options.years), max(options.years)):
        found.append((_period(filters.year_from, filters.year_to), "years", None))
    for key, field_name in LIST_FIELDS.items():
        for value in getattr(filters, field_name):
            if key == "company":
                label = options.companies.get(value, value)
            elif key == "tier":
                label = f"{value}차"
            else:
                label = str(value)
            found.append((label, key, value))
    return found


def presets(options: Options) -> list[tuple[str, int, int]]:
    """(label, first year, last year) of each period preset, from the years the data holds: 전체, each
    phase, 공식 집계 (up to the last cohort with a measured outcome), 최근 3개 기수."""
    years = options.years
    lo, hi = min(years), max(years)
    found = [("전체", lo, hi)]
    for phase in options.phases:
        phase_years = options.phase_years.get(phase)
        if phase_years:
            first, last = min(phase_years), max(phase_years)
            found.append((f"{phase}({_period(first, None if last == hi else last)})", first, last))
    if options.measured_years and max(options.measured_years) < hi:
        last = max(options.measured_years)
        found.append((f"공식 집계({_period(lo, last)})", lo, last))
    if len(years) > 3:
        found.append(("최근 3개 기수", years[-3], hi))
    return found


def draw(filters: Filters, options: Options) -> None:
    """The active-filter chips and 필터 초기화, only when something is filtered."""
    active = chips(filters, options)
    if active:
        with st.container(horizontal=True, gap="small", key="filter_chips"):
            st.caption("적용 중인 필터")
            for label, key, value in active:
                st.button(
                    safe.md(label),
                    key=f"chip_{key}_{value}",
                    icon=":material/close:",
                    help="이 필터 해제",
                    on_click=sidebar.remove,
                    args=(key, value),
                    type="secondary",
                    width="content",
                )
            st.button(
                "필터 초기화",
                key="chip_reset",
                icon=":material/restart_alt:",
                on_click=sidebar.reset_filters,
                args=(options,),
                type="tertiary",
                width="content",
            )


def draw_presets(filters: Filters, options: Options) -> None:
    """The period presets, the chosen one highlighted, in the current container (the page's header row)."""
    with st.container(horizontal=True, gap="xsmall", key="period_presets", width="content"):
        current = (filters.year_from, filters.year_to)
        for label, first, last in presets(options):
            st.button(  # markdown: preset labels are literals with years
                label,
                key=f"preset_{label}",
                on_click=sidebar.set_years,
                args=(first, last),
                type="primary" if current == (first, last) else "secondary",
                width="content",
            )
