"""Tables as the pages show them: one call draws a table and offers the same rows, under the same
Korean headers, for download; and the row layouts more than one page shows. A column whose name
carries a unit (`support_man`) needs only its Korean label: `units` gives its format."""

from __future__ import annotations

import hashlib
import pickle
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from itertools import takewhile

import pandas as pd
import pyarrow as pa
import streamlit as st
from streamlit import dataframe_util

from dashboard import export, units
from dashboard.contract import TASK_STATUS, direction
from dashboard.memo import Memo

# Cohort years are labels, not quantities: no thousands separator.
YEAR = st.column_config.NumberColumn("기수", format="%d")

# Leading columns that name a row stay in view while a table wider than the screen scrolls sideways.
ROW_NAMES = frozenset({"year", "phase", "company_name"})

TASK_CONFIG = {
    "year": YEAR,
    "company_name": "기업명",
    "domain": "분야",
    "area": "영역",
    "title": st.column_config.TextColumn("과제명", width="large"),
    "status": "상태",
    "task_id": "과제 ID",
}
INDICATOR_CONFIG = {
    "year": YEAR,
    "company_name": "기업명",
    "indicator": "지표",
    "unit": "단위",
    "baseline": st.column_config.NumberColumn("개선 전", format="%,.2f"),
    "result": st.column_config.NumberColumn("개선 후", format="%,.2f", help="–: 아직 측정 전"),
    "improvement_pct": units.PCT.column("개선율", signed=True),
    "direction": "방향",
}


@dataclass(frozen=True)
class Sorting:
    """The orders a page lets a table be listed in, kept in the URL (`<url>_sort`, `<url>_order`) and
    sorted in SQL before the row limit, so a link shows the same rows in the same order. The query
    binds `$sort` (a key of `columns`, or NULL for its own default order, which the first key with
    `descending` gives too) and `$descending`; ties fall back to the default order, so it is total."""

    url: str  # the URL keys' stem
    label: str  # the table, as a stale link's warning names it
    columns: Mapping[str, tuple[str, str]]  # $sort value -> (the result column it sorts, its Korean label)
    descending: bool  # the default direction

    @property
    def keys(self) -> tuple[str, str]:
        """The URL keys of the column and of the direction."""
        return f"{self.url}_sort", f"{self.url}_order"


# Direction as kept in the URL -> its label; `Sorting.descending` picks the default.
DIRECTIONS = {"desc": "내림차순", "asc": "오름차순"}
# The binding of a query listed in its default order (a profile, a briefing).
DEFAULT_ORDER = {"sort": None, "descending": False}
# queries/company_leaderboard.sql: the largest measured outcome first by default.
LEADERBOARD_SORT = Sorting(
    "firm",
    "기업 순위표",
    {
        "outcome": ("outcome_man", "재무성과"),
        "support": ("support_man", "지원금"),
        "multiple": ("outcome_multiple_x", "성과배수"),
        "completion": ("task_completion_pct", "과제 완료율"),
        "improvement": ("mean_improvement_pct", "평균 개선율"),
        "name": ("company_name", "기업명"),
    },
    descending=True,
)
# queries/task_list.sql: by cohort, firm and task id by default.
TASK_SORT = Sorting(
    "task",
    "과제 목록",
    {
        "year": ("year", "기수"),
        "company": ("company_name", "기업명"),
        "domain": ("domain", "분야"),
        "area": ("area", "영역"),
        "title": ("title", "과제명"),
    },
    descending=False,
)
# queries/outcome_rows.sql: by cohort, firm and indicator by default.
INDICATOR_SORT = Sorting(
    "indicator",
    "성과지표 목록",
    {
        "year": ("year", "기수"),
        "company": ("company_name", "기업명"),
        "indicator": ("indicator", "지표"),
        "improvement": ("improvement_pct", "개선율"),
    },
    descending=False,
)
SORTINGS = (LEADERBOARD_SORT, TASK_SORT, INDICATOR_SORT)


def task_rows(frame: pd.DataFrame) -> pd.DataFrame:
    """`task_list` rows with their status in Korean."""
    return frame.assign(status=frame["status"].map(TASK_STATUS.labels))


def indicator_rows(frame: pd.DataFrame) -> pd.DataFrame:
    """`outcome_rows` rows with the indicator's direction in Korean."""
    return frame.assign(direction=frame["higher_is_better"].map(direction))


def phase_rows(frame: pd.DataFrame) -> pd.DataFrame:
    """`kpi_by_phase` rows with a note naming the cohorts not yet measured ("2020 진행 중 · 성과 측정 전"),
    the years the yearly chart marks: their support is in 지원금, not in 재무성과 or 성과배수."""
    return frame.assign(
        note=frame["unmeasured_cohorts"].map(lambda years: f"{years} 진행 중 · 성과 측정 전", na_action="ignore")
    )


def pinned(config) -> dict:
    """`config` (a label, a column config or None) with the column pinned to the left."""
    if isinstance(config, Mapping):
        return {**config, "pinned": True}
    return st.column_config.Column(config, pinned=True)


# Arrow tables of the columns a table shows, by those columns and the pickled bytes of the frame they
# come from (equal bytes, equal frame), for every session: a view drawn before is neither cut to its
# columns nor converted again. Pickling costs a tenth of converting.
_arrow_tables: Memo[pa.Table] = Memo(512)


def arrow(frame: pd.DataFrame, columns: list[str]) -> pa.Table:
    """The `columns` of `frame` (those it has) as the Arrow table `st.dataframe` would make of them
    (Streamlit's own conversion, so the bytes sent are the same), made once per content."""
    digest = hashlib.blake2b(pickle.dumps(frame, protocol=pickle.HIGHEST_PROTOCOL), digest_size=20)
    digest.update("\x1f".join(columns).encode())
    return _arrow_tables.get(
        digest.hexdigest(),
        lambda: dataframe_util.convert_pandas_df_to_arrow_table(frame[[c for c in columns if c in frame.columns]]),
    )


def show(
    frame: pd.DataFrame,
    columns: list[str],
    config: Mapping,
    basename: str,
    *,
    download_key: str,
    conditions: export.Conditions,
    prepare: Callable[[pd.DataFrame], pd.DataFrame] = lambda frame: frame,
    every_row: Callable[[], pd.DataFrame] | None = None,
    **dataframe_options,
) -> None:
    """Draw `prepare(frame)` with `columns` under `config`, then CSV/XLSX buttons for the same columns,
    carrying the `conditions` (PageContext.conditions) that made the view.

    `every_row` gives all matching rows when the table shows only the first ones; the download then
    holds them all, prepared the same way, and is only computed when someone clicks."""
    config = units.column_config({column: config[column] for column in columns if column in config})
    for column in takewhile(ROW_NAMES.__contains__, columns):
        config[column] = pinned(config.get(column))
    st.dataframe(
        # Only the columns shown are converted to Arrow and sent: a query's other columns (ids, the
        # parts a shown column is made of, counts for captions) would cost both and show nothing.
        arrow(prepare(frame), columns),
        hide_index=True,
        placeholder=units.DASH,
        column_order=columns,
        column_config=config,
        **dataframe_options,
    )
    export.table_export_buttons(
        lambda: prepare(every_row() if every_row else frame),
        columns,
        config,
        basename,
        key=download_key,
        conditions=conditions,
    )
