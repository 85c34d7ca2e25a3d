"""The one choke point every query runs through: named `.sql` files in `queries/`, values only ever
bound as parameters, each run timed and interrupted past a time limit, any failure reported with the
query's name, and the shapes a result is read in (one row, one value, a count every row carries)."""

from __future__ import annotations

import heapq
import itertools
import logging
import os
import re
import threading
import time
import weakref
from collections import OrderedDict
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cache

import duckdb
import pandas as pd

from dashboard.reading.settings import QUERIES_DIR

log = logging.getLogger("dashboard.queries")
_COMMENT = re.compile(r"--[^\n]*")
_PARAM = re.compile(r"\$([A-Za-z_][A-Za-z0-9_]*)")
TIMEOUT_SETTING = "DASHBOARD_QUERY_TIMEOUT_S"
# The facts_* macros of schema cells first, every other name from main.
CELLS_SEARCH_PATH = "SET search_path = 'cells,main'"
DEFAULT_TIMEOUT_S = 10.0


# What one dashboard process lets DuckDB use for its queries and for building a version's tables: a
# memory cap, past which an operator spills to disk (DuckDB's temporary folder beside the database)
# instead of the process growing with the data version (DuckDB's own default is 80% of the host's
# memory), and the CPUs this process may run on (DuckDB counts the host's, not a container's or a CPU set's).
QUERY_MEMORY_LIMIT = "512MB"
# DuckDB 2.0.0's compressed materialization trusts statistics that are wrong for a sum over the firm
# groups of queries/setup/facts_cells.sql (schema cells) joined to their passing cohorts: at 1000x
# improvement_by_industry counted -31,941 firms for 33,595 (the sum stored in 16 bits). Found by the
# benchmark's pandas check (benchmarks/run.py); without the optimizer every query agrees with it.
DISABLED_OPTIMIZERS = "compressed_materialization"


def connection_config() -> dict[str, str | int]:
    """The DuckDB settings of a connection that runs the dashboard's queries."""
    cpus = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    return {"memory_limit": QUERY_MEMORY_LIMIT, "threads": cpus or 1, "disabled_optimizers": DISABLED_OPTIMIZERS}


class QueryError(Exception):
    """A query failed; the message names the query file."""


@dataclass(frozen=True)
class Scope:
    """The firms whose rows a query may see: `firm_ids` None for every firm. Decided by
    `dashboard/access.py` from the signed-in identity, never from the URL or a widget."""

    firm_ids: tuple[str, ...] | None

    def key(self) -> str:
        """What keys cached results, so no viewer ever receives another scope's result."""
        return "*" if self.firm_ids is None else "\x1f".join(self.firm_ids)


EVERY_FIRM = Scope(None)


def _new_cursor(con: duckdb.DuckDBPyConnection, scope: Scope, cells: bool) -> duckdb.DuckDBPyConnection:
    cur = con.cursor()
    cur.execute(
        "SET VARIABLE viewer_scope = {'every_firm': ?, 'firm_ids': ?::VARCHAR[]}",
        [scope.firm_ids is None, list(scope.firm_ids or ())],
    )
    if cells:
        cur.execute(CELLS_SEARCH_PATH)
    return cur


@contextmanager
def scoped_cursor(
    con: duckdb.DuckDBPyConnection, scope: Scope, *, cells: bool = False
) -> Iterator[duckdb.DuckDBPyConnection]:
    """A cursor whose views (queries/setup/viewer_scope.sql) hold only the rows `scope` may see, and
    with `cells` (see `reads_cells`) whose facts_* macros read the sums kept per cell. DuckDB variables
    and the search path belong to the cursor, so concurrent queries of other viewers never share them."""
    with _new_cursor(con, scope, cells) as cur:
        yield cur


class _Cursors:
    """The idle scoped cursors of one connection, by (scope, cells): a query borrows one set up for
    exactly its scope and path, so it runs no SET statement of its own (each costs about as much as a
    small query's planning), and no cursor is ever shared by two queries at once or by two scopes."""

    KEYS = 32
    PER_KEY = 8

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._idle: OrderedDict[tuple[Scope, bool], list[duckdb.DuckDBPyConnection]] = OrderedDict()

    def take(self, con: duckdb.DuckDBPyConnection, scope: Scope, cells: bool) -> duckdb.DuckDBPyConnection:
        with self._lock:
            idle = self._idle.get((scope, cells))
            if idle:
                return idle.pop()
        return _new_cursor(con, scope, cells)

    def give_back(self, cur: duckdb.DuckDBPyConnection, scope: Scope, cells: bool) -> None:
        closing = []
        with self._lock:
            idle = self._idle.setdefault((scope, cells), [])
            self._idle.move_to_end((scope, cells))
            if len(idle) < self.PER_KEY:
                idle.append(cur)
            else:
                closing.append(cur)
            while len(self._idle) > self.KEYS:
                closing.extend(self._idle.popitem(last=False)[1])
        for extra in closing:
            extra.close()


_pools: weakref.WeakKeyDictionary[duckdb.DuckDBPyConnection, _Cursors] = weakref.WeakKeyDictionary()
_pools_lock = threading.Lock()


def _cursors(con: duckdb.DuckDBPyConnection) -> _Cursors:
    with _pools_lock:
        pool = _pools.get(con)
        if pool is None:
            pool = _pools[con] = _Cursors()
        return pool


class _Alarm:
    __slots__ = ("armed", "cursor", "fired")

    def __init__(self, cursor: duckdb.DuckDBPyConnection) -> None:
        self.cursor, self.armed, self.fired = cursor, True, False


