"""The shared sidebar: the filter widgets, their state across pages and data versions, and their
round trip through the URL (a shared link shows the same view). The only module that knows the
widget keys."""

from __future__ import annotations

from itertools import islice

import streamlit as st

from dashboard import access, safe
from dashboard.db import Scope, total
from dashboard.filters import COMPARE_URL_KEYS, LIST_FIELDS, Filters, Options, parse_url
from dashboard.view import cache
from dashboard.view.cache import Source

_URL_READ = "_url_read"
_URL_WARNINGS = "_url_warnings"
YEARS_KEY = "f_years"
WIDGET_KEYS = {key: f"f_{key}" for key in LIST_FIELDS}
COMPANY_SEARCH_KEY = "f_company_search"
# Beyond this many firms the company selector lists only the chosen ones and those matching a name
# search: a list of every firm would be rebuilt, checked and sent to the browser on every rerun.
COMPANY_LIST_LIMIT = 1000


def choose_companies(company_ids: list[str]) -> None:
    """Set the company filter (from a page's callback, before the next run draws the sidebar)."""
    st.session_state[WIDGET_KEYS["company"]] = list(company_ids)


# Selections a page keeps in the URL beside the filters: URL key -> (widget key, label).
PAGE_SELECTIONS = {"task_area": ("tasks_area", "과제 영역"), "task_status": ("tasks_status", "과제 상태")}
_PAGE_SEEDED = "_page_selections_read"


def page_selection(url_key: str, allowed, format_func=str) -> str:
    """The widget key of a page's selection kept in the URL under `url_key`; on the page's first run in
    a session it is seeded from the URL, an invalid value dropped with a warning as for the filters."""
    widget, label = PAGE_SELECTIONS[url_key]
    seeded = st.session_state.setdefault(_PAGE_SEEDED, set())
    if url_key not in seeded:
        seeded.add(url_key)
        values = st.query_params.get_all(url_key)
        allowed = list(allowed)
        for bad in (v for v in values if v not in allowed):
            # markdown: the URL value is reflected through safe.reflect
            st.warning(
                f"URL의 '{url_key}'({label}) 값 '{safe.reflect(bad)}'은(는) 데이터에 없어 무시했습니다.",
                icon=":material/warning:",
            )
        st.session_state[widget] = [v for v in dict.fromkeys(values) if v in allowed]
    return widget


def keep_page_selection(url_key: str, values: list) -> None:
    """Mirror a page selection into the URL (removed when empty)."""
    if values:
        st.query_params[url_key] = [str(v) for v in values]
    elif url_key in st.query_params:
        del st.query_params[url_key]


def set_years(year_from: int, year_to: int) -> None:
    """Set the year range (a period preset's callback, before the next run draws the slider)."""
    st.session_state[YEARS_KEY] = (year_from, year_to)


def remove(key: str, value=None) -> None:
    """Undo one filter: `key` "years" restores the whole range (set by `_keep_valid_state` on the next
    run), a URL key of LIST_FIELDS drops `value` from its selection. For a chip's callback."""
    if key == "years":
        st.session_state.pop(YEARS_KEY, None)
    else:
        widget = WIDGET_KEYS[key]
        st.session_state[widget] = [v for v in st.session_state.get(widget, []) if v != value]


def reset_filters(options: Options) -> None:
    """Every filter back to its default: the whole range, no selection."""
    st.session_state[YEARS_KEY] = (min(options.years), max(options.years))
    for widget in WIDGET_KEYS.values():
        st.session_state[widget] = []
    st.session_state[COMPANY_SEARCH_KEY] = ""


def _seed_from_url(options: Options, viewer: access.Viewer) -> None:
    """On a session's first run, the URL decides the filters, within what the viewer may see."""
    query, scope_warnings = access.narrow_url({k: st.query_params.get_all(k) for k in st.query_params}, viewer)
    parsed = parse_url(query, options)
    f = parsed.filters
    st.session_state[YEARS_KEY] = (f.year_from, f.year_to)
    for key, field_name in LIST_FIELDS.items():
        st.session_state[WIDGET_KEYS[key]] = list(getattr(f, field_name))
    st.session_state[_URL_WARNINGS] = scope_warnings + parsed.warnings
    st.session_state[_URL_READ] = True


def _keep_valid_state(options: Options) -> None:
    """Drop selections the (possibly replaced) data no longer offers, before widgets are drawn."""
    lo, hi = min(options.years), max(options.years)
    year_from, year_to = st.session_state.get(YEARS_KEY, (lo, hi))
    year_from, year_to = max(lo, min(year_from, hi)), min(hi, max(year_to, lo))
    st.session_state[YEARS_KEY] = (year_from, year_to) if year_from <= year_to else (lo, hi)
    for key, widget in WIDGET_KEYS.items():
        allowed = options.choices(key)
        st.session_state[widget] = [v for v in st.session_state.get(widget, []) if v in allowed]


