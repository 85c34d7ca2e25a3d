"""The versioned store in S3-compatible object storage: `DASHBOARD_STORE_URL=s3://bucket/prefix`, with the
standard `AWS_ENDPOINT_URL`, `AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY` and `AWS_REGION`.

The layout under the prefix follows the one on disk (`dashboard/store.py`):

    ACTIVE                          the pointer, switched only by a conditional write: If-Match on the ETag
                                    read when the import or restore began (If-None-Match: * for the first),
                                    so of two writers racing from two machines exactly one wins
    versions/v0001/claim            written first with If-None-Match: *, so two writers never share a number
    versions/v0001/<table>.parquet
    versions/v0001/manifest.json    written last: a version without it is incomplete and never listed
    audit/<time>-<uuid>.json        one object per audit entry: S3 has no append, and separate objects
                                    written with If-None-Match: * can never overwrite one another

Objects are written with boto3, whose put_object takes IfMatch and IfNoneMatch. Each process copies a
version into its cache folder once (`DASHBOARD_CACHE_DIR`/store/…), checks the checksums there and the
app queries that copy with DuckDB: versions never change, so the copy never goes stale. When the object
store cannot be reached, pages keep serving the last active version copied here, with a notice, and
imports and restores fail without changing anything.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import shutil
import time
import uuid
from collections.abc import Mapping
from functools import cache
from pathlib import Path
from urllib.parse import urlparse

import boto3
import pyarrow as pa
import pyarrow.parquet as pq
from botocore.config import Config
from botocore.exceptions import BotoCoreError, ClientError

from dashboard.contract import TABLES
from dashboard.reading.settings import cache_dir
from dashboard.store import (
    _VERSION_NAME,
    MANIFEST,
    POINTER,
    SAMPLE,
    StoreConflict,
    StoreError,
    Version,
    conflict_message,
    new_manifest,
    parse_pointer,
    pointer_payload,
    verify_folder,
    version_from_manifest,
)

# Fail fast when the object store is down: pages then fall back to the cached copy at once.
_CLIENT_CONFIG = Config(connect_timeout=2, read_timeout=30, retries={"max_attempts": 2, "mode": "standard"})
_LOST_RACE = {"PreconditionFailed", "ConditionalRequestConflict", "412"}
_NO_KEY = {"NoSuchKey", "404"}
LAST_ACTIVE = "last-active"


def _code(exc: ClientError) -> str:
    return str(exc.response.get("Error", {}).get("Code", ""))


def failure(exc: Exception, action: str) -> StoreError:
    """A Korean StoreError naming why the object store refused or could not be reached."""
    if isinstance(exc, ClientError):
        code = _code(exc)
        causes = {
            "AccessDenied": "객체 저장소에 쓸 권한이 없습니다",
            "AllAccessDisabled": "객체 저장소에 쓸 권한이 없습니다",
            "InvalidAccessKeyId": "객체 저장소의 접근 키가 맞지 않습니다",
            "SignatureDoesNotMatch": "객체 저장소의 비밀 키가 맞지 않습니다",
            "NoSuchBucket": "객체 저장소에 버킷이 없습니다",
            "QuotaExceeded": "객체 저장소의 용량이 가득 찼습니다",
            "XMinioStorageFull": "객체 저장소의 용량이 가득 찼습니다",
        }
        cause = causes.get(code, f"객체 저장소가 요청을 거절했습니다({code or '알 수 없음'})")
    else:
        cause = "객체 저장소에 연결할 수 없습니다"
    return StoreError(f"{action}하지 못했습니다: {cause}. 활성 버전과 버전 목록은 바뀌지 않았습니다.")


@cache
def _client(endpoint: str | None):
    return boto3.client("s3", endpoint_url=endpoint, config=_CLIENT_CONFIG)


@cache
def _store(url: str, endpoint: str | None, cache_root: Path) -> S3Store:
    parsed = urlparse(url)
    if parsed.scheme != "s3" or not parsed.netloc:
        raise StoreError(f"DASHBOARD_STORE_URL은 s3://버킷/접두어 형식이어야 합니다 (받은 값: {url[:80]}).")
    return S3Store(parsed.netloc, parsed.path.strip("/"), _client(endpoint), cache_root)


class S3Store:
    """The store in object storage; the same methods as `Store` (local disk)."""

    def __init__(self, bucket: str, prefix: str, client, cache_root: Path):
        self.bucket = bucket
        self.prefix = prefix
        self.client = client
        self.cache_root = cache_root
        # Set while the object store cannot be reached and pages read the last copied version.
        self.offline_notice: str | None = None
        self._manifests: dict[str, dict] = {}

    @classmethod
    def from_url(cls, url: str) -> S3Store:
        """One instance per store and process: it keeps the manifests read and the offline state."""
        digest = hashlib.sha256(url.encode()).hexdigest()[:16]
        endpoint = os.environ.get("AWS_ENDPOINT_URL", "").strip() or None
        return _store(url, endpoint, cache_dir() / "store" / digest)

    @property
    def location(self) -> str:
        return f"s3://{self.bucket}/{self.prefix}"

    def _key(self, name: str) -> str:
        return f"{self.prefix}/{name}" if self.prefix else name

    def _get(self, name: str) -> bytes:
        return self.client.get_object(Bucket=self.bucket, Key=self._key(name))["Body"].read()

    def _keys(self, under: str) -> list[str]:
        """Names (relative to the prefix) of every object under `under`."""
        found = []
        paginator = self.client.get_paginator("list_objects_v2")
        for page in paginator.paginate(Bucket=self.bucket, Prefix=self._key(under)):
            found += [item["Key"][len(self._key("")) :] for item in page.get("Contents", [])]
        return found

    # --- the pointer -------------------------------------------------------------------------------

    def _pointer(self) -> tuple[str | None, str | None]:
        """The active version and the pointer's ETag (None, None when there is no pointer yet)."""
        try:
            answer = self.client.get_object(Bucket=self.bucket, Key=self._key(POINTER))
        except ClientError as exc:
            if _code(exc) in _NO_KEY:
                return None, None
            raise
        return parse_pointer(answer["Body"].read()), answer["ETag"]

    def _switch(self, version_id: str | None, etag: str | None, lost: str) -> None:
        condition = {"IfMatch": etag} if etag else {"IfNoneMatch": "*"}
        try:
            self.client.put_object(
                Bucket=self.bucket, Key=self._key(POINTER), Body=pointer_payload(version_id), **condition
            )
        except ClientError as exc:
            if _code(exc) not in _LOST_RACE:
                raise
            raise StoreConflict(lost) from exc

    def active_id(self) -> str | None:
        """The active version; while the object store cannot be reached, the last one seen here."""
        remembered = self.cache_root / LAST_ACTIVE
        try:
            version_id, _etag = self._pointer()
        except (BotoCoreError, ClientError):
            try:
                version_id = parse_pointer(remembered.read_bytes())
            except OSError:
                raise StoreError("객체 저장소에 연결할 수 없고, 이 서버에 받아 둔 데이터도 없습니다.") from None
            shown = version_id or "표본 데이터"
            self.offline_notice = (
                f"객체 저장소에 연결할 수 없어 이 서버에 받아 둔 {shown}을(를) 보여 줍니다. "
                "연결이 돌아올 때까지 새 데이터를 가져오거나 되돌릴 수 없습니다."
            )
            return version_id
        self.offline_notice = None
        self._remember(version_id)
        return version_id

    def _remember(self, version_id: str | None) -> None:
        try:
            self.cache_root.mkdir(parents=True, exist_ok=True)
            temp = self.cache_root / f".{LAST_ACTIVE}.{os.getpid()}.{uuid.uuid4().hex}"
            temp.write_bytes(pointer_payload(version_id))
            os.replace(temp, self.cache_root / LAST_ACTIVE)
        except OSError:
            pass  # only the offline fallback needs it; serving the data does not

    def active_folder(self) -> Path | None:
        version_id = self.active_id()
        return None if version_id is None else self._local_copy(version_id)

    # --- versions ----------------------------------------------------------------------------------

    def _manifest(self, version_id: str) -> dict | None:
        if version_id not in self._manifests:
            try:
                self._manifests[version_id] = json.loads(self._get(f"versions/{version_id}/{MANIFEST}"))
            except ClientError as exc:
                if _code(exc) in _NO_KEY:
                    return None
                raise
        return self._manifests[version_id]

    def versions(self) -> list[Version]:
        """Every complete version (its manifest written), oldest first."""
        try:
            ids = [k.split("/")[1] for k in self._keys("versions/") if k.endswith(f"/{MANIFEST}")]
            found = [self.version(i) for i in ids if _VERSION_NAME.match(i)]
        except (BotoCoreError, ClientError) as exc:
            raise failure(exc, "버전 목록을 읽") from exc
        return sorted(found, key=lambda v: v.number)

    def version(self, version_id: str) -> Version:
        manifest = None
        if _VERSION_NAME.match(version_id):
            local = self.cache_root / version_id / MANIFEST
            try:
                manifest = json.loads(local.read_text(encoding="utf-8")) if local.is_file() else None
                manifest = manifest or self._manifest(version_id)
            except (BotoCoreError, ClientError) as exc:
                raise failure(exc, "버전을 읽") from exc
        if manifest is None:
            known = ", ".join(v.id for v in self.versions()) or "없음"
            raise StoreError(f"'{version_id}' 버전이 없습니다. 있는 버전: {known}")
        return version_from_manifest({**manifest, "version": version_id}, self.cache_root / version_id)

    def _local_copy(self, version_id: str) -> Path:
        """The cached copy of a version, downloaded and checked once: versions never change."""
        folder = self.cache_root / version_id
        if (folder / MANIFEST).is_file():
            return folder
        version = self.version(version_id)
        staging = self.cache_root / f".staging-{os.getpid()}-{uuid.uuid4().hex}"
        try:
            staging.mkdir(parents=True)
            for name in version.checksums:
                (staging / f"{name}.parquet").write_bytes(self._get(f"versions/{version_id}/{name}.parquet"))
            verify_folder(staging, version)
            (staging / MANIFEST).write_bytes(self._get(f"versions/{version_id}/{MANIFEST}"))
            os.rename(staging, folder)
        except (BotoCoreError, ClientError) as exc:
            raise failure(exc, f"{version_id} 버전을 받아 오") from exc
        except OSError as exc:
            if not (folder / MANIFEST).is_file():  # another process copied it first: the same bytes
                raise StoreError(f"{version_id} 버전을 캐시 폴더(DASHBOARD_CACHE_DIR)에 쓸 수 없습니다.") from exc
        finally:
            shutil.rmtree(staging, ignore_errors=True)
        return folder

    def verify(self, version: Version) -> None:
        """Raises StoreError when the version's files (as copied here) differ from its manifest."""
        verify_folder(self._local_copy(version.id), version)

    def _claim(self) -> str:
        """A fresh version number, taken with a conditional write so no other writer can take it too."""
        taken = [int(m.group(1)) for k in self._keys("versions/") if (m := _VERSION_NAME.match(k.split("/")[1]))]
        number = max(taken, default=0) + 1
        while True:
            version_id = f"v{number:04d}"
            try:
                self.client.put_object(
                    Bucket=self.bucket, Key=self._key(f"versions/{version_id}/claim"), Body=b"", IfNoneMatch="*"
                )
                return version_id
            except ClientError as exc:
                if _code(exc) not in _LOST_RACE:
                    raise
                number += 1

    def add(self, tables: Mapping[str, pa.Table], sources: Mapping[str, str], activate: bool = True) -> Version:
        """As `Store.add`: a new immutable version, made active by a conditional write of the pointer."""
        try:
            return self._add(tables, sources, activate)
        except (BotoCoreError, ClientError) as exc:
            raise failure(exc, "새 버전을 저장") from exc

    def _add(self, tables: Mapping[str, pa.Table], sources: Mapping[str, str], activate: bool) -> Version:
        began_with, etag = self._pointer()
        bodies, manifest_tables = {}, {}
        for table in TABLES:
            buffer = io.BytesIO()
            pq.write_table(tables[table.name], buffer)
            bodies[table.name] = buffer.getvalue()
            manifest_tables[table.name] = {
                "rows": tables[table.name].num_rows,
                "file": f"{table.name}.parquet",
                "source": sources.get(table.name, ""),
                "sha256": hashlib.sha256(bodies[table.name]).hexdigest(),
            }
        version_id = self._claim()
        try:
            for name, body in bodies.items():
                self.client.put_object(
                    Bucket=self.bucket, Key=self._key(f"versions/{version_id}/{name}.parquet"), Body=body
                )
            manifest = new_manifest(version_id, manifest_tables, sources)
            self.client.put_object(
                Bucket=self.bucket,
                Key=self._key(f"versions/{version_id}/{MANIFEST}"),
                Body=json.dumps(manifest, ensure_ascii=False, indent=2).encode("utf-8"),
                IfNoneMatch="*",
            )
        except BaseException:
            self._remove_partial(version_id)
            raise
        if activate:
            self._switch(version_id, etag, conflict_message(version_id, self._now_active(began_with)))
        return self.version(version_id)

    def _now_active(self, fallback: str | None) -> str | None:
        try:
            return self._pointer()[0]
        except (BotoCoreError, ClientError, StoreError):
            return fallback

    def _remove_partial(self, version_id: str) -> None:
        """The table files of a version that failed before its manifest; its claim stays so the number is not reused."""
        try:
            for table in TABLES:
                self.client.delete_object(
                    Bucket=self.bucket, Key=self._key(f"versions/{version_id}/{table.name}.parquet")
                )
        except (BotoCoreError, ClientError):
            pass  # the store is unreachable; the files are invisible without a manifest

    def restore(self, version_id: str) -> Version | None:
        try:
            _active, etag = self._pointer()
            lost = "다른 가져오기나 되돌리기가 먼저 끝나 활성 버전이 바뀌었습니다. 확인한 뒤 다시 시도하세요."
            if version_id == SAMPLE:
                self._switch(None, etag, lost)
                return None
            version = self.version(version_id)
            self.verify(version)
            self._switch(version.id, etag, lost)
            return version
        except (BotoCoreError, ClientError) as exc:
            raise failure(exc, "되돌리기") from exc

    # --- audit -------------------------------------------------------------------------------------

    def append_audit(self, line: bytes) -> None:
        name = f"audit/{time.time_ns():020d}-{uuid.uuid4().hex}.json"
        try:
            self.client.put_object(Bucket=self.bucket, Key=self._key(name), Body=line, IfNoneMatch="*")
        except (BotoCoreError, ClientError) as exc:
            raise failure(exc, "변경 기록을 저장") from exc

    def audit_lines(self) -> list[str]:
        try:
            return [self._get(name).decode("utf-8").strip() for name in sorted(self._keys("audit/"))]
        except (BotoCoreError, ClientError) as exc:
            raise failure(exc, "변경 기록을 읽") from exc
