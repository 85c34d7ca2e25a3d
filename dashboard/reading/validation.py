"""Row-level rules of the data contract, checked in DuckDB over the typed tables the importer made.

Every rule is one SQL query returning the offending rows, so the check scales with the data
and collects every problem instead of stopping at the first.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import duckdb

from dashboard.contract import TABLE_ORDER, TABLES, TABLES_BY_NAME, Table
from dashboard.problems import Problem

# How many offending rows a single rule reports before it only counts the rest.
MAX_ROWS_PER_RULE = 50
MSG_ZERO = "0일 수 없습니다. 개선율은 이 값으로 나누어 계산합니다."


def _rules(table: Table, checked: set[str], unreadable: str | None) -> list[tuple[str | None, str, str]]:
    """(column, Korean message, SQL returning _row and the offending value) for each rule.

    A reference rule is left out when its target table is not in `checked`: every row would
    point at nothing and bury the real problem (the broken target) under noise. For the same
    reason a cell listed in the `unreadable` relation is not also reported as empty.
    """
    t = table.name
    rules: list[tuple[str | None, str, str]] = []
    for c in table.columns:
        col = f'"{c.name}"'
        if not c.nullable:
            skip = ""
            if unreadable:
                listed = f"SELECT _row FROM {unreadable} WHERE table_name = '{t}' AND column_name = '{c.name}'"
                skip = f" AND _row NOT IN ({listed})"
            rules.append((c.name, "값이 비어 있습니다.", f"SELECT _row, NULL FROM {t} WHERE {col} IS NULL{skip}"))
        if c.type == "VARCHAR" and not c.nullable:
            rules.append((c.name, "값이 비어 있습니다.", f"SELECT _row, {col} FROM {t} WHERE trim({col}) = ''"))
        if c.allowed:
            allowed = ", ".join("'" + a + "'" for a in c.allowed)
            rules.append(
                (
                    c.name,
                    f"허용되지 않는 값입니다. 허용: {', '.join(c.allowed)}",
                    f"SELECT _row, {col} FROM {t} WHERE {col} NOT IN ({allowed})",
                )
            )
        if c.min_value is not None:
            message = "음수일 수 없습니다." if c.min_value == 0 else f"{c.min_value} 이상이어야 합니다."
            rules.append((c.name, message, f"SELECT _row, {col} FROM {t} WHERE {col} < {c.min_value}"))
        if c.max_value is not None:
            rules.append(
                (
                    c.name,
                    f"{c.max_value} 이하여야 합니다.",
                    f"SELECT _row, {col} FROM {t} WHERE {col} > {c.max_value}",
                )
            )
        if c.nonzero:
            rules.append((c.name, MSG_ZERO, f"SELECT _row, {col} FROM {t} WHERE {col} = 0"))
    if table.key:
        key = ", ".join(table.key)
        shown = " || ' / ' || ".join(f"CAST({k} AS VARCHAR)" for k in table.key)
        # An empty key part is already reported as empty; it is not also a duplicate.
        complete = " AND ".join(f"{k} IS NOT NULL" for k in table.key)
        rules.append(
            (
                ", ".join(table.key),
                f"키({key})가 중복됩니다.",
                f"SELECT _row, {shown} FROM (SELECT *, count(*) OVER (PARTITION BY {key}) AS n FROM {t} "
                f"WHERE {complete}) WHERE n > 1",
            )
        )
    for cols, target in table.references:
        if target not in checked:
            continue
        on = " AND ".join(f"r.{c} = x.{c}" for c in cols)
        shown = " || ' / ' || ".join(f"CAST(x.{c} AS VARCHAR)" for c in cols)
        complete = " AND ".join(f"x.{c} IS NOT NULL" for c in cols)
        target_label = TABLES_BY_NAME[target].label_ko
        rules.append(
            (
                ", ".join(cols),
                f"'{target_label}'({target}) 테이블에 없는 값을 가리킵니다.",
                f"SELECT x._row, {shown} FROM {t} x ANTI JOIN {target} r ON {on} WHERE {complete}",
            )
        )
    return rules


def validate_rows(
    con: duckdb.DuckDBPyConnection,
    files: Mapping[str, str],
    tables: Iterable[str] | None = None,
    unreadable: str | None = None,
) -> list[Problem]:
    """Every row-level problem of the typed views, in table then row order.

    `files` names the file (or sheet) each table came from;
    `tables` limits the check to those tables (default: all), e.g. when others could not be read;
    `unreadable` names a relation (table_name, _row, column_name) of cells already reported as
    unreadable, which are therefore not reported as empty.
    """
    checked = set(tables) if tables is not None else set(TABLE_ORDER)
    problems: list[Problem] = []
    for table in TABLES:
        if table.name not in checked:
            continue
        name = files[table.name]
        for column, message, sql in _rules(table, checked, unreadable):
            rows = con.execute(f"{sql} ORDER BY 1 LIMIT {MAX_ROWS_PER_RULE + 1}").fetchall()
            for row, value in rows[:MAX_ROWS_PER_RULE]:
                shown = None if value is None else str(value)
                problems.append(Problem(name, table.name, message, row, column, shown))
            if len(rows) > MAX_ROWS_PER_RULE:
                total = con.execute(f"SELECT count(*) FROM ({sql})").fetchone()[0]
                problems.append(
                    Problem(
                        name,
                        table.name,
                        f"같은 문제가 모두 {total:,}건 있습니다 (처음 {MAX_ROWS_PER_RULE}건만 표시).",
                        column=column,
                    )
                )
    problems.sort(key=lambda p: (TABLE_ORDER[p.table], p.row or 0))
    return problems
