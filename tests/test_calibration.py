"""The bundled sample: calibrated to the published programme figures and reproducible by its generator."""

from __future__ import annotations

import pytest

from dashboard.db import EVERY_FIRM, run_query
from dashboard.filters import Filters
from dashboard.generate import COHORTS, generate
from dashboard.reading.settings import SAMPLE_DIR

PUBLISHED_FIRMS = {2013: 15, 2014: 20, 2015: 31, 2016: 28, 2017: 26, 2019: 24, 2020: 20}
PUBLISHED_SUPPORT_KRW = {2015: 450_000_000, 2016: 580_000_000, 2019: 500_000_000}


def test_totals_2013_2019_are_the_published_ones(sample_frames):
    p = sample_frames["participations"]
    cohorts = p[p["year"].between(2013, 2019)]
    assert cohorts["company_id"].nunique() == 144
    assert int((cohorts["consulting_krw"] + cohorts["equipment_krw"]).sum()) == 2_800_000_000
    assert int(cohorts["financial_outcome_krw"].sum()) == 7_200_000_000


@pytest.mark.parametrize("year_to", [2019, 2020])
def test_published_multiple_counts_the_dropped_support(sample_con, year_to):
    """72억원 ÷ 28억원 = 2.57배, as published: the dropped participations' support is in the
    denominator, the unmeasured 2020 cohort is not."""
    row = run_query(sample_con, "kpi_summary", Filters(2013, year_to).params(), scope=EVERY_FIRM).iloc[0]
    assert f"{row['outcome_multiple_x']:.2f}배" == "2.57배"
    assert row["settled_support_krw"] == 2_800_000_000
    assert row["settled_participations"] == 144


def test_published_cohort_figures(sample_frames):
    p = sample_frames["participations"]
    assert p.groupby("year")["company_id"].nunique().to_dict() == PUBLISHED_FIRMS
    support = (p["consulting_krw"] + p["equipment_krw"]).groupby(p["year"]).sum()
    for year, krw in PUBLISHED_SUPPORT_KRW.items():
        assert support[year] == krw
    outcome = p.groupby("year")["financial_outcome_krw"].sum()
    assert outcome[[2013, 2014, 2015]].sum() == 2_500_000_000
    assert 2018 not in set(p["year"])
    tasks = sample_frames["tasks"]
    assert (tasks["year"] == 2019).sum() == 69
    assert (tasks["year"] == 2013).sum() == 25


def test_2020_cohort_in_progress_with_kyungmin_tech(sample_frames):
    p = sample_frames["participations"].merge(sample_frames["companies"], on="company_id")
    cohort = p[p["year"] == 2020]
    assert len(cohort) == 20
    assert "경민테크" in set(cohort["company_name"])
    assert set(cohort["status"]) == {"in_progress"}
    assert cohort["financial_outcome_krw"].isna().all()
    assert set(cohort["agency"]) == {"한국표준협회"}
    returning = set(cohort["company_id"]) & set(p.loc[p["year"] < 2020, "company_id"])
    assert 0 < len(returning) < 20
    outcomes = sample_frames["outcomes"].merge(cohort[["company_id", "year"]])
    assert 0 < outcomes["result"].notna().sum() < len(outcomes)


def test_phases_and_support_per_firm(sample_frames):
    p = sample_frames["participations"]
    assert set(p.loc[p["year"] <= 2017, "phase"]) == {"1단계"}
    assert set(p.loc[p["year"] >= 2019, "phase"]) == {"2단계"}
    per_firm = (p["consulting_krw"] + p["equipment_krw"]).mean()
    assert 15_000_000 < per_firm < 25_000_000
    assert p["sharing_contract"].any()


def test_improvements_in_published_range(sample_frames):
    o = sample_frames["outcomes"].dropna(subset=["result"])
    sign = o["higher_is_better"].map({True: 1, False: -1})
    improvement = (o["result"] - o["baseline"]) / o["baseline"].abs() * 100 * sign
    assert improvement.min() >= 10
    assert improvement.max() <= 90


def test_committed_sample_is_what_the_generator_writes(tmp_path):
    generate(tmp_path)
    for path in sorted(SAMPLE_DIR.iterdir()):
        assert (tmp_path / path.name).read_bytes() == path.read_bytes(), path.name


def test_generator_scales_firms_and_cohorts(tmp_path):
    counts = generate(tmp_path, scale=3)
    base = sum(c.firms for c in COHORTS)
    assert counts["participations"] == 3 * base


def test_generator_rejects_bad_scale(tmp_path):
    with pytest.raises(ValueError, match="scale"):
        generate(tmp_path, scale=0)
