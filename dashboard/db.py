"""The one choke point every query runs through: named `.sql` files in `queries/`, values only ever
bound as parameters, each run timed and any failure reported with the query's name."""

from __future__ import annotations

import logging
import re
import time
from functools import cache

import duckdb
import pandas as pd

from dashboard.reading.settings import QUERIES_DIR

log = logging.getLogger("dashboard.queries")
_COMMENT = re.compile(r"--[^\n]*")
_PARAM = re.compile(r"\$([A-Za-z_][A-Za-z0-9_]*)")


class QueryError(Exception):
    """A query failed; the message names the query file."""


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


def run_query(con: duckdb.DuckDBPyConnection, name: str, params: dict | None = None) -> pd.DataFrame:
    """Run `queries/<name>.sql` on a fresh cursor with the parameters it uses, as a DataFrame."""
    params = params or {}
    wanted = parameter_names(name)
    missing = wanted - params.keys()
    if missing:
        raise QueryError(f"queries/{name}.sql: 매개변수가 없습니다: {', '.join(sorted(missing))}")
    bound = {k: v for k, v in params.items() if k in wanted}
    started = time.perf_counter()
    try:
        with con.cursor() as cur:
            frame = cur.execute(sql_text(name), bound).df()
    except duckdb.Error as exc:
        raise QueryError(f"queries/{name}.sql 실행 실패: {exc}") from exc
    log.debug("%s %.1f ms %s", name, (time.perf_counter() - started) * 1000, bound)
    return frame
