"""Korean words shown for an indicator's direction. Numbers are in `units`, status labels in `contract`."""

from __future__ import annotations


def direction(higher_is_better) -> str:
    return "높을수록 좋음" if higher_is_better else "낮을수록 좋음"
