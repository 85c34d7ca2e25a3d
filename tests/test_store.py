"""The versioned store: immutable versions, atomic switching, restore, and crash safety under SIGKILL."""

from __future__ import annotations

import json
import os
import random
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from dashboard.contract import TABLES
from dashboard.db import EVERY_FIRM, scoped_cursor
from dashboard.reading import importer
from dashboard.reading.opening import open_folder
from dashboard.reading.settings import SAMPLE_DIR, configured_folder
from dashboard.store import SAMPLE, Store, StoreError
from tests.reference import ROOT

CRASH_BUDGET_SECONDS = 20
CRASH_MIN_KILLS = 8


@pytest.fixture
def store(tmp_path, monkeypatch) -> Store:
    monkeypatch.setenv("DASHBOARD_STORE_DIR", str(tmp_path / "store"))
    monkeypatch.delenv("DASHBOARD_DATA_DIR", raising=False)
    return Store.configured()


@pytest.fixture(scope="module")
def sample_tables() -> dict[str, pa.Table]:
    return importer.load_paths([SAMPLE_DIR]).tables


SOURCES = {t.name: f"{t.name}.csv" for t in TABLES}


def read_version(folder: Path) -> dict[str, pa.Table]:
    return {t.name: pq.read_table(folder / f"{t.name}.parquet") for t in TABLES}


def test_empty_store_means_sample(store):
    assert store.versions() == []
    assert store.active_id() is None
    assert configured_folder() == SAMPLE_DIR


def test_add_makes_an_active_immutable_version(store, mini_tables):
    version = store.add(mini_tables, SOURCES)
    assert version.id == "v0001"
    assert store.active_id() == "v0001"
    assert configured_folder() == store.versions_dir / "v0001"
    assert dict(version.rows) == {"companies": 5, "participations": 8, "tasks": 12, "outcomes": 11}
    assert version.sources == ("companies.csv", "outcomes.csv", "participations.csv", "tasks.csv")
    assert read_version(version.folder) == mini_tables
    for path in version.folder.iterdir():
        assert not os.access(path, os.W_OK) or os.geteuid() == 0
        assert path.stat().st_mode & 0o222 == 0
    con, _ = open_folder(version.folder)
    with scoped_cursor(con, EVERY_FIRM) as cur:
        assert cur.execute("SELECT count(*) FROM tasks").fetchone()[0] == 12
    con.close()


