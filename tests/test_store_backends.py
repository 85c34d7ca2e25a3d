"""The store's contract on both backends: local disk and S3 (moto's server on 127.0.0.1, one per session)."""

from __future__ import annotations

import errno
import re
import socket
import subprocess
import sys
import threading
import time
import uuid

import boto3
import pyarrow.parquet as pq
import pytest
from botocore.config import Config

from dashboard import access, audit, changes
from dashboard.__main__ import main
from dashboard.contract import TABLES
from dashboard.reading import importer
from dashboard.reading.settings import SAMPLE_DIR, configured_folder
from dashboard.store import SAMPLE, Store, StoreConflict, StoreError

SOURCES = {t.name: f"{t.name}.csv" for t in TABLES}


@pytest.fixture(scope="module")
def sample_tables():
    return importer.load_paths([SAMPLE_DIR]).tables


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="session")
def moto_endpoint():
    port = _free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", port)) == 0:
                break
        time.sleep(0.1)
    yield f"http://127.0.0.1:{port}"
    server.terminate()
    server.wait(10)


S3_ENV = {"AWS_ACCESS_KEY_ID": "test", "AWS_SECRET_ACCESS_KEY": "test", "AWS_REGION": "us-east-1"}


@pytest.fixture(params=["local", "s3"])
def store(request, monkeypatch, tmp_path):
    monkeypatch.delenv("DASHBOARD_DATA_DIR", raising=False)
    if request.param == "local":
        monkeypatch.delenv("DASHBOARD_STORE_URL", raising=False)
        return Store.configured()
    endpoint = request.getfixturevalue("moto_endpoint")
    for name, value in S3_ENV.items():
        monkeypatch.setenv(name, value)
    monkeypatch.setenv("AWS_ENDPOINT_URL", endpoint)
    bucket = f"store-{uuid.uuid4().hex[:12]}"
    boto3.client("s3", endpoint_url=endpoint).create_bucket(Bucket=bucket)
    monkeypatch.setenv("DASHBOARD_STORE_URL", f"s3://{bucket}/dashboard")
    return Store.configured()


def test_versions_restore_and_the_active_copy(store, mini_tables, sample_tables):
    assert store.versions() == [] and store.active_id() is None
    first = store.add(mini_tables, SOURCES)
    second = store.add(sample_tables, SOURCES)
    assert [v.id for v in store.versions()] == ["v0001", "v0002"]
    assert store.active_id() == "v0002"
    folder = configured_folder()
    assert {t.name: pq.read_table(folder / f"{t.name}.parquet") for t in TABLES} == sample_tables
    assert store.restore("v0001") == first
    assert Store.configured().active_id() == "v0001"  # a fresh handle, as another replica sees it
    assert store.restore(SAMPLE) is None and store.active_id() is None
    assert second.checksums == store.version("v0002").checksums
    with pytest.raises(StoreError, match=re.escape("'v0009' 버전이 없습니다. 있는 버전: v0001, v0002")):
        store.restore("v0009")


def test_two_imports_racing_exactly_one_wins_and_nothing_is_lost(store, mini_tables, sample_tables, monkeypatch):
    store.add(mini_tables, SOURCES)
    barrier = threading.Barrier(2)
    outcomes = {}
    # Both imports read the pointer before either switches it: the race the conditional write settles.
    reader = "active_id" if isinstance(store, Store) else "_pointer"
    read = getattr(type(store), reader)
    first_read = threading.local()

    def read_then_wait():
        value = read(store)
        if not getattr(first_read, "done", False):
            first_read.done = True
            barrier.wait(10)
        return value

    def run(name, tables):
        try:
            outcomes[name] = store.add(tables, SOURCES).id
        except StoreConflict as exc:
            outcomes[name] = exc

    with monkeypatch.context() as patched:
        patched.setattr(store, reader, read_then_wait)
        threads = [threading.Thread(target=run, args=(n, t)) for n, t in (("a", mini_tables), ("b", sample_tables))]
        for t in threads:
            t.start()
        for t in threads:
            t.join(30)
    winners = [v for v in outcomes.values() if isinstance(v, str)]
    losers = [v for v in outcomes.values() if isinstance(v, StoreConflict)]
    assert len(winners) == 1 and len(losers) == 1, outcomes
    assert store.active_id() == winners[0]
    assert [v.id for v in store.versions()] == ["v0001", "v0002", "v0003"], "the loser's version is kept"
    assert "사용되지 않습니다" in str(losers[0])


def test_a_crash_mid_import_leaves_no_version_and_the_pointer_unchanged(store, mini_tables, sample_tables, monkeypatch):
    store.add(mini_tables, SOURCES)
    broken = dict(sample_tables)
    broken["tasks"] = "not a table"  # pq.write_table fails on the third table, after others are written
    with pytest.raises(Exception):  # noqa: B017 - any failure; what matters is what it leaves behind
        store.add(broken, SOURCES)
    assert [v.id for v in store.versions()] == ["v0001"]
    assert store.active_id() == "v0001"
    assert store.add(sample_tables, SOURCES).id in ("v0002", "v0003")


def test_damaged_copy_is_refused_on_restore(store, mini_tables, sample_tables):
    store.add(mini_tables, SOURCES)
    store.add(sample_tables, SOURCES)
    damaged = store.version("v0001").folder / "tasks.parquet"
    store.verify(store.version("v0001"))  # on S3 this copies the version down
    damaged.chmod(0o644)
    damaged.write_bytes(damaged.read_bytes()[:-10])
    with pytest.raises(StoreError, match=re.escape("v0001 버전의 tasks 파일이 없거나 손상되었습니다.")):
        store.restore("v0001")
    assert store.active_id() == "v0002"


