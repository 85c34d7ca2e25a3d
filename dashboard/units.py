"""Every number format on screen and in downloads, in one place.

A column's unit is in its name: `support_man` is in 만원 and shows as `1,841만원`, `outcome_multiple_x`
as `2.57배`. Tables, cards, charts and downloads look the unit up from the suffix (`of`), so a page
names a column and a Korean label, never a format. Counts (개사, 건, 명, …) carry no suffix; they are
the named units below the suffix ones, given explicitly.

One unit rule: programme and segment totals are shown in 억원 (`TOTAL`), a firm's own amounts in 만원
(`FIRM`), so the same firm is never shown in two units. Missing values show as `DASH`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

import numpy as np
import pandas as pd
import streamlit as st

DASH = "–"


def missing(value) -> bool:
    return value is None or bool(pd.isna(value))


@dataclass(frozen=True)
class Unit:
    """How numbers in one unit are written: `word` after the number (and in headers), `decimals`
    shown, `krw` won in one of the unit (amounts only), `delta_word` when a change has its own unit."""

    word: str
    decimals: int = 0
    krw: int | None = None
    delta_word: str | None = None

    @property
    def d3_format(self) -> str:
        """Plotly's (d3) number format: `,.1f`."""
        return f",.{self.decimals}f"

    def _number(self, value) -> str:
        # Ties round away from zero on the exact binary value, as the browser's toFixed does for
        # tables and hovers: 1,842.5만원 is 1,843만원 in the table, on the card and in a download.
        number = float(value) or 0.0
        if number.is_integer():  # counts: nothing to round, and a download may write thousands
            return f"{number:,.{self.decimals}f}"
        exact = Decimal(number).quantize(Decimal(1).scaleb(-self.decimals), rounding=ROUND_HALF_UP)
        return f"{exact:,.{self.decimals}f}"

    def text(self, value) -> str:
        """`28.0억원`; `–` when missing."""
        return DASH if missing(value) else self._number(value) + self.word

    def plain(self, value) -> str:
        """The number alone, for an axis whose title names the unit: `1,000`."""
        return self._number(value)

    def part(self, total, shown: int, template: str = "{shown} 표시") -> str:
        """How many of how many a table shows: `120건` when it shows them all, else `1,234건 중 500건
        표시` (`template` words the shown part: `재무성과 상위 {shown}`)."""
        if total == shown:
            return self.text(total)
        return f"{self.text(total)} 중 {template.format(shown=self.text(shown))}"

    def signed(self, value) -> str:
        """A value that is itself a change, with its sign: `+32.1%`, `-4.0%`; `–` when missing."""
        return DASH if missing(value) else _with_sign(self._number(value)) + self.word

    def delta(self, value) -> str | None:
        """A KPI's change against the previous period: `+1.2억원`, `-2.1%p`; None when missing, so
        `st.metric` draws no delta."""
        return None if missing(value) else _with_sign(self._number(value)) + (self.delta_word or self.word)

    def header(self, label: str) -> str:
        """A header or axis title naming the unit: `지원금(만원)`, `금액(억원)`."""
        return f"{label}({self.word})"

    def column_format(self, *, signed: bool = False) -> str:
        """The printf format of a `NumberColumn`: `%,.1f억원`."""
        return f"%{'+' if signed else ''},.{self.decimals}f{self.word.replace('%', '%%')}"

    def column(self, label: str, *, help: str | None = None, signed: bool = False):
        # markdown: a column's label and help are the page's literals.
        return st.column_config.NumberColumn(label, help=help, format=self.column_format(signed=signed))

    def hover(self, ref: str) -> str:
        """A Plotly template field in this unit: `%{y:,.1f}억원` for ref `y`."""
        return f"%{{{ref}:{self.d3_format}}}{self.word}"

    def rounded(self, values: pd.Series) -> pd.Series:
        """`values` rounded exactly as `text` shows them (whole numbers as integers), for downloads."""
        numbers = pd.to_numeric(values, errors="coerce").astype(float)
        step = 10.0**self.decimals
        scaled = numbers.abs() * step
        result = np.sign(numbers) * np.floor(scaled + 0.5) / step + 0.0
        # Only a value within float error of a tie needs the exact (slow) rounding of `text`.
        near_tie = (scaled - np.floor(scaled) - 0.5).abs() < 1e-9 * np.maximum(scaled, 1.0)
        for index in near_tie[near_tie].index:
            result[index] = float(self._number(numbers[index]).replace(",", ""))
        return result.astype("Int64") if self.decimals == 0 else result.astype("Float64")

    def convert(self, value, target: Unit):
        """An amount in this unit expressed in `target`: `KRW.convert(2.8e9, EOK)` is 28.0."""
        if self.krw is None or target.krw is None:
            raise ValueError(f"{self.word}와 {target.word}는 금액 단위가 아니어서 바꿀 수 없습니다.")
        return value * self.krw / target.krw


