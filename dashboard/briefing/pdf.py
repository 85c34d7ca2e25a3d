"""The briefing PDF: an A4 portrait document of one view (its filters, summary, cards, main chart and
tables), typeset with Typst from the same queries the page runs, in the viewer's scope.

Charts are drawn by the document itself (vector, the dashboard's palette) rather than exported through
Kaleido: Kaleido starts a Chromium per export, 7–10 s a chart on this machine against about half a second
for the whole document here.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pandas as pd
import typst

from dashboard import cards, charts, peers, units
from dashboard.briefing import summary
from dashboard.contract import PARTICIPATION_STATUS, TASK_STATUS
from dashboard.db import one_row
from dashboard.filters import FIELD_LABELS, Filters, Options
from dashboard.generate import SYNTHETIC_MARKER, SYNTHETIC_NOTICE
from dashboard.navigation import PAGES

TEMPLATE = Path(__file__).with_name("briefing.typ")
SEOUL = ZoneInfo("Asia/Seoul")
# Searched in order; Debian packages fonts-noto-cjk and fonts-nanum put them here.
FONT_CANDIDATES: tuple[tuple[Path, str], ...] = (
    (Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"), "Noto Sans CJK KR"),
    (Path("/usr/share/fonts/truetype/nanum/NanumGothic.ttf"), "NanumGothic"),
)
# The briefing of each page is named as the page (dashboard/navigation.py); 개요 by the app's title.
VIEWS = {page.url_path: page.title for page in PAGES if page.url_path != "data"} | {
    "overview": "산업혁신운동 성과 개요",
    "company": "기업 한 장 요약",
}
TOP_FIRMS = 10
TABLE_ROWS = 15
PALETTE = {
    "support": charts.SUPPORT_COLOR,
    "outcome": charts.OUTCOME_COLOR,
    "multiple": charts.MULTIPLE_COLOR,
    "up": "#1b7f4b",
    "down": "#c44e52",
    "muted": "#5f6368",
    "panel": "#f1f4f9",
}

Query = Callable[..., pd.DataFrame]  # query(name, **extra): queries/<name>.sql in the view's filters and scope


class BriefingError(Exception):
    """A briefing that cannot be made, with a Korean message for the user."""


def korean_font() -> tuple[str, Path]:
    """The family name and file of the first Korean font found on the system."""
    for path, family in FONT_CANDIDATES:
        if path.is_file():
            return family, path
    raise BriefingError(
        "브리핑 PDF에 쓸 한글 글꼴을 찾을 수 없습니다. Debian 패키지 fonts-noto-cjk 또는 fonts-nanum을 "
        "설치하세요 (apt-get install fonts-noto-cjk fonts-nanum)."
    )


@dataclass(frozen=True)
class DataInfo:
    version: str  # in words: which data the numbers are from
    as_of: str  # the newest file's modification time
    synthetic: bool


def data_info(folder: Path, fingerprint: str) -> DataInfo:
    files = [f for f in folder.iterdir() if f.is_file()] if folder.is_dir() else []
    newest = max((f.stat().st_mtime for f in files), default=None)
    as_of = "–" if newest is None else datetime.fromtimestamp(newest, SEOUL).strftime("%Y-%m-%d %H:%M")
    synthetic = (folder / SYNTHETIC_MARKER).is_file()
    name = "표본 데이터(합성)" if synthetic else folder.name
    # The fingerprint names the files and their versions; a short digest of it is enough to tell versions apart.
    version = hashlib.sha256(fingerprint.encode()).hexdigest()[:10]
    return DataInfo(f"{name} · 버전 {version}", as_of, synthetic)


def filter_words(filters: Filters, options: Options) -> list[tuple[str, str]]:
    """Every filter in words, `전체` when it does not restrict."""
    period = summary.period(filters.year_from, filters.year_to) + " 기수"
    chosen = {
        "phase": filters.phases,
        "company": tuple(f"{options.companies.get(c, c)}({c})" for c in filters.company_ids),
        "industry": filters.industries,
        "region": filters.regions,
        "tier": tuple(units.TIER.text(t) for t in filters.tiers),
    }
    words = [("기간", period)]
    words += [(FIELD_LABELS[key], ", ".join(str(v) for v in values) or "전체") for key, values in chosen.items()]
    return words


def _number(value) -> float | None:
    return None if units.missing(value) else float(value)


def _cards(row: Mapping, filters: Filters) -> list[dict]:
    previous = filters.previous()
    basis = summary.period(previous.year_from, previous.year_to) + " 대비"
    shown = []
    for card in cards.CARDS:
        delta = row[f"{card.column}_delta"]
        shown.append(
            {
                "label": card.label,
                "value": card.value(row[card.column]),
                "delta": card.delta(delta),
                "basis": basis,
                "sign": 0 if units.missing(delta) else (delta > 0) - (delta < 0),
            }
        )
    return shown


def _yearly(by_year: pd.DataFrame, unit: units.Unit) -> dict | None:
    """The yearly chart's bars in `unit` (TOTAL for a view, FIRM for one firm), with a slot for a year
    without a cohort and a note on a year whose outcome is not measured yet."""
    if by_year.empty:
        return None
    rows = []
    known = {int(r["year"]): r for _, r in by_year.iterrows()}
    for year in range(int(by_year["year"].min()), int(by_year["year"].max()) + 1):
        r = known.get(year)
        if r is None:
            rows.append(dict.fromkeys(("support", "outcome", "multiple"), None) | {"label": year, "note": "기수 없음"})
            continue
        support, outcome = (
            None if units.missing(r[c]) else units.EOK.convert(r[c], unit) for c in ("support_eok", "outcome_eok")
        )
        rows.append(
            {
                "label": year,
                "support": _number(support),
                "outcome": _number(outcome),
                "multiple": _number(r["outcome_multiple_x"]),
                "support_text": unit.text(support),
                "outcome_text": unit.text(outcome),
                "multiple_text": units.MULTIPLE.text(r["outcome_multiple_x"]),
                "note": "성과 측정 전" if units.missing(r["outcome_eok"]) else None,
            }
        )
    heights = [v for r in rows for v in (r["support"], r["outcome"]) if v is not None]
    multiples = [r["multiple"] for r in rows if r["multiple"] is not None]
    return {"rows": rows, "max": max(heights, default=0) or 1, "max_multiple": max(multiples, default=0) or 1}


def _table(frame: pd.DataFrame, columns: Mapping[str, tuple[str, units.Unit | None]]) -> dict:
    """`frame`'s `columns` (column -> (header, unit)) as texts, numbers right-aligned."""
    rows = [
        [str(r[c]) if unit is None else unit.text(r[c]) for c, (_, unit) in columns.items()]
        for _, r in frame.head(TABLE_ROWS).iterrows()
    ]
    headers = [header if unit is None or not unit.word else unit.header(header) for header, unit in columns.values()]
    return {
        "columns": headers,
        "align": ["l" if unit is None else "r" for _, unit in columns.values()],
        "rows": rows,
    }


