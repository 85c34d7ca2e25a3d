"""Shared fixtures: the hand-made mini fixture and the bundled sample, as DuckDB connections
(the app's way) and as plain pandas frames (the independent way tests compare against)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pyarrow as pa
import pytest
from streamlit.testing.v1 import AppTest

from dashboard.reading import importer
from dashboard.reading.opening import open_folder
from dashboard.reading.settings import SAMPLE_DIR
from tests.reference import MINI_DIR, ROOT, read_frames

DEFAULT_TIMEOUT = 60


@pytest.fixture(scope="session")
def _cache_dir(tmp_path_factory) -> Path:
    """One conversion cache for the session: entries are keyed by the files' fingerprint, so tests share
    the conversion of the same files and never see another's."""
    return tmp_path_factory.mktemp("cache")


@pytest.fixture(autouse=True)
def _isolated_store(tmp_path, monkeypatch, _cache_dir):
    """No test reads or writes a developer's own data/store or data/cache."""
    monkeypatch.setenv("DASHBOARD_STORE_DIR", str(tmp_path / "store"))
    monkeypatch.setenv("DASHBOARD_CACHE_DIR", str(_cache_dir))


@pytest.fixture(scope="session")
def mini_tables() -> dict[str, pa.Table]:
    """The mini fixture imported once: the canonical tables most store tests start from."""
    return importer.load_paths([MINI_DIR]).tables


@pytest.fixture(scope="session")
def mini_con():
    con, _ = open_folder(MINI_DIR)
    yield con
    con.close()


@pytest.fixture(scope="session")
def sample_con():
    con, _ = open_folder(SAMPLE_DIR)
    yield con
    con.close()


@pytest.fixture(scope="session")
def mini_frames() -> dict[str, pd.DataFrame]:
    return read_frames(MINI_DIR)


@pytest.fixture(scope="session")
def sample_frames() -> dict[str, pd.DataFrame]:
    return read_frames(SAMPLE_DIR)


@pytest.fixture
def app(monkeypatch):
    """`app(query_params, data_dir=None)` -> an AppTest of app.py that has run once."""

    def make(query_params: dict | None = None, data_dir: Path | str | None = None, page: str | None = None):
        if data_dir is not None:
            monkeypatch.setenv("DASHBOARD_DATA_DIR", str(data_dir))
        else:
            monkeypatch.delenv("DASHBOARD_DATA_DIR", raising=False)
        at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=DEFAULT_TIMEOUT)
        for key, value in (query_params or {}).items():
            at.query_params[key] = value
        at.run()
        if page is not None:
            at.switch_page(page).run()
        return at

    return make