def test_manifest_records_time_sources_rows_and_checksums(store, mini_tables):
    version = store.add(mini_tables, SOURCES)
    manifest = json.loads((version.folder / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["version"] == "v0001"
    assert manifest["created"] == version.created
    assert manifest["tables"]["tasks"]["rows"] == 12
    assert manifest["tables"]["tasks"]["source"] == "tasks.csv"
    assert len(manifest["tables"]["tasks"]["sha256"]) == 64


def test_versions_accumulate_and_restore_switches(store, mini_tables, sample_tables):
    store.add(mini_tables, SOURCES)
    store.add(sample_tables, SOURCES)
    assert [v.id for v in store.versions()] == ["v0001", "v0002"]
    assert store.active_id() == "v0002"
    assert store.restore("v0001").id == "v0001"
    assert configured_folder() == store.versions_dir / "v0001"
    assert store.restore(SAMPLE) is None
    assert configured_folder() == SAMPLE_DIR
    assert [v.id for v in store.versions()] == ["v0001", "v0002"]


def test_add_without_activating(store, mini_tables, sample_tables):
    store.add(mini_tables, SOURCES)
    store.add(sample_tables, SOURCES, activate=False)
    assert store.active_id() == "v0001"


def test_restore_unknown_version_is_refused_and_changes_nothing(store, mini_tables):
    store.add(mini_tables, SOURCES)
    pointer = (store.root / "ACTIVE").read_bytes()
    with pytest.raises(StoreError, match=re.escape("'v0009' 버전이 없습니다. 있는 버전: v0001")):
        store.restore("v0009")
    with pytest.raises(StoreError, match=re.escape("'../x' 버전이 없습니다")):
        store.restore("../x")
    assert (store.root / "ACTIVE").read_bytes() == pointer


def test_restore_refuses_a_damaged_version(store, mini_tables, sample_tables):
    store.add(mini_tables, SOURCES)
    damaged = store.versions_dir / "v0001" / "tasks.parquet"
    damaged.chmod(0o644)
    damaged.write_bytes(damaged.read_bytes()[:-10])
    store.add(sample_tables, SOURCES)
    with pytest.raises(StoreError, match=re.escape("v0001 버전의 tasks 파일이 없거나 손상되었습니다.")):
        store.restore("v0001")
    assert store.active_id() == "v0002"


def test_incomplete_version_folders_are_not_versions(store, mini_tables):
    store.add(mini_tables, SOURCES)
    (store.versions_dir / "v0002").mkdir()
    (store.versions_dir / "v0002" / "companies.parquet").write_bytes(b"half")
    assert [v.id for v in store.versions()] == ["v0001"]
    # The number of the half-written folder is never reused.
    assert store.add(mini_tables, SOURCES).id == "v0003"


def test_staging_of_dead_processes_is_cleaned_up(store, mini_tables):
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    dead_pid = int(dead.stdout)
    store.root.mkdir(parents=True)
    abandoned = store.root / f".staging-{dead_pid}-abc"
    abandoned.mkdir()
    (abandoned / "companies.parquet").write_bytes(b"partial")
    (store.root / f".ACTIVE.{dead_pid}.abc").write_text("{", encoding="utf-8")
    mine = store.root / f".staging-{os.getpid()}-inprogress"
    mine.mkdir()
    store.add(mini_tables, SOURCES)
    assert not abandoned.exists()
    assert not (store.root / f".ACTIVE.{dead_pid}.abc").exists()
    assert mine.exists(), "a live process's staging folder must be left alone"


def test_data_dir_override_wins_over_the_store(store, mini_tables, monkeypatch, tmp_path):
    store.add(mini_tables, SOURCES)
    monkeypatch.setenv("DASHBOARD_DATA_DIR", str(tmp_path / "elsewhere"))
    assert configured_folder() == tmp_path / "elsewhere"


def test_unreadable_pointer_is_reported(store, mini_tables):
    store.add(mini_tables, SOURCES)
    (store.root / "ACTIVE").write_text("{not json", encoding="utf-8")
    with pytest.raises(StoreError, match="활성 버전 표시"):
        store.active_id()


CHILD = """
import sys
import pyarrow.parquet as pq
from dashboard.contract import TABLES
from dashboard.store import Store

store = Store.configured()
sets = [{t.name: pq.read_table(f"{folder}/{t.name}.parquet") for t in TABLES} for folder in sys.argv[1:]]
sources = {t.name: t.name + ".csv" for t in TABLES}
print("ready", flush=True)
while True:
    for tables in sets:
        store.add(tables, sources)
    store.restore("v0001")
"""


def test_killed_imports_always_leave_a_whole_old_or_new_version(store, mini_tables, sample_tables, tmp_path):
    """A process importing and restoring in a loop is SIGKILLed at random moments, again and again.

    After every kill the active version must open, pass its checksums and hold exactly one of
    the two data sets that were ever imported; every listed version must be whole too.
    """
    inputs = {}
    for name, tables in (("a", mini_tables), ("b", sample_tables)):
        folder = tmp_path / name
        folder.mkdir()
        for table, arrow in tables.items():
            pq.write_table(arrow, folder / f"{table}.parquet")
        inputs[name] = folder
    store.add(mini_tables, SOURCES)
    known = [mini_tables, sample_tables]
    env = os.environ | {"PYTHONPATH": str(ROOT)}
    rng = random.Random(20130801)
    started = time.monotonic()
    kills = 0
    while kills < CRASH_MIN_KILLS or time.monotonic() - started < CRASH_BUDGET_SECONDS:
        child = subprocess.Popen(
            [sys.executable, "-c", CHILD, str(inputs["a"]), str(inputs["b"])],
            stdout=subprocess.PIPE,
            env=env,
            cwd=ROOT,
        )
        assert child.stdout.readline() == b"ready\n"
        time.sleep(rng.uniform(0, 0.3))
        child.send_signal(signal.SIGKILL)
        child.wait()
        child.stdout.close()
        kills += 1

        active = store.active_folder()
        assert active is not None
        version = store.version(active.name)
        store.verify(version)
        assert read_version(active) in known
        con, _ = open_folder(active)
        con.close()
        for listed in store.versions():
            store.verify(listed)
            assert read_version(listed.folder) in known
    assert kills >= CRASH_MIN_KILLS
    assert len(store.versions()) > kills, "the kills should land while the child is writing versions"
    store.add(mini_tables, SOURCES)
    assert not list(store.root.glob(".staging-*")), "abandoned staging folders are removed by the next import"
