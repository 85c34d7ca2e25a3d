"""Shared fixtures: the hand-made mini fixture and the bundled sample, as DuckDB connections
(the app's way), as plain pandas frames and as the pandas reference keeps them (the independent
way tests compare against)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pyarrow as pa
import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest
from streamlit.testing.v1.util import patch_config_options

from dashboard.reading import importer
from dashboard.reading.opening import open_folder
from dashboard.reading.settings import SAMPLE_DIR
from tests.reference import MINI_DIR, ROOT, Frames, prepare, read_frames

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


@pytest.fixture(autouse=True)
def _no_developer_secrets(tmp_path):
    """A developer's own .streamlit/secrets.toml (say, with sign-in on) must not change what the tests
    see: a test that needs secrets sets them with AppTest.secrets."""
    st.secrets._reset()  # forget secrets parsed from the real files before this test
    with patch_config_options({"secrets.files": [str(tmp_path / "no-secrets.toml")]}):
        yield
    st.secrets._reset()


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


@pytest.fixture(scope="session")
def mini_ref(mini_frames) -> Frames:
    """The mini fixture as the pandas reference keeps it."""
    return prepare(mini_frames)


@pytest.fixture(scope="session")
def sample_ref(sample_frames) -> Frames:
    return prepare(sample_frames)


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
