"""The cards of every page, in one place for the page and its briefing PDF: the Overview's KPI cards
(label on screen, source column, the unit it is shown in, definition) and the plain cards of 개선과제,
성과 and a firm's profile (which query's one row, which column, which unit)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

import pandas as pd
import streamlit as st

from dashboard import units
from dashboard.contract import TASK_STATUS


@dataclass(frozen=True)
class Card:
    label: str
    column: str
    help: str
    unit: units.Unit | None = None  # shown in; by default the column's own unit
    basis: str = "all"  # ALL or SETTLED: the participations it is computed over

    @property
    def shown_in(self) -> units.Unit:
        return self.unit or units.of(self.column)

    def _in_unit(self, value):
        source = units.of(self.column)
        if units.missing(value) or source in (None, self.shown_in):
            return value
        return source.convert(value, self.shown_in)

    def value(self, value) -> str:
        return self.shown_in.text(self._in_unit(value))

    def delta(self, value) -> str | None:
        return self.shown_in.delta(self._in_unit(value))


# The basis each card is computed over: every filtered participation, or the settled ones.
ALL = "all"
SETTLED = "settled"

CARDS = (
    Card("지원 기업", "firms", "선택한 조건의 참여 기업 수(중복 제외)", units.FIRMS),
    Card("지원금", "support_krw", "컨설팅 지원금 + 설비투자 지원금 합계", units.TOTAL),
    Card(
        "재무성과",
        "outcome_krw",
        "측정된 재무성과 합계(중도 포기는 0, 진행 중·선정 단계의 미측정 참여는 제외)",
        units.TOTAL,
        SETTLED,
    ),
    Card(
        "성과배수",
        "outcome_multiple_x",
        "재무성과 ÷ 지원금, 성과가 확정된 참여만으로 계산: 재무성과가 측정된 참여와 중도 포기한 참여"
        "(지원금은 쓰였고 성과는 0). 진행 중·선정 단계로 아직 측정되지 않은 참여는 분자·분모 모두에서 제외",
        basis=SETTLED,
    ),
    Card("성과공유 계약", "sharing_contracts", "성과공유 계약을 맺은 참여 건수", units.CASES),
    Card("과제 완료율", "task_completion_pct", "완료된 개선과제 ÷ 전체 개선과제"),
    Card(
        "평균 개선율",
        "mean_improvement_pct",
        "측정된 성과지표의 (개선 후 − 개선 전) ÷ |개선 전| × 100 평균, 낮을수록 좋은 지표는 부호 반전",
    ),
)


def basis(row: Mapping, which: str) -> str:
    """The participations a card is computed over, in words, from the `kpi_summary` row."""
    if which == SETTLED:
        support = units.TOTAL.text(units.KRW.convert(row["settled_support_krw"], units.TOTAL))
        left_out = int(row["participations"]) - int(row["settled_participations"])
        pending = f" (성과 측정 전 {left_out}건 제외)" if left_out else ""
        return f"성과 측정 완료 {int(row['settled_participations'])}건 · 지원금 {support} 기준{pending}"
    return f"선택한 조건의 참여 {int(row['participations'])}건 기준"


def help_text(card: Card, row: Mapping, stamp: str) -> str:
    """A card's help: definition, basis, data version and as-of time."""
    return f"{card.help}\n\n{basis(row, card.basis)}\n\n{stamp}"


# Narrowest card (rem) whose value still fits at the smallest font style.css allows; the gap between
# cards is Streamlit's "small" gap.
CARD_MIN_REM = 10.0
GAP_REM = 1.0