def _with_sign(number: str) -> str:
    # Tested on the written number, so -0.04 written as "-0.0" keeps its one sign.
    return number if number.startswith("-") else "+" + number


KRW = Unit("원", krw=1)
MAN = Unit("만원", krw=10_000)
EOK = Unit("억원", decimals=1, krw=100_000_000)
PCT = Unit("%", decimals=1, delta_word="%p")
MULTIPLE = Unit("배", decimals=2)
SUFFIXES: dict[str, Unit] = {"_krw": KRW, "_man": MAN, "_eok": EOK, "_pct": PCT, "_x": MULTIPLE}

# An indicator's own value (baseline, result), in the unit its row names.
MEASURE = Unit("", decimals=2)

TOTAL = EOK  # programme and segment totals
FIRM = MAN  # one firm's amounts

FIRMS = Unit("개사")
CASES = Unit("건")
PEOPLE = Unit("명")
TIER = Unit("차")
TIMES = Unit("회")
ROWS = Unit("행")
ITEMS = Unit("개")
COUNTS = (FIRMS, CASES, PEOPLE, TIER, TIMES, ROWS, ITEMS)


def _suffix(column: str) -> str | None:
    return next((suffix for suffix in SUFFIXES if column.endswith(suffix)), None)


def of(column: str) -> Unit | None:
    """The unit a column's name ends in, or None."""
    suffix = _suffix(column)
    return None if suffix is None else SUFFIXES[suffix]


def _formats() -> dict[str, Unit]:
    return {unit.column_format(signed=s): unit for unit in (*SUFFIXES.values(), *COUNTS) for s in (False, True)}


def of_table_column(column: str, config=None) -> Unit | None:
    """A table column's unit: its suffix, else the unit whose format its `NumberColumn` carries."""
    if (unit := of(column)) is not None:
        return unit
    if isinstance(config, Mapping):
        return _formats().get((config.get("type_config") or {}).get("format"))
    return None


def column_config(config: Mapping) -> dict:
    """`config` with every column whose name carries a unit shown in that unit: a plain label becomes
    a `NumberColumn`, a `NumberColumn` without a format gets the unit's format."""
    shown = {}
    for column, entry in config.items():
        unit = of(column)
        if unit is not None and isinstance(entry, str):
            entry = unit.column(entry)
        elif unit is not None and isinstance(entry, Mapping):
            number = entry.get("type_config") or {}
            if number.get("type") == "number" and number.get("format") is None:
                entry = {**entry, "type_config": {**number, "format": unit.column_format()}}
        shown[column] = entry
    return shown


def done_of(done, total) -> str:
    """Tasks done of all: `3/4건`; `–` when there are none."""
    return DASH if missing(total) or total == 0 else f"{int(done):,}/{CASES.text(total)}"


def firm_amounts(frame: pd.DataFrame) -> pd.DataFrame:
    """`frame` with its 원 and 억원 amount columns re-expressed in 만원 (and renamed `_man`), for
    figures about single firms that a query returns at programme scale."""
    converted, renamed = frame.copy(), {}
    for column in frame.columns:
        unit = of(column)
        if unit is not None and unit.krw is not None and unit is not FIRM:
            converted[column] = unit.convert(frame[column], FIRM)
            renamed[column] = column.removesuffix(_suffix(column)) + "_man"
    return converted.rename(columns=renamed)
