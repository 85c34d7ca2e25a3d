"""Firm vs peers: the peer group, each KPI's and indicator's median, quartiles and rank checked against
the pandas reference on random data (groups by tier and industry, the tier fallback, small groups
suppressed), and what a firm user sees."""

from __future__ import annotations

import random

import pandas as pd
import pytest
from pypdf import PdfReader

from dashboard import peers, units
from dashboard.__main__ import main
from dashboard.db import Scope, run_query
from dashboard.filters import Filters
from dashboard.reading.opening import open_folder
from dashboard.reading.settings import SAMPLE_DIR
from tests import reference
from tests.helpers import assert_matches_reference, random_dataset, shown
from tests.reference import load
from tests.test_briefing_pdf import flat, pdf_text

PEER_QUERIES = ("peer_group", "peer_kpis", "peer_indicators")


@pytest.fixture(scope="module")
def random_cases(tmp_path_factory):
    """Three random data sets of 90 firms, each opened the app's way and read the reference's way."""
    cases = []
    for seed in range(3):
        folder = tmp_path_factory.mktemp(f"peers{seed}")
        rng = random.Random(seed)
        random_dataset(folder, rng, firms=90)
        con, _ = open_folder(folder)
        cases.append((con, load(folder), rng))
    yield cases
    for con, _, _ in cases:
        con.close()


def test_peer_statistics_match_the_reference_on_random_data(random_cases):
    seen = {"tier_industry": 0, "tier": 0, "suppressed": 0, "shown": 0}
    for con, frames, rng in random_cases:
        for _ in range(10):
            year_from = rng.choice([2011, 2011, rng.randint(2011, 2020)])
            f = Filters(
                year_from,
                rng.choice([2020, rng.randint(year_from, 2020)]),
                company_ids=(f"X{rng.randrange(90)}",),
                phases=tuple(rng.sample(["1단계", "2단계"], rng.choice([0, 0, 1]))),
            )
            group = assert_matches_reference(con, frames, "peer_group", f)
            kpis = assert_matches_reference(con, frames, "peer_kpis", f)
            assert_matches_reference(con, frames, "peer_indicators", f)
            if group.empty:
                continue
            seen["tier" if group["industry"].isna().all() else "tier_industry"] += 1
            seen["suppressed"] += int(kpis["suppressed"].sum())
            seen["shown"] += int((~kpis["suppressed"]).sum())
    # The random views reach every branch: both group kinds, statistics shown and suppressed.
    assert all(seen.values()), seen


def test_several_firms_or_none_have_no_peer_group(random_cases):
    con, frames, _ = random_cases[0]
    for f in (Filters(2011, 2020), Filters(2011, 2020, company_ids=("X1", "X2"))):
        for name in PEER_QUERIES:
            assert assert_matches_reference(con, frames, name, f).empty


def test_suppressed_statistics_are_empty_and_shown_ones_span_five_firms(random_cases):
    con, _, _ = random_cases[1]
    for i in range(40):
        kpis = run_query(con, "peer_kpis", Filters(2011, 2020, company_ids=(f"X{i}",)).params(), scope=Scope(None))
        hidden = kpis[kpis["suppressed"]]
        assert hidden[["p25", "median", "p75", "firm_rank"]].isna().all().all()
        assert (hidden["ranked_firms"] < 5).all()
        assert (kpis.loc[~kpis["suppressed"], "ranked_firms"] >= 5).all()


def test_a_firm_user_sees_no_other_firm_in_its_peer_statistics(random_cases):
    """A firm user's peer group holds only the firms that user may see (its own): every statistic is
    suppressed, so no other firm's value reaches it, however large the group is for an executive."""
    con, _, _ = random_cases[2]
    f = Filters(2011, 2020, company_ids=("X3",))
    executive = run_query(con, "peer_group", f.params(), scope=Scope(None))
    assert executive["group_firms"].item() >= 5
    own = Scope(("X3",))
    assert run_query(con, "peer_group", f.params(), scope=own)["group_firms"].item() == 1
    for name in ("peer_kpis", "peer_indicators"):
        rows = run_query(con, name, f.params(), scope=own)
        assert rows["suppressed"].all() and rows["firm_rank"].isna().all()


