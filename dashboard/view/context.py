"""The page context: what every page gets from `page_context()` (the data source, the filters, the
options, named query results), the synthetic-data notice, and how the router hands it to the page.

Pages call `page_context()` and nothing else to get filters and data, so a page behaves the same
whether the router (`app.py`) ran first in this script run or the page runs on its own.
"""

from __future__ import annotations

from collections.abc import Mapping
from contextlib import suppress
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import streamlit as st
from streamlit.delta_generator import DeltaGenerator
from streamlit.errors import StreamlitPageNotFoundError
from streamlit.runtime.pages_manager import PagesManager

from dashboard import access, export, safe, tables
from dashboard.briefing import button, summary
from dashboard.db import QueryError, Scope, one_row
from dashboard.filters import Filters, Options
from dashboard.generate import SYNTHETIC_NOTICE
from dashboard.problems import DataError, Problem
from dashboard.store import Store, StoreError
from dashboard.view import cache, chips, compare, local, sidebar
from dashboard.view.cache import Loaded, Source
from dashboard.view.layout import slot

_STASH = "_page_context"


@dataclass(frozen=True)
class PageContext:
    source: Source
    filters: Filters
    options: Options
    scope: Scope  # the rows the viewer may see; every query of the page runs in it

    def query(
        self,
        name: str,
        *,
        filters: Filters | None = None,
        against: Filters | None = None,
        ignoring: str | None = None,
        **extra,
    ) -> pd.DataFrame:
        """`queries/<name>.sql` with the current filters (or `filters`, e.g. the 비교 set B) bound, plus any
        extra parameters; with `against`, `$f_previous` is bound to those filters instead of the previous
        period, so `kpi_summary`'s deltas are the difference from them. `ignoring` (a filter key, "year"
        for the period) binds that filter at its default: for a chart standing for it, which shows every
        value with the chosen ones selected. A query that fails or runs too long ends the page with its
        Korean error instead of a traceback."""
        filters = filters or self.filters
        if ignoring is not None:
            filters = filters.without(ignoring, self.options)
        params = filters.params() | ({"f_previous": against.sql()} if against else {})
        try:
            return cache.query(self.source, name, params | extra, self.scope)
        except QueryError as exc:
            st.error(safe.md(exc), icon=":material/error:")
            st.stop()

    def row(self, name: str, *, filters: Filters | None = None, against: Filters | None = None, **extra) -> Mapping:
        """The one row a query returns, by column name; an error naming the query if it has none."""
        frame = self.query(name, filters=filters, against=against, **extra)
        try:
            return one_row(frame, name)
        except QueryError as exc:
            st.error(safe.md(exc), icon=":material/error:")
            st.stop()

    def value(self, name: str, column: str, **extra):
        """One column of the one row a query returns."""
        return self.row(name, **extra)[column]

    def summary_inputs(self) -> summary.Inputs:
        """The query results the written summary (핵심 요약) is built from, in this view's scope."""
        return summary.inputs_from(self.query)

    def summary_sentences(self) -> list[str]:
        """핵심 요약, written once per data version, filters and scope (`cache.computed`)."""
        made = cache.computed(
            self.source,
            "summary_sentences",
            self.filters.params(),
            self.scope,
            lambda: tuple(summary.sentences(self.summary_inputs(), self.filters)),
        )
        return list(made)

    def briefing_button(self, view: str, label: str = "브리핑 PDF") -> None:
        """The "브리핑 PDF" button: this view as an A4 PDF, in this viewer's scope."""
        button.show(self.source, self.filters, self.scope, view, label)

    def loaded(self) -> Loaded:
        """The open data: its connection and the files it was read from."""
        return cache.open_source(self.source)

    @staticmethod
    def choose_companies(company_ids: list[str]) -> None:
        """Set the sidebar's company filter; for a widget callback, before the next run draws it."""
        sidebar.choose_companies(company_ids)

    def conditions(self, filters: Filters | None = None) -> export.Conditions:
        """What a filtered download carries: every filter (the current ones or `filters`) in words, the
        period, the data version."""
        f, o = filters or self.filters, self.options
        period = str(f.year_from) if f.year_from == f.year_to else f"{f.year_from}-{f.year_to}"
        companies = ", ".join(o.companies.get(c, c) for c in f.company_ids)
        rows = (
            ("기수(연도)", period.replace("-", "–")),
            ("단계", ", ".join(f.phases) or "전체"),
            ("기업", companies or ("전체" if self.scope.firm_ids is None else ", ".join(o.companies.values()))),
            ("업종", ", ".join(f.industries) or "전체"),
            ("지역", ", ".join(f.regions) or "전체"),
            ("협력 차수", ", ".join(f"{t}차" for t in f.tiers) or "전체"),
        )
        return export.Conditions(rows, period, self.source.stamp)

    def in_words(self, filters: Filters | None = None) -> str:
        """The filters (current or `filters`) in one line: the period, then each chosen value
        (`2016–2017 · 2단계 · 2차`)."""
        rows = self.conditions(filters).filters
        period, others = rows[0][1], [value for _, value in rows[1:] if value != "전체"]
        return " · ".join([period, *others])

    @staticmethod
    def url_multiselect(where, url_key: str, label: str, choices, **kwargs) -> list:
        """A page's multiselect whose choice is kept in the URL under `url_key` (local.CHOICES), drawn
        in `where` (a column or container)."""
        choices = list(choices)
        key = local.bind(url_key, choices)
        chosen = where.multiselect(label, choices, key=key, **kwargs)
        local.keep(url_key, chosen)
        return chosen

    @staticmethod
    def url_choice(url_key: str) -> tuple:
        """The values of a page's list choice in this run (e.g. task areas a chart click chose)."""
        return local.chosen(url_key)

    @staticmethod
    def url_choose(url_key: str, values: list) -> None:
        """Set a page's list choice from a widget callback (e.g. checked table rows), before the page
        draws its control."""
        local.choose(url_key, values)

    @staticmethod
    def url_text_input(where, url_key: str, label: str, **kwargs) -> str:
        """A page's search box whose text is kept in the URL under `url_key`."""
        text = where.text_input(label, key=local.bind(url_key), **kwargs)
        local.keep(url_key, text)
        return text

    @staticmethod
    def url_view(url_key: str, views: list[str]) -> str:
        """Which of `views` (shown side by side; the first by default) the page draws, kept in the URL
        under `url_key`: tabs a link cannot choose, made a control a link can."""
        key = local.bind(url_key, views)
        view = st.segmented_control("보기", views, key=key, label_visibility="collapsed", width="content")
        if view is None:
            # A click on the chosen segment clears it; the page still shows one view.
            view = views[0]
        local.keep(url_key, view, default=views[0])
        return view

    @staticmethod
    def url_sort(where, sorting: tables.Sorting) -> dict:
        """The 정렬 control of a table, drawn in `where`: its column and direction, kept in the URL
        (`sorting.keys`); the query's `$sort` and `$descending`. A click on a column title sorts only
        the rows in this browser (Streamlit does not tell the app), so a link keeps this order instead."""
        column_key, order_key = sorting.keys
        columns = list(sorting.columns)
        orders = list(tables.DIRECTIONS) if sorting.descending else list(reversed(tables.DIRECTIONS))
        row = where.container(horizontal=True, vertical_alignment="bottom", gap="small")
        column = row.selectbox(
            "정렬",
            columns,
            key=local.bind(column_key, columns),
            format_func=lambda key: sorting.columns[key][1],
            help="이 정렬은 링크(주소)에 담깁니다. 열 제목을 눌러 바꾼 정렬은 이 화면에서만 보입니다.",
            width=150,
        )
        local.keep(column_key, column, default=columns[0])
        order = row.segmented_control(
            "정렬 방향",
            orders,
            key=local.bind(order_key, orders),
            format_func=tables.DIRECTIONS.get,
            label_visibility="collapsed",
            width="content",
        )
        # A click on the chosen direction clears it; the table still has one.
        order = order or orders[0]
        local.keep(order_key, order, default=orders[0])
        return {"sort": column, "descending": order == "desc"}

    def drill_to_companies(self) -> None:
        """ "기업 보기": the 기업 page with the current filters (a chart click narrowed them), in a new
        browser history entry so Back returns here. Shown once something is filtered."""
        with slot():
            if chips.chips(self.filters, self.options):
                _page_link(
                    "pages/companies.py",
                    label="기업 보기",
                    icon=":material/factory:",
                    # The firms that make up the support shown here, the largest share first.
                    query_params=sidebar.current_url() | {tables.LEADERBOARD_SORT.keys[0]: ["support"]},
                    help="지금 고른 조건의 기업 목록(지원금이 큰 순, 한 기업이면 그 기업의 프로필)을 엽니다.",
                )

    @staticmethod
    def drill_to_tasks(areas) -> None:
        """ "과제 목록 보기": the 개선과제 page's task list narrowed to the chosen task areas."""
        if areas:
            _page_link(
                "pages/tasks.py",
                label="과제 목록 보기",
                icon=":material/construction:",
                query_params=sidebar.current_url() | {"task_area": [str(a) for a in areas]},
                help="고른 영역의 과제 목록을 엽니다.",
            )

    def compare_filters(self, toggle_in: DeltaGenerator) -> Filters | None:
        """The 비교 mode's toggle (drawn in `toggle_in`, the header row) and, when it is on, the widgets
        of set B (URL keys `vs_*`, `compare=1`) below; B's filters, or None when the mode is off. Query
        B with `query(name, filters=b)`."""
        return compare.draw(self.options, toggle_in)

    def context_line(self, *, with_presets: bool = False) -> DeltaGenerator:
        """Under the page title: the active filters as removable chips with 필터 초기화, then the header
        row, returned so the page can add its own buttons to it: with `with_presets` the period presets
        (전체, each phase, 공식 집계, 최근 3개 기수), then 링크 복사. One row keeps the cards above the fold.
        A page makes its place for 브리핑 PDF here (`header.container(width="content")`) and fills it
        after its cards: the executive waits for the cards, not for the button's work."""
        with slot():
            chips.draw(self.filters, self.options)
        header = st.container(horizontal=True, gap="xsmall", vertical_alignment="center", key="page_header")
        with header:
            if with_presets:
                chips.draw_presets(self.filters, self.options)
            copy_link_button()
        return header

    def stop_if_no_participations(self) -> None:
        """End the page with a hint when the filters leave nothing to show. A page whose own card query
        counts something only participations have (tasks, indicator rows, firms) asks only when that
        query comes back empty: its cards then go out without waiting for `kpi_summary`."""
        if self.value("kpi_summary", "participations") == 0:
            self.stop_for_no_participations()

    @staticmethod
    def stop_for_no_participations() -> None:
        st.info("선택한 조건에 맞는 참여 기업이 없습니다. 사이드바의 필터를 넓혀 보세요.")
        st.stop()


