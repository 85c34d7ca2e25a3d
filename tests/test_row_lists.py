"""The task and indicator lists read rows kept joined to their participation once per data version
(queries/setup/task_rows.sql, indicator_rows.sql) and count their matches apart from the rows they
keep: on random data, filters, orders, searches and limits give the pandas reference's rows and count
(a firm user's lists are checked with every query in tests/test_meta.py)."""

from __future__ import annotations

import random

import pytest

from dashboard.filters import Filters
from dashboard.reading.opening import open_folder
from dashboard.tables import INDICATOR_SORT, TASK_SORT
from tests.helpers import assert_matches_reference, random_dataset
from tests.reference import load


@pytest.fixture(scope="module")
def random_case(tmp_path_factory):
    folder = tmp_path_factory.mktemp("lists")
    rng = random.Random(7)
    random_dataset(folder, rng, firms=120)
    con, _ = open_folder(folder)
    yield con, load(folder), rng
    con.close()


def _filters(rng: random.Random) -> Filters:
    year_from = rng.randint(2011, 2020)
    return Filters(
        year_from,
        rng.randint(year_from, 2020),
        industries=tuple(rng.sample(["가", "나", "다"], rng.choice([0, 0, 1, 2]))),
        tiers=tuple(rng.sample([1, 2, 3], rng.choice([0, 0, 1]))),
        phases=tuple(rng.sample(["1단계", "2단계"], rng.choice([0, 0, 1]))),
        company_ids=tuple(f"X{i}" for i in rng.sample(range(120), rng.choice([0, 0, 0, 1, 3]))),
    )


def test_the_lists_match_the_reference_on_random_data(random_case):
    con, frames, rng = random_case
    seen = {"cut": 0, "whole": 0, "empty": 0}
    for _ in range(25):
        f = _filters(rng)
        order = {"descending": rng.random() < 0.5, "limit": rng.choice([None, 1, 7, 1000])}
        tasks = assert_matches_reference(
            con,
            frames,
            "task_list",
            f,
            sort=rng.choice([None, *TASK_SORT.columns]),
            search=rng.choice(["", "", "기업1", "과제"]),
            task_statuses=rng.choice([None, ["done", "planned"]]),
            domains=rng.choice([None, ["제조"]]),
            **order,
        )
        assert_matches_reference(
            con,
            frames,
            "outcome_rows",
            f,
            sort=rng.choice([None, *INDICATOR_SORT.columns]),
            indicators=rng.choice([None, ["a", "c"]]),
            **order,
        )
        if tasks.empty:
            seen["empty"] += 1
        else:
            seen["cut" if tasks["matching_tasks"].iloc[0] > len(tasks) else "whole"] += 1
    # The random calls reach lists cut by the limit, whole and empty.
    assert all(seen.values()), seen
