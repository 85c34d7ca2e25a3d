"""Korean words shown for coded values: statuses, an indicator's direction. Numbers are in `units`."""

from __future__ import annotations

TASK_STATUS_LABELS = {"done": "완료", "in_progress": "진행 중", "planned": "계획", "on_hold": "보류"}
PARTICIPATION_STATUS_LABELS = {
    "selected": "선정",
    "in_progress": "진행 중",
    "completed": "완료",
    "dropped": "중도 포기",
}


def direction(higher_is_better) -> str:
    return "높을수록 좋음" if higher_is_better else "낮을수록 좋음"
