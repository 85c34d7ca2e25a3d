"""The audit log of data changes: who imported or restored what, and every refused or failed attempt.

One JSON object per entry, kept by the store beside the versions it describes (`Store.append_audit`):
on local disk a line of `audit.log`, appended whole with one write on an O_APPEND file and fsynced; in
object storage one object per entry, so replicas never overwrite each other's entries. Entries are
only ever added, never rewritten.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from datetime import datetime
from pathlib import Path

import pandas as pd

from dashboard.store import AUDIT_FILE, Store

ACTIONS = {"import": "가져오기", "restore": "되돌리기"}
OUTCOMES = {"done": "완료", "refused": "거부", "failed": "실패"}


@dataclass(frozen=True)
class Entry:
    who: str
    role: str
    action: str  # a key of ACTIONS
    outcome: str  # a key of OUTCOMES
    version: str | None = None
    files: tuple[str, ...] = ()
    checksums: dict[str, str] = field(default_factory=dict)  # table -> sha256 of its stored file
    detail: str = ""
    time: str = ""


def path(store_root: Path) -> Path:
    return Path(store_root) / AUDIT_FILE


def record(store: Store, entry: Entry) -> Entry:
    """Add `entry`, stamped with the current time, durably."""
    stamped = Entry(**{**asdict(entry), "time": datetime.now().astimezone().isoformat(timespec="seconds")})
    store.append_audit((json.dumps(asdict(stamped), ensure_ascii=False) + "\n").encode("utf-8"))
    return stamped


def entries(store: Store) -> list[Entry]:
    """Every entry, oldest first. A line that cannot be read is kept as an entry saying so."""
    found = []
    for number, line in enumerate(store.audit_lines(), start=1):
        if not line.strip():
            continue
        try:
            data = json.loads(line)
            found.append(Entry(**{**data, "files": tuple(data.get("files", ()))}))
        except (ValueError, TypeError):
            found.append(Entry("?", "?", "?", "?", detail=f"{AUDIT_FILE} {number}번째 줄을 읽을 수 없습니다."))
    return found


def frame(found: list[Entry]) -> pd.DataFrame:
    """Newest first, in Korean, as the 데이터 page shows it."""
    rows = [
        [
            e.time.replace("T", " ")[:19],
            e.who,
            e.role,
            ACTIONS.get(e.action, e.action),
            OUTCOMES.get(e.outcome, e.outcome),
            e.version or "",
            ", ".join(e.files),
            ", ".join(f"{table} {digest}" for table, digest in e.checksums.items()),
            e.detail,
        ]
        for e in reversed(found)
    ]
    return pd.DataFrame(rows, columns=["시각", "사용자", "역할", "작업", "결과", "버전", "파일", "SHA-256", "내용"])
