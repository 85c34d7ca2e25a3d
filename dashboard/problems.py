"""Problems found in a data set, reported as table, row, column, value and a Korean message."""

from __future__ import annotations

from dataclasses import asdict, dataclass


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
        where = [self.file]
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
