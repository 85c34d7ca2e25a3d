"""The Overview KPI queries against the pandas reference: mini fixture, sample, random data and filters."""

from __future__ import annotations

import random

import pandas as pd
import pytest

from dashboard.db import EVERY_FIRM, run_query
from dashboard.filters import Filters
from dashboard.reading.opening import open_folder
from tests.helpers import assert_matches_reference
from tests.reference import load

MINI_FILTERS = [
    Filters(2013, 2020),
    Filters(2013, 2019),
    Filters(2016, 2017),
    Filters(2020, 2020),
    Filters(2013, 2020, phases=("2단계",)),
    Filters(2013, 2020, company_ids=("A1",)),
    Filters(2014, 2016, industries=("기계가공",), tiers=(2,)),
    Filters(2013, 2020, regions=("충남",), tiers=(1, 3)),
    Filters(2010, 2011),
]


@pytest.mark.parametrize("f", MINI_FILTERS, ids=str)
def test_kpi_summary_matches_reference_on_mini(mini_con, mini_ref, f):
    assert_matches_reference(mini_con, mini_ref, "kpi_summary", f)


def test_kpi_summary_mini_exact_values(mini_con):
    row = run_query(mini_con, "kpi_summary", Filters(2013, 2020).params(), scope=EVERY_FIRM).iloc[0]
    # Worked by hand from tests/fixtures/mini: 8 participations of 5 firms.
    assert (row["participations"], row["firms"]) == (8, 5)
    assert row["support_krw"] == 175_000_000
    assert row["outcome_krw"] == 280_000_000
    # 성과배수 over the settled: the measured (12,500만원) and A3, dropped (2,000만원, outcome 0).
    assert row["outcome_multiple_x"] == pytest.approx(280 / 145)
    assert (row["settled_participations"], row["settled_support_krw"]) == (6, 145_000_000)
    assert row["sharing_contracts"] == 4
    assert row["task_completion_pct"] == pytest.approx(700 / 12)
    assert row["mean_improvement_pct"] == pytest.approx((50 + 25 + 50 + 20 + 25 + 25 + 20 + 30) / 8)


def test_kpi_summary_delta_compares_previous_period_of_same_length(mini_con):
    row = run_query(mini_con, "kpi_summary", Filters(2016, 2017).params(), scope=EVERY_FIRM).iloc[0]
    # 2016-2017 compares with 2014-2015: only A3 (dropped, 2,000만원 of support, nothing measured).
    assert row["previous_participations"] == 1
    assert row["firms_delta"] == 2 - 1
    assert row["support_krw_delta"] == 60_000_000 - 20_000_000
    assert row["outcome_krw_delta"] == 140_000_000
    # A3 settled by dropping out: 0배 in 2014-2015, so the delta is the whole 2016-2017 multiple.
    assert row["outcome_multiple_x_delta"] == pytest.approx(140 / 60)


SAMPLE_FILTERS = [
    Filters(2013, 2020),
    Filters(2013, 2019),
    Filters(2020, 2020),
    Filters(2016, 2017),
    Filters(2013, 2017, phases=("1단계",), regions=("충남", "전북")),
    Filters(2015, 2020, industries=("기계가공", "발전설비 부품"), tiers=(2, 3)),
    Filters(2013, 2020, company_ids=("C161", "C001", "C150")),
]


@pytest.mark.parametrize("f", SAMPLE_FILTERS, ids=str)
def test_kpi_summary_matches_reference_on_sample(sample_con, sample_ref, f):
    assert_matches_reference(sample_con, sample_ref, "kpi_summary", f)


def test_kpi_by_year_lists_the_years_with_participations(sample_con, sample_ref):
    rows = assert_matches_reference(sample_con, sample_ref, "kpi_by_year", Filters(2013, 2020, tiers=(2,)))
    assert list(rows["year"]) == [2013, 2014, 2015, 2016, 2017, 2019, 2020]


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


@pytest.mark.parametrize("seed", range(6))
def test_kpi_summary_matches_reference_on_random_data_and_filters(tmp_path, seed):
    rng = random.Random(seed)
    random_dataset(tmp_path, rng)
    con, _ = open_folder(tmp_path)
    frames = load(tmp_path)
    for _ in range(8):
        year_from = rng.randint(2011, 2020)
        f = Filters(
            year_from,
            rng.randint(year_from, 2020),
            phases=tuple(rng.sample(["1단계", "2단계"], rng.randint(0, 1))),
            company_ids=tuple(rng.sample([f"X{i}" for i in range(12)], rng.choice([0, 0, 1, 3]))),
            industries=tuple(rng.sample(["가", "나", "다"], rng.randint(0, 2))),
            regions=tuple(rng.sample(["충남", "서울"], rng.randint(0, 1))),
            tiers=tuple(rng.sample([1, 2, 3], rng.randint(0, 2))),
        )
        assert_matches_reference(con, frames, "kpi_summary", f)
        assert_matches_reference(con, frames, "kpi_by_year", f)
