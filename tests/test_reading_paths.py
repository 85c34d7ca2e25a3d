"""One reading path: a folder read by the app (DASHBOARD_DATA_DIR) is read exactly as `validate` and
`import` read it. Format variants of the mini fixture (Korean headers, amounts in 만원/억원, units such
as 2차 and 45명, 예/아니오, Korean status words, CP949, UTF-8 with BOM, XLSX, loosely typed Parquet)
open with the same canonical tables and the same KPI cards as their import into the store; every
malformed folder of tests/corpus that validate refuses, the app refuses with the same problems."""

from __future__ import annotations

import csv
import io
import json
import os
import time
from collections.abc import Callable
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from dashboard import export
from dashboard.__main__ import main
from dashboard.contract import KRW_UNITS, TABLES, Column
from dashboard.db import EVERY_FIRM, run_query
from dashboard.filters import Filters
from dashboard.problems import DataError
from dashboard.reading import importer
from dashboard.reading.opening import CACHE_KEEP_S, TABLE_QUERIES, open_folder
from dashboard.reading.settings import configured_folder
from dashboard.store import Store
from tests.reference import MINI_DIR

CORPUS = Path(__file__).resolve().parent / "corpus"
CASES = sorted(p.name for p in CORPUS.iterdir() if (p / "_expected.json").is_file())
EVERYTHING = Filters(2000, 2100)


def _korean_cell(column: Column, text: str) -> str:
    """`text` (a mini fixture cell) written the way a Korean spreadsheet user might write it."""
    if not text:
        return text
    if column.units == KRW_UNITS:
        amount = int(text)
        for suffix, factor in KRW_UNITS:
            if amount % factor == 0:
                return f"{amount // factor:,}{suffix}"
    if column.units:
        return text + column.units[0][0]
    if column.type == "BOOLEAN":
        return "예" if text == "true" else "아니오"
    for value in column.values:
        if value.code == text:
            return next((w for w in (*value.words, value.label) if w != value.code), text)
    return text


def korean_rows(table) -> list[list[str]]:
    """The mini fixture's rows of `table` under Korean headers, values as a Korean user writes them."""
    with open(MINI_DIR / f"{table.name}.csv", encoding="utf-8", newline="") as f:
        header, *rows = list(csv.reader(f))
    columns = [table.column(name) for name in header]
    return [[c.aliases[0] for c in columns]] + [
        [_korean_cell(c, v) for c, v in zip(columns, r, strict=True)] for r in rows
    ]


def _csv_text(rows: list[list[str]]) -> str:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerows(rows)
    return buffer.getvalue()


def write_csv(encoding: str) -> Callable[[Path], None]:
    def write(folder: Path) -> None:
        for table in TABLES:
            (folder / f"{table.aliases[0]}.csv").write_bytes(_csv_text(korean_rows(table)).encode(encoding))

    return write


def write_xlsx(folder: Path) -> None:
    frames = {t.aliases[0]: pd.DataFrame(korean_rows(t)[1:], columns=korean_rows(t)[0]) for t in TABLES}
    (folder / "사업자료.xlsx").write_bytes(export.workbook_bytes(frames))


def write_loose_parquet(folder: Path) -> None:
    """Parquet as another tool writes it: Korean column names, years as int64, amounts as text."""
    for table in TABLES:
        header, *rows = korean_rows(table)
        columns = {name: [r[i] or None for r in rows] for i, name in enumerate(header)}
        if "연도" in columns:
            columns["연도"] = [int(v.removesuffix("년")) for v in columns["연도"]]
        pq.write_table(pa.table(columns), folder / f"{table.name}.parquet")


VARIANTS = {
    "korean_utf8": write_csv("utf-8"),
    "korean_bom": write_csv("utf-8-sig"),
    "korean_cp949": write_csv("cp949"),
    "xlsx": write_xlsx,
    "loose_parquet": write_loose_parquet,
}


def read_back(folder: Path) -> tuple[dict[str, pd.DataFrame], pd.DataFrame]:
    """Every table as the app loaded it (file order) and the KPI cards over everything."""
    con, _files = open_folder(folder)
    try:
        tables = {name: run_query(con, query, scope=EVERY_FIRM) for name, query in TABLE_QUERIES.items()}
        return tables, run_query(con, "kpi_summary", EVERYTHING.params(), scope=EVERY_FIRM)
    finally:
        con.close()


@pytest.fixture(scope="module")
def mini_read() -> tuple[dict[str, pd.DataFrame], pd.DataFrame]:
    return read_back(MINI_DIR)


