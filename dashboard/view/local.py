"""A page's own choices kept in the URL beside the sidebar filters (the tab, a search text, the task
status/domain/area, the indicator, a table's order), so a copied link shows the same view. The only module that knows
the widget keys of these choices.

Each choice is read from the URL when its widget has no state yet in this session (a first visit, a
page opened again) or when the browser sent another URL (Back, Forward, an edited address); an invalid
value is dropped with a warning that echoes it through `safe.reflect`. The page's widget then mirrors
its value into the URL after it is drawn; a default value (empty, the first tab) leaves the key out.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass

import streamlit as st

from dashboard import safe, tables
from dashboard.filters import PAGE_URL_KEYS
from dashboard.view import sidebar


@dataclass(frozen=True)
class Choice:
    widget: str  # the session-state key of the widget that shows it
    label: str  # what the warning calls it
    kind: str  # "list" (several values), "text" (free text), "one" (one of a few, default first)


# URL key -> the choice. Each key is one page's, so a link that carries another page's choice stays
# valid on every page.
CHOICES = {
    "outcomes_tab": Choice("outcomes_tab", "성과 보기", "one"),
    "firm_search": Choice("companies_search", "기업명 검색", "text"),
    "task_search": Choice("tasks_search", "과제명·기업명 검색", "text"),
    "task_status": Choice("tasks_status", "과제 상태", "list"),
    "task_domain": Choice("tasks_domain", "과제 분야", "list"),
    "task_area": Choice("tasks_area", "과제 영역", "list"),
    "indicator": Choice("outcomes_indicator", "지표", "list"),
    # A table's order: its column (the first is the default) and direction (the default first).
    **{
        url_key: Choice(url_key, f"{sorting.label} 정렬{part}", "one")
        for sorting in tables.SORTINGS
        for url_key, part in zip(sorting.keys, ("", " 방향"), strict=True)
    },
}
assert set(CHOICES) == set(PAGE_URL_KEYS)


def _warn(url_key: str, label: str, value: str) -> None:
    # markdown: the URL value is reflected through safe.reflect
    st.warning(
        f"URL의 '{url_key}'({label}) 값 '{safe.reflect(value)}'은(는) 데이터에 없어 무시했습니다.",
        icon=":material/warning:",
    )


def bind(url_key: str, allowed: Collection | None = None) -> str:
    """The widget key of the choice kept under `url_key`, its state read from the URL when due.
    `allowed`: the values offered (for "list" and "one"; "one" defaults to the first)."""
    spec = CHOICES[url_key]
    if spec.widget in st.session_state and not sidebar.url_from_browser():
        _keep_offered(spec, allowed)
        return spec.widget
    values = st.query_params.get_all(url_key)
    if spec.kind == "text":
        st.session_state[spec.widget] = values[-1] if values else ""
        return spec.widget
    offered = [str(v) for v in allowed or ()]
    by_text = dict(zip(offered, allowed or (), strict=True))
    for bad in dict.fromkeys(v for v in values if v not in by_text):
        _warn(url_key, spec.label, bad)
    good = [by_text[v] for v in dict.fromkeys(values) if v in by_text]
    if spec.kind == "one":
        st.session_state[spec.widget] = good[-1] if good else by_text[offered[0]]
    else:
        st.session_state[spec.widget] = good
    return spec.widget


def _keep_offered(spec: Choice, allowed: Collection | None) -> None:
    """Drop what the page no longer offers (the sidebar filters changed the areas listed)."""
    if spec.kind == "text":
        return
    offered = list(allowed or ())
    value = st.session_state[spec.widget]
    if spec.kind == "list":
        st.session_state[spec.widget] = [v for v in value if v in offered]
    elif value not in offered:
        st.session_state[spec.widget] = offered[0]


def keep(url_key: str, value, default=None) -> None:
    """Mirror a choice into the URL; its default (empty, or `default`) leaves the key out."""
    if isinstance(value, list | tuple):
        wanted = [str(v) for v in value]
    else:
        wanted = [] if value in (None, "", default) else [str(value)]
    if wanted == st.query_params.get_all(url_key):
        return
    if wanted:
        st.query_params[url_key] = wanted
    elif url_key in st.query_params:
        del st.query_params[url_key]
    sidebar.remember_url()


def choose(url_key: str, values: list) -> None:
    """Set a list choice (a chart click's callback, before the page draws its widget), and the URL so a
    choice made on another page reaches the page that shows it."""
    spec = CHOICES[url_key]
    st.session_state[spec.widget] = list(values)
    keep(url_key, list(values))


def chosen(url_key: str) -> tuple:
    """The values of a list choice in this run (from its widget, else the URL)."""
    spec = CHOICES[url_key]
    if spec.widget in st.session_state:
        return tuple(st.session_state[spec.widget])
    return tuple(st.query_params.get_all(url_key))
