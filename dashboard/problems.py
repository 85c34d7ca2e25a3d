"""Problems found in a data set, reported as table, row, column, value and a Korean message."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import asdict, dataclass

import pandas as pd

REPORT_COLUMNS = ("구분", "파일", "표", "행", "열", "값", "내용")


@dataclass(frozen=True)
class Problem:
    """One problem. `row` is the row number as the user sees it in their file
    (CSV and XLSX: the line/row number with the header on row 1; Parquet: 1-based row index)."""

    file: str
    table: str
    message: str
    row: int | None = None
    column: str | None = None
    value: str | None = None
    fatal: bool = True

    def describe(self) -> str:
        where = [self.file or self.table]
        if self.row is not None:
            where.append(f"{self.row}행")
        if self.column:
            where.append(f"'{self.column}' 열")
        shown = f" (값: {self.value})" if self.value not in (None, "") else ""
        return f"{' '.join(where)}: {self.message}{shown}"

    def as_row(self) -> dict:
        return asdict(self)


class DataError(Exception):
    """The data cannot be used; carries every fatal problem found."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__("\n".join(p.describe() for p in problems))


def problems_frame(problems: Iterable[Problem]) -> pd.DataFrame:
    """The problems as the report table shown on screen and downloaded (Korean headers)."""
    rows = [("오류" if p.fatal else "참고", p.file, p.table, p.row, p.column, p.value, p.message) for p in problems]
    return pd.DataFrame(rows, columns=list(REPORT_COLUMNS)).astype({"행": "Int64"})
