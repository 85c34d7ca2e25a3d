"""The briefing PDF: an A4 portrait document of one view (its filters, summary, cards, main chart and
tables), typeset with Typst from the same queries the page runs, in the viewer's scope.

Charts are drawn by the document itself (vector, the dashboard's palette) rather than exported through
Kaleido: Kaleido starts a Chromium per export, 7–10 s a chart on this machine against about half a second
for the whole document here.
"""

from __future__ import annotations

import hashlib
import json
import math
from collections.abc import Callable, Mapping
from dataclasses import asdict, dataclass
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pandas as pd
import typst

from dashboard import cards, charts, peers, safe, tables, units
from dashboard.briefing import summary
from dashboard.contract import PARTICIPATION_STATUS, TASK_DOMAINS, TASK_STATUS
from dashboard.db import one_row, total
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
# Points of the 기업 scatter: the firms with the largest outcome; a page of paper holds no more legibly.
SCATTER_POINTS = 500
# A name or title in a table, a legend or a chart label is cut past this many characters ("…").
TEXT_CHARS = 24
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
    """Every filter in words, `전체` when it does not restrict; a long name cut."""
    period = summary.period(filters.year_from, filters.year_to) + " 기수"
    chosen = {
        "phase": filters.phases,
        "company": tuple(f"{safe.cut(options.companies.get(c, c), TEXT_CHARS)}({c})" for c in filters.company_ids),
        "industry": tuple(safe.cut(v, TEXT_CHARS) for v in filters.industries),
        "region": tuple(safe.cut(v, TEXT_CHARS) for v in filters.regions),
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


class Signed(units.Unit):
    """A table column of changes, written with their sign (`+4.0%`) as the page's column is."""

    def text(self, value) -> str:
        return self.signed(value)


def _table(frame: pd.DataFrame, columns: Mapping[str, tuple[str, units.Unit | None]]) -> dict:
    """`frame`'s `columns` (column -> (header, unit)) as texts, numbers right-aligned; a long text (a name,
    a task title) is cut so a row stays a row."""
    rows = [
        [safe.cut(r[c], TEXT_CHARS) if unit is None else unit.text(r[c]) for c, (_, unit) in columns.items()]
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
        "kind": "pairs",
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


def _axis(top: float, unit: units.Unit) -> tuple[float, list[dict]]:
    """An axis from 0 to past `top` at a round step (1, 2 or 5 × 10ⁿ, at most five steps): its end and
    its ticks as fractions of the axis with numbers in `unit` (the axis title names the unit)."""
    if top <= 0:
        return 1.0, [{"at": 0.0, "text": unit.plain(0)}]
    base = 10 ** math.floor(math.log10(top / 5))
    step = next(m * base for m in (1, 2, 5, 10) if top / (m * base) <= 5)
    steps = math.ceil(top / step)
    return steps * step, [{"at": k / steps, "text": unit.plain(k * step)} for k in range(steps + 1)]


def _rest(shown: int, matching, unit: units.Unit, where: str, first: str = "처음") -> str | None:
    """`외 N…` when a table or chart holds only the `first` (처음, 상위, …) `shown` of `matching`."""
    rest = 0 if units.missing(matching) else int(matching) - shown
    return f"{first} {unit.text(shown)}만 싣습니다(외 {unit.text(rest)}: {where})." if rest > 0 else None


def _scatter(points: pd.DataFrame) -> dict:
    """Support (x) vs settled outcome (y) per firm in 만원, each axis from 0 on its own scale as on the
    page, coloured by industry, with the 1배 line where outcome equals support."""
    x_end, x_ticks = _axis(float(points["support_man"].max()), units.FIRM)
    y_end, y_ticks = _axis(float(points["outcome_man"].max()), units.FIRM)
    industries = sorted(points["industry"].unique())
    colors = {name: charts.PALETTE[i % len(charts.PALETTE)] for i, name in enumerate(industries)}
    reach = min(x_end, y_end)
    return {
        "kind": "scatter",
        "x_title": units.FIRM.header("지원금"),
        "y_title": units.FIRM.header("재무성과"),
        "x_ticks": x_ticks,
        "y_ticks": y_ticks,
        "one": [reach / x_end, reach / y_end],
        "points": [
            {"x": float(r.support_man) / x_end, "y": float(r.outcome_man) / y_end, "color": colors[r.industry]}
            for r in points.itertuples()
        ],
        "series": [{"name": safe.cut(name, TEXT_CHARS), "color": color} for name, color in colors.items()],
    }


def _companies_body(query: Query, filters: Filters) -> dict:
    points = query("company_support_outcome", limit=SCATTER_POINTS)
    board = query("company_leaderboard", search="", **tables.DEFAULT_ORDER, limit=TABLE_ROWS)
    board = board.assign(
        tasks=[units.done_of(d, t) for d, t in zip(board["tasks_done"], board["tasks_total"], strict=True)]
    )
    columns = {
        "company_name": ("기업명", None),
        "tier": ("차수", units.TIER),
        "industry": ("업종", None),
        "region": ("지역", None),
        "cohort_years": ("참여 기수", None),
        "support_man": ("지원금", units.FIRM),
        "outcome_man": ("재무성과", units.FIRM),
        "outcome_multiple_x": ("성과배수", units.MULTIPLE),
        "tasks": ("과제(완료/전체)", None),
        "mean_improvement_pct": ("평균 개선율", units.PCT),
    }
    if points.empty:
        scatter = _section(
            "지원금 대비 재무성과", note="성과가 확정된 참여(측정 완료 또는 중도 포기)가 없어 그릴 점이 없습니다."
        )
    else:
        drawn = _rest(len(points), total(points, "matching_firms"), units.FIRMS, "그리지 않음", "재무성과 상위")
        scatter = _section(
            "지원금 대비 재무성과",
            chart=_scatter(points),
            note="점 하나가 기업 하나입니다. 성과가 확정된 참여(측정 완료 또는 중도 포기, 성과 0)만 씁니다. "
            "점선(성과배수 1배)보다 위에 있으면 재무성과가 지원금보다 큽니다." + (f" {drawn}" if drawn else ""),
        )
    listed = _rest(
        len(board), total(board, "matching_firms"), units.FIRMS, "기업 화면의 순위표와 내려받기", "재무성과 상위"
    )
    shown_headers = {header for header, _ in columns.values()}
    return {
        "cards": [],
        "sections": [
            scatter,
            _section("기업별 성과 순위 (재무성과 순)", table=_table(board, columns), note=listed),
        ],
        "definitions": [(c.label, c.help) for c in cards.CARDS if c.label in shown_headers],
    }


def _stat_cards(stats: cards.StatSet, row: Mapping) -> list[dict]:
    return [
        {"label": label, "value": value, "delta": None, "basis": "", "sign": 0} for label, value, _ in stats.shown(row)
    ]


def _stacked(frame: pd.DataFrame) -> dict:
    """Tasks per 분야 · 영역 stacked by status (the page's order and colours), at most CATEGORY_LIMIT rows."""
    present = list(dict.fromkeys(frame["domain"]))
    domains = [d for d in TASK_DOMAINS if d in present] + sorted(set(present) - set(TASK_DOMAINS))
    rows = []
    for domain in domains:
        in_domain = frame[frame["domain"] == domain]
        for area in dict.fromkeys(in_domain["area"]):
            counts = in_domain[in_domain["area"] == area].set_index("status")["tasks"]
            rows.append(
                {
                    "label": safe.cut(f"{domain} · {area}", TEXT_CHARS),
                    "values": [float(counts.get(status, 0)) for status in charts.STATUS_COLORS],
                    "total": float(counts.sum()),
                    "text": units.CASES.text(in_domain.loc[in_domain["area"] == area, "area_tasks"].iloc[0]),
                }
            )
    shown, rest = rows[: charts.CATEGORY_LIMIT], len(rows) - charts.CATEGORY_LIMIT
    return {
        "kind": "stacked",
        "series": [{"name": TASK_STATUS.labels[s], "color": c} for s, c in charts.STATUS_COLORS.items()],
        "rows": shown,
        "max": max((r["total"] for r in shown), default=0) or 1,
        "more": f"외 {units.ITEMS.text(rest)} 영역은 그리지 않았습니다." if rest > 0 else None,
    }


def _tasks_body(query: Query, filters: Filters) -> dict:
    row = one_row(query(cards.TASKS.query), cards.TASKS.query)
    body = {"cards": [], "sections": [], "definitions": cards.TASKS.definitions()}
    if cards.TASKS.empty(row):
        return body | {"cards_note": cards.TASKS.empty_note}
    areas = query("task_completion_by_area")
    area_columns = {
        "domain": ("분야", None),
        "area": ("영역", None),
        "task_completion_pct": ("완료율", units.PCT),
        "tasks_done": ("완료", units.CASES),
        "tasks_total": ("전체", units.CASES),
    }
    tasks = query(
        "task_list", search="", task_statuses=None, domains=None, areas=None, **tables.DEFAULT_ORDER, limit=TABLE_ROWS
    )
    task_columns = {
        "year": ("기수", None),
        "company_name": ("기업명", None),
        "domain": ("분야", None),
        "area": ("영역", None),
        "title": ("과제명", None),
        "status": ("상태", None),
    }
    listed = _rest(len(tasks), total(tasks, "matching_tasks"), units.CASES, "개선과제 화면의 목록과 내려받기")
    return body | {
        "cards": _stat_cards(cards.TASKS, row),
        "sections": [
            _section("분야·영역별 과제 현황", chart=_stacked(query("tasks_by_area_status"))),
            _section(
                "완료율이 낮은 영역",
                table=_table(areas, area_columns),
                note=_rest(min(len(areas), TABLE_ROWS), len(areas), units.ITEMS, "개선과제 화면"),
            ),
            _section("과제 목록", table=_table(tables.task_rows(tasks), task_columns), note=listed),
        ],
    }


def _panels(frame: pd.DataFrame) -> dict:
    """One small chart per indicator: mean before and after over the same measured rows, in its unit."""
    panels = []
    for r in frame.itertuples():
        values = [_number(r.mean_baseline), _number(r.mean_result)]
        known = [v for v in values if v is not None]
        low, high = min([0.0, *known]), max([0.0, *known])
        panels.append(
            {
                "title": safe.cut(r.indicator, TEXT_CHARS),
                "sub": f"개선율 {units.PCT.signed(r.mean_improvement_pct)} · 측정 {units.CASES.text(r.measured_rows)}"
                if r.measured_rows
                else "측정 전",
                "unit": f"평균({r.unit})",
                "values": values,
                "texts": [units.MEASURE.text(v) for v in values],
                "low": low,
                "span": (high - low) or 1,
            }
        )
    return {
        "kind": "panels",
        "series": [
            {"name": "개선 전", "color": charts.BEFORE_COLOR},
            {"name": "개선 후", "color": charts.SUPPORT_COLOR},
        ],
        "panels": panels,
    }


def _outcomes_body(query: Query, filters: Filters) -> dict:
    row = one_row(query(cards.OUTCOMES.query), cards.OUTCOMES.query)
    body = {"cards": [], "sections": [], "definitions": cards.OUTCOMES.definitions()}
    if cards.OUTCOMES.empty(row):
        return body | {"cards_note": cards.OUTCOMES.empty_note}
    before_after = query("indicator_before_after", limit=charts.PANEL_LIMIT)
    drawn = _rest(
        len(before_after), total(before_after, "matching_indicators"), units.ITEMS, "그리지 않음", "측정이 많은"
    )
    rows = query("outcome_rows", indicators=None, **tables.DEFAULT_ORDER, limit=TABLE_ROWS)
    columns = {
        "year": ("기수", None),
        "company_name": ("기업명", None),
        "indicator": ("지표", None),
        "unit": ("단위", None),
        "baseline": ("개선 전", units.MEASURE),
        "result": ("개선 후", units.MEASURE),
        "improvement_pct": ("개선율", Signed(**asdict(units.PCT))),
        "direction": ("방향", None),
    }
    listed = _rest(len(rows), total(rows, "matching_rows"), units.CASES, "성과 화면의 목록과 내려받기")
    return body | {
        "cards": _stat_cards(cards.OUTCOMES, row),
        "sections": [
            _section(
                "지표별 개선 전후 평균",
                chart=_panels(before_after),
                note="개선 전·후 평균은 둘 다 개선 후 값이 측정된 행만으로 계산하고, 개선율은 행별 개선율의 평균입니다."
                + (f" {drawn}" if drawn else ""),
            ),
            _section("성과지표 목록", table=_table(tables.indicator_rows(rows), columns), note=listed),
        ],
    }


# The profile's 과제 완료 card shows done/total; its peers are compared on the completion rate.
PEER_KPI = {"tasks_done": "task_completion_pct"}


def _company_body(query: Query, filters: Filters) -> dict:
    """The firm profile's cards (기업 page), in 만원 as every firm's own amount, each KPI with its peer
    group's median and the firm's rank under it (dashboard/peers.py; 비공개 for a small group), its
    yearly bars and tables."""
    row = one_row(query(cards.PROFILE.query, search="", **tables.DEFAULT_ORDER, limit=1), cards.PROFILE.query)
    peer_lines = peers.card_lines(query("peer_kpis"))
    shown = _stat_cards(cards.PROFILE, row)
    for card, stat in zip(shown, cards.PROFILE.stats, strict=True):
        card["delta"] = peer_lines.get(PEER_KPI.get(stat.column, stat.column))
    return {
        "cards": shown,
        "yearly": _yearly(query("kpi_by_year"), units.FIRM),
        # A firm has one to three cohorts: a lower chart keeps its page one page with the peer lines.
        "yearly_height_cm": 2.4,
        "sections": _company_sections(query),
        "definitions": cards.PROFILE.definitions(),
    }


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
    tasks = query(
        "task_list", search="", task_statuses=None, domains=None, areas=None, **tables.DEFAULT_ORDER, limit=TABLE_ROWS
    )
    tasks = tasks.assign(status=tasks["status"].map(TASK_STATUS.labels))
    task_columns = {
        "year": ("기수", None),
        "domain": ("영역", None),
        "area": ("분야", None),
        "title": ("과제", None),
        "status": ("상태", None),
    }
    rows = query("outcome_rows", indicators=None, **tables.DEFAULT_ORDER, limit=TABLE_ROWS)
    indicator_columns = {
        "year": ("기수", None),
        "indicator": ("지표", None),
        "unit": ("단위", None),
        "baseline": ("개선 전", units.MEASURE),
        "result": ("개선 후", units.MEASURE),
        "improvement_pct": ("개선율", units.PCT),
    }
    # The peer group's statistics are under the cards (_company_body); its name and each indicator's
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


def _overview_body(query: Query, filters: Filters) -> dict:
    return {
        "cards": _cards(one_row(query("kpi_summary"), "kpi_summary"), filters),
        "yearly": _yearly(query("kpi_by_year"), units.TOTAL),
        "sections": _overview_sections(query),
        "definitions": [(c.label, c.help) for c in cards.CARDS],
    }


# The cards, chart and tables of each view: those its page shows, from the same queries.
BODIES: dict[str, Callable[[Query, Filters], dict]] = {
    "overview": _overview_body,
    "companies": _companies_body,
    "tasks": _tasks_body,
    "outcomes": _outcomes_body,
    "company": _company_body,
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
        name = options.companies.get(filters.company_ids[0], filters.company_ids[0])
        title = f"{safe.cut(name, TEXT_CHARS)} · {title}"
    body = {"yearly": None, "yearly_height_cm": 4.6, "cards_note": None} | BODIES[view](query, filters)
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
        "yearly_title": "기수별 지원금과 재무성과",
        "palette": PALETTE,
    } | body


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
