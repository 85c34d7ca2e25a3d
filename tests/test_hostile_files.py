"""Resource bombs, built at test time (nothing large is committed): each is refused with its Korean
reason before it is unpacked or decoded, within a bounded time and without the memory it would take."""

from __future__ import annotations

import resource
import time
from dataclasses import replace

import pytest

from dashboard.reading import checker, importer
from dashboard.reading.importer import InputFile
from dashboard.reading.settings import Limits
from tests.bombs import CASES, LIMITS, MB, dictionary_bomb

SECONDS = 5  # each bomb is refused within this on a busy two-core machine
GROWTH_MB = 100  # peak memory of this process may grow by at most this while refusing one


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


@pytest.mark.parametrize("case", list(CASES))
def test_bomb_is_refused_with_its_reason_quickly_and_without_its_memory(case):
    build, reason = CASES[case]
    name = case.split(" ")[0]
    data = build()
    before = _peak_mb()
    started = time.monotonic()
    result = importer.load([InputFile(name, data=data)], LIMITS)
    elapsed = time.monotonic() - started
    found = [(p.file, p.message) for p in result.problems]
    assert not result.ok and any(file.startswith(name) and reason in m for file, m in found), found
    assert elapsed < SECONDS, elapsed
    assert _peak_mb() - before < GROWTH_MB


def test_the_limits_are_settings(monkeypatch):
    monkeypatch.setenv("DASHBOARD_MAX_COLUMNS", "50")
    monkeypatch.setenv("DASHBOARD_MAX_CELL_CHARS", "300")
    monkeypatch.setenv("DASHBOARD_MAX_DECODED_MB", "2")
    monkeypatch.setenv("DASHBOARD_MAX_DISTINCT_STRINGS", "1000")
    limits = Limits.configured()
    assert (limits.max_columns, limits.max_cell_chars, limits.max_decoded_bytes) == (50, 300, 2 * MB)
    assert limits.max_distinct_strings == 1000


def test_a_file_past_the_reading_limits_kills_the_checker_not_this_process(monkeypatch):
    """With the reading limits opened wide, the dictionary bomb reaches the checker's own memory limit:
    its process dies, this one gets the Korean reason and keeps its memory."""
    monkeypatch.setenv("DASHBOARD_CHECK_MEMORY_MB", "400")
    wide_open = Limits(max_bytes=100 * MB, max_rows=1_000_000, max_decoded_bytes=10 * 1024 * MB)
    data = dictionary_bomb()
    before = _peak_mb()
    result = checker.load_isolated([InputFile("companies.parquet", data=data)], wide_open)
    assert [p.message.split("(")[0] for p in result.problems] == ["파일을 검사하다가 한도"]
    assert "DASHBOARD_CHECK_MEMORY_MB" in result.problems[0].message
    assert _peak_mb() - before < GROWTH_MB


def test_a_50_mb_quoted_field_is_a_value_too_long_not_an_unclosed_quote():
    data = b'company_id,company_name\nA1,"' + b"x" * (50 * MB) + b'"\nA2,b\n'
    result = importer.load([InputFile("companies.csv", data=data)], LIMITS)
    mine = [(p.row, p.message) for p in result.problems if p.file == "companies.csv"]
    assert mine == [(2, importer._too_long_value(LIMITS))]


@pytest.mark.parametrize(
    ("size", "limit", "shown"),
    [
        (int(100.4 * MB), 100 * MB, "모두 100.4MB, 한도 100MB"),
        (100 * MB + 30 * 1024, 100 * MB, "모두 100.03MB, 한도 100MB"),
        (100 * MB + 1, 100 * MB, "모두 104,857,601바이트, 한도 104,857,600바이트"),
        (3 * 1024 + 900, 2 * 1024, "모두 3.9KB, 한도 2KB"),
    ],
)
def test_an_oversize_message_never_shows_the_size_equal_to_the_limit(size, limit, shown):
    result = importer.load([InputFile("companies.csv", data=b"x" * size)], replace(LIMITS, max_bytes=limit))
    assert [p.message for p in result.problems] == [f"파일이 너무 큽니다: {shown} (DASHBOARD_MAX_UPLOAD_MB)."]