@pytest.mark.parametrize("variant", VARIANTS)
def test_a_variant_opens_as_its_import_and_as_the_mini_fixture(variant, tmp_path, monkeypatch, mini_read):
    folder = tmp_path / variant
    folder.mkdir()
    VARIANTS[variant](folder)
    assert importer.load_paths([folder]).ok

    monkeypatch.setenv("DASHBOARD_DATA_DIR", str(folder))
    opened = read_back(configured_folder())

    monkeypatch.delenv("DASHBOARD_DATA_DIR")
    assert main(["import", str(folder)]) == 0
    assert configured_folder() == Store.configured().active_folder()
    imported = read_back(configured_folder())

    for name in TABLE_QUERIES:
        pd.testing.assert_frame_equal(opened[0][name], imported[0][name])
        pd.testing.assert_frame_equal(opened[0][name], mini_read[0][name])
    pd.testing.assert_frame_equal(opened[1], imported[1])
    pd.testing.assert_frame_equal(opened[1], mini_read[1])


def test_the_variants_really_use_the_korean_formats(tmp_path):
    write_csv("cp949")(tmp_path)
    text = (tmp_path / "참여.csv").read_bytes().decode("cp949")
    assert "컨설팅지원금" in text and "1,000만원" in text and "예" in text and "아니오" in text
    assert "2차" in (tmp_path / "기업.csv").read_bytes().decode("cp949")


@pytest.mark.parametrize("case", CASES)
def test_what_validate_refuses_the_app_refuses_with_the_same_problems(case, monkeypatch):
    folder = CORPUS / case
    for key, value in json.loads((folder / "_expected.json").read_text(encoding="utf-8"))["env"].items():
        monkeypatch.setenv(key, value)
    validated = importer.load_paths([folder])
    assert not validated.ok
    monkeypatch.setenv("DASHBOARD_DATA_DIR", str(folder))
    for _first_then_cached in range(2):
        with pytest.raises(DataError) as refused:
            open_folder(configured_folder())
        assert refused.value.problems == validated.problems


def test_a_conversion_is_kept_per_version_of_the_files_and_limits(tmp_path, monkeypatch):
    folder = tmp_path / "data"
    folder.mkdir()
    write_csv("utf-8")(folder)
    open_folder(folder)[0].close()
    monkeypatch.setenv("DASHBOARD_MAX_ROWS", "3")
    with pytest.raises(DataError) as refused:
        open_folder(folder)
    assert "DASHBOARD_MAX_ROWS" in refused.value.problems[0].message
    monkeypatch.delenv("DASHBOARD_MAX_ROWS")
    (folder / "기업.csv").write_text("기업ID,기업명\nA1,가나정밀\n", encoding="utf-8")
    with pytest.raises(DataError) as edited:
        open_folder(folder)
    assert [p.column for p in edited.value.problems[:4]] == ["tier", "industry", "region", "employees"]
    assert sorted(p.name for p in folder.iterdir()) == sorted(f"{t.aliases[0]}.csv" for t in TABLES)


def test_an_unwritable_cache_is_named_not_a_traceback(tmp_path, monkeypatch):
    blocked = tmp_path / "cache"
    blocked.write_text("a file where the cache folder should be", encoding="utf-8")
    monkeypatch.setenv("DASHBOARD_CACHE_DIR", str(blocked))
    with pytest.raises(DataError) as refused:
        open_folder(MINI_DIR)
    assert refused.value.problems[0].file == str(blocked)
    assert "DASHBOARD_CACHE_DIR" in refused.value.problems[0].message


def test_the_cache_forgets_conversions_unused_for_a_week(tmp_path, monkeypatch):
    cache = tmp_path / "cache"
    monkeypatch.setenv("DASHBOARD_CACHE_DIR", str(cache))
    open_folder(MINI_DIR)[0].close()
    # The conversion and the tables built from it (queries/setup), each a folder.
    kept = sorted(cache.iterdir())
    assert [p.name.startswith("tables-") for p in kept] == [False, True]
    old = cache / "0123456789abcdef"
    old.mkdir()
    os.utime(old, (time.time() - CACHE_KEEP_S - 60,) * 2)
    folder = tmp_path / "data"
    folder.mkdir()
    write_csv("utf-8")(folder)
    open_folder(folder)[0].close()
    assert all(p.is_dir() for p in kept) and not old.exists()
    assert len(list(cache.iterdir())) == 4
