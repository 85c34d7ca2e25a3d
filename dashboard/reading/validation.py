"""Row-level rules of the data contract, checked in DuckDB over the typed tables the importer made.

Every rule is one SQL query returning the offending rows, so the check scales with the data
and collects every problem instead of stopping at the first.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

import duckdb

from dashboard.contract import TABLE_ORDER, TABLES, TABLES_BY_NAME, Column, Table
from dashboard.problems import Problem

# How many offending rows a single rule reports before it only counts the rest.
MAX_ROWS_PER_RULE = 50
MSG_ZERO = "0일 수 없습니다. 개선율은 이 값으로 나누어 계산합니다."
MSG_EMPTY = "값이 비어 있습니다."


@dataclass(frozen=True)
class Rule:
    column: str
    message: str
    sql: str  # returns _row and the offending value
    condition: str | None = None  # for a rule on single rows: the WHERE condition, to count offenders at once
    probe: str | None = None  # else a cheaper query counting offenders, run before `sql`


def _row_rule(t: str, column: str, message: str, condition: str, shown: str, skip: str = "") -> Rule:
    return Rule(column, message, f"SELECT _row, {shown} FROM {t} WHERE {condition}{skip}", condition)


def _column_rules(t: str, c: Column, unreadable: str) -> list[Rule]:
    col = f'"{c.name}"'
    rules: list[Rule] = []
    if not c.nullable:
        listed = f"SELECT _row FROM {unreadable} WHERE table_name = '{t}' AND column_name = '{c.name}'"
        skip = f" AND _row NOT IN ({listed})"
        rules.append(_row_rule(t, c.name, MSG_EMPTY, f"{col} IS NULL", "NULL", skip))
    if c.allowed:
        allowed = ", ".join("'" + a + "'" for a in c.allowed)
        message = f"허용되지 않는 값입니다. 허용: {', '.join(c.allowed)}"
        rules.append(_row_rule(t, c.name, message, f"{col} NOT IN ({allowed})", col))
    if c.min_value is not None:
        message = "음수일 수 없습니다." if c.min_value == 0 else f"{c.min_value} 이상이어야 합니다."
        rules.append(_row_rule(t, c.name, message, f"{col} < {c.min_value}", col))
    if c.max_value is not None:
        rules.append(_row_rule(t, c.name, f"{c.max_value} 이하여야 합니다.", f"{col} > {c.max_value}", col))
    if c.nonzero:
        rules.append(_row_rule(t, c.name, MSG_ZERO, f"{col} = 0", col))
    return rules


def _rules(table: Table, checked: set[str], unreadable: str) -> list[Rule]:
    """Every rule of `table`, in the order its problems are reported.

    A reference rule is left out when its target table is not in `checked`: every row would
    point at nothing and bury the real problem (the broken target) under noise. For the same
    reason a cell listed in the `unreadable` relation is not also reported as empty.
    """
    t = table.name
    rules = [rule for c in table.columns for rule in _column_rules(t, c, unreadable)]
    if table.key:
        key = ", ".join(table.key)
        shown = " || ' / ' || ".join(f"CAST({k} AS VARCHAR)" for k in table.key)
        # An empty key part is already reported as empty; it is not also a duplicate.
        complete = " AND ".join(f"{k} IS NOT NULL" for k in table.key)
        rules.append(
            Rule(
                ", ".join(table.key),
                f"키({key})가 중복됩니다.",
                f"SELECT _row, {shown} FROM (SELECT *, count(*) OVER (PARTITION BY {key}) AS n FROM {t} "
                f"WHERE {complete}) WHERE n > 1",
                probe=f"SELECT count(*) FROM (SELECT 1 FROM {t} WHERE {complete} GROUP BY {key} HAVING count(*) > 1)",
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
            Rule(
                ", ".join(cols),
                f"'{target_label}'({target}) 테이블에 없는 값을 가리킵니다.",
                f"SELECT x._row, {shown} FROM {t} x ANTI JOIN {target} r ON {on} WHERE {complete}",
            )
        )
    return rules


def _breached(con: duckdb.DuckDBPyConnection, t: str, rules: list[Rule]) -> list[Rule]:
    """The rules that may have offenders: every single-row rule is counted in one scan of the table
    (a clean table costs one query, not one per rule), a key by its cheaper probe; the others always run."""
    counted = [r for r in rules if r.condition]
    counts = (
        con.execute(f"SELECT {', '.join(f'count_if({r.condition})' for r in counted)} FROM {t}").fetchone()
        if counted
        else ()
    )
    found = {id(r) for r, n in zip(counted, counts, strict=True) if n}
    return [
        r for r in rules if id(r) in found or (not r.condition and (not r.probe or con.execute(r.probe).fetchone()[0]))
    ]


def validate_rows(
    con: duckdb.DuckDBPyConnection,
    files: Mapping[str, str],
    tables: Iterable[str],
    unreadable: str,
) -> list[Problem]:
    """Every row-level problem of the typed tables, in table then row order.

    `files` names the file (or sheet) each table came from;
    `tables` are the tables to check: those that could be read;
    `unreadable` names a relation (table_name, _row, column_name) of cells already reported as
    unreadable, which are therefore not reported as empty.
    """
    checked = set(tables)
    problems: list[Problem] = []
    for table in TABLES:
        if table.name not in checked:
            continue
        name = files[table.name]
        for rule in _breached(con, table.name, _rules(table, checked, unreadable)):
            column, message, sql = rule.column, rule.message, rule.sql
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
