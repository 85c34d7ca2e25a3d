"""The data contract: the tables, their columns and the rules a data folder must follow.

This module is the single source of truth; docs/data-contract.md is checked against it
by tests/test_docs.py, and the validator and the DuckDB views are built from it.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Column:
    name: str
    type: str  # DuckDB type the column is cast to
    description: str
    nullable: bool = False
    allowed: tuple[str, ...] = ()
    min_value: int | None = None
    max_value: int | None = None
    references: str | None = None  # "table(col, col)" this column (set) must exist in


@dataclass(frozen=True)
class Table:
    name: str
    label_ko: str
    description: str
    columns: tuple[Column, ...]
    key: tuple[str, ...] = ()
    references: tuple[tuple[tuple[str, ...], str], ...] = field(default=())

    @property
    def column_names(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.columns)

    def column(self, name: str) -> Column:
        return next(c for c in self.columns if c.name == name)


PARTICIPATION_STATUSES = ("selected", "in_progress", "completed", "dropped")
TASK_STATUSES = ("planned", "in_progress", "done", "on_hold")
TASK_DOMAINS = ("제조", "경영", "기술")
MIN_YEAR = 2000
MAX_YEAR = 2100

COMPANIES = Table(
    name="companies",
    label_ko="기업",
    description="One row per supplier firm.",
    key=("company_id",),
    columns=(
        Column("company_id", "VARCHAR", "Firm identifier, unique."),
        Column("company_name", "VARCHAR", "Firm name as shown on screen."),
        Column("tier", "INTEGER", "Supplier tier, 1 to 3.", min_value=1, max_value=3),
        Column("industry", "VARCHAR", "Industry (업종)."),
        Column("region", "VARCHAR", "Region, 시·도 (e.g. 충남)."),
        Column("employees", "INTEGER", "Head count; may be empty.", nullable=True, min_value=0),
    ),
)

PARTICIPATIONS = Table(
    name="participations",
    label_ko="참여",
    description="One row per firm per cohort (cohort = starting year, August to July).",
    key=("company_id", "year"),
    references=((("company_id",), "companies"),),
    columns=(
        Column("company_id", "VARCHAR", "Firm; must exist in companies."),
        Column(
            "year",
            "INTEGER",
            "Cohort, labelled by its starting year.",
            min_value=MIN_YEAR,
            max_value=MAX_YEAR,
        ),
        Column("phase", "VARCHAR", "Programme phase, e.g. 1단계, 2단계."),
        Column("agency", "VARCHAR", "Delivery agency (수행기관); may be empty.", nullable=True),
        Column("consulting_krw", "BIGINT", "Consulting support in KRW, >= 0.", min_value=0),
        Column("equipment_krw", "BIGINT", "Equipment-investment support in KRW, >= 0.", min_value=0),
        Column(
            "financial_outcome_krw",
            "BIGINT",
            "Financial outcome (재무성과) in KRW, >= 0; empty = not yet measured.",
            nullable=True,
            min_value=0,
        ),
        Column("sharing_contract", "BOOLEAN", "Benefit-sharing contract (성과공유 계약) signed."),
        Column(
            "status",
            "VARCHAR",
            "One of selected, in_progress, completed, dropped.",
            allowed=PARTICIPATION_STATUSES,
        ),
    ),
)

TASKS = Table(
    name="tasks",
    label_ko="개선과제",
    description="One row per improvement task (개선과제).",
    key=("task_id",),
    references=((("company_id", "year"), "participations"),),
    columns=(
        Column("task_id", "VARCHAR", "Task identifier, unique."),
        Column("company_id", "VARCHAR", "Firm; with year must match a participation."),
        Column("year", "INTEGER", "Cohort; with company_id must match a participation."),
        Column("domain", "VARCHAR", "One of 제조, 경영, 기술.", allowed=TASK_DOMAINS),
        Column("area", "VARCHAR", "Area, e.g. 생산성, 품질, 원가, 납기, 설비, 안전보건, 에너지, 디지털."),
        Column("title", "VARCHAR", "Task title."),
        Column(
            "status",
            "VARCHAR",
            "One of planned, in_progress, done, on_hold.",
            allowed=TASK_STATUSES,
        ),
    ),
)

OUTCOMES = Table(
    name="outcomes",
    label_ko="성과지표",
    description="One row per firm, cohort and indicator, measured before and after.",
    key=("company_id", "year", "indicator"),
    references=((("company_id", "year"), "participations"),),
    columns=(
        Column("company_id", "VARCHAR", "Firm; with year must match a participation."),
        Column("year", "INTEGER", "Cohort; with company_id must match a participation."),
        Column("indicator", "VARCHAR", "Indicator, e.g. 노동생산성, 불량률, 리드타임, 제조원가."),
        Column("unit", "VARCHAR", "Unit of baseline and result."),
        Column("baseline", "DOUBLE", "Value before, not 0."),
        Column("result", "DOUBLE", "Value after; empty = not yet measured.", nullable=True),
        Column("higher_is_better", "BOOLEAN", "True when a larger value is an improvement."),
    ),
)

TABLES: tuple[Table, ...] = (COMPANIES, PARTICIPATIONS, TASKS, OUTCOMES)
TABLES_BY_NAME = {t.name: t for t in TABLES}
