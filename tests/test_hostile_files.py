"""Resource bombs, built at test time (nothing large is committed): each is refused with its Korean
reason before it is unpacked or decoded, within a bounded time and without the memory it would take."""

from __future__ import annotations

import io
import resource
import time
import zipfile
from dataclasses import replace

import openpyxl
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from dashboard.reading import checker, importer
from dashboard.reading.importer import InputFile
from dashboard.reading.settings import Limits

MB = 1024 * 1024
LIMITS = Limits(
    max_bytes=100 * MB, max_rows=1_000_000, max_columns=200, max_cell_chars=10_000, max_decoded_bytes=64 * MB
)
SECONDS = 5  # each bomb is refused within this on a busy two-core machine
GROWTH_MB = 100  # peak memory of this process may grow by at most this while refusing one


def dictionary_bomb() -> bytes:
    """One 2 kB text repeated 200,000 times: tens of kB on disk, 400 MB decoded."""
    names = pa.DictionaryArray.from_arrays(pa.array([0] * 200_000, pa.int32()), pa.array(["가" * 700]))
    buffer = io.BytesIO()
    pq.write_table(pa.table({"company_id": names, "company_name": names}), buffer)
    return buffer.getvalue()


def wide_parquet() -> bytes:
    buffer = io.BytesIO()
    pq.write_table(pa.table({f"c{i}": [1] for i in range(1000)}), buffer)
    return buffer.getvalue()


def packed_xlsx() -> bytes:
    """A valid workbook with 100 MB of zeros packed beside it (about 100 kB compressed)."""
    book = openpyxl.Workbook()
    book.active.append(["company_id", "company_name"])
    buffer = io.BytesIO()
    book.save(buffer)
    with zipfile.ZipFile(buffer, "a", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/sharedStrings2.xml", b"\0" * (100 * MB))
    return buffer.getvalue()


def wide_xlsx() -> bytes:
    book = openpyxl.Workbook(write_only=True)
    sheet = book.create_sheet("companies")
    sheet.append([f"c{i}" for i in range(5_000)])
    sheet.append(list(range(5_000)))
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def wide_csv() -> bytes:
    header = ",".join(f"c{i}" for i in range(200_000))
    return (header + "\n" + "\n".join(",".join("1" * 1 for _ in range(10)) for _ in range(1_000))).encode()


def long_value_csv() -> bytes:
    return ("company_id,company_name\nA1," + "가" * 50_000 + "\n").encode()


def long_value_xlsx() -> bytes:
    book = openpyxl.Workbook()
    book.active.title = "companies"
    book.active.append(["company_id", "company_name"])
    book.active.append(["A1", "가" * 20_000])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


CASES = {
    "companies.parquet (사전 인코딩 폭탄)": (dictionary_bomb, "풀어 놓으면 너무 큽니다"),
    "companies.parquet (열 1,000개)": (wide_parquet, "열이 너무 많습니다: 1,000열"),
    "data.xlsx (압축 폭탄)": (packed_xlsx, "풀어 놓으면 너무 큽니다"),
    "data.xlsx (열 5,000개)": (wide_xlsx, "열이 너무 많습니다"),
    "companies.csv (열 200,000개)": (wide_csv, "열이 너무 많습니다: 200,000열"),
    "companies.csv (5만 자 값)": (long_value_csv, "값 하나가 너무 깁니다"),
    "companies.xlsx (2만 자 값)": (long_value_xlsx, "값 하나가 너무 깁니다"),
}


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
    messages = [p.message for p in result.problems]
    assert not result.ok and any(reason in m for m in messages), messages
    assert elapsed < SECONDS, elapsed
    assert _peak_mb() - before < GROWTH_MB


def test_the_limits_are_settings(monkeypatch):
    monkeypatch.setenv("DASHBOARD_MAX_COLUMNS", "50")
    monkeypatch.setenv("DASHBOARD_MAX_CELL_CHARS", "300")
    monkeypatch.setenv("DASHBOARD_MAX_DECODED_MB", "2")
    limits = Limits.configured()
    assert (limits.max_columns, limits.max_cell_chars, limits.max_decoded_bytes) == (50, 300, 2 * MB)


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
