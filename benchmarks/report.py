"""The markdown of benchmarks/results-browser.md from a run's raw records (browser.py writes both)."""

from __future__ import annotations


def markdown(raw: dict) -> str:
    return "# Browser benchmark\n"
