"""The two paths of every filtered query (queries/setup/facts_cells.sql): the sums kept per cell and per
firm (schema cells) give what summing the filtered rows gives, `run_query` reads them only when they
answer the filters and the viewer, and a cursor sent there wrongly sees no row."""

from __future__ import annotations

import re

import pytest

from dashboard.db import EVERY_FIRM, Scope, parameter_names, reads_cells, scoped_cursor, sql_text
from dashboard.filters import Filters
from dashboard.reading.settings import QUERIES_DIR, SETUP_DIR
from tests.helpers import FILTERS, PAGE_PARAMS, assert_rows

FILTERED = sorted(p.stem for p in QUERIES_DIR.glob("*.sql") if "f" in parameter_names(p.stem))
CELLS_MACROS = sorted(set(re.findall(r"MACRO cells\.(facts_\w+)\(", (SETUP_DIR / "facts_cells.sql").read_text())))


def _run(con, name: str, params: dict, scope: Scope, cells: bool):
    bound = {k: v for k, v in params.items() if k in parameter_names(name)}
    with scoped_cursor(con, scope, cells=cells) as cur:
        return cur.execute(sql_text(name), bound).df()


@pytest.mark.parametrize("name", FILTERED)
def test_every_filtered_query_reads_the_same_from_the_cells_as_from_the_rows(name, sample_con):
    for f in [*FILTERS, Filters(2016, 2016, regions=("충남",)), Filters(2030, 2031)]:
        params = f.params() | PAGE_PARAMS
        assert_rows(_run(sample_con, name, params, EVERY_FIRM, True), _run(sample_con, name, params, EVERY_FIRM, False))


def test_the_cells_answer_only_filters_without_firms_for_a_viewer_of_every_firm():
    every, chosen = Filters(2013, 2020).params(), Filters(2013, 2020, company_ids=("A1",)).params()
    assert reads_cells(every | PAGE_PARAMS, EVERY_FIRM)
    assert reads_cells({"search": "", "limit": 5}, EVERY_FIRM)
    assert not reads_cells(every, Scope(("A1",)))
    assert not reads_cells(chosen, EVERY_FIRM)
    # 비교 mode: set B ($f_previous) may hold a firm while set A does not.
    assert not reads_cells({"f": every["f"], "f_previous": chosen["f"]}, EVERY_FIRM)


@pytest.mark.parametrize("macro", CELLS_MACROS)
def test_a_cursor_sent_to_the_cells_wrongly_sees_no_row(macro, mini_con):
    everything, chosen = {"f": Filters(2013, 2020).sql()}, {"f": Filters(2013, 2020, company_ids=("A1",)).sql()}
    for scope, params in [(Scope(("A1",)), everything), (EVERY_FIRM, chosen)]:
        with scoped_cursor(mini_con, scope, cells=True) as cur:
            assert cur.execute(f"SELECT count(*) FROM cells.{macro}($f)", params).fetchone() == (0,)
    # 2013-2019 holds some of A1's and A2's cohorts, not all: facts_firm_rows has their rows.
    with scoped_cursor(mini_con, EVERY_FIRM, cells=True) as cur:
        assert cur.execute(f"SELECT count(*) FROM cells.{macro}($f)", {"f": Filters(2013, 2019).sql()}).fetchone()[0]
