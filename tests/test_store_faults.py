"""Faults with a way back (issue 10 item 5): a damaged active version or an unreadable ACTIVE shows a
Korean error on every page, without a traceback or an internal path, and 데이터 still opens to restore."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from dashboard.navigation import PAGES
from dashboard.store import Store
from tests.reference import ROOT

SOURCES = {"companies": "c.csv", "participations": "p.csv", "tasks": "t.csv", "outcomes": "o.csv"}


def damage_tasks(store: Store) -> None:
    path = store.active_folder() / "tasks.parquet"
    path.chmod(0o644)
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0xFF  # same size: only the checksum can tell
    path.write_bytes(bytes(data))


def garble_pointer(store: Store) -> None:
    (store.root / "ACTIVE").write_text("{not json", encoding="utf-8")


@pytest.mark.parametrize("fault", [damage_tasks, garble_pointer])
@pytest.mark.parametrize("page", [p.path for p in PAGES])
def test_every_page_names_the_fault_and_data_still_opens(monkeypatch, mini_tables, tmp_path, page, fault):
    monkeypatch.delenv("DASHBOARD_DATA_DIR", raising=False)
    monkeypatch.setenv("DASHBOARD_CACHE_DIR", str(tmp_path / "cache"))
    store = Store.configured()
    store.add(mini_tables, SOURCES)
    fault(store)
    at = AppTest.from_file(str(ROOT / page), default_timeout=60)
    at.run()
    assert not at.exception, at.exception
    shown = " ".join(e.value for e in at.error)
    assert "저장소" in shown and ("손상" in shown or "ACTIVE" in shown), shown
    assert str(tmp_path) not in shown and "Traceback" not in shown
    if page == "pages/data.py":
        assert at.button(key="restore") is not None, "a data admin can restore from here"
