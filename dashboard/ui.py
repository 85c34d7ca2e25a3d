"""What every page shares: the data source, the sidebar filters and their URL round trip, the
synthetic-data notice, and cached query calls.

Pages call `page_context()` and nothing else to get filters and data, so a page behaves the same
whether the router (`app.py`) ran first in this script run or the page runs on its own.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from itertools import islice
from pathlib import Path

import duckdb
import pandas as pd
import streamlit as st
from streamlit.runtime.pages_manager import PagesManager

from dashboard.db import QueryError, parameter_names, run_query
from dashboard.filters import LIST_FIELDS, Filters, Options, parse_url
from dashboard.generate import SYNTHETIC_MARKER
from dashboard.problems import DataError, Problem
from dashboard.reading import opening, settings

_STASH = "_page_context"
_URL_READ = "_url_read"
_URL_WARNINGS = "_url_warnings"
YEARS_KEY = "f_years"
WIDGET_KEYS = {key: f"f_{key}" for key in LIST_FIELDS}
COMPANY_SEARCH_KEY = "f_company_search"
# Beyond this many firms the company selector lists only the chosen ones and those matching a name
# search: a list of every firm would be rebuilt, checked and sent to the browser on every rerun.
COMPANY_LIST_LIMIT = 1000
SYNTHETIC_NOTICE = (
    "ⓘ 표본 데이터: 공개된 총계(2013–2019 기수 144개사, 지원금 28억원, 재무성과 72억원)에 맞춰 "
    "만든 합성 데이터입니다. 기업명(경민테크 제외)과 기업별 수치는 실제가 아닙니다."
)


@dataclass(frozen=True)
class Source:
    folder: Path
    fingerprint: str

    @property
    def synthetic(self) -> bool:
        return (self.folder / SYNTHETIC_MARKER).is_file()

    def synthetic_info(self) -> dict:
        return json.loads((self.folder / SYNTHETIC_MARKER).read_text(encoding="utf-8"))


@dataclass(frozen=True)
class Loaded:
    con: duckdb.DuckDBPyConnection
    files: dict[str, opening.TableFile]


def current_source() -> Source:
    folder = settings.configured_folder()
    return Source(folder, opening.fingerprint(folder))


@st.cache_resource(show_spinner="데이터를 여는 중…", max_entries=4)
def _open(fingerprint: str, folder: str) -> Loaded:
    con, files = opening.open_folder(Path(folder))
    return Loaded(con, files)


def open_source(source: Source) -> Loaded:
    return _open(source.fingerprint, str(source.folder))


def _freeze(params: dict) -> tuple:
    return tuple(sorted((k, tuple(v) if isinstance(v, list) else v) for k, v in params.items()))


@st.cache_data(show_spinner=False, max_entries=4096)
def _cached_query(fingerprint: str, folder: str, name: str, frozen: tuple) -> pd.DataFrame:
    params = {k: list(v) if isinstance(v, tuple) else v for k, v in frozen}
    return run_query(_open(fingerprint, folder).con, name, params)


def query(source: Source, name: str, params: dict | None = None) -> pd.DataFrame:
    """`queries/<name>.sql` over `source`, cached by data version and the parameters it uses.

    Parameters the query does not use stay out of the cache key, so a query that ignores the
    filters is not run again for every new filter combination.
    """
    used = parameter_names(name)
    bound = {k: v for k, v in (params or {}).items() if k in used}
    return _cached_query(source.fingerprint, str(source.folder), name, _freeze(bound))


@dataclass(frozen=True)
class PageContext:
    source: Source
    filters: Filters
    options: Options

    def stop_if_no_participations(self) -> None:
        """End the page with a hint when the filters leave nothing to show."""
        if self.query("kpi_summary").iloc[0]["participations"] == 0:
            st.info("선택한 조건에 맞는 참여 기업이 없습니다. 사이드바의 필터를 넓혀 보세요.")
            st.stop()

    def query(self, name: str, **extra) -> pd.DataFrame:
        """A query with the current filters bound, plus any extra parameters."""
        return query(self.source, name, self.filters.params() | extra)


def show_problems(problems: list[Problem]) -> None:
    lines = "\n".join(f"- {p.describe()}" for p in problems[:20])
    more = f"\n- … 외 {len(problems) - 20}건" if len(problems) > 20 else ""
    st.error(f"**데이터를 읽을 수 없습니다.** 데이터 폴더를 확인하세요.\n\n{lines}{more}", icon=":material/error:")


@st.cache_resource(show_spinner=False, max_entries=4)
def _options(fingerprint: str, folder: str) -> Options:
    """What the filters offer, built once per data version and shared read-only by every session:
    with many firms, rebuilding the firm list on every rerun was most of a rerun."""
    rows = run_query(_open(fingerprint, folder).con, "filter_options")
    fields = rows["field"].to_numpy()

    def values(f: str, column: str = "value") -> list:
        return rows.loc[fields == f, column].tolist()

    return Options(
        years=tuple(sorted(int(y) for y in values("year"))),
        phases=tuple(values("phase")),
        companies=dict(zip(values("company"), values("company", "label"), strict=True)),
        industries=tuple(values("industry")),
        regions=tuple(values("region")),
        tiers=tuple(sorted(int(t) for t in values("tier"))),
    )


def _seed_from_url(options: Options) -> None:
    """On a session's first run, the URL decides the filters (a shared link shows the same view)."""
    parsed = parse_url({k: st.query_params.get_all(k) for k in st.query_params}, options)
    f = parsed.filters
    st.session_state[YEARS_KEY] = (f.year_from, f.year_to)
    for key, field_name in LIST_FIELDS.items():
        st.session_state[WIDGET_KEYS[key]] = list(getattr(f, field_name))
    st.session_state[_URL_WARNINGS] = parsed.warnings
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


