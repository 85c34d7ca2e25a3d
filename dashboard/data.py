"""Finding the data folder, reading its files into DuckDB views, and checking them against the contract.

Reading is done by DuckDB straight from the files (no pandas copy). When a folder is opened, the
files in queries/setup also build two in-memory tables (participation_base, outcome_base) holding
the joins every query needs, so a rerun scans one table instead of joining four.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import duckdb

from dashboard.contract import TABLES, Table
from dashboard.problems import DataError, Problem
from dashboard.store import Store

PROJECT_ROOT = Path(__file__).resolve().parent.parent
SAMPLE_DIR = PROJECT_ROOT / "data" / "sample"
QUERIES_DIR = PROJECT_ROOT / "queries"
SETUP_DIR = QUERIES_DIR / "setup"
# queries/setup/<name>.sql, each building the table or macro it is named after; each may use the ones before it.
SETUP = ("outcome_base", "participation_base", "participation_facts", "kpis")
# The query returning each table as loaded (contract columns, file order), for downloads.
TABLE_QUERIES = {
    "companies": "data_companies",
    "participations": "data_participations",
    "tasks": "data_tasks",
    "outcomes": "data_outcomes",
}
# How many offending rows a single rule reports before it only counts the rest.
MAX_ROWS_PER_RULE = 50


@dataclass(frozen=True)
class TableFile:
    table: str
    path: Path

    @property
    def format(self) -> str:
        return self.path.suffix.lstrip(".").lower()

    @property
    def row_offset(self) -> int:
        # What to add to a 0-based data row index to get the row the user sees:
        # in a CSV the header is line 1, so the first data row is line 2.
        return 2 if self.format == "csv" else 1


def sql_literal(text: str) -> str:
    """A SQL string literal. Only for file paths in DDL, which DuckDB cannot take as parameters."""
    return "'" + text.replace("'", "''") + "'"


def find_table_files(folder: Path) -> tuple[dict[str, TableFile], list[Problem]]:
    """The file for each table in `folder` (Parquet wins over CSV) and the problems finding them."""
    if not folder.exists():
        return {}, [Problem(str(folder), "", "데이터 폴더가 없습니다.")]
    if not folder.is_dir():
        return {}, [Problem(str(folder), "", "데이터 폴더가 아니라 파일입니다.")]
    found: dict[str, TableFile] = {}
    problems: list[Problem] = []
    for table in TABLES:
        for suffix in ("parquet", "csv"):
            candidate = folder / f"{table.name}.{suffix}"
            if candidate.is_file():
                found[table.name] = TableFile(table.name, candidate)
                break
        else:
            problems.append(
                Problem(
                    f"{table.name}.parquet / {table.name}.csv",
                    table.name,
                    f"'{table.label_ko}' 테이블 파일이 {folder} 에 없습니다.",
                )
            )
    return found, problems


def fingerprint(folder: Path) -> str:
    """Changes whenever a table file in `folder` is replaced or edited; keys the caches."""
    parts = [str(folder.resolve())]
    for table in TABLES:
        for suffix in ("parquet", "csv"):
            path = folder / f"{table.name}.{suffix}"
            try:
                stat = path.stat()
            except OSError:
                continue
            parts.append(f"{path.name}:{stat.st_size}:{stat.st_mtime_ns}")
    return "|".join(parts)


def _reader_sql(tf: TableFile) -> str:
    path = sql_literal(str(tf.path))
    if tf.format == "parquet":
        return f"SELECT *, file_row_number + {tf.row_offset} AS _row FROM read_parquet({path}, file_row_number = true)"
    # all_varchar: types are checked by the contract, not guessed by the reader;
    # parallel = false keeps file order so row numbers match the user's file.
    return (
        f"SELECT *, row_number() OVER () + {tf.row_offset - 1} AS _row "
        f"FROM read_csv({path}, header = true, all_varchar = true, parallel = false)"
    )


def _check_table(con: duckdb.DuckDBPyConnection, table: Table, tf: TableFile) -> list[Problem]:
    """Register `raw_<table>` and check it is readable, non-empty, has every column and castable types."""
    name = tf.path.name
    try:
        if tf.path.stat().st_size == 0:
            return [Problem(name, table.name, "빈 파일입니다.")]
        con.execute(f"CREATE OR REPLACE VIEW raw_{table.name} AS {_reader_sql(tf)}")
        present = {r[0]: r[1] for r in con.execute(f"DESCRIBE raw_{table.name}").fetchall()}
        n_rows = con.execute(f"SELECT count(*) FROM raw_{table.name}").fetchone()[0]
    except duckdb.Error as exc:
        reason = str(exc).splitlines()[0]
        return [Problem(name, table.name, f"파일을 읽을 수 없습니다: {reason}")]
    if n_rows == 0:
        return [Problem(name, table.name, "데이터 행이 없습니다.")]
    missing = [c for c in table.columns if c.name not in present]
    problems = [Problem(name, table.name, "필수 열이 없습니다.", column=c.name) for c in missing]
    for col in table.columns:
        # A column stored with the contract's type (typed Parquet, CSV text) cannot fail the cast:
        # skipping it spares a full scan per column when the data is opened.
        if col in missing or present[col.name] == col.type:
            continue
        bad = con.execute(
            f'SELECT _row, CAST("{col.name}" AS VARCHAR) FROM raw_{table.name} '
            f'WHERE "{col.name}" IS NOT NULL AND TRY_CAST("{col.name}" AS {col.type}) IS NULL '
            f"ORDER BY _row LIMIT {MAX_ROWS_PER_RULE}"
        ).fetchall()
        problems += [
            Problem(name, table.name, f"{TYPE_KO[col.type]} 형식이 아닙니다.", row, col.name, value)
            for row, value in bad
        ]
    return problems


TYPE_KO = {
    "VARCHAR": "문자",
    "INTEGER": "정수",
    "BIGINT": "정수",
    "DOUBLE": "숫자",
    "BOOLEAN": "참/거짓(true/false)",
}


def typed_view_sql(table: Table) -> str:
    cols = ", ".join(f'CAST("{c.name}" AS {c.type}) AS {c.name}' for c in table.columns)
    return f"CREATE OR REPLACE VIEW {table.name} AS SELECT {cols}, _row FROM raw_{table.name}"


def install_macros(con: duckdb.DuckDBPyConnection) -> None:
    """Run `queries/setup/<name>.sql` for every name of SETUP, in that order."""
    for name in SETUP:
        con.execute((SETUP_DIR / f"{name}.sql").read_text(encoding="utf-8"))


def open_folder(folder: Path) -> tuple[duckdb.DuckDBPyConnection, dict[str, TableFile]]:
    """A connection with one typed view per table over the files in `folder`.

    Raises DataError listing every fatal problem: missing folder, table, file or column,
    unreadable or empty file, values of the wrong type.
    """
    files, problems = find_table_files(folder)
    if not files and problems:
        raise DataError(problems)
    con = duckdb.connect()
    for table in TABLES:
        if table.name in files:
            problems += _check_table(con, table, files[table.name])
    if problems:
        con.close()
        raise DataError(problems)
    for table in TABLES:
        con.execute(typed_view_sql(table))
    install_macros(con)
    return con, files


def data_dir_override() -> Path | None:
    """`DASHBOARD_DATA_DIR` when set: that folder is read as it is and upload is off."""
    value = os.environ.get("DASHBOARD_DATA_DIR", "").strip()
    return Path(value) if value else None


def configured_folder() -> Path:
    """The folder the app reads: `DASHBOARD_DATA_DIR`, else the store's active version, else the sample."""
    return data_dir_override() or Store.configured().active_folder() or SAMPLE_DIR
