"""Deterministic generator of the synthetic sample data set.

Scale 1 is calibrated to the published programme figures (../shared/program-facts.md):
cohort sizes, per-cohort support where published, and exactly 144 firms, 2,800,000,000 KRW of
support and 7,200,000,000 KRW of financial outcomes for cohorts 2013..2019. Everything else
(firm names except 경민테크, tasks, indicators) is invented, plausibly.

Scale N writes N replicas of that programme (N times the firms and firm-cohorts, same
distributions), chunk by chunk, so memory stays bounded at any N.
"""

from __future__ import annotations

import json
import random
from dataclasses import dataclass
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from dashboard.contract import TABLES, TASK_STATUSES

SEED = 20130801
# Replicas per Parquet row group: bounds memory while keeping files compact.
CHUNK_REPLICAS = 200
# Written beside the tables so every page can say the figures are synthetic.
SYNTHETIC_MARKER = "_synthetic.json"
# Shown on every page and in every briefing while the sample is read.
SYNTHETIC_NOTICE = (
    "ⓘ 표본 데이터: 공개된 총계(2013–2019 기수 144개사, 지원금 28억원, 재무성과 72억원)에 맞춰 "
    "만든 합성 데이터입니다. 기업명(경민테크 제외)과 기업별 수치는 실제가 아닙니다."
)
MAN = 10_000  # 1만원: amounts are whole 만원 as in programme reports


@dataclass(frozen=True)
class Cohort:
    year: int
    firms: int
    support_krw: int
    outcome_krw: int | None  # None: not yet measured
    tasks: int | None = None  # published task count, else 2-4 a firm
    dropped: int = 0


COHORTS = (
    Cohort(2013, 15, 300_000_000, 550_000_000, tasks=25),
    Cohort(2014, 20, 420_000_000, 800_000_000, dropped=1),
    Cohort(2015, 31, 450_000_000, 1_150_000_000),
    Cohort(2016, 28, 580_000_000, 1_600_000_000),
    Cohort(2017, 26, 550_000_000, 1_700_000_000, dropped=1),
    Cohort(2019, 24, 500_000_000, 1_400_000_000, tasks=69),
    Cohort(2020, 20, 400_000_000, None),
)
RETURNING_2020 = 3  # earlier participants who join the 2020 cohort again
KYUNGMIN = "경민테크"

NAME_HEADS = (
    "대성",
    "한빛",
    "서진",
    "동양",
    "삼화",
    "태안",
    "군산",
    "세원",
    "우진",
    "금강",
    "신일",
    "광명",
    "해동",
    "성진",
    "동진",
    "대원",
    "한결",
    "미래",
    "청운",
    "유성",
    "보령",
    "서해",
    "백제",
    "중앙",
    "진영",
    "화신",
    "성원",
    "동일",
    "삼정",
    "대한",
    "호남",
    "영진",
    "새한",
    "태광",
    "명성",
    "가온",
    "누리",
    "다온",
    "한울",
    "서광",
)
NAME_TAILS = (
    "정밀",
    "기계",
    "산업",
    "테크",
    "엔지니어링",
    "전기",
    "금속",
    "플랜트",
    "기공",
    "이엔씨",
    "씨엔에스",
    "산전",
)
INDUSTRIES = (
    ("발전설비 부품", 0.24),
    ("기계가공", 0.18),
    ("전기·계장", 0.14),
    ("금속·주조", 0.1),
    ("조선기자재", 0.1),
    ("자동차부품", 0.08),
    ("환경설비", 0.08),
    ("화학·소재", 0.08),
)
REGIONS = (
    ("충남", 0.3),
    ("전북", 0.16),
    ("경기", 0.14),
    ("서울", 0.08),
    ("인천", 0.08),
    ("경남", 0.08),
    ("대전", 0.08),
    ("충북", 0.08),
)
AREAS_BY_DOMAIN = {
    "제조": ("생산성", "품질", "설비", "안전보건", "에너지"),
    "경영": ("원가", "납기", "디지털"),
    "기술": ("품질", "설비", "디지털", "에너지"),
}
DOMAIN_WEIGHTS = (("제조", 0.55), ("경영", 0.25), ("기술", 0.2))
TITLES = {
    "생산성": ("{line} 공정 작업표준화", "{line} 라인 셀 생산방식 도입", "{line} 공정 병목 개선"),
    "품질": ("{line} 불량 원인분석 및 재발방지", "{line} 검사기준 정비", "{line} 공정 품질관리(SPC) 도입"),
    "설비": ("{line} 설비 예방보전 체계 구축", "{line} 설비 자동화", "{line} 설비 종합효율 개선"),
    "안전보건": ("{line} 작업장 위험성평가", "{line} 작업환경 개선"),
    "에너지": ("{line} 공정 에너지 절감", "{line} 압축공기 누설 개선"),
    "원가": ("{line} 자재 원가절감", "{line} 재고 최적화"),
    "납기": ("{line} 생산계획 체계화", "{line} 출하 리드타임 단축"),
    "디지털": ("{line} 생산관리시스템(MES) 구축", "{line} 실적 집계 전산화"),
}
LINES = ("가공", "조립", "용접", "도장", "검사", "포장", "열처리", "사출", "배관", "제관")
# (indicator, unit, higher_is_better, baseline range)
INDICATORS = (
    ("노동생산성", "개/인·시", True, (20.0, 200.0)),
    ("불량률", "%", False, (1.0, 8.0)),
    ("리드타임", "일", False, (5.0, 40.0)),
    ("제조원가", "천원/개", False, (10.0, 500.0)),
    ("납기준수율", "%", True, (55.0, 75.0)),
    ("작업시간", "분", False, (30.0, 300.0)),
)