def _reset_filters(options: Options) -> None:
    st.session_state[YEARS_KEY] = (min(options.years), max(options.years))
    for widget in WIDGET_KEYS.values():
        st.session_state[widget] = []
    st.session_state[COMPANY_SEARCH_KEY] = ""


def _company_selector(options: Options, source: Source) -> list[str]:
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
            found = query(source, "company_options", {"search": search, "limit": COMPANY_LIST_LIMIT})
            matching = int(found["matching_firms"].iloc[0]) if len(found) else 0
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


def _sidebar(options: Options, source: Source) -> Filters:
    bar = st.sidebar
    bar.subheader("필터")
    lo, hi = min(options.years), max(options.years)
    if lo < hi:
        year_from, year_to = bar.slider(
            "기수(연도)", lo, hi, key=YEARS_KEY, help="기수는 8월에 시작해 이듬해 7월에 끝납니다."
        )
    else:
        bar.caption(f"기수: {lo}")
        year_from, year_to = lo, hi
    phases = bar.multiselect("단계", options.phases, key=WIDGET_KEYS["phase"], placeholder="전체")
    company_ids = _company_selector(options, source)
    industries = bar.multiselect("업종", options.industries, key=WIDGET_KEYS["industry"], placeholder="전체")
    regions = bar.multiselect("지역", options.regions, key=WIDGET_KEYS["region"], placeholder="전체")
    tiers = bar.multiselect(
        "협력 차수", options.tiers, key=WIDGET_KEYS["tier"], format_func=lambda t: f"{t}차", placeholder="전체"
    )
    bar.button("필터 초기화", on_click=_reset_filters, args=(options,), width="stretch")
    return Filters(
        year_from, year_to, tuple(phases), tuple(company_ids), tuple(industries), tuple(regions), tuple(tiers)
    )


def _write_url(filters: Filters, options: Options) -> None:
    wanted = filters.to_url(options)
    current = {k: st.query_params.get_all(k) for k in st.query_params}
    normalised = {k: v if isinstance(v, list) else [v] for k, v in wanted.items()}
    if current != normalised:
        st.query_params.from_dict(wanted)


def build_context(*, allow_broken: bool = False) -> PageContext | None:
    """Open the data, draw the shared sidebar and sync the URL. When the data cannot be used, explain
    why and stop the run, or, with `allow_broken` (the Data page, where it can be replaced), return None."""
    source = current_source()
    try:
        open_source(source)
        options = _options(source.fingerprint, str(source.folder))
        if not options.years:
            raise DataError([Problem("participations", "participations", "참여 데이터가 없습니다.")])
    except DataError as exc:
        show_problems(exc.problems)
        return None if allow_broken else st.stop()
    except QueryError as exc:
        st.error(str(exc), icon=":material/error:")
        return None if allow_broken else st.stop()
    if not st.session_state.get(_URL_READ):
        _seed_from_url(options)
    _keep_valid_state(options)
    filters = _sidebar(options, source)
    _write_url(filters, options)
    for warning in st.session_state.pop(_URL_WARNINGS, []):
        st.warning(warning, icon=":material/warning:")
    if source.synthetic:
        st.caption(SYNTHETIC_NOTICE)
    return PageContext(source, filters, options)


def stash_context(ctx: PageContext | None) -> None:
    """Called by the router so the page it runs next reuses this run's context."""
    st.session_state[_STASH] = (ctx,)


def clear_stash() -> None:
    st.session_state.pop(_STASH, None)


def page_context(*, allow_broken: bool = False) -> PageContext | None:
    """The context of this script run: the router's if it ran first, else built here. None only with
    `allow_broken`, when the data cannot be used (the error is already on screen)."""
    stashed = st.session_state.pop(_STASH, None)
    if stashed is not None:
        return stashed[0]
    if PagesManager.uses_pages_directory:
        # Until some session has run st.navigation, Streamlit serves a `pages/` folder beside app.py
        # in its old multipage mode, running the page without the router (a fresh server opened on
        # /companies). Switch to the router's mode and run again, this time through app.py.
        PagesManager.uses_pages_directory = False
        st.rerun()
    return build_context(allow_broken=allow_broken)
