"""The versioned data store: every import is a new immutable version folder, one is active.

Layout of the store folder (`DASHBOARD_STORE_DIR`, default `data/store`):

    ACTIVE                  {"version": "v0002"}: the pointer the app follows
    versions/v0001/         <table>.parquet (canonical contract columns and types) + manifest.json
    versions/v0002/
    .staging-<pid>-<id>/    a version being written; never read

A version is written completely under `.staging-*`, every file fsynced, then renamed into
`versions/`; the pointer is replaced atomically (temp file, fsync, os.replace, fsync of the
folder). A crash or a kill at any moment therefore leaves the previous pointer, naming a
complete version: the app only ever sees the old version or the new one, never a mix.

An import switches the pointer only if it still names what it named when the import began: of two
imports racing, exactly one wins; the other's version is kept (restorable) and it gets `StoreConflict`.

`DASHBOARD_STORE_URL=s3://bucket/prefix` puts the same layout in object storage instead
(`dashboard/s3store.py`); `Store.configured()` picks the backend.
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import hashlib
import json
import os
import re
import shutil
import uuid
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from dashboard.contract import TABLES

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_STORE_DIR = PROJECT_ROOT / "data" / "store"
POINTER = "ACTIVE"
MANIFEST = "manifest.json"
VERSIONS = "versions"
STAGING_PREFIX = ".staging-"
AUDIT_FILE = "audit.log"
# Restoring this name makes the app read the bundled sample again.
SAMPLE = "sample"
_VERSION_NAME = re.compile(r"^v(\d{4,})$")


class StoreError(Exception):
    """A store operation cannot be done; the message is Korean and meant for the user."""


class StoreConflict(StoreError):
    """Another import or restore switched the active version while this one was being written."""


def conflict_message(version_id: str, now_active: str | None) -> str:
    return (
        f"다른 가져오기나 되돌리기가 먼저 끝나 활성 버전이 {now_active or '표본 데이터'}(으)로 바뀌었습니다. "
        f"이번 데이터는 {version_id} 버전으로 저장되었지만 사용되지 않습니다. 필요하면 되돌리기로 고르세요."
    )


def os_error_message(exc: OSError, action: str) -> str:
    """A Korean sentence naming the cause of a file-system error; no internal path."""
    causes = {
        errno.ENOSPC: "저장 공간이 가득 찼습니다",
        errno.EDQUOT: "저장 공간 할당량을 넘었습니다",
        errno.EROFS: "저장소가 읽기 전용입니다",
        errno.EACCES: "저장소에 쓸 권한이 없습니다",
        errno.EPERM: "저장소에 쓸 권한이 없습니다",
    }
    cause = causes.get(exc.errno, f"파일 시스템 오류({exc.strerror or type(exc).__name__})")
    return f"{action}하지 못했습니다: {cause}. 활성 버전과 버전 목록은 바뀌지 않았습니다."


@dataclass(frozen=True)
class Version:
    id: str
    folder: Path
    created: str
    sources: tuple[str, ...]
    rows: Mapping[str, int]
    checksums: Mapping[str, str]  # table -> sha256 of its stored file

    @property
    def number(self) -> int:
        return int(self.id[1:])


def _fsync_dir(folder: Path) -> None:
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _write_durably(path: Path, payload: bytes) -> None:
    with open(path, "wb") as f:
        f.write(payload)
        f.flush()
        os.fsync(f.fileno())


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


UNREADABLE_POINTER = "저장소의 활성 버전 표시(ACTIVE)를 읽을 수 없습니다. 데이터 화면에서 되돌릴 버전을 고르세요."


def parse_pointer(payload: bytes) -> str | None:
    """The version an ACTIVE pointer names (None: the sample); StoreError when it is not a pointer."""
    try:
        pointer = json.loads(payload.decode("utf-8"))
        version_id = pointer["version"]
    except (ValueError, KeyError, TypeError) as exc:
        raise StoreError(UNREADABLE_POINTER) from exc
    if version_id is not None and not (isinstance(version_id, str) and _VERSION_NAME.match(version_id)):
        raise StoreError(UNREADABLE_POINTER)
    return version_id


def pointer_payload(version_id: str | None) -> bytes:
    return (json.dumps({"version": version_id, "switched": datetime.now().astimezone().isoformat()}) + "\n").encode()


def version_from_manifest(manifest: Mapping, folder: Path) -> Version:
    tables = manifest["tables"]
    rows = {name: int(info["rows"]) for name, info in tables.items()}
    checksums = {name: str(info["sha256"]) for name, info in tables.items()}
    return Version(manifest["version"], folder, manifest["created"], tuple(manifest["sources"]), rows, checksums)


def new_manifest(version_id: str, tables: Mapping[str, dict], sources: Mapping[str, str]) -> dict:
    return {
        "version": version_id,
        "created": datetime.now().astimezone().isoformat(timespec="seconds"),
        "sources": sorted(set(sources.values())),
        "tables": tables,
    }


def verify_folder(folder: Path, version: Version) -> None:
    """Raises StoreError when a file of `version` in `folder` is missing or differs from its checksum."""
    for name, checksum in version.checksums.items():
        path = folder / f"{name}.parquet"
        if not path.is_file() or _sha256(path) != checksum:
            raise StoreError(f"{version.id} 버전의 {name} 파일이 없거나 손상되었습니다.")


class Store:
    """The store on local disk (`DASHBOARD_STORE_DIR`)."""

    offline_notice: str | None = None  # never set on local disk: there is no remote to lose

    def __init__(self, root: Path):
        self.root = Path(root)

    @classmethod
    def configured(cls) -> Store:
        """`DASHBOARD_STORE_URL` (object storage) when set, else `DASHBOARD_STORE_DIR`, else `data/store`."""
        url = os.environ.get("DASHBOARD_STORE_URL", "").strip()
        if url:
            from dashboard.s3store import S3Store

            return S3Store.from_url(url)
        value = os.environ.get("DASHBOARD_STORE_DIR", "").strip()
        return cls(Path(value) if value else DEFAULT_STORE_DIR)

    @property
    def location(self) -> str:
        return str(self.root)

    def append_audit(self, line: bytes) -> None:
        """Append one audit line whole: one write on an O_APPEND file, so concurrent writers never interleave."""
        self.root.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.root / AUDIT_FILE, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
        try:
            if os.write(fd, line) != len(line):
                raise OSError(errno.ENOSPC, "short write")
            os.fsync(fd)
        finally:
            os.close(fd)

    def audit_lines(self) -> list[str]:
        try:
            return (self.root / AUDIT_FILE).read_text(encoding="utf-8").splitlines()
        except FileNotFoundError:
            return []

    @property
    def versions_dir(self) -> Path:
        return self.root / VERSIONS

    @contextlib.contextmanager
    def _locked(self) -> Iterator[None]:
        """Serialises writers (imports, restores) across processes; readers never wait."""
        self.root.mkdir(parents=True, exist_ok=True)
        with open(self.root / ".lock", "a+b") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(lock, fcntl.LOCK_UN)

    def _read_version(self, folder: Path) -> Version | None:
        """The version in `folder`, or None when it is not a complete version."""
        if not _VERSION_NAME.match(folder.name):
            return None
        try:
            manifest = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
            return version_from_manifest({**manifest, "version": folder.name}, folder)
        except (OSError, ValueError, KeyError, TypeError):
            return None

    def versions(self) -> list[Version]:
        """Every complete version, oldest first."""
        if not self.versions_dir.is_dir():
            return []
        found = (self._read_version(p) for p in self.versions_dir.iterdir() if p.is_dir())
        return sorted((v for v in found if v is not None), key=lambda v: v.number)

    def version(self, version_id: str) -> Version:
        found = self._read_version(self.versions_dir / version_id) if _VERSION_NAME.match(version_id) else None
        if found is None:
            known = ", ".join(v.id for v in self.versions()) or "없음"
            raise StoreError(f"'{version_id}' 버전이 없습니다. 있는 버전: {known}")
        return found

    def active_id(self) -> str | None:
        """The version the pointer names; None when the store is empty or points at the sample."""
        try:
            payload = (self.root / POINTER).read_bytes()
        except FileNotFoundError:
            return None
        except OSError as exc:
            raise StoreError(UNREADABLE_POINTER) from exc
        return parse_pointer(payload)

    def active_folder(self) -> Path | None:
        """The folder of the active version; None when the app should read the bundled sample."""
        version_id = self.active_id()
        return None if version_id is None else self.versions_dir / version_id

    def _switch(self, version_id: str | None) -> None:
        temp = self.root / f".{POINTER}.{os.getpid()}.{uuid.uuid4().hex}"
        try:
            _write_durably(temp, pointer_payload(version_id))
            os.replace(temp, self.root / POINTER)
        finally:
            temp.unlink(missing_ok=True)
        _fsync_dir(self.root)

    def _remove_abandoned_staging(self) -> None:
        """Staging folders of processes that died mid-import (killed, crashed) are garbage."""
        for path in self.root.glob(f"{STAGING_PREFIX}*"):
            pid = path.name[len(STAGING_PREFIX) :].split("-", 1)[0]
            if pid.isdigit() and not _pid_alive(int(pid)):
                shutil.rmtree(path, ignore_errors=True)
        for path in self.root.glob(f".{POINTER}.*"):
            pid = path.name.split(".")[2]
            if pid.isdigit() and not _pid_alive(int(pid)):
                path.unlink(missing_ok=True)

    def add(self, tables: Mapping[str, pa.Table], sources: Mapping[str, str], activate: bool = True) -> Version:
        """Write `tables` (canonical, every contract table) as a new version; make it active unless told not to.

        `sources` maps each table to the file (or workbook sheet) it was read from. Raises StoreConflict
        when another import or restore switched the pointer meanwhile (the version is kept, not active),
        StoreError naming the cause when the disk is full or read-only (nothing changed, no staging left).
        """
        try:
            return self._add(tables, sources, activate)
        except OSError as exc:
            raise StoreError(os_error_message(exc, "새 버전을 저장")) from exc

    def _add(self, tables: Mapping[str, pa.Table], sources: Mapping[str, str], activate: bool) -> Version:
        began_with = self.active_id()
        self.root.mkdir(parents=True, exist_ok=True)
        staging = self.root / f"{STAGING_PREFIX}{os.getpid()}-{uuid.uuid4().hex}"
        staging.mkdir()
        try:
            manifest_tables = {}
            for table in TABLES:
                path = staging / f"{table.name}.parquet"
                with open(path, "wb") as f:
                    pq.write_table(tables[table.name], f)
                    f.flush()
                    os.fsync(f.fileno())
                manifest_tables[table.name] = {
                    "rows": tables[table.name].num_rows,
                    "file": path.name,
                    "source": sources.get(table.name, ""),
                    "sha256": _sha256(path),
                }
            with self._locked():
                self._remove_abandoned_staging()
                names = [p.name for p in self.versions_dir.iterdir()] if self.versions_dir.is_dir() else []
                taken = [int(m.group(1)) for name in names if (m := _VERSION_NAME.match(name))]
                version_id = f"v{max(taken, default=0) + 1:04d}"
                manifest = new_manifest(version_id, manifest_tables, sources)
                _write_durably(staging / MANIFEST, json.dumps(manifest, ensure_ascii=False, indent=2).encode("utf-8"))
                for path in staging.iterdir():
                    path.chmod(0o444)
                _fsync_dir(staging)
                self.versions_dir.mkdir(exist_ok=True)
                os.rename(staging, self.versions_dir / version_id)
                _fsync_dir(self.versions_dir)
                if activate:
                    now_active = self.active_id()
                    if now_active != began_with:
                        raise StoreConflict(conflict_message(version_id, now_active))
                    self._switch(version_id)
        except BaseException:
            shutil.rmtree(staging, ignore_errors=True)
            raise
        return self.version(version_id)

    def restore(self, version_id: str) -> Version | None:
        """Make an existing version active again (`sample`: the bundled sample). Returns it (None for the sample)."""
        try:
            with self._locked():
                if version_id == SAMPLE:
                    self._switch(None)
                    return None
                version = self.version(version_id)
                self.verify(version)
                self._switch(version.id)
                return version
        except OSError as exc:
            raise StoreError(os_error_message(exc, "되돌리기")) from exc

    @staticmethod
    def canonical_files(folder: Path) -> dict[str, Path] | None:
        """The table files of `folder` when it is a store version whose manifest vouches for them: every
        table listed, its checksum matching and its schema the contract's. Such files were written by the
        importer and are unchanged since, so they can be read as they are. None otherwise."""
        try:
            manifest = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
            listed = {
                t.name: (folder / manifest["tables"][t.name]["file"], manifest["tables"][t.name]["sha256"])
                for t in TABLES
            }
            for table in TABLES:
                path, checksum = listed[table.name]
                if _sha256(path) != checksum or not pq.read_schema(path).equals(table.arrow_schema):
                    return None
        except (OSError, ValueError, KeyError, TypeError, pa.ArrowException):
            return None
        return {name: path for name, (path, _checksum) in listed.items()}

    def verify(self, version: Version) -> None:
        """Raises StoreError when a file of `version` is missing or differs from its manifest."""
        verify_folder(version.folder, version)


def damaged_files(folder: Path) -> list[str]:
    """The files of the store version in `folder` that are missing or differ from their checksums."""
    try:
        tables = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))["tables"]
        listed = [(info["file"], info["sha256"]) for info in tables.values()]
    except (OSError, ValueError, KeyError, TypeError):
        return [MANIFEST]
    return [name for name, checksum in listed if not (folder / name).is_file() or _sha256(folder / name) != checksum]
