"""The query choke point: a query past DASHBOARD_QUERY_TIMEOUT_S is interrupted and shown as a Korean
error naming it, a bad setting is named, and the result shapes fail clearly naming the query."""

from __future__ import annotations

import gc
import shutil
import time
import weakref
from concurrent.futures import ThreadPoolExecutor

import duckdb
import pandas as pd
import pytest

from dashboard import db
from dashboard.db import EVERY_FIRM, QueryError, Scope, one_row, run_query, total
from dashboard.filters import Filters
from dashboard.reading import opening
from dashboard.tables import DEFAULT_ORDER
from dashboard.view import context
from tests.helpers import shown
from tests.reference import MINI_DIR

# Would run for hours; uses the parameters kpi_summary uses, so its parameter list is unchanged.
SLOW = "SELECT sum(hash(i)) AS never FROM range(1000000000000) AS t(i) WHERE $f IS NOT NULL AND $f_previous IS NOT NULL"


@pytest.fixture
def slow_kpi_summary(monkeypatch):
    """kpi_summary made to run long: the test hook is its SQL text."""
    real = db.sql_text
    assert db.parameter_names("kpi_summary") == {"f", "f_previous"}
    monkeypatch.setattr(db, "sql_text", lambda name: SLOW if name == "kpi_summary" else real(name))


def test_a_query_past_the_limit_is_interrupted_with_a_korean_error_naming_it(mini_con, slow_kpi_summary, monkeypatch):
    monkeypatch.setenv("DASHBOARD_QUERY_TIMEOUT_S", "0.3")
    started = time.perf_counter()
    with pytest.raises(QueryError, match=r"queries/kpi_summary\.sql이\(가\) 0\.3초 안에 끝나지 않아 중단했습니다"):
        run_query(mini_con, "kpi_summary", Filters(2013, 2020).params(), scope=EVERY_FIRM)
    assert time.perf_counter() - started < 5
    # The connection stays usable after the interrupt.
    monkeypatch.delenv("DASHBOARD_QUERY_TIMEOUT_S")
    assert run_query(mini_con, "task_summary", Filters(2013, 2020).params(), scope=EVERY_FIRM)[
        "tasks_total"
    ].tolist() == [12]


def test_the_time_limit_of_a_finished_query_never_interrupts_a_later_one(mini_con, slow_kpi_summary, monkeypatch):
    """The cursor of a finished query is lent to the next query of the same scope: the first query's
    deadline (0.3 s) passes while the second runs, and only the second's own limit stops it."""
    lent = []
    monkeypatch.setattr(
        db._watchdog, "arm", lambda cur, seconds, arm=db._watchdog.arm: lent.append(cur) or arm(cur, seconds)
    )
    monkeypatch.setenv("DASHBOARD_QUERY_TIMEOUT_S", "0.3")
    run_query(mini_con, "task_summary", Filters(2013, 2020).params(), scope=EVERY_FIRM)
    monkeypatch.setenv("DASHBOARD_QUERY_TIMEOUT_S", "1.5")
    started = time.perf_counter()
    with pytest.raises(QueryError, match=r"1\.5초 안에 끝나지 않아"):
        run_query(mini_con, "kpi_summary", Filters(2013, 2020).params(), scope=EVERY_FIRM)
    assert time.perf_counter() - started >= 1.4
    assert lent[0] is lent[1]
    # The interrupted cursor is not lent again.
    run_query(mini_con, "task_summary", Filters(2013, 2020).params(), scope=EVERY_FIRM)
    assert lent[2] is not lent[1]


def test_concurrent_queries_of_different_viewers_each_see_only_their_own_scope(mini_con):
    scopes = [Scope(("A1",)), EVERY_FIRM, Scope(("A2", "B1")), Scope(())]
    every = set(run_query(mini_con, "data_companies", scope=EVERY_FIRM)["company_id"])
    expected = [every if s.firm_ids is None else set(s.firm_ids) & every for s in scopes]
    assert len({frozenset(e) for e in expected}) == len(scopes)
    with ThreadPoolExecutor(4) as pool:
        seen = list(pool.map(lambda i: run_query(mini_con, "data_companies", scope=scopes[i % 4]), range(40)))
    assert [set(frame["company_id"]) for frame in seen] == [expected[i % 4] for i in range(40)]


def test_the_cursors_lent_for_a_connection_go_when_the_connection_goes():
    """A data version's connection, dropped from the app's cache, is not kept alive by its idle cursors."""
    con, _ = opening.open_folder(MINI_DIR)
    run_query(con, "data_companies", scope=Scope(("A1",)))
    assert db._cursors(con) is db._cursors(con)
    gone = weakref.ref(con)
    del con
    gc.collect()
    assert gone() is None


@pytest.mark.parametrize("value", ["abc", "0", "-1", "inf", "nan"])
def test_an_invalid_limit_is_a_clear_error_naming_the_setting(mini_con, monkeypatch, value):
    monkeypatch.setenv("DASHBOARD_QUERY_TIMEOUT_S", value)
    with pytest.raises(QueryError, match=f"DASHBOARD_QUERY_TIMEOUT_S의 값 '{value}'"):
        run_query(mini_con, "data_row_counts", scope=EVERY_FIRM)


def test_the_limit_defaults_to_ten_seconds(monkeypatch):
    monkeypatch.delenv("DASHBOARD_QUERY_TIMEOUT_S", raising=False)
    assert db.timeout_s() == 10