def _pairs(frame: pd.DataFrame, label: str, series: Mapping[str, tuple[str, str]], unit: units.Unit) -> dict:
    rows = [
        {
            "label": str(r[label]),
            "values": [_number(r[c]) for c in series],
            "texts": [unit.text(r[c]) for c in series],
        }
        for _, r in frame.iterrows()
    ]
    values = [v for r in rows for v in r["values"] if v is not None]
    return {
        "series": [{"name": name, "color": color} for name, color in series.values()],
        "rows": rows,
        "max": max(values, default=0) or 1,
    }


def _section(title: str, *, chart=None, table=None, note=None) -> dict:
    return {"title": title, "chart": chart, "table": table, "note": note}


def _overview_sections(query: Query) -> list[dict]:
    phases = query("kpi_by_phase")
    money = {"support_eok": ("지원금", charts.SUPPORT_COLOR), "outcome_eok": ("재무성과", charts.OUTCOME_COLOR)}
    phase_table = _table(
        phases,
        {
            "phase": ("단계", None),
            "firms": ("기업", units.FIRMS),
            "support_eok": ("지원금", units.TOTAL),
            "outcome_eok": ("재무성과", units.TOTAL),
            "outcome_multiple_x": ("성과배수", units.MULTIPLE),
            "task_completion_pct": ("과제 완료율", units.PCT),
        },
    )
    top = units.firm_amounts(query("top_companies_by_outcome", limit=TOP_FIRMS))
    top_money = {"outcome_man": ("재무성과", charts.OUTCOME_COLOR), "support_man": ("지원금", charts.SUPPORT_COLOR)}
    return [
        _section("1단계 vs 2단계", chart=_pairs(phases, "phase", money, units.TOTAL), table=phase_table),
        _section(
            f"재무성과 상위 {TOP_FIRMS}개 기업",
            chart=None if top.empty else _pairs(top, "company_name", top_money, units.FIRM),
            note="재무성과가 측정된 참여가 없습니다." if top.empty else "기업별 금액은 만원 단위입니다.",
        ),
    ]


