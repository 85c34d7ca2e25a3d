"""The data contract: the tables, their columns and the rules a data folder must follow.

This module is the single source of truth for what a column is: its DuckDB and Arrow type, its
Korean names (the headers the importer accepts), the values it may hold with their Korean labels
and accepted words, the units a number may carry, and its rules (range, non-zero, key, reference).
The importer, the validation rules, the generator, the screens' labels and the Data page's contract
table read it from here; docs/data-contract.md is checked against it by tests/test_docs.py, and
tests/test_contract.py fails when a column is described anywhere else.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pyarrow as pa


@dataclass(frozen=True)
class Type:
    duckdb: str
    arrow: pa.DataType
    label_ko: str  # how the Data page and messages name the type
    int_max: int | None = None  # for integer types, the largest magnitude a value may have


TYPES: dict[str, Type] = {
    t.duckdb: t
    for t in (
        Type("VARCHAR", pa.string(), "문자"),
        Type("INTEGER", pa.int32(), "정수", 2**31 - 1),
        Type("BIGINT", pa.int64(), "정수", 2**63 - 1),
        Type("DOUBLE", pa.float64(), "숫자"),
        Type("BOOLEAN", pa.bool_(), "참/거짓(true/false)"),
    )
}


@dataclass(frozen=True)
class Value:
    """One allowed value: `code` is stored, `label` is shown on screen, `words` are also accepted on input."""

    code: str
    label: str
    words: tuple[str, ...] = ()


# Words a yes/no cell may hold (compared without case, spaces, `_` and `-`).
BOOLEAN_WORDS: dict[bool, tuple[str, ...]] = {
    True: ("true", "t", "yes", "y", "1", "예", "네", "o", "참", "있음", "체결"),
    False: ("false", "f", "no", "n", "0", "아니오", "아니요", "x", "거짓", "없음", "미체결"),
}
# Units a number may carry and what they multiply by (longest first: 만원 before 원).
KRW_UNITS: tuple[tuple[str, int], ...] = (("억원", 100_000_000), ("만원", 10_000), ("원", 1))
KRW_EXAMPLES = "1,234,000 · 1,234,000원 · 2,000만원 · 1.5억원"


@dataclass(frozen=True)
class Column:
    name: str
    type: str  # DuckDB type of the column, a key of TYPES
    description: str
    aliases: tuple[str, ...] = ()  # Korean headers accepted for it; the first is its Korean name
    nullable: bool = False
    values: tuple[Value, ...] = ()  # when set, the only values allowed
    min_value: int | None = None
    max_value: int | None = None
    nonzero: bool = False
    units: tuple[tuple[str, int], ...] = ()  # suffixes a number may carry, with their factor
    unit_example: str | None = None  # how a number with its unit is written, for the Data page

    @property
    def allowed(self) -> tuple[str, ...]:
        return tuple(v.code for v in self.values)

    @property
    def labels(self) -> dict[str, str]:
        """Stored value -> Korean label shown on screen."""
        return {v.code: v.label for v in self.values}

    @property
    def arrow_type(self) -> pa.DataType:
        return TYPES[self.type].arrow

    @property
    def type_ko(self) -> str:
        return TYPES[self.type].label_ko

    @property
    def int_max(self) -> int | None:
        return TYPES[self.type].int_max


@dataclass(frozen=True)
class Table:
    name: str
    label_ko: str
    description: str
    columns: tuple[Column, ...]
    aliases: tuple[str, ...] = ()  # Korean file or sheet names accepted for it
    key: tuple[str, ...] = ()
    references: tuple[tuple[tuple[str, ...], str], ...] = field(default=())

    @property
    def column_names(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.columns)

    def column(self, name: str) -> Column:
        return next(c for c in self.columns if c.name == name)

    @property
    def arrow_schema(self) -> pa.Schema:
        return pa.schema([pa.field(c.name, c.arrow_type) for c in self.columns])


MIN_YEAR = 2000
MAX_YEAR = 2100


def _company_id(description: str) -> Column:
    return Column("company_id", "VARCHAR", description, aliases=("기업ID", "기업코드", "업체ID"))


def _year(description: str, **rules) -> Column:
    aliases = ("연도", "기수", "참여연도")
    return Column("year", "INTEGER", description, aliases, units=(("년", 1),), unit_example="2019년", **rules)


def _amount(name: str, description: str, aliases: tuple[str, ...], nullable: bool = False) -> Column:
    return Column(
        name, "BIGINT", description, aliases, nullable=nullable, min_value=0, units=KRW_UNITS, unit_example=KRW_EXAMPLES
    )


COMPANIES = Table(
    name="companies",
    label_ko="기업",
    description="One row per supplier firm.",
    aliases=("기업", "기업정보", "기업목록"),
    key=("company_id",),
    columns=(
        _company_id("Firm identifier, unique."),
        Column("company_name", "VARCHAR", "Firm name as shown on screen.", ("기업명", "업체명", "회사명")),
        Column(
            "tier",
            "INTEGER",
            "Supplier tier, 1 to 3.",
            ("차수", "협력차수", "협력사차수"),
            min_value=1,
            max_value=3,
            units=(("차", 1),),
            unit_example="2차",
        ),
        Column("industry", "VARCHAR", "Industry (업종).", ("업종",)),
        Column("region", "VARCHAR", "Region, 시·도 (e.g. 충남).", ("지역", "시도")),
        Column(
            "employees",
            "INTEGER",
            "Head count; may be empty.",
            ("종업원수", "직원수", "근로자수"),
            nullable=True,
            min_value=0,
            units=(("명", 1),),
            unit_example="45명",
        ),
    ),
)

PARTICIPATIONS = Table(
    name="participations",
    label_ko="참여",
    description="One row per firm per cohort (cohort = starting year, August to July).",
    aliases=("참여", "참여이력", "참여현황"),
    key=("company_id", "year"),
    references=((("company_id",), "companies"),),
    columns=(
        _company_id("Firm; must exist in companies."),
        _year("Cohort, labelled by its starting year.", min_value=MIN_YEAR, max_value=MAX_YEAR),
        Column("phase", "VARCHAR", "Programme phase, e.g. 1단계, 2단계.", ("단계",)),
        Column("agency", "VARCHAR", "Delivery agency (수행기관); may be empty.", ("수행기관",), nullable=True),
        _amount("consulting_krw", "Consulting support in KRW, >= 0.", ("컨설팅지원금", "컨설팅비")),
        _amount("equipment_krw", "Equipment-investment support in KRW, >= 0.", ("설비지원금", "설비투자지원금")),
        _amount(
            "financial_outcome_krw",
            "Financial outcome (재무성과) in KRW, >= 0; empty = not yet measured.",
            ("재무성과",),
            nullable=True,
        ),
        Column(
            "sharing_contract",
            "BOOLEAN",
            "Benefit-sharing contract (성과공유 계약) signed.",
            ("성과공유계약", "성과공유"),
        ),
        Column(
            "status",
            "VARCHAR",
            "One of selected, in_progress, completed, dropped.",
            ("상태", "진행상태"),
            values=(
                Value("selected", "선정"),
                Value("in_progress", "진행 중", ("진행중",)),
                Value("completed", "완료"),
                Value("dropped", "중도 포기", ("중도포기",)),
            ),
        ),
    ),
)

TASKS = Table(
    name="tasks",
    label_ko="개선과제",
    description="One row per improvement task (개선과제).",
    aliases=("개선과제", "과제"),
    key=("task_id",),
    references=((("company_id", "year"), "participations"),),
    columns=(
        Column("task_id", "VARCHAR", "Task identifier, unique.", ("과제ID", "과제번호", "과제코드")),
        _company_id("Firm; with year must match a participation."),
        _year("Cohort; with company_id must match a participation."),
        Column(
            "domain",
            "VARCHAR",
            "One of 제조, 경영, 기술.",
            ("분야",),
            values=(
                Value("제조", "제조", ("manufacturing",)),
                Value("경영", "경영", ("management",)),
                Value("기술", "기술", ("technology",)),
            ),
        ),
        Column("area", "VARCHAR", "Area, e.g. 생산성, 품질, 원가, 납기, 설비, 안전보건, 에너지, 디지털.", ("영역",)),
        Column("title", "VARCHAR", "Task title.", ("과제명",)),
        Column(
            "status",
            "VARCHAR",
            "One of planned, in_progress, done, on_hold.",
            ("상태", "진행상태"),
            values=(
                Value("planned", "계획"),
                Value("in_progress", "진행 중", ("진행중",)),
                Value("done", "완료"),
                Value("on_hold", "보류"),
            ),
        ),
    ),
)

OUTCOMES = Table(
    name="outcomes",
    label_ko="성과지표",
    description="One row per firm, cohort and indicator, measured before and after.",
    aliases=("성과지표", "성과", "지표"),
    key=("company_id", "year", "indicator"),
    references=((("company_id", "year"), "participations"),),
    columns=(
        _company_id("Firm; with year must match a participation."),
        _year("Cohort; with company_id must match a participation."),
        Column(
            "indicator",
            "VARCHAR",
            "Indicator, e.g. 노동생산성, 불량률, 리드타임, 제조원가.",
            ("지표", "지표명", "성과지표"),
        ),
        Column("unit", "VARCHAR", "Unit of baseline and result.", ("단위",)),
        Column("baseline", "DOUBLE", "Value before, not 0.", ("개선전", "기준값"), nonzero=True),
        Column("result", "DOUBLE", "Value after; empty = not yet measured.", ("개선후", "결과값"), nullable=True),
        Column("higher_is_better", "BOOLEAN", "True when a larger value is an improvement.", ("높을수록좋음",)),
    ),
)

TABLES: tuple[Table, ...] = (COMPANIES, PARTICIPATIONS, TASKS, OUTCOMES)
TABLES_BY_NAME = {t.name: t for t in TABLES}
TABLE_ORDER = {t.name: i for i, t in enumerate(TABLES)}

# What the screens use: the allowed values of the columns they group or label by.
PARTICIPATION_STATUS = PARTICIPATIONS.column("status")
TASK_STATUS = TASKS.column("status")
TASK_DOMAINS = TASKS.column("domain").allowed
PARTICIPATION_STATUSES = PARTICIPATION_STATUS.allowed
TASK_STATUSES = TASK_STATUS.allowed


def direction(higher_is_better) -> str:
    """The Korean words shown for an indicator's `higher_is_better`."""
    return "높을수록 좋음" if higher_is_better else "낮을수록 좋음"