def test_a_page_shows_the_interrupted_query_as_an_error_not_a_traceback(app, tmp_path, slow_kpi_summary, monkeypatch):
    # A copy of the data is a new data version: no cached result stands in for the slow query.
    shutil.copytree(MINI_DIR, tmp_path / "mini")
    # Long enough for the other queries of the page on a busy machine.
    monkeypatch.setenv("DASHBOARD_QUERY_TIMEOUT_S", "3")
    at = app(data_dir=tmp_path / "mini")
    assert not at.exception
    [error] = at.error
    assert "queries/kpi_summary.sql" in shown(error.value) and "중단했습니다" in shown(error.value)
    assert not at.metric


def test_one_row_names_the_query_when_there_is_not_exactly_one():
    assert one_row(pd.DataFrame({"a": [1]}), "q") == {"a": 1}
    for rows in ([], [1, 2]):
        with pytest.raises(QueryError, match=rf"queries/q\.sql의 결과가 한 행이어야 하는데 {len(rows)}행입니다"):
            one_row(pd.DataFrame({"a": rows}), "q")


def test_total_is_the_count_every_row_carries_or_zero():
    assert total(pd.DataFrame({"matching": [7, 7]}), "matching") == 7
    assert total(pd.DataFrame({"matching": []}), "matching") == 0


def test_page_context_row_shows_an_error_naming_the_query_on_no_rows(app, monkeypatch):
    # Every one-row result seen as empty.
    monkeypatch.setattr(context, "one_row", lambda frame, name: one_row(frame.head(0), name))
    at = app(data_dir=MINI_DIR, page="pages/tasks.py")
    assert not at.exception
    # 개선과제 asks for its own card row first (its cards are sent before anything else on the page).
    assert any("queries/task_summary.sql의 결과가 한 행이어야 하는데 0행입니다" in shown(e.value) for e in at.error)


def test_a_cached_result_is_made_once_and_what_a_page_does_to_it_never_reaches_the_cache(monkeypatch):
    from dashboard.reading import opening
    from dashboard.view import cache

    source = cache.Source(MINI_DIR, opening.fingerprint(MINI_DIR))
    runs = []
    monkeypatch.setattr(cache, "run_query", lambda *args, **kwargs: runs.append(1) or run_query(*args, **kwargs))
    # A limit no other test asks for: a result of its own.
    params = Filters(2013, 2020).params() | DEFAULT_ORDER | {"search": "", "limit": 987}
    first = cache.query(source, "company_leaderboard", params, EVERY_FIRM)
    expected = first.copy()
    first["company_name"] = "바뀐 이름"
    first.iloc[0, first.columns.get_loc("support_man")] = -1.0
    del first["tier"]
    again = cache.query(source, "company_leaderboard", params, EVERY_FIRM)
    pd.testing.assert_frame_equal(again, expected)
    assert len(runs) == 1
    # The parameters a query does not use stay out of its key; those it uses are in it.
    cache.query(source, "company_leaderboard", params | {"unused": 1}, EVERY_FIRM)
    cache.query(source, "company_leaderboard", params | {"limit": 986}, EVERY_FIRM)
    assert len(runs) == 2


def test_memo_makes_a_value_once_for_sessions_asking_together_and_keeps_the_recent_ones():
    import threading

    from dashboard.memo import Memo

    memo: Memo[int] = Memo(2)
    made = []
    gate = threading.Event()

    def make():
        gate.wait(5)
        made.append(1)
        return 42

    got = []
    threads = [threading.Thread(target=lambda: got.append(memo.get("a", make))) for _ in range(4)]
    for thread in threads:
        thread.start()
    gate.set()
    for thread in threads:
        thread.join(10)
    assert got == [42] * 4 and made == [1]

    def fail():
        raise ValueError("no")

    with pytest.raises(ValueError):
        memo.get("b", fail)
    assert memo.get("b", lambda: 2) == 2
    memo.get("a", fail)  # kept: "a" is now the most recent
    memo.get("c", lambda: 3)  # over the limit: "b", the least recent, goes
    assert memo.get("a", fail) == 42
    assert memo.get("b", lambda: 20) == 20


def test_the_query_connection_caps_duckdb_memory_and_threads(mini_con):
    """A dashboard process's DuckDB uses at most QUERY_MEMORY_LIMIT and the CPUs the process may run on."""
    settings = dict(
        mini_con.execute(
            "SELECT name, value FROM duckdb_settings() WHERE name IN ('memory_limit', 'threads', 'disabled_optimizers')"
        ).fetchall()
    )
    default = duckdb.connect().execute("SELECT current_setting('memory_limit')").fetchone()[0]
    capped = duckdb.connect(config={"memory_limit": db.QUERY_MEMORY_LIMIT})
    assert settings["memory_limit"] == capped.execute("SELECT current_setting('memory_limit')").fetchone()[0] != default
    assert int(settings["threads"]) == db.connection_config()["threads"]
    assert settings["disabled_optimizers"] == db.DISABLED_OPTIMIZERS


def test_a_version_s_tables_are_built_under_the_same_cap(tmp_path, monkeypatch):
    """The one-time build of a version's tables (a DuckDB file in the cache folder) runs with the query
    connection's settings: at 10000x it held twice the memory without the cap."""
    monkeypatch.setenv("DASHBOARD_CACHE_DIR", str(tmp_path))
    configs = []
    connect = duckdb.connect

    def recording(database=":memory:", *args, **kwargs):
        configs.append((str(database), kwargs.get("config")))
        return connect(database, *args, **kwargs)

    monkeypatch.setattr(opening.duckdb, "connect", recording)
    con, _ = opening.open_folder(MINI_DIR)
    con.close()
    built = [config for database, config in configs if database.endswith(opening.BUILT_DATABASE)]
    assert len(built) == 2  # built in staging, then opened read-only
    assert built == [db.connection_config()] * 2