def _companies_sections(query: Query) -> list[dict]:
    board = query("company_leaderboard", search="", limit=TABLE_ROWS)
    columns = {
        "company_name": ("기업명", None),
        "industry": ("업종", None),
        "cohort_years": ("기수", None),
        "support_man": ("지원금", units.FIRM),
        "outcome_man": ("재무성과", units.FIRM),
        "outcome_multiple_x": ("성과배수", units.MULTIPLE),
        "task_completion_pct": ("과제 완료율", units.PCT),
    }
    return [_section(f"재무성과 상위 기업 (최대 {TABLE_ROWS}개)", table=_table(board, columns))]


def _tasks_sections(query: Query) -> list[dict]:
    areas = query("task_completion_by_area")
    columns = {
        "domain": ("분야", None),
        "area": ("영역", None),
        "firms": ("기업", units.FIRMS),
        "tasks_total": ("과제", units.CASES),
        "tasks_done": ("완료", units.CASES),
        "task_completion_pct": ("완료율", units.PCT),
    }
    return [_section("분야별 과제 완료율 (낮은 순)", table=_table(areas, columns))]


def _outcomes_sections(query: Query) -> list[dict]:
    rows = query("indicator_before_after", limit=charts.PANEL_LIMIT)
    columns = {
        "indicator": ("지표", None),
        "unit": ("단위", None),
        "measured_rows": ("측정", units.CASES),
        "mean_baseline": ("개선 전 평균", units.MEASURE),
        "mean_result": ("개선 후 평균", units.MEASURE),
    }
    return [_section("지표별 개선 전 → 후", table=_table(rows, columns))]


def _company_cards(query: Query, filters: Filters) -> list[dict]:
    """The firm profile's cards (기업 page), in 만원 as every firm's own amount, each KPI with its peer
    group's median and the firm's rank under it (dashboard/peers.py; 비공개 for a small group)."""
    row = one_row(query("company_leaderboard", search="", limit=1), "company_leaderboard")
    peer_lines = peers.card_lines(query("peer_kpis"))
    shown = (
        ("참여 횟수", units.TIMES.text(row["cohorts"]), None),
        ("지원금", units.FIRM.text(row["support_man"]), "support_man"),
        ("재무성과", units.FIRM.text(row["outcome_man"]), "outcome_man"),
        ("성과배수", units.MULTIPLE.text(row["outcome_multiple_x"]), "outcome_multiple_x"),
        ("과제 완료", units.done_of(row["tasks_done"], row["tasks_total"]), "task_completion_pct"),
        ("평균 개선율", units.PCT.text(row["mean_improvement_pct"]), "mean_improvement_pct"),
    )
    return [
        {"label": label, "value": value, "delta": peer_lines.get(kpi), "basis": "", "sign": 0}
        for label, value, kpi in shown
    ]


