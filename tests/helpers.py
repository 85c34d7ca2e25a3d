"""What several test modules share: the filter combinations the query tests run, the comparison of a
query's result with the pandas reference, reading the cards of a headless page, recording what a headless
run sent, and a random data set."""

from __future__ import annotations

import random
import re
from collections.abc import Callable

import pandas as pd
from streamlit.testing.v1 import AppTest, local_script_runner

from dashboard.db import EVERY_FIRM, Scope, run_query
from dashboard.filters import Filters
from dashboard.tables import DEFAULT_ORDER
from tests import reference
from tests.reference import kpis

FILTERS = [
    Filters(2013, 2020),
    Filters(2014, 2019, industries=("기계가공", "금속·주조")),
    Filters(2013, 2020, phases=("1단계",), tiers=(2, 3)),
]
# What a page passes besides the filters, at its widest: no search, every status, no limit.
PAGE_PARAMS = {
    "search": "",
    "limit": 1000,
    "listed_firms": 1000,
    "company_ids": ["A1", "A5", "C001", "C161", "없는기업"],
    "indicators": None,
    "task_statuses": None,
    "domains": None,
    "areas": None,
    **DEFAULT_ORDER,
}


def assert_rows(actual: pd.DataFrame, expected: pd.DataFrame) -> None:
    """Same columns, same rows in the same order; numbers equal or both missing, text equal."""
    problems = reference.differences(actual, expected)
    assert not problems, problems


def assert_matches_reference(
    con, frames: reference.Frames, name: str, f: Filters, scope: Scope = EVERY_FIRM, **params
) -> pd.DataFrame:
    """`queries/<name>.sql` under `f`, `scope` and `params` (defaults: PAGE_PARAMS) equals the reference
    over `frames`; returns it."""
    bound = f.params() | PAGE_PARAMS | params
    rows = run_query(con, name, bound, scope=scope)
    assert_rows(rows, reference.compute(frames, name, bound))
    return rows


def metrics(at: AppTest) -> dict[str, str]:
    """Card label -> value shown."""
    return {m.label: m.value for m in at.metric}


def expected_cards(frames, f: Filters) -> dict[str, str]:
    k = kpis(frames, f)

    def eok(krw):
        return "–" if pd.isna(krw) else f"{krw / 1e8:,.1f}억원"

    def pct(x):
        return "–" if pd.isna(x) else f"{x:.1f}%"

    return {
        "지원 기업": f"{k['firms']}개사",
        "지원금": eok(k["support_krw"]),
        "재무성과": eok(k["outcome_krw"]),
        "성과배수": "–" if pd.isna(k["outcome_multiple_x"]) else f"{k['outcome_multiple_x']:.2f}배",
        "성과공유 계약": f"{k['sharing_contracts']}건",
        "과제 완료율": pct(k["task_completion_pct"]),
        "평균 개선율": pct(k["mean_improvement_pct"]),
    }


def shown(markdown: str) -> str:
    """The text a Markdown element shows: its backslash escapes and word joiners (`safe.md`) removed."""
    return re.sub(r"\\(.)", r"\1", markdown).replace("\u2060", "")


def record_sent(monkeypatch, describe: Callable) -> list[list]:
    """Per AppTest run from now on, `describe(message, element, kind)` of every new element the run sent,
    in the order sent (an element it returns None for is left out). AppTest keeps only the final tree,
    not the order of the deltas nor the placeholders a later delta replaced."""
    runs: list[list] = []
    parse = local_script_runner.parse_tree_from_messages

    def record(messages):
        elements = []
        for message in messages:
            if message.WhichOneof("type") != "delta" or message.delta.WhichOneof("type") != "new_element":
                continue
            element = message.delta.new_element
            if (described := describe(message, element, element.WhichOneof("type"))) is not None:
                elements.append(described)
        runs.append(elements)
        return parse(messages)

    monkeypatch.setattr(local_script_runner, "parse_tree_from_messages", record)
    return runs


def random_dataset(folder, rng: random.Random, firms: int = 12) -> None:
    """A small data set that follows the contract, with the awkward cases the definitions mention."""
    companies = [
        {
            "company_id": f"X{i}",
            "company_name": f"기업{i}",
            "tier": rng.randint(1, 3),
            "industry": rng.choice(["가", "나", "다"]),
            "region": rng.choice(["충남", "서울"]),
            "employees": rng.choice([None, 10, 50]),
        }
        for i in range(firms)
    ]
    participations, tasks, outcomes = [], [], []
    for c in companies:
        for year in rng.sample(range(2011, 2021), rng.randint(1, 3)):
            participations.append(
                {
                    "company_id": c["company_id"],
                    "year": year,
                    "phase": "1단계" if year < 2018 else "2단계",
                    "agency": rng.choice([None, "한국표준협회"]),
                    "consulting_krw": rng.randint(0, 30) * 1_000_000,
                    "equipment_krw": rng.randint(0, 30) * 1_000_000,
                    "financial_outcome_krw": rng.choice([None, 0, rng.randint(1, 99) * 1_000_000]),
                    "sharing_contract": rng.random() < 0.3,
                    "status": rng.choice(["selected", "in_progress", "completed", "dropped"]),
                }
            )
            for n in range(rng.randint(0, 3)):
                tasks.append(
                    {
                        "task_id": f"{c['company_id']}-{year}-{n}",
                        "company_id": c["company_id"],
                        "year": year,
                        "domain": rng.choice(["제조", "경영", "기술"]),
                        "area": "품질",
                        "title": "과제",
                        "status": rng.choice(["planned", "in_progress", "done", "on_hold"]),
                    }
                )
            for indicator in rng.sample(["a", "b", "c"], rng.randint(0, 3)):
                outcomes.append(
                    {
                        "company_id": c["company_id"],
                        "year": year,
                        "indicator": indicator,
                        "unit": "%",
                        "baseline": rng.choice([-5.0, 2.5, 10.0, 80.0]),
                        "result": rng.choice([None, 1.0, 12.5, 90.0]),
                        "higher_is_better": rng.random() < 0.5,
                    }
                )
    # Dropped participations with and without a measurement in every data set: the 성과배수 basis.
    participations[0].update(status="dropped", financial_outcome_krw=None)
    participations[-1].update(status="dropped", financial_outcome_krw=rng.randint(1, 99) * 1_000_000)
    for name, rows in (
        ("companies", companies),
        ("participations", participations),
        ("tasks", tasks),
        ("outcomes", outcomes),
    ):
        pd.DataFrame(rows).to_csv(folder / f"{name}.csv", index=False)