def test_peer_group_on_the_sample(sample_con, sample_ref):
    for company in ("C161", "C001", "C150"):
        f = Filters(2013, 2020, company_ids=(company,))
        for name in PEER_QUERIES:
            assert_matches_reference(sample_con, sample_ref, name, f)


def peer_tables(at) -> list[pd.DataFrame]:
    return [t.value for t in at.dataframe if list(t.value.columns) == list(peers.COLUMNS)]


def expected_rows(reference_rows: pd.DataFrame, names: list[str], unit_of) -> list[list[str]]:
    """The shown texts of each row, from the reference's numbers: value, median, quartiles, rank."""
    rows = []
    for name, (_, r) in zip(names, reference_rows.iterrows(), strict=True):
        unit = unit_of(r)
        value = r.get("firm_value", r.get("improvement_pct"))
        stats = [r[c] for c in r.index if c.startswith(("p25", "median", "p75"))]
        if r["suppressed"]:
            shown = [peers.SUPPRESSED] * 3
        else:
            rank = "–" if pd.isna(r["firm_rank"]) else f"{int(r['firm_rank'])}위"
            shown = [
                unit.text(stats[1]),
                f"{unit.text(stats[0])} – {unit.text(stats[2])}",
                f"{rank} / {r['ranked_firms']}개사",
            ]
        rows.append([name, unit.text(value), *shown])
    return rows


@pytest.mark.parametrize("company", ["C065", "C161"])  # tier and industry; the tier alone
def test_profile_shows_each_kpi_and_indicator_beside_the_reference_peer_statistics(app, sample_ref, company):
    at = app({"company": company}, page="pages/companies.py")
    assert not at.exception
    params = Filters(2013, 2020, company_ids=(company,)).params()
    group = reference.compute(sample_ref, "peer_group", params).iloc[0]
    caption = " ".join(shown(c.value) for c in at.caption)
    assert f"비교 집단: {peers.group_name(group)}" in caption
    assert f"{units.FIRMS.text(group['group_firms'])}" in caption
    kpis = reference.compute(sample_ref, "peer_kpis", params)
    indicators = reference.compute(sample_ref, "peer_indicators", params)
    tables = peer_tables(at)
    assert tables[0].values.tolist() == expected_rows(
        kpis, [peers.KPI_LABELS[k] for k in kpis["kpi"]], lambda r: units.of(r["kpi"])
    )
    assert tables[1].values.tolist() == expected_rows(indicators, list(indicators["indicator"]), lambda r: units.PCT)
    # Both firms have a statistic shown and one suppressed.
    assert kpis["suppressed"].any() or indicators["suppressed"].any()
    assert not kpis["suppressed"].all()


def test_firm_one_pager_names_the_peer_group_and_shows_the_reference_statistics(tmp_path, monkeypatch, sample_ref):
    monkeypatch.setenv("DASHBOARD_DATA_DIR", str(SAMPLE_DIR))
    out = tmp_path / "firm.pdf"
    assert main(["briefing", "--out", str(out), "--view", "company", "--company", "C065"]) == 0
    text = flat(pdf_text(out, "-raw"))
    params = Filters(2013, 2020, company_ids=("C065",)).params()
    group = reference.compute(sample_ref, "peer_group", params).iloc[0]
    assert flat(f"동종 비교 집단: {peers.group_name(group)}") in text
    kpis = reference.compute(sample_ref, "peer_kpis", params)
    for _, r in kpis.iterrows():
        unit = units.of(r["kpi"])
        if r["suppressed"]:
            continue
        assert flat(f"동종 중앙값 {unit.text(r['median'])} · {int(r['firm_rank'])}위/{r['ranked_firms']}") in text
        assert flat(f"범위 {unit.text(r['p25'])} – {unit.text(r['p75'])}") in text
    indicators = reference.compute(sample_ref, "peer_indicators", params)
    assert indicators["suppressed"].any() and not indicators["suppressed"].all()
    for _, r in indicators.iterrows():
        shown = "동종 비공개" if r["suppressed"] else f"동종 중앙값 {units.PCT.text(r['median_pct'])}"
        assert flat(f"{r['indicator']} {shown}") in text
    assert len(PdfReader(out).pages) <= 2
