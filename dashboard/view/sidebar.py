"""The shared sidebar: the filter widgets, their state across pages and data versions, and their
round trip through the URL (a shared link shows the same view). The only module that knows the
widget keys."""

from __future__ import annotations

from itertools import islice

import streamlit as st
from streamlit.runtime.scriptrunner import get_script_run_ctx

from dashboard import access, safe
from dashboard.db import Scope, total
from dashboard.filters import LIST_FIELDS, LISTED_FIRMS, URL_KEYS, Filters, FirmNames, Options, parse_url
from dashboard.view import cache, firstpaint
from dashboard.view.cache import Source

_URL_READ = "_url_read"
_URL_WARNINGS = "_url_warnings"
# The query string as this session last wrote it: a run that finds another one was sent by the browser
# (Back, Forward, an edited address), and the URL decides the view again.
_URL_WRITTEN = "_url_written"
_URL_FROM_BROWSER = "_url_from_browser"
_DRAWN = "_filters_drawn"
YEARS_KEY = "f_years"
WIDGET_KEYS = {key: f"f_{key}" for key in LIST_FIELDS}
COMPANY_SEARCH_KEY = "f_company_search"
# Beyond this many firms the company selector lists only the chosen ones and those matching a name
# search: a list of every firm would be rebuilt, checked and sent to the browser on every rerun.
COMPANY_LIST_LIMIT = LISTED_FIRMS


def choose_companies(company_ids: list[str]) -> None:
    """Set the company filter (from a page's callback, before the next run draws the sidebar)."""
    st.session_state[WIDGET_KEYS["company"]] = list(company_ids)


def choose(key: str, values: list) -> None:
    """Set one filter to `values` (a chart click's callback, before the next run draws the sidebar):
    `key` "year" takes cohort years and sets the range over them (none: the whole range), any other
    key of LIST_FIELDS its selection."""
    if key == "year":
        if values:
            set_years(min(values), max(values))
        else:
            st.session_state.pop(YEARS_KEY, None)
    else:
        st.session_state[WIDGET_KEYS[key]] = list(values)


def chosen(key: str) -> tuple:
    """What the filter `key` ("year" or a key of LIST_FIELDS) holds in this run, as drawn: for "year"
    the cohort years of the range when it is narrower than the data's, else nothing."""
    drawn = st.session_state.get(_DRAWN)
    if drawn is None:
        return ()
    filters, years = drawn
    if key == "year":
        if (filters.year_from, filters.year_to) == (min(years), max(years)):
            return ()
        return tuple(y for y in years if filters.year_from <= y <= filters.year_to)
    return tuple(getattr(filters, LIST_FIELDS[key]))


def _page() -> str:
    run = get_script_run_ctx()
    return run.page_script_hash if run else ""


def url_from_browser() -> bool:
    """Whether this run's query string came from the browser (Back, Forward, an edited address) rather
    than from this session's last write: page-local choices are then read from it again."""
    return bool(st.session_state.get(_URL_FROM_BROWSER))


def current_url() -> dict[str, list[str]]:
    return {k: st.query_params.get_all(k) for k in st.query_params}


def remember_url() -> None:
    """Record the query string as written; called after every write to it."""
    st.session_state[_URL_WRITTEN] = (_page(), current_url())


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
        chosen = st.session_state.get(widget, [])
        # Firms are looked up together: the data may have too many to hold (filters.FirmNames).
        allowed = options.names(chosen) if key == "company" else options.choices(key)
        st.session_state[widget] = [v for v in chosen if v in allowed]


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
            # The options hold the first firms by name: what the query would list.
            matching = len(names)
            first = names.listed if isinstance(names, FirmNames) else names
            listed = dict(islice(first.items(), COMPANY_LIST_LIMIT))
        if matching > COMPANY_LIST_LIMIT:
            bar.caption(f"{matching:,}개사 중 {COMPANY_LIST_LIMIT:,}개사만 보입니다. 이름을 더 입력하세요.")
        chosen = st.session_state.get(WIDGET_KEYS["company"], [])
        names = options.names(chosen) | listed
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
    # Keys the sidebar does not own stay: a page's own choices (the page writes them after drawing its
    # widgets) and the compare mode's second filter set.
    wanted |= {k: st.query_params.get_all(k) for k in st.query_params if k not in URL_KEYS}
    current = current_url()
    normalised = {k: v if isinstance(v, list) else [v] for k, v in wanted.items()}
    if current != normalised:
        st.query_params.from_dict(wanted)
    remember_url()


def draw(options: Options, source: Source, viewer: access.Viewer) -> Filters:
    """Draw the filters (seeded from the URL on a session's first run), mirror them into the URL, show
    any warning about the URL, and return them."""
    # A page picked in the navigation arrives with no query string: the session's filters carry over.
    page, written = st.session_state.get(_URL_WRITTEN, (None, None))
    url = current_url()
    from_browser = written is not None and url != written and not (page != _page() and not url)
    st.session_state[_URL_FROM_BROWSER] = from_browser
    if not st.session_state.get(_URL_READ) or from_browser:
        _seed_from_url(options, viewer)
    _keep_valid_state(options)
    filters = _widgets(options, source, viewer)
    st.session_state[_DRAWN] = (filters, options.years)
    _write_url(filters, options)
    # Shown once, and again by the run that draws a browser's first charts (`firstpaint`): it follows at once.
    shown = st.session_state.get if firstpaint.waits() else st.session_state.pop
    for warning in shown(_URL_WARNINGS, []):
        st.warning(warning, icon=":material/warning:")  # markdown: parse_url and narrow_url escape what they echo
    return filters
