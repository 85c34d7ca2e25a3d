"""The only ways the app and the CLI change the data: import and restore. Each checks the role of the
viewer when it runs (not only when its button was drawn), then changes the store, and records the
outcome in the audit log: done, refused or failed."""

from __future__ import annotations

import logging

from dashboard import audit
from dashboard.access import Viewer
from dashboard.reading import importer
from dashboard.reading.settings import SAMPLE_DIR
from dashboard.store import SAMPLE, Store, StoreError, Version

_LOG = logging.getLogger(__name__)


class Refused(Exception):
    """The viewer may not change the data; the message is Korean and meant for the user."""


def _record(store: Store, entry: audit.Entry) -> None:
    """Record `entry`; a store that cannot take it (full, read-only, unreachable) must not hide the
    outcome it describes, so that is logged on the server instead."""
    try:
        audit.record(store, entry)
    except (OSError, StoreError) as exc:
        _LOG.error("audit entry not stored (%s): %s", exc, entry)


def _entry(viewer: Viewer, action: str, outcome: str, **what) -> audit.Entry:
    return audit.Entry(viewer.who, viewer.role, action, outcome, **what)


def _require_data_admin(viewer: Viewer, store: Store, action: str, **what) -> None:
    if viewer.may_change_data:
        return
    _LOG.warning("refused %s by %s (role %s): %s", action, viewer.who, viewer.role, what)
    _record(store, _entry(viewer, action, "refused", detail="데이터 관리자만 할 수 있습니다.", **what))
    raise Refused(
        f"데이터를 바꿀 권한이 없습니다({viewer.role_label}). 올리기와 되돌리기는 데이터 관리자만 할 수 있습니다. "
        "이 시도는 기록되었습니다."
    )


def import_checked(result: importer.ImportResult, store: Store, viewer: Viewer) -> Version:
    """Add a clean, checked upload to the store as the active version."""
    files = tuple(sorted(set(result.sources.values())))
    _require_data_admin(viewer, store, "import", files=files)
    try:
        version = importer.apply(result, store)
    except StoreError as exc:
        _record(store, _entry(viewer, "import", "failed", files=files, detail=str(exc)))
        raise
    _record(
        store,
        _entry(viewer, "import", "done", version=version.id, files=version.sources, checksums=dict(version.checksums)),
    )
    return version


def restore(store: Store, version_id: str, viewer: Viewer) -> Version | None:
    """Make an earlier version (or the sample) active again; None for the sample."""
    _require_data_admin(viewer, store, "restore", version=version_id)
    try:
        restored = store.restore(version_id)
    except StoreError as exc:
        _record(store, _entry(viewer, "restore", "failed", version=version_id, detail=str(exc)))
        raise
    if restored is None:
        entry = _entry(viewer, "restore", "done", version=SAMPLE, files=(SAMPLE_DIR.name,))
    else:
        entry = _entry(
            viewer, "restore", "done", version=restored.id, files=restored.sources, checksums=dict(restored.checksums)
        )
    _record(store, entry)
    return restored