def _per_row(count: int, fits: int) -> int:
    """Cards to a row when `fits` would fit: the fewest rows, then rows as even as possible
    (7 cards four to a row make 4 + 3, not 5 + 2)."""
    rows = -(-count // fits)
    return -(-count // rows)


def grid_css(key: str, count: int, most: int | None = None) -> str:
    """Style of a wrapping card row: as many cards to a row as fit at CARD_MIN_REM (at most `most`),
    every card the same width. Container queries, so the sidebar's width counts as well."""
    selector = f".st-key-{key}"
    rules = [
        f"{selector} {{ container-type: inline-size; gap: {GAP_REM}rem; }}",
        f"{selector} > [data-testid='stElementContainer'] {{ --per-row: 1; min-width: 0;"
        f" flex: 0 0 calc((100% - (var(--per-row) - 1) * {GAP_REM}rem) / var(--per-row)); }}",
    ]
    shown = 1
    for fits in range(2, min(count, most or count) + 1):
        per_row = _per_row(count, fits)
        if per_row != shown:
            width = fits * CARD_MIN_REM + (fits - 1) * GAP_REM
            rules.append(
                f"@container (min-width: {width}rem) {{ {selector} > [data-testid='stElementContainer']"
                f" {{ --per-row: {per_row}; }} }}"
            )
            shown = per_row
    return "<style>" + "\n".join(rules) + "</style>"


def card_row(key: str, count: int, most: int | None = None):
    """A horizontal container whose `count` cards wrap into as many even rows as the width needs."""
    st.html(grid_css(key, count, most))
    return st.container(horizontal=True, key=key)


def render(
    row: Mapping,
    by_year: pd.DataFrame,
    previous: tuple[int, int] | str | None,
    stamp: str,
    *,
    key: str = "kpi_cards",
) -> None:
    """Draw the cards from the `kpi_summary` row and the `kpi_by_year` sparkline rows; `stamp` names
    the data version and as-of time (Source.stamp). The deltas are against `previous`: the previous
    period's years, or what the row's `$f_previous` was bound to in words (the 비교 mode's "A 대비"),
    or None for no delta."""
    if isinstance(previous, tuple):
        # "2014–15 대비" fits a card at 1366 px where "2014–2015 대비" is cut off.
        description = (
            f"{previous[0]}–{previous[1] % 100:02d} 대비" if previous[0] != previous[1] else f"{previous[0]} 대비"
        )
    else:
        description = previous
    with card_row(key, len(CARDS)):
        for card in CARDS:
            delta = card.delta(row[f"{card.column}_delta"]) if description else None
            # Years not yet measured are left out rather than drawn as zero.
            values = by_year[card.column].dropna().astype(float).tolist()
            trend = values if len(values) > 1 else None
            st.metric(  # markdown: a card's label and help are the page's literals
                card.label,
                card.value(row[card.column]),
                delta=delta,
                delta_description=description if delta else None,
                help=help_text(card, row, stamp),
                border=True,
                chart_data=trend,
                chart_type="line",
            )


@dataclass(frozen=True)
class Stat:
    """A plain card: `column` of its query's one row in `unit`, `help` its definition; `detail` adds a
    line about the view to the help on screen, `shows` replaces the value when two columns make it."""

    label: str
    column: str
    unit: units.Unit
    help: str
    detail: Callable[[Mapping], str] | None = None
    shows: Callable[[Mapping], str] | None = None

    def value(self, row: Mapping) -> str:
        return self.shows(row) if self.shows else self.unit.text(row[self.column])

    def help_text(self, row: Mapping) -> str:
        return self.help if self.detail is None else f"{self.help}\n\n{self.detail(row)}"


@dataclass(frozen=True)
class StatSet:
    """The cards a page shows from one row of `query`; when `empty(row)`, the page says `empty_note`
    instead of the cards and stops."""

    query: str
    stats: tuple[Stat, ...]
    empty: Callable[[Mapping], bool] = lambda row: False
    empty_note: str = ""

    def shown(self, row: Mapping) -> tuple[tuple[str, str, str], ...]:
        """(label, value, help) of every card, as `stat_row` draws them."""
        return tuple((s.label, s.value(row), s.help_text(row)) for s in self.stats)

    def definitions(self) -> list[tuple[str, str]]:
        return [(s.label, s.help) for s in self.stats]


def _status_count(status: str, column: str) -> Stat:
    label = TASK_STATUS.labels[status]
    return Stat(label, column, units.CASES, f"상태가 '{label}'인 개선과제 수")


TASKS = StatSet(
    "task_summary",
    (
        Stat(
            "전체 과제",
            "tasks_total",
            units.CASES,
            "선택한 조건의 참여에 등록된 개선과제 수",
            detail=lambda row: f"과제를 수행한 기업 {units.FIRMS.text(row['firms'])}",
        ),
        _status_count("done", "tasks_done"),
        _status_count("in_progress", "tasks_in_progress"),
        _status_count("planned", "tasks_planned"),
        _status_count("on_hold", "tasks_on_hold"),
        Stat("과제 완료율", "task_completion_pct", units.PCT, "완료된 개선과제 ÷ 전체 개선과제"),
    ),
    empty=lambda row: row["tasks_total"] == 0,
    empty_note="선택한 조건의 참여에 등록된 개선과제가 없습니다.",
)

OUTCOMES = StatSet(
    "outcome_summary",
    (
        Stat("측정된 지표", "measured_rows", units.CASES, "개선 후 값이 있는 성과지표(기업·기수·지표) 수"),
        Stat("측정 전 지표", "unmeasured_rows", units.CASES, "개선 후 값이 아직 없는 성과지표 수"),
        Stat(
            "평균 개선율",
            "mean_improvement_pct",
            units.PCT,
            "측정된 지표의 (개선 후 − 개선 전) ÷ |개선 전| × 100 평균, 낮을수록 좋은 지표는 부호 반전",
        ),
        Stat("개선된 지표 비율", "improved_share_pct", units.PCT, "측정된 지표 중 개선율이 0%보다 큰 비율"),
        Stat("측정 기업", "firms", units.FIRMS, "측정된 지표가 하나 이상 있는 기업 수"),
    ),
    empty=lambda row: row["indicator_rows"] == 0,
    empty_note="선택한 조건의 참여에 등록된 성과지표가 없습니다.",
)

# A firm's profile (기업 with one firm chosen), from its `company_leaderboard` row; its amounts in 만원.
PROFILE = StatSet(
    "company_leaderboard",
    (
        Stat("참여 횟수", "cohorts", units.TIMES, "현재 필터 안의 참여(기수) 수"),
        Stat("지원금", "support_man", units.FIRM, "컨설팅 + 설비투자 지원금 합계"),
        Stat("재무성과", "outcome_man", units.FIRM, "측정된 재무성과 합계(미측정 제외)"),
        Stat(
            "성과배수",
            "outcome_multiple_x",
            units.MULTIPLE,
            "재무성과 ÷ 지원금, 성과가 확정된 참여(측정 완료 또는 중도 포기, 성과 0)만",
        ),
        Stat(
            "과제 완료",
            "tasks_done",
            units.CASES,
            "완료된 개선과제 / 전체 개선과제",
            shows=lambda row: units.done_of(row["tasks_done"], row["tasks_total"]),
        ),
        Stat("평균 개선율", "mean_improvement_pct", units.PCT, "측정된 성과지표의 개선율 평균"),
    ),
)


def stat_row(stats: tuple[tuple[str, str, str | None], ...], per_row: int | None = None) -> None:
    """Plain cards of (label, formatted value, help), at most `per_row` to a row (all in one by default)."""
    with card_row("stat_cards", len(stats), per_row):
        for label, value, help_text in stats:
            st.metric(label, value, help=help_text, border=True)  # markdown: the page's literals