def _company_sections(query: Query) -> list[dict]:
    cohorts = query("company_cohorts").assign(
        status=lambda f: f["status"].map(PARTICIPATION_STATUS.labels),
        tasks=lambda f: [units.done_of(d, t) for d, t in zip(f["tasks_done"], f["tasks_total"], strict=True)],
    )
    cohort_columns = {
        "year": ("기수", None),
        "phase": ("단계", None),
        "status": ("상태", None),
        "support_man": ("지원금", units.FIRM),
        "outcome_man": ("재무성과", units.FIRM),
        "outcome_multiple_x": ("성과배수", units.MULTIPLE),
        "tasks": ("과제(완료/전체)", None),
        "mean_improvement_pct": ("평균 개선율", units.PCT),
    }
    tasks = query("task_list", search="", task_statuses=None, domains=None, areas=None, limit=TABLE_ROWS)
    tasks = tasks.assign(status=tasks["status"].map(TASK_STATUS.labels))
    task_columns = {
        "year": ("기수", None),
        "domain": ("영역", None),
        "area": ("분야", None),
        "title": ("과제", None),
        "status": ("상태", None),
    }
    rows = query("outcome_rows", indicators=None, limit=TABLE_ROWS)
    indicator_columns = {
        "year": ("기수", None),
        "indicator": ("지표", None),
        "unit": ("단위", None),
        "baseline": ("개선 전", units.MEASURE),
        "result": ("개선 후", units.MEASURE),
        "improvement_pct": ("개선율", units.PCT),
    }
    # The peer group's statistics are under the cards (_company_cards); its name and each indicator's
    # peers are in the notes (the headers already say 만원), so the page stays one page.
    group = query("peer_group")
    group_note = peers.note(one_row(group, "peer_group")) if len(group) else None
    indicator_peers = peers.indicator_line(query("peer_indicators"))
    indicator_note = f"동종 비교(지표별 개선율 평균): {indicator_peers}" if indicator_peers else None
    return [
        _section(
            "참여 기수", table=_table(cohorts, cohort_columns), note=_join("기업별 금액은 만원 단위입니다.", group_note)
        ),
        _section("개선과제", table=_table(tasks, task_columns) if len(tasks) else None, note=_more(tasks)),
        _section(
            "지표별 개선 전후",
            table=_table(rows, indicator_columns) if len(rows) else None,
            note=_join(_more(rows), indicator_note),
        ),
    ]


def _join(*notes: str | None) -> str | None:
    return " ".join(n for n in notes if n) or None


def _more(frame: pd.DataFrame) -> str | None:
    if frame.empty:
        return "등록된 항목이 없습니다."
    return f"처음 {TABLE_ROWS}건만 싣습니다." if len(frame) >= TABLE_ROWS else None


SECTIONS = {
    "overview": _overview_sections,
    "companies": _companies_sections,
    "tasks": _tasks_sections,
    "outcomes": _outcomes_sections,
    "company": _company_sections,
}


def document(view: str, query: Query, filters: Filters, options: Options, info: DataInfo, made: datetime) -> dict:
    """Everything the briefing prints, as the JSON the Typst template reads."""
    if view not in VIEWS:
        raise BriefingError(f"알 수 없는 화면 '{view}'입니다. {', '.join(VIEWS)} 중 하나를 고르세요.")
    font, _ = korean_font()
    title = VIEWS[view]
    if view == "company":
        if len(filters.company_ids) != 1:
            raise BriefingError("기업 한 장 요약은 기업을 하나만 골라야 만들 수 있습니다 (--company 하나).")
        title = f"{options.companies.get(filters.company_ids[0], filters.company_ids[0])} · {title}"
        shown_cards = _company_cards(query, filters)
    else:
        shown_cards = _cards(one_row(query("kpi_summary"), "kpi_summary"), filters)
    return {
        "font": font,
        "title": title,
        "period": summary.period(filters.year_from, filters.year_to) + " 기수",
        "filters": filter_words(filters, options),
        "version": info.version,
        "as_of": info.as_of,
        "made": made.astimezone(SEOUL).strftime("%Y-%m-%d %H:%M KST"),
        "synthetic": info.synthetic,
        "synthetic_note": SYNTHETIC_NOTICE.removeprefix("ⓘ ").strip(),
        "summary": summary.sentences(summary.inputs_from(query), filters),
        "cards_title": "핵심 지표",
        "cards": shown_cards,
        "yearly_title": "기수별 지원금과 재무성과",
        "yearly": _yearly(query("kpi_by_year"), units.FIRM if view == "company" else units.TOTAL),
        "sections": SECTIONS[view](query),
        "definitions": [(c.label, c.help) for c in cards.CARDS],
        "palette": PALETTE,
    }


def render(doc: dict) -> bytes:
    """The PDF of a `document`, the Korean font embedded."""
    _, font_file = korean_font()
    return typst.compile(
        str(TEMPLATE),
        font_paths=[str(font_file.parent)],
        ignore_system_fonts=True,
        sys_inputs={"data": json.dumps(doc, ensure_ascii=False, default=str)},
    )


def briefing_pdf(view: str, query: Query, filters: Filters, options: Options, info: DataInfo) -> bytes:
    return render(document(view, query, filters, options, info, datetime.now(SEOUL)))
