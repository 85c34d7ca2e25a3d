"""Where things are and the settings read from the environment (documented in README's settings table)."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from dashboard.store import Store

PROJECT_ROOT = Path(__file__).resolve().parent.parent.parent
SAMPLE_DIR = PROJECT_ROOT / "data" / "sample"
QUERIES_DIR = PROJECT_ROOT / "queries"
SETUP_DIR = QUERIES_DIR / "setup"
# queries/setup/<name>.sql, each building the table or macro it is named after; each may use the ones before it.
SETUP = (
    "viewer_scope",
    "outcome_base",
    "participation_base",
    "participation_facts",
    "task_rows",
    "indicator_rows",
    "facts_cells",
    "kpis",
    "peer_firms",
)
DEFAULT_CACHE_DIR = PROJECT_ROOT / "data" / "cache"
DEFAULT_MAX_UPLOAD_MB = 100
DEFAULT_MAX_ROWS = 1_000_000
# A file's size says little about what it holds once read: a 1 MB XLSX can hold a 1 GB string and a
# 1 MB Parquet file 2 GB of one dictionary-encoded value. These bound what reading may build.
DEFAULT_MAX_COLUMNS = 200
DEFAULT_MAX_CELL_CHARS = 10_000
DEFAULT_MAX_DECODED_MB = 512
# What reading holds per value is one object per distinct text (repeats share it): about 100 bytes
# plus its characters. Three columns distinct in every row at the row limit (a firm's id, name and
# a task's title) fit; a file made of nothing but distinct values does not.
DEFAULT_MAX_DISTINCT_STRINGS = 3_000_000


def data_dir_override() -> Path | None:
    """`DASHBOARD_DATA_DIR` when set: that folder is read as it is and upload is off."""
    value = os.environ.get("DASHBOARD_DATA_DIR", "").strip()
    return Path(value) if value else None


def configured_folder() -> Path:
    """The folder the app reads: `DASHBOARD_DATA_DIR`, else the store's active version, else the sample."""
    return data_dir_override() or Store.configured().active_folder() or SAMPLE_DIR


def cache_dir() -> Path:
    """`DASHBOARD_CACHE_DIR`: where a folder's tables are kept in canonical form once converted."""
    value = os.environ.get("DASHBOARD_CACHE_DIR", "").strip()
    return Path(value) if value else DEFAULT_CACHE_DIR


@dataclass(frozen=True)
class Limits:
    max_bytes: int
    max_rows: int  # data rows per table
    max_columns: int = DEFAULT_MAX_COLUMNS  # header width per table
    max_cell_chars: int = DEFAULT_MAX_CELL_CHARS  # characters of one value
    max_decoded_bytes: int = DEFAULT_MAX_DECODED_MB * 1024 * 1024  # one file once decompressed / decoded
    max_distinct_strings: int = DEFAULT_MAX_DISTINCT_STRINGS  # distinct texts of one table, all columns

    @classmethod
    def configured(cls) -> Limits:
        """`DASHBOARD_MAX_UPLOAD_MB` (all files together), `DASHBOARD_MAX_ROWS` and `DASHBOARD_MAX_COLUMNS`
        (per table), `DASHBOARD_MAX_CELL_CHARS` (per value), `DASHBOARD_MAX_DECODED_MB` (per file, unpacked),
        `DASHBOARD_MAX_DISTINCT_STRINGS` (per table)."""
        mb = float(os.environ.get("DASHBOARD_MAX_UPLOAD_MB") or DEFAULT_MAX_UPLOAD_MB)
        rows = int(os.environ.get("DASHBOARD_MAX_ROWS") or DEFAULT_MAX_ROWS)
        columns = int(os.environ.get("DASHBOARD_MAX_COLUMNS") or DEFAULT_MAX_COLUMNS)
        chars = int(os.environ.get("DASHBOARD_MAX_CELL_CHARS") or DEFAULT_MAX_CELL_CHARS)
        decoded = float(os.environ.get("DASHBOARD_MAX_DECODED_MB") or DEFAULT_MAX_DECODED_MB)
        distinct = int(os.environ.get("DASHBOARD_MAX_DISTINCT_STRINGS") or DEFAULT_MAX_DISTINCT_STRINGS)
        return cls(int(mb * 1024 * 1024), rows, columns, chars, int(decoded * 1024 * 1024), distinct)

    @property
    def max_mb(self) -> float:
        return self.max_bytes / 1024 / 1024
