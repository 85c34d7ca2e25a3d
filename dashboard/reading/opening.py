"""Opening a data folder for the queries: every folder goes through the importer once per data version.

A folder (`DASHBOARD_DATA_DIR`, or the bundled sample) is read by `importer.load_paths`, exactly as
`python -m dashboard validate` reads it, so the app opens what validate accepts with the same values
and refuses what validate refuses with the same problems. The result is kept, keyed by the folder's
fingerprint, under the cache folder (`DASHBOARD_CACHE_DIR`): canonical Parquet when the data is
clean, the problem list when it is not. Later opens, in this process or another, read that. A
Parquet file whose contract columns the importer took exactly as stored (the bundled sample, the
generator's output) is not copied: the view reads it in place.

A store version is opened in place: the store only ever holds tables the importer produced, and its
manifest's checksums show the files are still those (`Store.canonical_files`).

DuckDB then gets one view per table over the canonical Parquet, and the files in queries/setup build
the tables every query scans (participation_base, outcome_base, the sums of facts_cells, the rows of
the task and indicator lists) and the macros. That is done once per version of the files and of the
setup code, into a DuckDB database in the cache folder, which every later open (in this process or
another) attaches read-only: a process starts without rebuilding them and holds in memory only the
parts its queries read.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import time
import uuid
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import duckdb
import pyarrow.parquet as pq

from dashboard import db
from dashboard.contract import TABLES
from dashboard.problems import DataError, Problem
from dashboard.reading import importer
from dashboard.reading.settings import SETUP, SETUP_DIR, Limits, cache_dir
from dashboard.store import MANIFEST, Store, damaged_files

# The query returning each table as loaded (contract columns, file order), for downloads.
TABLE_QUERIES = {
    "companies": "data_companies",
    "participations": "data_participations",
    "tasks": "data_tasks",
    "outcomes": "data_outcomes",
}
# A cache entry not opened for this long is removed when a new one is written. Age, not count: an
# entry in use by a running app (whose views read its files) is opened far more recently than this.
CACHE_KEEP_S = 7 * 24 * 3600
CACHE_MANIFEST = "converted.json"
BUILT_DATABASE = "tables.duckdb"


@dataclass(frozen=True)
class TableFile:
    """Where a table came from, as the user names it (a workbook sheet: `book.xlsx (기업 시트)`)."""

    table: str
    path: Path


@cache
def _code_version() -> str:
    """Digest of the code that decides what a cell means: a change to it makes every cached conversion stale."""
    digest = hashlib.sha256()
    for module in ("contract.py", "reading/importer.py", "reading/validation.py"):
        digest.update((Path(__file__).resolve().parent.parent / module).read_bytes())
    return digest.hexdigest()[:16]


def fingerprint(folder: Path) -> str:
    """Changes whenever a file the importer would read in `folder` is added, replaced or edited."""
    parts = [str(folder.resolve())]
    try:
        entries = sorted(p for p in folder.iterdir() if not p.name.startswith((".", "_")))
    except OSError:
        entries = []
    for path in entries:
        try:
            stat = path.stat()
        except OSError:
            continue
        parts.append(f"{path.name}:{stat.st_size}:{stat.st_mtime_ns}")
    return "|".join(parts)


def sql_literal(text: str) -> str:
    """A SQL string literal. Only for file paths in DDL, which DuckDB cannot take as parameters."""
    return "'" + text.replace("'", "''") + "'"


def install_macros(con: duckdb.DuckDBPyConnection) -> None:
    """Run `queries/setup/<name>.sql` for every name of SETUP, in that order."""
    for name in SETUP:
        con.execute((SETUP_DIR / f"{name}.sql").read_text(encoding="utf-8"))


def _build(con: duckdb.DuckDBPyConnection, parquet: dict[str, Path]) -> None:
    """One view per contract table over its Parquet file, then everything queries/setup builds."""
    for table in TABLES:
        # _row keeps the file's order for the downloads (data_<table>.sql); queries use nothing else of it.
        # Queries read the table through its viewer-scoped view (queries/setup/viewer_scope.sql).
        columns = ", ".join(f'"{name}"' for name in table.column_names)
        con.execute(
            f"CREATE VIEW unscoped_{table.name} AS SELECT {columns}, file_row_number + 1 AS _row "
            f"FROM read_parquet({sql_literal(str(parquet[table.name]))}, file_row_number = true)"
        )
    install_macros(con)


def _built(parquet: dict[str, Path]) -> Path | None:
    """The database holding what _build makes of these files, built now if no process has yet (staging
    folder, then rename); None when the cache folder cannot be written."""
    digest = hashlib.sha256(f"{duckdb.__version__}|{_code_version()}".encode())
    digest.update(Path(__file__).read_bytes())
    for name in SETUP:
        digest.update((SETUP_DIR / f"{name}.sql").read_bytes())
    for name, path in sorted(parquet.items()):
        stat = path.stat()
        digest.update(f"{name}={path.resolve()}:{stat.st_size}:{stat.st_mtime_ns}".encode())
    entry = cache_dir() / f"tables-{digest.hexdigest()[:32]}"
    database = entry / BUILT_DATABASE
    try:
        if database.is_file():
            os.utime(entry)  # opened now: not one to remove as unused
            return database
        staging = cache_dir() / f".staging-{os.getpid()}-{uuid.uuid4().hex}"
        staging.mkdir(parents=True)
    except OSError:
        return None
    try:
        with duckdb.connect(str(staging / BUILT_DATABASE), config=db.connection_config()) as con:
            _build(con, parquet)
        os.rename(staging, entry)
    except OSError:
        # Another process built the same first (its database holds the same), or the folder is read-only.
        shutil.rmtree(staging, ignore_errors=True)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return database if database.is_file() else None


def _write_entry(entry: Path, result: importer.ImportResult, folder: Path) -> None:
    """Write the conversion of `folder` to `entry` all at once (staging folder, then rename)."""
    staging = entry.parent / f".staging-{os.getpid()}-{uuid.uuid4().hex}"
    try:
        staging.mkdir(parents=True)
        for name, table in result.tables.items():
            if name not in result.as_stored:
                pq.write_table(table, staging / f"{name}.parquet")
        manifest = {
            "folder": str(folder.resolve()),
            "sources": result.sources,
            "as_stored": sorted(result.as_stored),
            "problems": [p.as_row() for p in result.problems],
        }
        (staging / CACHE_MANIFEST).write_text(json.dumps(manifest, ensure_ascii=False), encoding="utf-8")
    except OSError as exc:
        shutil.rmtree(staging, ignore_errors=True)
        message = f"읽은 데이터를 캐시 폴더에 쓸 수 없습니다 (DASHBOARD_CACHE_DIR): {exc}"
        raise DataError([Problem(str(entry.parent), "", message)]) from exc
    try:
        os.rename(staging, entry)
    except OSError:
        # Another process converted the same files first; its entry holds the same as ours.
        shutil.rmtree(staging, ignore_errors=True)
        return
    for path in entry.parent.iterdir():
        if path.is_dir() and not path.name.startswith(".") and path.stat().st_mtime < time.time() - CACHE_KEEP_S:
            shutil.rmtree(path, ignore_errors=True)


def convert(folder: Path) -> tuple[dict[str, Path], dict[str, TableFile]]:
    """The canonical Parquet of every table of `folder` and where each came from, converted at most once
    per version of its files. Raises DataError with the importer's problems when the folder is refused."""
    if not folder.is_dir():
        result = importer.load_paths([folder], Limits.configured())
        raise DataError(result.problems)
    # The limits decide the outcome too (a folder over DASHBOARD_MAX_ROWS is refused).
    limits = Limits.configured()
    key = hashlib.sha256(f"{_code_version()}|{limits}|{fingerprint(folder)}".encode()).hexdigest()[:32]
    entry = cache_dir() / key
    if (entry / CACHE_MANIFEST).is_file():
        os.utime(entry)  # opened now: not one to remove as unused
    else:
        _write_entry(entry, importer.load_paths([folder], limits), folder)
    manifest = json.loads((entry / CACHE_MANIFEST).read_text(encoding="utf-8"))
    problems = [Problem(**row) for row in manifest["problems"]]
    if any(p.fatal for p in problems):
        raise DataError(problems)
    sources = manifest["sources"]
    # A Parquet file already in the contract's form is read where it is (its fingerprint keys this entry).
    parquet = {
        t.name: folder / sources[t.name] if t.name in manifest["as_stored"] else entry / f"{t.name}.parquet"
        for t in TABLES
    }
    return parquet, {name: TableFile(name, folder / label) for name, label in sources.items()}


def open_folder(folder: Path) -> tuple[duckdb.DuckDBPyConnection, dict[str, TableFile]]:
    """A connection with one view per contract table over the data of `folder`, and the macros installed.

    Raises DataError listing every problem (the same list `python -m dashboard validate` prints)
    when the folder cannot be used.
    """
    in_store = Store.canonical_files(folder)
    if in_store is not None:
        parquet, files = in_store, {name: TableFile(name, path) for name, path in in_store.items()}
    elif (folder / MANIFEST).is_file():
        # A store version whose files no longer match their checksums: never read, never "repaired".
        damaged = ", ".join(damaged_files(folder)) or "스키마"
        message = (
            f"저장소의 {folder.name} 버전 파일({damaged})이 저장할 때의 체크섬과 다릅니다(손상). "
            "데이터 화면의 버전 기록에서 다른 버전으로 되돌리세요."
        )
        raise DataError([Problem(folder.name, "", message)])
    else:
        parquet, files = convert(folder)
    database = _built(parquet)
    if database is not None:
        return duckdb.connect(str(database), read_only=True, config=db.connection_config()), files
    con = duckdb.connect(config=db.connection_config())
    _build(con, parquet)
    return con, files