def _company_selector(options: Options, source: Source, scope: Scope) -> list[str]:
    """The company multiselect: every firm, or, with more than COMPANY_LIST_LIMIT, the chosen ones and
    the first firms (by name) whose name contains what is typed in a search box above it."""
    bar = st.sidebar
    names = options.companies
    placeholder = "기업명 검색"
    if len(names) > COMPANY_LIST_LIMIT:
        search = bar.text_input(
            "기업명 검색", key=COMPANY_SEARCH_KEY, placeholder=f"{len(names):,}개사 중 이름으로 찾기"
        )
        if search.strip():
            found = cache.query(source, "company_options", {"search": search, "limit": COMPANY_LIST_LIMIT}, scope)
            matching = total(found, "matching_firms")
            listed = dict(zip(found["company_id"].tolist(), found["company_name"].tolist(), strict=True))
        else:
            # The options already hold every firm by name: the first ones are what the query would list.
            matching = len(names)
            listed = dict(islice(names.items(), COMPANY_LIST_LIMIT))
        if matching > COMPANY_LIST_LIMIT:
            bar.caption(f"{matching:,}개사 중 {COMPANY_LIST_LIMIT:,}개사만 보입니다. 이름을 더 입력하세요.")
        chosen = st.session_state.get(WIDGET_KEYS["company"], [])
        names = {cid: names[cid] for cid in chosen} | listed
        placeholder = f"검색된 {matching:,}개사에서 선택"
    return bar.multiselect(
        "기업",
        list(names),
        key=WIDGET_KEYS["company"],
        format_func=lambda cid: names.get(cid, cid),
        placeholder=placeholder,
    )


def _firm_caption(options: Options) -> list[str]:
    """A firm user sees their own firm only: nothing to choose, no other firm's name to offer."""
    st.sidebar.caption(f"기업: {safe.md(', '.join(options.companies.values()))}")
    return []


def _years_help(options: Options) -> str:
    """The slider's help; names the cohort years the data skips (no 2018 cohort in the program)."""
    text = "기수는 8월에 시작해 이듬해 7월에 끝납니다."
    missing = sorted(set(range(min(options.years), max(options.years) + 1)) - set(options.years))
    if missing:
        years = ", ".join(str(y) for y in missing)
        text += f" {years}년에는 선정된 기수가 없어 그 해를 포함한 범위에도 {years}년 참여는 없습니다."
    return text


def _widgets(options: Options, source: Source, viewer: access.Viewer) -> Filters:
    bar = st.sidebar
    bar.subheader("필터")
    lo, hi = min(options.years), max(options.years)
    if lo < hi:
        # markdown: the help names cohort years, which are integers
        year_from, year_to = bar.slider("기수(연도)", lo, hi, key=YEARS_KEY, help=_years_help(options))
    else:
        bar.caption(f"기수: {lo:d}")
        year_from, year_to = lo, hi

    def choose(key: str, label: str, **kwargs) -> list:
        return bar.multiselect(label, options.choices(key), key=WIDGET_KEYS[key], placeholder="전체", **kwargs)

    chosen = {
        "phase": choose("phase", "단계"),
        "company": (
            _company_selector(options, source, viewer.scope)
            if viewer.scope_firm_ids is None
            else _firm_caption(options)
        ),
        "industry": choose("industry", "업종"),
        "region": choose("region", "지역"),
        "tier": choose("tier", "협력 차수", format_func=lambda t: f"{t}차"),
    }
    bar.button("필터 초기화", on_click=reset_filters, args=(options,), width="stretch")
    return Filters(year_from, year_to, **{LIST_FIELDS[key]: tuple(values) for key, values in chosen.items()})


def _write_url(filters: Filters, options: Options) -> None:
    wanted = filters.to_url(options)
    # A page's own selections and the 비교 set (view/compare.py) stay; their page writes them.
    kept = (*PAGE_SELECTIONS, *COMPARE_URL_KEYS)
    wanted |= {k: st.query_params.get_all(k) for k in kept if k in st.query_params}
    current = {k: st.query_params.get_all(k) for k in st.query_params}
    normalised = {k: v if isinstance(v, list) else [v] for k, v in wanted.items()}
    if current != normalised:
        st.query_params.from_dict(wanted)


def draw(options: Options, source: Source, viewer: access.Viewer) -> Filters:
    """Draw the filters (seeded from the URL on a session's first run), mirror them into the URL, show
    any warning about the URL, and return them."""
    if not st.session_state.get(_URL_READ):
        _seed_from_url(options, viewer)
    _keep_valid_state(options)
    filters = _widgets(options, source, viewer)
    _write_url(filters, options)
    for warning in st.session_state.pop(_URL_WARNINGS, []):
        st.warning(warning, icon=":material/warning:")  # markdown: parse_url and narrow_url escape what they echo
    return filters
