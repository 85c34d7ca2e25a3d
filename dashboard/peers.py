"""Firm vs peers in words: the peer group's name and size, each KPI's and indicator's row (the firm's
value, the group's median, interquartile range and the firm's rank) and the note when statistics are
suppressed. The numbers come from queries/peer_group.sql, peer_kpis.sql and peer_indicators.sql; the
profile (pages/companies.py) and the firm one-pager (dashboard/briefing/pdf.py) show the same rows."""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd

from dashboard import units

KPI_LABELS = {
    "support_man": "지원금",
    "outcome_man": "재무성과",
    "outcome_multiple_x": "성과배수",
    "task_completion_pct": "과제 완료율",
    "mean_improvement_pct": "평균 개선율",
}
# The shown table: column -> header, for the profile's table and the one-pager's.
COLUMNS = {
    "label": "지표",
    "firm": "이 기업",
    "median": "동종 중앙값",
    "quartiles": "사분위 범위(25–75%)",
    "rank": "순위(높은 순)",
}
SUPPRESSED = "비공개"


def group_name(group: Mapping) -> str:
    """`2차 · 기계가공 · 2016, 2017 기수, 12개사`; without the industry when the group is the tier alone."""
    parts = [units.TIER.text(group["tier"])]
    parts.append("업종 전체" if units.missing(group["industry"]) else str(group["industry"]))
    parts.append(f"{group['cohort_years']} 기수")
    return " · ".join(parts) + f", {units.FIRMS.text(group['group_firms'])}"


def group_notes(group: Mapping, *, firm_user: bool) -> list[str]:
    """Why the group is what it is: the tier fallback, the suppression of small groups, and that a firm
    user's group holds no other firm."""
    notes = []
    if units.missing(group["industry"]):
        notes.append(
            f"같은 차수·업종 기업이 {units.FIRMS.text(group['tier_industry_firms'])}뿐이라 "
            "같은 차수의 기업 전체와 비교합니다."
        )
    if firm_user:
        notes.append("기업 사용자에게는 다른 기업의 값이 보이지 않아 동종 기업 통계를 표시하지 않습니다.")
    notes.append(
        f"값이 있는 기업이 {units.FIRMS.text(group['min_firms'])} 미만인 항목은 개별 기업이 드러나지 않도록 "
        f"중앙값·사분위 범위·순위를 '{SUPPRESSED}'로 둡니다."
    )
    return notes


def _line(r: Mapping, unit: units.Unit, prefix: str = "") -> str:
    """`동종 중앙값 1,815만원 · 7위/14` and under it `범위 1,469만원 – 2,411만원`, or 비공개 for a small group:
    short enough for a card of the one-pager."""
    if r["suppressed"]:
        return f"동종 {SUPPRESSED}"
    shown = _row("", unit, None, r, prefix)
    rank = units.DASH if units.missing(r["firm_rank"]) else f"{int(r['firm_rank'])}위"
    return f"동종 중앙값 {shown['median']} · {rank}/{int(r['ranked_firms'])}\n범위 {shown['quartiles']}"


def card_lines(kpis: pd.DataFrame) -> dict[str, str]:
    """Under each KPI card of the one-pager, its peer statistics in two short lines (or 비공개)."""
    return {r["kpi"]: _line(r, units.of(r["kpi"])) for _, r in kpis.iterrows()}


def indicator_line(indicators: pd.DataFrame) -> str:
    """Each indicator's improvement beside its peers in one sentence, for the one-pager."""
    if len(indicators) and indicators["suppressed"].all():
        return f"모두 {SUPPRESSED}"
    return "; ".join(
        f"{r['indicator']} {_line(r, units.PCT, '_pct').replace(chr(10), ' · ')}" for _, r in indicators.iterrows()
    )


def note(group: Mapping) -> str:
    """The group's name and the suppression rule in one line, for the one-pager."""
    fallback = ", 같은 업종이 적어 차수 전체" if units.missing(group["industry"]) else ""
    return (
        f"동종 비교 집단: {group_name(group)}(이 기업 포함{fallback}). "
        f"값이 있는 기업이 {units.FIRMS.text(group['min_firms'])} 미만이면 {SUPPRESSED}."
    )


def _row(label: str, unit: units.Unit, value, r: Mapping, prefix: str = "") -> dict:
    if r["suppressed"]:
        median = quartiles = rank = SUPPRESSED
    else:
        median = unit.text(r[f"median{prefix}"])
        quartiles = f"{unit.text(r[f'p25{prefix}'])} – {unit.text(r[f'p75{prefix}'])}"
        rank = units.DASH if units.missing(r["firm_rank"]) else f"{int(r['firm_rank'])}위"
        rank += f" / {units.FIRMS.text(r['ranked_firms'])}"
    return {"label": label, "firm": unit.text(value), "median": median, "quartiles": quartiles, "rank": rank}


def kpi_rows(kpis: pd.DataFrame) -> pd.DataFrame:
    """queries/peer_kpis.sql as the shown texts, each KPI in the unit its column name carries."""
    rows = [_row(KPI_LABELS[r["kpi"]], units.of(r["kpi"]), r["firm_value"], r) for _, r in kpis.iterrows()]
    return pd.DataFrame(rows, columns=list(COLUMNS))


def indicator_rows(indicators: pd.DataFrame, label: str = "{}") -> pd.DataFrame:
    """queries/peer_indicators.sql as the shown texts (improvements in %); `label` words the indicator."""
    rows = [
        _row(label.format(r["indicator"]), units.PCT, r["improvement_pct"], r, prefix="_pct")
        for _, r in indicators.iterrows()
    ]
    return pd.DataFrame(rows, columns=list(COLUMNS))
