"""What is kept per data version and shared by every session: the open connection, the filter
options and the query results, keyed by the data's fingerprint."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from functools import cached_property
from pathlib import Path
from typing import TypeVar

import duckdb
import pandas as pd
import streamlit as st

from dashboard.db import Scope, parameter_names, run_query
from dashboard.filters import Options
from dashboard.generate import SYNTHETIC_MARKER
from dashboard.memo import Memo
from dashboard.reading import opening, settings
from dashboard.store import MANIFEST

T = TypeVar("T")


@dataclass(frozen=True)
class Source:
    folder: Path
    fingerprint: str

    @property
    def synthetic(self) -> bool:
        return (self.folder / SYNTHETIC_MARKER).is_file()

    def synthetic_info(self) -> dict:
        return json.loads((self.folder / SYNTHETIC_MARKER).read_text(encoding="utf-8"))

    @cached_property
    def version(self) -> str:
        """The data version in words: the store's version id, the sample, or the folder read as it is."""
        if (self.folder / MANIFEST).is_file():
            return f"저장소 버전 {self.folder.name}"
        if self.synthetic:
            return "표본 데이터"
        return f"폴더 {self.folder.name}"

    @cached_property
    def as_of(self) -> str:
        """When this version was made: the store manifest's created time, else the newest file's
        modification time (local time, to the minute); '알 수 없음' when neither can be read."""
        try:
            created = json.loads((self.folder / MANIFEST).read_text(encoding="utf-8"))["created"]
            moment = datetime.fromisoformat(created)
        except (OSError, ValueError, KeyError, TypeError):
            times = [p.stat().st_mtime for p in self.folder.iterdir() if p.is_file() and not p.name.startswith(".")]
            if not times:
                return "알 수 없음"
            moment = datetime.fromtimestamp(max(times)).astimezone()
        return moment.strftime("%Y-%m-%d %H:%M")

    @property
    def stamp(self) -> str:
        """Data version and as-of time in one line, for card help and downloads."""
        return f"데이터 {self.version} · 기준 시각 {self.as_of}"


@dataclass(frozen=True)
class Loaded:
    con: duckdb.DuckDBPyConnection
    files: dict[str, opening.TableFile]


def current_source() -> Source:
    folder = settings.configured_folder()
    return Source(folder, opening.fingerprint(folder))


@st.cache_resource(show_spinner="데이터를 여는 중…", max_entries=4)
def _open(fingerprint: str, folder: str) -> Loaded:
    con, files = opening.open_folder(Path(folder))
    return Loaded(con, files)


def open_source(source: Source) -> Loaded:
    return _open(source.fingerprint, str(source.folder))


# Results of every session by data version, query, parameters and scope. Old versions' results age out.
results: Memo[pd.DataFrame] = Memo(4096)


def query(source: Source, name: str, params: dict | None, scope: Scope) -> pd.DataFrame:
    """`queries/<name>.sql` over `source`, cached by data version, the parameters it uses and the
    viewer's scope (no viewer ever receives a result cached for another scope).

    Parameters the query does not use stay out of the cache key, so a query that ignores the
    filters is not run again for every new filter combination. The key is the parameters as JSON:
    whatever `$f` holds (a new filter, the viewer's scope) keys the cache without a change here.

    Every caller gets its own frame over the kept one's data: with pandas' copy-on-write, whatever a
    page does to it (a new column, a changed value) copies first and never reaches the cache.
    """
    used = parameter_names(name)
    bound = json.dumps({k: v for k, v in (params or {}).items() if k in used}, sort_keys=True, ensure_ascii=False)
    key = "\x1f".join((source.fingerprint, str(source.folder), name, bound, scope.key()))
    kept = results.get(key, lambda: run_query(open_source(source).con, name, json.loads(bound), scope=scope))
    return kept.copy(deep=False)


# What is made from query results alone (the written summary), by the same key as those results.
derived: Memo[object] = Memo(1024)


def computed(source: Source, name: str, params: dict, scope: Scope, make: Callable[[], T]) -> T:
    """`make()`, which reads only query results for `params` in `scope` over `source`, kept like those
    results: `name` says what it is. The value is shared by every session, so keep it immutable."""
    bound = json.dumps(params, sort_keys=True, ensure_ascii=False)
    return derived.get("\x1f".join((source.fingerprint, str(source.folder), name, bound, scope.key())), make)


@st.cache_resource(show_spinner=False, max_entries=4)
def _options(fingerprint: str, folder: str, scope: Scope) -> Options:
    return Options.read(_open(fingerprint, folder).con, scope)


def options(source: Source, scope: Scope) -> Options:
    """What the filters offer, built once per data version and shared read-only by every session:
    with many firms, rebuilding the firm list on every rerun was most of a rerun."""
    return _options(source.fingerprint, str(source.folder), scope)