def _pick(rng: random.Random, weighted: tuple[tuple[str, float], ...]) -> str:
    return rng.choices([w[0] for w in weighted], weights=[w[1] for w in weighted])[0]


def _split(rng: random.Random, total: int, n: int, spread: float) -> list[int]:
    """`total` KRW split over `n` shares in whole 만원, summing exactly to `total`."""
    weights = [rng.lognormvariate(0, spread) for _ in range(n)]
    units = total // MAN
    shares = [int(units * w / sum(weights)) for w in weights]
    shares[-1] += units - sum(shares)
    return [s * MAN for s in shares]


def _company_names(rng: random.Random, n: int) -> list[str]:
    combos = [h + t for h in NAME_HEADS for t in NAME_TAILS if h + t != KYUNGMIN]
    return rng.sample(combos, n)


def _companies(rng: random.Random, prefix: str, suffix: str) -> list[dict]:
    n_firms = sum(c.firms for c in COHORTS if c.year < 2020) + COHORTS[-1].firms - RETURNING_2020
    names = _company_names(rng, n_firms)
    names[-1] = KYUNGMIN
    return [
        {
            "company_id": f"{prefix}{i:03d}",
            "company_name": name + suffix,
            "tier": rng.choices((1, 2, 3), weights=(0.08, 0.62, 0.3))[0],
            "industry": _pick(rng, INDUSTRIES),
            "region": _pick(rng, REGIONS),
            "employees": None if rng.random() < 0.05 else rng.randint(5, 120),
        }
        for i, name in enumerate(names, start=1)
    ]


def _members(rng: random.Random, ids: list[str]) -> dict[int, list[str]]:
    """The firms of each cohort: new firms in order, and the 2020 cohort with a few returning ones."""
    members: dict[int, list[str]] = {}
    cursor = 0
    for cohort in COHORTS:
        if cohort.year < 2020:
            members[cohort.year] = ids[cursor : cursor + cohort.firms]
            cursor += cohort.firms
    earlier = [cid for year in (2016, 2017, 2019) for cid in members[year]]
    members[2020] = rng.sample(earlier, RETURNING_2020) + ids[cursor:]
    return members


