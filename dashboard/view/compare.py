"""The 비교 mode of 개요: a second filter set B beside the sidebar's set A, its widgets and its round trip
through the URL. B lives under the sidebar's URL keys prefixed `vs_` (filters.VS_PREFIX) plus
`compare=1`, parsed by the sidebar's own parser; an invalid value warns and is dropped the same way.
The firm filter is not offered for B (the 기업 page compares firms); `vs_company` is dropped with a
warning."""

from __future__ import annotations

import streamlit as st
from streamlit.delta_generator import DeltaGenerator

from dashboard.filters import COMPARE_KEY, LIST_FIELDS, VS_PREFIX, Filters, Options, parse_url
from dashboard.view.layout import slot

TOGGLE_KEY = "compare_on"
YEARS_KEY = "vs_years"
# B's widgets, by URL key (without the prefix); no firm filter.
WIDGET_KEYS = {key: f"vs_{key}_choice" for key in LIST_FIELDS if key != "company"}
LABELS = {"phase": "단계", "industry": "업종", "region": "지역", "tier": "협력 차수"}
_READ = "_compare_url_read"


def _seed(options: Options) -> list[str]:
    """B's widgets from the URL, on the page's first run in a session; the warnings about the URL."""
    query = {k: st.query_params.get_all(k) for k in st.query_params}
    parsed = parse_url(query, options, prefix=VS_PREFIX)
    warnings = parsed.warnings
    if parsed.filters.company_ids or VS_PREFIX + "company" in query:
        warnings.append("비교 집단 B에는 기업을 고를 수 없어 URL의 'vs_company'를 무시했습니다.")
    st.session_state[TOGGLE_KEY] = query.get(COMPARE_KEY, [""])[-1] == "1"
    b = parsed.filters
    st.session_state[YEARS_KEY] = (b.year_from, b.year_to)
    for key, widget in WIDGET_KEYS.items():
        st.session_state[widget] = list(getattr(b, LIST_FIELDS[key]))
    return warnings


def _widgets(options: Options) -> Filters:
    lo, hi = min(options.years), max(options.years)
    # The slider's range when its state was forgotten (the mode switched off and on again).
    st.session_state.setdefault(YEARS_KEY, (lo, hi))
    with st.container(border=True, key="compare_set_b"):
        st.markdown("**비교 집단 B** (A는 사이드바의 필터)")
        years = st.slider("기수(연도)", lo, hi, key=YEARS_KEY) if lo < hi else (lo, hi)
        with st.container(horizontal=True, key="compare_set_b_choices"):
            chosen = {
                key: st.multiselect(
                    LABELS[key],
                    options.choices(key),
                    key=widget,
                    placeholder="전체",
                    format_func=(lambda t: f"{t}차") if key == "tier" else str,
                )
                for key, widget in WIDGET_KEYS.items()
            }
    return Filters(years[0], years[1], **{LIST_FIELDS[key]: tuple(values) for key, values in chosen.items()})


def _write_url(b: Filters | None, options: Options) -> None:
    """`compare=1` and B's keys when the mode is on; none of them when it is off."""
    wanted = {
        k: st.query_params.get_all(k) for k in st.query_params if k != COMPARE_KEY and not k.startswith(VS_PREFIX)
    }
    if b is not None:
        wanted |= {COMPARE_KEY: ["1"]} | {
            k: v if isinstance(v, list) else [v] for k, v in b.to_url(options, VS_PREFIX).items()
        }
    current = {k: st.query_params.get_all(k) for k in st.query_params}
    if current != wanted:
        st.query_params.from_dict(wanted)


def draw(options: Options, toggle_in: DeltaGenerator) -> Filters | None:
    """The 비교 toggle (in `toggle_in`, the page's header row) and, when on, B's widgets below it; B's
    filters, or None when the mode is off."""
    # Streamlit forgets a widget's state on a run that does not draw it (another page): seed again
    # from the URL, which the sidebar keeps; warn about the URL only the first time.
    warnings = _seed(options) if TOGGLE_KEY not in st.session_state else []
    if st.session_state.get(_READ) and warnings:
        warnings = []
    st.session_state[_READ] = True
    with slot():
        for warning in warnings:
            st.warning(warning, icon=":material/warning:")  # markdown: parse_url escapes what it echoes
    on = toggle_in.toggle("비교 모드", key=TOGGLE_KEY)
    b = _widgets(options) if on else None
    _write_url(b, options)
    return b
