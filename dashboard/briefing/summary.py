"""핵심 요약: three to six plain Korean sentences built by rules from the view's query results.

Every number is written with `dashboard/units.py` through the card definitions, so a sentence shows
the same text as the card. A sentence about a group of fewer than `MIN_FIRMS` firms is left out:
with so few firms a "strongest industry" or a change is about single firms, not the programme.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

import pandas as pd

from dashboard import units
from dashboard.cards import CARDS
from dashboard.db import one_row
from dashboard.filters import Filters

MIN_FIRMS = 5
# |change| ÷ previous value below SMALL reads as 비슷, below LARGE as a modest change, else a large one.
SMALL, LARGE = 0.05, 0.20
QUERIES = ("kpi_summary", "kpi_by_year", "outcome_by_industry", "task_completion_by_area")
_CARD = {card.column: card for card in CARDS}


@dataclass(frozen=True)
class Inputs:
    """The query results a summary is written from (`QUERIES`, in the view's filters and scope)."""

    summary: Mapping
    by_year: pd.DataFrame
    by_industry: pd.DataFrame
    task_areas: pd.DataFrame


def inputs_from(query: Callable[[str], pd.DataFrame]) -> Inputs:
    """The inputs from `query(name)`, a runner of `queries/<name>.sql` in the view's filters and scope."""
    frames = [query(name) for name in QUERIES]
    return Inputs(one_row(frames[0], QUERIES[0]), *frames[1:])


def _has_final_consonant(word: str) -> bool:
    last = word.rstrip()[-1:]
    if "가" <= last <= "힣":
        return (ord(last) - ord("가")) % 28 != 0
    return last.isdigit() and last in "013678"


def josa(word: str, with_final: str, without_final: str) -> str:
    """`word` with the particle that fits its last sound: josa("기계가공", "이", "가") is "기계가공이"."""
    return word + (with_final if _has_final_consonant(word) else without_final)


def period(year_from: int, year_to: int) -> str:
    return str(year_from) if year_from == year_to else f"{year_from}–{year_to}"


def card_text(column: str, value) -> str:
    return _CARD[column].value(value)


def _direction(delta: float, before: float) -> str:
    """The verb stem for a change, chosen by its sign and its size against the earlier value:
    `크게 늘었`, `소폭 줄었`, `비슷했`."""
    if delta == 0:
        return "같았"
    ratio = abs(delta) / abs(before) if before else None
    if ratio is not None and ratio < SMALL:
        return "비슷했"
    verb = "늘었" if delta > 0 else "줄었"
    return verb if ratio is None else ("소폭 " if ratio < LARGE else "크게 ") + verb


def _change(label: str, column: str, row: Mapping) -> str | None:
    """`지원금은 +1.2억원으로 소폭 늘었`; None without a previous period."""
    delta = row[f"{column}_delta"]
    if units.missing(delta):
        return None
    now = 0.0 if units.missing(row[column]) else float(row[column])
    stem = _direction(float(delta), now - float(delta))
    return f"{josa(label, '은', '는')} {josa(_CARD[column].delta(delta), '으로', '로')} {stem}"


def sentences(inputs: Inputs, filters: Filters) -> list[str]:
    row = inputs.summary
    firms = int(row["firms"])
    if firms < MIN_FIRMS:
        return []
    span = period(filters.year_from, filters.year_to)
    support = card_text("support_krw", row["support_krw"])
    out = [f"{span} 기수 {card_text('firms', firms)}에 지원금 {support}을 지원했습니다."]
    measured = not units.missing(row["outcome_krw"])
    if measured:
        out.append(
            f"측정된 재무성과는 {card_text('outcome_krw', row['outcome_krw'])}으로, "
            f"지원금의 {card_text('outcome_multiple_x', row['outcome_multiple_x'])}(성과배수)입니다."
        )
    previous_firms = None if units.missing(row["firms_delta"]) else firms - int(row["firms_delta"])
    if previous_firms is not None and previous_firms >= MIN_FIRMS:
        previous = filters.previous()
        # An outcome not yet measured is not a fall: its change is only told when it is measured.
        changes = [("지원금", "support_krw")] + ([("재무성과", "outcome_krw")] if measured else [])
        parts = [p for p in (_change(label, column, row) for label, column in changes) if p]
        out.append(f"직전 기간({period(previous.year_from, previous.year_to)})보다 {'고, '.join(parts)}습니다.")
    industries = inputs.by_industry
    ranked = industries[(industries["firms"] >= MIN_FIRMS) & industries["outcome_multiple_x"].notna()]
    if len(ranked) >= 2:
        ranked = ranked.sort_values(["outcome_multiple_x", "industry"], ascending=[False, True])
        best, worst = ranked.iloc[0], ranked.iloc[-1]
        out.append(
            f"업종별 성과배수는 {josa(best['industry'], '이', '가')} "
            f"{card_text('outcome_multiple_x', best['outcome_multiple_x'])}로 가장 높고, "
            f"{josa(worst['industry'], '이', '가')} {card_text('outcome_multiple_x', worst['outcome_multiple_x'])}로 "
            "가장 낮습니다."
        )
    if not units.missing(row["task_completion_pct"]):
        text = f"개선과제 완료율은 {card_text('task_completion_pct', row['task_completion_pct'])}"
        areas = inputs.task_areas[inputs.task_areas["firms"] >= MIN_FIRMS]
        if len(areas) >= 2:
            lag = areas.iloc[0]
            text += (
                f"이며, 가장 더딘 분야는 {lag['domain']} {lag['area']}"
                f"({card_text('task_completion_pct', lag['task_completion_pct'])})입니다."
            )
        else:
            text += "입니다."
        out.append(text)
    by_year = inputs.by_year
    waiting = by_year.loc[by_year["outcome_krw"].isna() & (by_year["support_krw"] > 0), "year"].astype(int).tolist()
    if not measured:
        out.append("선택한 기수는 아직 재무성과가 측정되지 않았습니다.")
    elif waiting:
        years = ", ".join(str(y) for y in waiting)
        out.append(f"{years} 기수는 아직 재무성과가 측정되지 않아 재무성과와 성과배수에서 빠져 있습니다.")
    return out[:6]