class _Watchdog:
    """One thread for every query's time limit (a timer thread per query cost about 1 ms): it interrupts
    a cursor whose alarm is still armed at its deadline. Arming, disarming and the interrupt hold one
    lock, so a query disarmed in time is never interrupted, and `disarm` says whether the interrupt was
    sent: such a cursor is closed, never lent to a later query."""

    def __init__(self) -> None:
        self._wake = threading.Condition()
        self._due: list[tuple[float, int, _Alarm]] = []
        self._order = itertools.count()
        self._waiting_until = float("inf")
        self._thread: threading.Thread | None = None

    def arm(self, cursor: duckdb.DuckDBPyConnection, seconds: float) -> _Alarm:
        alarm, deadline = _Alarm(cursor), time.monotonic() + seconds
        with self._wake:
            heapq.heappush(self._due, (deadline, next(self._order), alarm))
            if self._thread is None:
                self._thread = threading.Thread(target=self._watch, name="query-time-limit", daemon=True)
                self._thread.start()
            elif deadline < self._waiting_until:
                self._wake.notify()
        return alarm

    def disarm(self, alarm: _Alarm) -> bool:
        with self._wake:
            alarm.armed = False
            while self._due and not self._due[0][2].armed:
                heapq.heappop(self._due)
            return alarm.fired

    def _watch(self) -> None:
        with self._wake:
            while True:
                now = time.monotonic()
                while self._due and (self._due[0][0] <= now or not self._due[0][2].armed):
                    alarm = heapq.heappop(self._due)[2]
                    if alarm.armed:
                        alarm.armed, alarm.fired = False, True
                        alarm.cursor.interrupt()
                self._waiting_until = self._due[0][0] if self._due else float("inf")
                self._wake.wait(self._waiting_until - now if self._due else None)


_watchdog = _Watchdog()


def reads_cells(params: Mapping, scope: Scope) -> bool:
    """Whether the sums kept per cell and per firm (schema cells, queries/setup/facts_cells.sql) answer
    a query bound with `params` for `scope`: the viewer may see every firm and no filter set it binds
    chooses firms (from_cells in queries/setup/participation_facts.sql, which those macros test too).
    Decided before the query is planned, so DuckDB plans only the path it reads."""
    filters = [value for value in params.values() if isinstance(value, Mapping) and "company_ids" in value]
    return scope.firm_ids is None and all(f["company_ids"] is None for f in filters)


@cache
def sql_text(name: str) -> str:
    path = QUERIES_DIR / f"{name}.sql"
    if not path.is_file():
        raise QueryError(f"쿼리 파일이 없습니다: queries/{name}.sql")
    return path.read_text(encoding="utf-8")


@cache
def parameter_names(name: str) -> frozenset[str]:
    """The `$name` parameters a query's SQL uses, outside its comments."""
    return frozenset(_PARAM.findall(_COMMENT.sub("", sql_text(name))))


def timeout_s() -> float:
    """`DASHBOARD_QUERY_TIMEOUT_S`: seconds a query may run before it is interrupted."""
    text = os.environ.get(TIMEOUT_SETTING, "").strip()
    if not text:
        return DEFAULT_TIMEOUT_S
    try:
        seconds = float(text)
    except ValueError:
        seconds = float("nan")
    if not 0 < seconds < float("inf"):
        raise QueryError(f"환경 변수 {TIMEOUT_SETTING}의 값 '{text}'은(는) 0보다 큰 초 단위 숫자여야 합니다.")
    return seconds


def run_query(con: duckdb.DuckDBPyConnection, name: str, params: dict | None = None, *, scope: Scope) -> pd.DataFrame:
    """Run `queries/<name>.sql` on a cursor lent for `scope` with the parameters it uses, over the rows `scope` may
    see, as a DataFrame; interrupted after `timeout_s()` seconds."""
    params = params or {}
    wanted = parameter_names(name)
    missing = wanted - params.keys()
    if missing:
        raise QueryError(f"queries/{name}.sql: 매개변수가 없습니다: {', '.join(sorted(missing))}")
    bound = {k: v for k, v in params.items() if k in wanted}
    limit = timeout_s()
    started = time.perf_counter()
    cells = reads_cells(bound, scope)
    pool = _cursors(con)
    cur = pool.take(con, scope, cells)
    alarm = _watchdog.arm(cur, limit)
    reusable = False
    try:
        frame = cur.execute(sql_text(name), bound).df()
        reusable = True
    except duckdb.InterruptException as exc:
        raise QueryError(
            f"queries/{name}.sql이(가) {limit:g}초 안에 끝나지 않아 중단했습니다. "
            f"필터를 좁히거나 잠시 뒤 다시 시도하세요. (제한: 환경 변수 {TIMEOUT_SETTING})"
        ) from exc
    except duckdb.Error as exc:
        raise QueryError(f"queries/{name}.sql 실행 실패: {exc}") from exc
    finally:
        # An interrupt sent after the query ended may still be pending on the cursor: it is not lent again.
        if _watchdog.disarm(alarm) or not reusable:
            cur.close()
        else:
            pool.give_back(cur, scope, cells)
    log.debug("%s %.1f ms %s", name, (time.perf_counter() - started) * 1000, bound)
    return frame


def one_row(frame: pd.DataFrame, name: str) -> Mapping:
    """The single row of a result that has exactly one, by column name."""
    if len(frame) != 1:
        raise QueryError(f"queries/{name}.sql의 결과가 한 행이어야 하는데 {len(frame)}행입니다.")
    return frame.iloc[0].to_dict()


def total(frame: pd.DataFrame, column: str) -> int:
    """A count every row of a limited result carries (e.g. matches before the LIMIT); 0 for no rows."""
    return int(frame[column].max()) if len(frame) else 0