def _task_counts(rng: random.Random, cohort: Cohort, n_firms: int) -> list[int]:
    """Tasks per firm: the published total spread evenly, else 2-4 a firm."""
    if not cohort.tasks:
        return [rng.randint(2, 4) for _ in range(n_firms)]
    counts = [cohort.tasks // n_firms] * n_firms
    for j in rng.sample(range(n_firms), cohort.tasks % n_firms):
        counts[j] += 1
    return counts


def _tasks(rng: random.Random, cid: str, year: int, n_tasks: int, participation_status: str) -> list[dict]:
    tasks = []
    for n in range(1, n_tasks + 1):
        domain = _pick(rng, DOMAIN_WEIGHTS)
        area = rng.choice(AREAS_BY_DOMAIN[domain])
        tasks.append(
            {
                "task_id": f"T-{cid}-{year}-{n}",
                "company_id": cid,
                "year": year,
                "domain": domain,
                "area": area,
                "title": rng.choice(TITLES[area]).format(line=rng.choice(LINES)),
                "status": _task_status(rng, participation_status),
            }
        )
    return tasks


def _outcomes(rng: random.Random, cid: str, year: int, status: str) -> list[dict]:
    outcomes = []
    for name, unit, higher, (low, high) in rng.sample(INDICATORS, rng.randint(2, 4)):
        baseline = round(rng.uniform(low, high), 2)
        measured = status == "completed" or (status == "in_progress" and rng.random() < 0.4)
        outcomes.append(
            {
                "company_id": cid,
                "year": year,
                "indicator": name,
                "unit": unit,
                "baseline": baseline,
                "result": _result(rng, baseline, higher, name) if measured else None,
                "higher_is_better": higher,
            }
        )
    return outcomes


def _cohort(rng: random.Random, cohort: Cohort, firms: list[str], rows: dict[str, list[dict]]) -> None:
    """Append the participations, tasks and outcomes of one cohort to `rows`."""
    in_progress = cohort.outcome_krw is None
    dropped = set(rng.sample(firms, cohort.dropped))
    support = _split(rng, cohort.support_krw, len(firms), 0.35)
    finishers = [f for f in firms if f not in dropped]
    outcomes = [] if in_progress else _split(rng, cohort.outcome_krw, len(finishers), 0.6)
    outcome = dict(zip(finishers, outcomes, strict=True)) if outcomes else {}
    for cid, support_krw, n_tasks in zip(firms, support, _task_counts(rng, cohort, len(firms)), strict=True):
        consulting = round(support_krw * rng.uniform(0.4, 0.6) / MAN) * MAN
        status = "in_progress" if in_progress else "dropped" if cid in dropped else "completed"
        rows["participations"].append(
            {
                "company_id": cid,
                "year": cohort.year,
                "phase": "1단계" if cohort.year <= 2017 else "2단계",
                "agency": "한국생산성본부" if cohort.year <= 2017 else "한국표준협회",
                "consulting_krw": consulting,
                "equipment_krw": support_krw - consulting,
                "financial_outcome_krw": outcome.get(cid),
                "sharing_contract": rng.random() < 0.2,
                "status": status,
            }
        )
        rows["tasks"] += _tasks(rng, cid, cohort.year, n_tasks, status)
        rows["outcomes"] += _outcomes(rng, cid, cohort.year, status)


def _replica(k: int) -> dict[str, list[dict]]:
    """One copy of the programme. Replica 0 is the calibrated sample; others use new ids.
    The random draws happen in one fixed order, so a replica is the same on every run."""
    rng = random.Random(SEED + k)
    companies = _companies(rng, "C" if k == 0 else f"R{k:05d}-C", "" if k == 0 else f" {k + 1}")
    members = _members(rng, [c["company_id"] for c in companies])
    rows: dict[str, list[dict]] = {"companies": companies, "participations": [], "tasks": [], "outcomes": []}
    for cohort in COHORTS:
        _cohort(rng, cohort, members[cohort.year], rows)
    return rows


def _task_status(rng: random.Random, participation_status: str) -> str:
    weights = {
        "completed": (0.0, 0.0, 0.88, 0.12),
        "dropped": (0.3, 0.3, 0.1, 0.3),
        "in_progress": (0.2, 0.5, 0.3, 0.0),
    }[participation_status]
    return rng.choices(TASK_STATUSES, weights=weights)[0]


def _result(rng: random.Random, baseline: float, higher: bool, indicator: str) -> float:
    improvement = rng.uniform(0.2, 0.9)
    if indicator == "납기준수율":
        # A percentage cannot pass 100: improve towards it instead.
        return round(min(99.5, baseline * (1 + improvement * 0.5)), 2)
    return round(baseline * (1 + improvement) if higher else baseline * (1 - improvement), 2)


def generate(out: Path, scale: int = 1) -> dict[str, int]:
    """Write `<table>.parquet` for every table into `out`; returns the row count of each."""
    if scale < 1:
        raise ValueError("scale must be a whole number >= 1")
    out.mkdir(parents=True, exist_ok=True)
    schemas = {t.name: t.arrow_schema for t in TABLES}
    counts = dict.fromkeys(schemas, 0)
    writers = {name: pq.ParquetWriter(out / f"{name}.parquet.tmp", schema) for name, schema in schemas.items()}
    try:
        for start in range(0, scale, CHUNK_REPLICAS):
            chunk: dict[str, list[dict]] = {name: [] for name in schemas}
            for k in range(start, min(scale, start + CHUNK_REPLICAS)):
                for name, rows in _replica(k).items():
                    chunk[name] += rows
            for name, rows in chunk.items():
                writers[name].write_table(pa.Table.from_pylist(rows, schema=schemas[name]))
                counts[name] += len(rows)
    finally:
        for writer in writers.values():
            writer.close()
    for name in schemas:
        (out / f"{name}.parquet.tmp").replace(out / f"{name}.parquet")
    (out / SYNTHETIC_MARKER).write_text(
        json.dumps({"generator": "python -m dashboard generate", "seed": SEED, "scale": scale}, indent=2) + "\n",
        encoding="utf-8",
    )
    return counts