COPY_LINK = (Path(__file__).parents[1] / "copy_link.js").read_text(encoding="utf-8")


def copy_link_button() -> None:
    """ "링크 복사": copies the address of this view, which holds all of it (our own static script)."""
    st.html(
        '<button type="button" data-copy-link class="copy-link" title="이 화면의 주소(필터와 선택 포함)를 복사합니다">'
        f"링크 복사</button><script>{COPY_LINK}</script>",
        width="content",
        unsafe_allow_javascript=True,
    )


def _page_link(page: str, **kwargs) -> None:
    """A link to another page; none when the page runs without the router, which knows no other page."""
    with suppress(StreamlitPageNotFoundError):
        st.page_link(page, **kwargs)


def show_problems(problems: list[Problem]) -> None:
    lines = "\n".join(f"- {safe.md(p.describe())}" for p in problems[:20])
    more = f"\n- … 외 {len(problems) - 20}건" if len(problems) > 20 else ""
    # markdown: each problem line went through safe.md above.
    st.error(f"**데이터를 읽을 수 없습니다.** 데이터 폴더를 확인하세요.\n\n{lines}{more}", icon=":material/error:")


def build_context(*, allow_broken: bool = False) -> PageContext | None:
    """Open the data, draw the shared sidebar and sync the URL. When the data cannot be used, explain
    why and stop the run, or, with `allow_broken` (the Data page, where it can be replaced), return None.
    A visitor who is not admitted gets the sign-in or refusal screen before any data is opened."""
    viewer = access.admit()
    try:
        source = cache.current_source()
    except StoreError as exc:
        # An unreadable ACTIVE or an unreachable store without a local copy: 데이터 still opens to restore.
        st.error(safe.md(exc), icon=":material/error:")
        return None if allow_broken else st.stop()
    try:
        cache.open_source(source)
        # A firm user whose firm is not in the data is refused before "no participations" is said.
        options = access.scoped_options(cache.options(source, viewer.scope), viewer)
        if not options.years:
            raise DataError([Problem("participations", "participations", "참여 데이터가 없습니다.")])
        # The URL's warnings (a first visit, a stale link) go in one slot that is always there, so
        # the page below keeps its place when they are gone (see `slot`).
        with slot():
            filters = sidebar.draw(options, source, viewer)
    except DataError as exc:
        show_problems(exc.problems)
        return None if allow_broken else st.stop()
    except QueryError as exc:
        st.error(safe.md(exc), icon=":material/error:")
        return None if allow_broken else st.stop()
    if notice := Store.configured().offline_notice:
        st.warning(safe.md(notice), icon=":material/cloud_off:")
    if source.synthetic:
        st.caption(SYNTHETIC_NOTICE)
    return PageContext(source, filters, options, viewer.scope)


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
        # Router workaround: until some session has run st.navigation, Streamlit serves a `pages/`
        # folder beside app.py in its old multipage mode, running the page without the router (a
        # fresh server opened on /companies). Switch to the router's mode and run again, this time
        # through app.py.
        PagesManager.uses_pages_directory = False
        st.rerun()
    return build_context(allow_broken=allow_broken)