def test_audit_entries_live_in_the_store(store, mini_tables):
    from tests.test_access import mini_result

    admin = access.cli_viewer()
    version = changes.import_checked(mini_result(), store, admin)
    changes.restore(store, SAMPLE, admin)
    done, restored = audit.entries(Store.configured())
    assert (done.action, done.outcome, done.version) == ("import", "done", version.id)
    assert done.checksums == dict(version.checksums)
    assert (restored.action, restored.version) == ("restore", SAMPLE)


def test_pointer_is_written_by_conditional_write(moto_endpoint, monkeypatch, mini_tables):
    for name, value in S3_ENV.items():
        monkeypatch.setenv(name, value)
    monkeypatch.setenv("AWS_ENDPOINT_URL", moto_endpoint)
    client = boto3.client("s3", endpoint_url=moto_endpoint)
    client.create_bucket(Bucket="cas")
    monkeypatch.setenv("DASHBOARD_STORE_URL", "s3://cas/p")
    store = Store.configured()
    store.add(mini_tables, SOURCES)
    sent = []
    client_put = store.client.put_object

    def recording(**kwargs):
        sent.append(kwargs)
        return client_put(**kwargs)

    monkeypatch.setattr(store.client, "put_object", recording)
    etag = client.head_object(Bucket="cas", Key="p/ACTIVE")["ETag"]
    store.add(mini_tables, SOURCES)
    [pointer_write] = [k for k in sent if k["Key"] == "p/ACTIVE"]
    assert pointer_write["IfMatch"] == etag
    # Someone else switches the pointer between our read and our write: ours is refused.
    client.put_object(Bucket="cas", Key="p/ACTIVE", Body=b'{"version": "v0001"}')
    with pytest.raises(StoreConflict):
        store._switch("v0002", etag, "lost")
    assert store.active_id() == "v0001"


@pytest.mark.parametrize("code", [errno.ENOSPC, errno.EROFS])
def test_full_or_read_only_disk_is_named_and_changes_nothing(store, mini_tables, sample_tables, monkeypatch, code):
    if not isinstance(store, Store):
        pytest.skip("a local-disk fault")
    store.add(mini_tables, SOURCES)
    real_write = pq.write_table

    def failing(table, where, *args, **kwargs):
        if table is sample_tables["tasks"]:
            raise OSError(code, "simulated")
        return real_write(table, where, *args, **kwargs)

    monkeypatch.setattr(pq, "write_table", failing)
    cause = "가득 찼습니다" if code == errno.ENOSPC else "읽기 전용"
    with pytest.raises(StoreError, match=cause):
        store.add(sample_tables, SOURCES)
    assert [v.id for v in store.versions()] == ["v0001"] and store.active_id() == "v0001"
    assert not list(store.root.glob(".staging-*")), "staging files are removed"


def test_unreachable_object_store_serves_the_cached_copy_and_refuses_imports(
    store, mini_tables, sample_tables, monkeypatch, capsys, tmp_path
):
    if isinstance(store, Store):
        pytest.skip("an object-store fault")
    store.add(mini_tables, SOURCES)
    folder = configured_folder()
    dead = f"http://127.0.0.1:{_free_port()}"
    monkeypatch.setattr(
        store, "client", boto3.client("s3", endpoint_url=dead, config=Config(retries={"max_attempts": 1}))
    )
    assert configured_folder() == folder
    assert "객체 저장소에 연결할 수 없어" in store.offline_notice
    with pytest.raises(StoreError, match="객체 저장소에 연결할 수 없습니다"):
        store.add(sample_tables, SOURCES)
    # The CLI says so in Korean, without a traceback, and exits non-zero.
    for table, arrow in sample_tables.items():
        pq.write_table(arrow, tmp_path / f"{table}.parquet")
    assert main(["import", str(tmp_path)]) == 1
    err = capsys.readouterr().err
    assert "객체 저장소에 연결할 수 없습니다" in err and "Traceback" not in err


def test_a_process_killed_before_the_manifest_leaves_an_invisible_partial_version(
    moto_endpoint, monkeypatch, mini_tables
):
    for name, value in S3_ENV.items():
        monkeypatch.setenv(name, value)
    monkeypatch.setenv("AWS_ENDPOINT_URL", moto_endpoint)
    boto3.client("s3", endpoint_url=moto_endpoint).create_bucket(Bucket="killed")
    monkeypatch.setenv("DASHBOARD_STORE_URL", "s3://killed/p")
    store = Store.configured()
    store.add(mini_tables, SOURCES)
    real_put = store.client.put_object

    def dies_at_the_manifest(**kwargs):
        if kwargs["Key"].endswith("/manifest.json"):
            raise SystemExit("killed")  # nothing after this line runs in a killed process
        return real_put(**kwargs)

    with monkeypatch.context() as killed, pytest.raises(SystemExit):
        killed.setattr(store.client, "put_object", dies_at_the_manifest)
        killed.setattr(store, "_remove_partial", lambda version_id: None)
        store.add(mini_tables, SOURCES)
    assert [k for k in store._keys("versions/v0002/") if k.endswith(".parquet")], "the tables were written"
    assert [v.id for v in store.versions()] == ["v0001"] and store.active_id() == "v0001"
    assert store.add(mini_tables, SOURCES).id == "v0003", "the half-written number is never reused"
