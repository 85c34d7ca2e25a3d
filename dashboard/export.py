"""Downloads of what a page shows: CSV in UTF-8 with BOM (opens correctly in Korean Excel) and XLSX.

Text cells that a spreadsheet would run as a formula (starting with `=`, `+`, `-`, `@`, or a tab
or carriage return) get a leading `'`, and so does every such start after a line break or tab inside
a cell (a spreadsheet that splits a row at a bare CR would otherwise start a formula there); numeric
columns are left alone, so real negative numbers stay numbers. Every CSV field is quoted, so a line
break inside a cell never ends the record. The importer strips those `'` again, so an export can be
edited and uploaded back unchanged. In XLSX, neutralised text is a text cell: openpyxl makes a formula
only of text that starts with `=`.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime

import pandas as pd
import streamlit as st

from dashboard import units

XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_FORMULA_AFTER_BREAK = re.compile(r"([\r\n\t])(?=[=+\-@])")
_SHEET_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")


def neutralise_cell(value):
    if not isinstance(value, str):
        return value
    value = _FORMULA_AFTER_BREAK.sub(r"\1'", value)
    return "'" + value if value.startswith(FORMULA_START) else value


def neutralise(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy of `frame` whose text cells and headers cannot run as spreadsheet formulas."""
    safe = frame.copy()
    for column in safe.columns:
        series = safe[column]
        if pd.api.types.is_numeric_dtype(series) or pd.api.types.is_datetime64_any_dtype(series):
            continue
        safe[column] = series.map(neutralise_cell, na_action="ignore")
    safe.columns = [neutralise_cell(str(c)) for c in safe.columns]
    return safe


@dataclass(frozen=True)
class Conditions:
    """What made a filtered download: the filters in words, the period for the file name, the data
    version and as-of time (Source.stamp)."""

    filters: tuple[tuple[str, str], ...]  # (filter, its value in words), every filter
    period: str  # "2013-2019", or one year
    data: str

    def rows(self, downloaded: datetime) -> list[tuple[str, str]]:
        return [
            *self.filters,
            ("데이터", self.data),
            ("내려받은 시각", downloaded.strftime("%Y-%m-%d %H:%M")),
        ]

    def file_name(self, basename: str) -> str:
        return f"{basename}_{self.period}"


CONDITION_MARK = "#"


def csv_bytes(frame: pd.DataFrame, conditions: Conditions | None = None, downloaded: datetime | None = None) -> bytes:
    """CSV in UTF-8 with BOM: Korean Excel detects the encoding from the BOM. Every field is quoted, so a
    line break inside a cell can never start a row. With `conditions`, the file starts with one `# 조건`
    line per condition (two cells: condition, value) and a blank line before the table;
    `read_csv_table` (or pandas with `skiprows`) reads the table part."""
    out = io.StringIO()
    if conditions is not None:
        writer = csv.writer(out, lineterminator="\n", quoting=csv.QUOTE_ALL)
        for name, value in conditions.rows(downloaded or datetime.now().astimezone()):
            writer.writerow([f"{CONDITION_MARK} {name}", neutralise_cell(value)])
        out.write("\n")
    neutralise(frame).to_csv(out, index=False, quoting=csv.QUOTE_ALL)
    return out.getvalue().encode("utf-8-sig")


def read_csv_table(data: bytes) -> pd.DataFrame:
    """The table of a CSV download, past its condition lines (if any)."""
    text = data.decode("utf-8-sig")
    if text.startswith(f'"{CONDITION_MARK}'):
        text = text.split("\n\n", 1)[1]
    return pd.read_csv(io.StringIO(text))


def _sheet_name(name: str) -> str:
    return _SHEET_FORBIDDEN.sub("_", name)[:31] or "Sheet1"


def workbook_bytes(frames: Mapping[str, pd.DataFrame]) -> bytes:
    """One XLSX workbook with one sheet per frame, header row frozen."""
    buffer = io.BytesIO()
    with pd.ExcelWriter(buffer, engine="openpyxl") as writer:
        for name, frame in frames.items():
            sheet = _sheet_name(name)
            neutralise(frame).to_excel(writer, sheet_name=sheet, index=False)
            writer.sheets[sheet].freeze_panes = "A2"
    return buffer.getvalue()


def xlsx_bytes(
    frame: pd.DataFrame, sheet: str = "데이터", conditions: Conditions | None = None, downloaded: datetime | None = None
) -> bytes:
    """One sheet of `frame`; with `conditions`, a first sheet "조건" lists them."""
    if conditions is None:
        return workbook_bytes({sheet: frame})
    rows = conditions.rows(downloaded or datetime.now().astimezone())
    return workbook_bytes({"조건": pd.DataFrame(rows, columns=["조건", "값"]), sheet: frame})


def export_buttons(frame: pd.DataFrame, basename: str, key: str | None = None) -> None:
    """CSV and Excel download buttons for `frame`; the files are built only when clicked."""
    lazy_export_buttons(lambda: frame, basename, key)


def lazy_export_buttons(
    make_frame: Callable[[], pd.DataFrame],
    basename: str,
    key: str | None = None,
    conditions: Conditions | None = None,
) -> None:
    """As export_buttons, for a frame that is only worth computing when someone downloads it. With
    `conditions` (a filtered view), the files carry them and the file name carries the period; raw
    tables are downloaded without, so they can be imported again as they are."""
    key = key or basename
    if conditions is not None:
        basename = conditions.file_name(basename)
    with st.container(horizontal=True):
        st.download_button(
            "CSV 내려받기",
            data=lambda: csv_bytes(make_frame(), conditions),
            file_name=f"{basename}.csv",
            mime="text/csv",
            key=f"{key}_csv",
            on_click="ignore",
            icon=":material/download:",
        )
        st.download_button(
            "Excel 내려받기",
            data=lambda: xlsx_bytes(make_frame(), conditions=conditions),
            file_name=f"{basename}.xlsx",
            mime=XLSX_MIME,
            key=f"{key}_xlsx",
            on_click="ignore",
            icon=":material/download:",
        )


def _label(column: str, config) -> str:
    if isinstance(config, str):
        return config
    if isinstance(config, Mapping) and config.get("label"):
        return config["label"]
    return column


def table_export_buttons(
    make_frame: Callable[[], pd.DataFrame],
    column_order: list[str],
    column_config: Mapping,
    basename: str,
    key: str | None = None,
    conditions: Conditions | None = None,
) -> None:
    """Downloads of a table as the page shows it: the shown columns, in order, under their Korean headers
    with the unit (`지원금(만원)`), numbers rounded as the table shows them, and the `conditions`."""
    lazy_export_buttons(lambda: as_shown(make_frame(), column_order, column_config), basename, key, conditions)


def as_shown(frame: pd.DataFrame, column_order: list[str], column_config: Mapping) -> pd.DataFrame:
    """`column_order` of `frame` under the headers a download carries, numbers rounded as shown."""
    shown = {}
    for column in column_order:
        config = column_config.get(column)
        label = _label(column, config)
        unit = units.of_table_column(column, config)
        if unit is None:
            shown[label] = frame[column]
        else:
            shown[unit.header(label)] = unit.rounded(frame[column])
    return pd.DataFrame(shown, index=frame.index)
