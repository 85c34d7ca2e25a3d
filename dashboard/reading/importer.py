"""Bringing the program team's own files into the data contract and checking the whole set.

Accepted: CSV (UTF-8, UTF-8 with BOM, CP949/EUC-KR, detected), one or more XLSX workbooks
(one sheet per table) and Parquet; Korean column names and values (기업ID, 상태 = 완료 …),
amounts such as `1,234,000원` or `2,000만원`, booleans such as 예/아니오 or Y/N. Every cell is
normalised to the contract's type; then the typed tables go through the same row rules as the
app's data folder (`validation.validate_rows`), so the two can never disagree. Every problem is
collected, with the row number as the user sees it in their own file (header = row 1).
"""

from __future__ import annotations

import csv
import io
import math
import re
import xml.parsers.expat
import zipfile
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field, replace
from decimal import Decimal
from pathlib import Path

import charset_normalizer
import duckdb
import numpy as np
import openpyxl
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq
from openpyxl.utils.exceptions import InvalidFileException

from dashboard.contract import BOOLEAN_WORDS, KRW_UNITS, TABLE_ORDER, TABLES, TABLES_BY_NAME, Column, Table
from dashboard.problems import Problem
from dashboard.reading.settings import Limits
from dashboard.reading.validation import MAX_ROWS_PER_RULE, validate_rows
from dashboard.store import Store, Version

SPREADSHEET_SUFFIXES = (".xlsx", ".xlsm")
SUPPORTED_SUFFIXES = (".csv", ".parquet", *SPREADSHEET_SUFFIXES)

MSG_AMOUNT = "금액 형식이 아닙니다. 1234000, 1,234,000, 1,234,000원, 2,000만원처럼 쓰세요."
MSG_INTEGER = "정수 형식이 아닙니다."
MSG_NUMBER = "숫자 형식이 아닙니다."
MSG_BOOLEAN = "참/거짓 형식이 아닙니다. 예/아니오, Y/N, TRUE/FALSE, 1/0 중 하나로 쓰세요."
MSG_TOO_BIG = "값이 너무 큽니다."
MSG_EMPTY_FILE = "빈 파일입니다."
MSG_NO_ROWS = "데이터 행이 없습니다."
MSG_MISSING_COLUMN = "필수 열이 없습니다."
MSG_BAD_XLSX = "Excel(XLSX) 파일을 읽을 수 없습니다. 파일이 손상되었을 수 있습니다."

_SPACES = re.compile(r"[\s\u00a0\u200b\ufeff]+")
_PARENTHESES = re.compile(r"\(.*?\)|\[.*?\]")
_KEY_NOISE = re.compile(r"[\s_\-.·/]+")
_GROUPED = re.compile(r"^[+-]?\d{1,3}(,\d{3})+(\.\d+)?$")
_INTEGER = re.compile(r"^[+-]?\d+(\.0*)?$")
_DECIMAL = re.compile(r"^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$")
# What export.py puts before text a spreadsheet would run as a formula, at a cell's start or after a line
# break or tab inside it; undone on the way back in. Text that starts with `=` is kept as text: it is
# data, and every export neutralises it. (RE2-compatible: the Arrow check below uses the pattern.)
_NEUTRALISED = re.compile(r"(^|[\r\n\t])'([=+\-@])")

Progress = Callable[[float, str], None]


def _key(text: str) -> str:
    """How a table or column name is compared: case, spaces, `_`, `-` and `(unit)` do not matter."""
    return _value_key(_PARENTHESES.sub("", str(text)))


def _value_key(text: str) -> str:
    """How a status or yes/no value is compared: case, spaces, `_` and `-` do not matter."""
    return _KEY_NOISE.sub("", text).lower()


TABLE_KEYS = {_key(alias): t.name for t in TABLES for alias in (t.name, *t.aliases)}
COLUMN_KEYS = {t.name: {_key(alias): c.name for c in t.columns for alias in (c.name, *c.aliases)} for t in TABLES}
VALUE_KEYS = {
    (t.name, c.name): {_value_key(word): v.code for v in c.values for word in (v.code, v.label, *v.words)}
    for t in TABLES
    for c in t.columns
    if c.values
}
BOOLEAN_KEYS = {_value_key(word): value for value, words in BOOLEAN_WORDS.items() for word in words}


@dataclass(frozen=True)
class InputFile:
    """One file to import: read from `path`, or the bytes of an upload."""

    name: str
    data: bytes | None = None
    path: Path | None = None

    @property
    def suffix(self) -> str:
        return Path(self.name).suffix.lower()

    @property
    def stem(self) -> str:
        return Path(self.name).stem

    def size(self) -> int:
        return len(self.data) if self.data is not None else self.path.stat().st_size

    def read(self) -> bytes:
        return self.data if self.data is not None else self.path.read_bytes()


@dataclass
class Sheet:
    """One table-shaped block of a file: a CSV or Parquet file, or one workbook sheet."""

    label: str  # what problems name: the file, or "book.xlsx (기업 시트)"
    name: str  # what decides the table: the file stem or the sheet name
    header: list[str]
    # Raw cells, one list per header column; a Parquet file keeps its Arrow columns, which are
    # normalised column-wise instead of cell by cell.
    columns: list[list | pa.ChunkedArray] = field(default_factory=list)
    rows: list[int] | pa.Array = field(default_factory=list)  # the row number the user sees, per data row


@dataclass
class ImportResult:
    problems: list[Problem]
    tables: dict[str, pa.Table]  # canonical tables, filled only when there is no fatal problem
    sources: dict[str, str]  # table -> the file (or sheet) it came from
    # Tables read from a Parquet file whose every contract column was stored as the contract says:
    # that file, read for the contract's columns, is the canonical table.
    as_stored: set[str] = field(default_factory=set)

    @property
    def ok(self) -> bool:
        return not any(p.fatal for p in self.problems)

    @property
    def fatal_count(self) -> int:
        return sum(p.fatal for p in self.problems)

    def row_counts(self) -> dict[str, int]:
        return {name: table.num_rows for name, table in self.tables.items()}


def table_for(name: str) -> str | None:
    """The contract table a file stem or sheet name stands for, by name or Korean alias."""
    return TABLE_KEYS.get(_key(name))


# --- collecting inputs ---------------------------------------------------------------------------


def collect_paths(paths: Iterable[Path]) -> tuple[list[InputFile], list[Problem]]:
    """The files named by `paths` (folders expanded, Parquet winning over a CSV of the same name)."""
    inputs: list[InputFile] = []
    problems: list[Problem] = []
    for path in paths:
        path = Path(path)
        if path.is_dir():
            files = sorted(p for p in path.iterdir() if p.is_file() and not p.name.startswith((".", "_")))
            stems = {p.stem for p in files if p.suffix.lower() == ".parquet"}
            for p in files:
                if p.suffix.lower() == ".csv" and p.stem in stems:
                    problems.append(
                        Problem(p.name, "", f"{p.stem}.parquet 이 있어 이 파일은 읽지 않았습니다.", fatal=False)
                    )
                elif p.suffix.lower() not in SUPPORTED_SUFFIXES:
                    problems.append(Problem(p.name, "", "지원하지 않는 형식이라 읽지 않았습니다.", fatal=False))
                else:
                    inputs.append(InputFile(p.name, path=p))
        elif path.is_file():
            inputs.append(InputFile(path.name, path=path))
        else:
            problems.append(Problem(str(path), "", "파일이나 폴더가 없습니다."))
    return inputs, problems


# --- reading files into sheets -------------------------------------------------------------------


def _mixed_encoding(data: bytes) -> str | None:
    """A message when some lines are UTF-8 and others are not (two files pasted together)."""
    utf8_line = other_line = None
    for number, line in enumerate(data.split(b"\n"), start=1):
        if line.isascii():
            continue
        try:
            line.decode("utf-8")
        except UnicodeDecodeError:
            other_line = other_line or number
        else:
            utf8_line = utf8_line or number
        if utf8_line and other_line:
            return (
                f"한 파일에 UTF-8과 다른 문자 인코딩(CP949 등)이 섞여 있습니다 "
                f"(예: {utf8_line}행은 UTF-8, {other_line}행은 다른 인코딩). 한 인코딩으로 다시 저장하세요."
            )
    return None


def decode_text(data: bytes) -> tuple[str | None, str | None]:
    """(text, None) or (None, Korean reason): BOMs first, then UTF-8, then CP949, then detection."""
    for bom, encoding in ((b"\xef\xbb\xbf", "utf-8-sig"), (b"\xff\xfe", "utf-16"), (b"\xfe\xff", "utf-16")):
        if data.startswith(bom):
            try:
                return data.decode(encoding), None
            except UnicodeDecodeError:
                return None, f"{encoding.upper()} 표시가 있지만 내용을 그 인코딩으로 읽을 수 없습니다."
    if b"\x00" in data:
        return None, "텍스트(CSV) 파일이 아닙니다."
    try:
        return data.decode("utf-8"), None
    except UnicodeDecodeError:
        pass
    mixed = _mixed_encoding(data)
    if mixed:
        return None, mixed
    try:
        return data.decode("cp949"), None
    except UnicodeDecodeError:
        pass
    best = charset_normalizer.from_bytes(data).best()
    if best is None:
        return None, "문자 인코딩을 알 수 없습니다. UTF-8 또는 CP949로 저장하세요."
    return str(best), None


def _is_blank(cells: Iterable) -> bool:
    return all(c is None or (isinstance(c, str) and not c.strip()) for c in cells)


def _fill(
    sheet: Sheet, records: Iterable[tuple[int, tuple | list]], limits: Limits, *, check_length: bool = False
) -> str | None:
    """Append the data records to `sheet` column-wise; a Korean message when over the row limit, over
    the distinct-text limit, or (`check_length`: readers without a limit of their own) a value over the
    length limit. Repeated texts are kept as one object, so what reading holds grows with the distinct
    values, not with the cells."""
    width = len(sheet.header)
    sheet.columns = columns = [[] for _ in range(width)]
    distinct: list[dict[str, str]] = [{} for _ in range(width)]
    seen = 0
    for number, cells in records:
        seen += 1
        if seen > limits.max_rows:
            return f"행이 너무 많습니다. 한 표에 {limits.max_rows:,}행까지 읽습니다 (DASHBOARD_MAX_ROWS)."
        if _is_blank(cells):
            continue
        if check_length and any(isinstance(c, str) and len(c) > limits.max_cell_chars for c in cells):
            return f"{number}행: {_too_long_value(limits)}"
        sheet.rows.append(number)
        for i in range(width):
            cell = cells[i] if i < len(cells) else None
            if type(cell) is str:
                cell = distinct[i].setdefault(cell, cell)
            columns[i].append(cell)
        # Counted every 1,024 rows (a sum per row would cost more than the reading).
        if not seen % 1024 and sum(map(len, distinct)) > limits.max_distinct_strings:
            return _too_many_distinct(sheet.header, [len(d) for d in distinct], limits)
    if sum(map(len, distinct)) > limits.max_distinct_strings:
        return _too_many_distinct(sheet.header, [len(d) for d in distinct], limits)
    return None


def _too_many_distinct(header: list[str], counts: list[int], limits: Limits) -> str:
    """Names the column holding the most distinct values: the one to look at first."""
    most = max(range(len(counts)), key=counts.__getitem__)
    return (
        f"서로 다른 글자 값이 너무 많습니다: '{header[most]}' 열 {counts[most]:,}개 등 모두 "
        f"{limits.max_distinct_strings:,}개 넘음. 한 표에 {limits.max_distinct_strings:,}개까지 읽습니다 "
        "(DASHBOARD_MAX_DISTINCT_STRINGS)."
    )


def _too_wide(width: int, limits: Limits, *, read_to_limit: bool = False) -> str | None:
    """`read_to_limit`: the header was read one column past the limit, so its real width is unknown."""
    if width <= limits.max_columns:
        return None
    shown = f"{limits.max_columns:,}열 넘음" if read_to_limit else f"{width:,}열"
    return f"열이 너무 많습니다: {shown}. 한 표에 {limits.max_columns:,}열까지 읽습니다 (DASHBOARD_MAX_COLUMNS)."


def _too_long_value(limits: Limits) -> str:
    return f"값 하나가 너무 깁니다. 한 칸에 {limits.max_cell_chars:,}자까지 읽습니다 (DASHBOARD_MAX_CELL_CHARS)."


def _too_much_unpacked(size: int, limits: Limits) -> str | None:
    if size <= limits.max_decoded_bytes:
        return None
    shown, limit = over_limit_text(size, limits.max_decoded_bytes)
    return f"풀어 놓으면 너무 큽니다: {shown}, 한 파일에 {limit}까지 읽습니다 (DASHBOARD_MAX_DECODED_MB)."


def _read_csv(inp: InputFile, data: bytes, limits: Limits) -> tuple[list[Sheet], list[Problem]]:
    if not data.strip():
        return [], [Problem(inp.name, "", MSG_EMPTY_FILE)]
    text, reason = decode_text(data)
    if text is None:
        return [], [Problem(inp.name, "", f"파일을 읽을 수 없습니다: {reason}")]
    first_line = text.lstrip("\r\n").split("\n", 1)[0]
    delimiter = next((d for d in ("\t", ";") if d in first_line and "," not in first_line), ",")
    # The limit is the csv module's, process-wide; every reader here sets it from the same setting.
    csv.field_size_limit(limits.max_cell_chars)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    last_read = 0

    def records() -> Iterator[tuple[int, list[str]]]:
        nonlocal last_read
        for number, cells in enumerate(reader, start=1):
            last_read = number
            yield number, cells

    numbered = records()
    try:
        for _number, cells in numbered:
            if not _is_blank(cells):
                header = [c.strip().lstrip("\ufeff") for c in cells]
                sheet = Sheet(inp.name, inp.stem, header)
                break
        else:
            return [], [Problem(inp.name, "", MSG_EMPTY_FILE)]
        # Checked before any data row: reading costs rows × header width.
        over = _too_wide(len(header), limits) or _fill(sheet, numbered, limits)
    except csv.Error as exc:
        if "field larger than field limit" in str(exc):
            return [], [Problem(inp.name, "", _too_long_value(limits), last_read + 1)]
        # The record that failed starts right after the last one read: usually an unclosed quote.
        message = 'CSV 형식이 잘못되었습니다. 이 행에서 연 따옴표(")가 닫히지 않았는지 확인하세요.'
        return [], [Problem(inp.name, "", message, last_read + 1, value=str(exc))]
    if over:
        return [], [Problem(inp.name, "", over)]
    return [sheet], []


class _Over(Exception):
    pass


def _shared_strings_over(archive: zipfile.ZipFile, limits: Limits) -> str | None:
    """The workbook's shared strings (every distinct text of its cells) streamed through a parser
    before openpyxl, which holds them all before it gives the first row: a message at the first text
    over the length limit or past the distinct-text limit, never the whole table in memory."""
    count = length = 0

    def start(tag: str, _attributes: dict) -> None:
        nonlocal count, length
        if tag.rpartition(":")[2] == "si":
            count, length = count + 1, 0
            if count > (limit := limits.max_distinct_strings):
                raise _Over(
                    f"서로 다른 글자 값이 너무 많습니다: 통합 문서의 공유 문자열 {limit:,}개 넘음. "
                    f"한 표에 {limit:,}개까지 읽습니다 (DASHBOARD_MAX_DISTINCT_STRINGS)."
                )

    def text(chunk: str) -> None:
        nonlocal length
        length += len(chunk)
        if length > limits.max_cell_chars:
            raise _Over(_too_long_value(limits))

    for name in archive.namelist():
        if not name.lower().endswith("sharedstrings.xml"):
            continue
        parser = xml.parsers.expat.ParserCreate()
        parser.StartElementHandler = start
        parser.CharacterDataHandler = text
        try:
            with archive.open(name) as part:
                while chunk := part.read(1024 * 1024):
                    parser.Parse(chunk, False)
                parser.Parse(b"", True)
        except _Over as over:
            return str(over)
    return None


def _read_xlsx(inp: InputFile, data: bytes, limits: Limits) -> tuple[list[Sheet], list[Problem]]:
    if not data:
        return [], [Problem(inp.name, "", MSG_EMPTY_FILE)]
    try:
        # Sizes as the zip records them, checked before anything is unpacked (a 1 MB file can hold a
        # 1 GB shared string).
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
            over = _too_much_unpacked(unpacked, limits) or _shared_strings_over(archive, limits)
        if over:
            return [], [Problem(inp.name, "", over)]
        book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (
        zipfile.BadZipFile,
        InvalidFileException,
        xml.parsers.expat.ExpatError,
        KeyError,
        OSError,
        ValueError,
    ) as exc:
        return [], [Problem(inp.name, "", MSG_BAD_XLSX, value=str(exc))]
    sheets: list[Sheet] = []
    problems: list[Problem] = []
    try:
        only_sheet = len(book.worksheets) == 1
        for ws in book.worksheets:
            label = f"{inp.name} ({ws.title} 시트)"
            # A one-sheet workbook named after its table (companies.xlsx) needs no sheet name.
            name = inp.stem if only_sheet and table_for(ws.title) is None else ws.title
            header_row, header = None, []
            # One column past the limit is enough to tell a sheet is too wide, whatever its width.
            first_rows = ws.iter_rows(min_row=1, min_col=1, max_col=limits.max_columns + 1, values_only=True)
            for number, cells in enumerate(first_rows, start=1):
                if not _is_blank(cells):
                    header_row, header = number, [("" if c is None else str(c)).strip() for c in cells]
                    break
                if number > limits.max_rows:
                    break
            while header and not header[-1]:
                header.pop()
            if header_row is None:
                problems.append(Problem(label, table_for(name) or "", "빈 시트입니다."))
                continue
            if over := _too_wide(len(header), limits, read_to_limit=True):
                problems.append(Problem(label, table_for(name) or "", over))
                continue
            sheet = Sheet(label, name, header)
            rows = ws.iter_rows(min_row=header_row + 1, min_col=1, max_col=len(header), values_only=True)
            over = _fill(sheet, enumerate(rows, start=header_row + 1), limits, check_length=True)
            if over:
                problems.append(Problem(label, table_for(name) or "", over))
                continue
            sheets.append(sheet)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        return [], [Problem(inp.name, "", MSG_BAD_XLSX, value=str(exc))]
    finally:
        book.close()
    return sheets, problems


def _read_parquet(inp: InputFile, data: bytes, limits: Limits) -> tuple[list[Sheet], list[Problem]]:
    if not data:
        return [], [Problem(inp.name, "", MSG_EMPTY_FILE)]
    try:
        file = pq.ParquetFile(pa.BufferReader(data))
        if file.metadata.num_rows > limits.max_rows:
            message = f"행이 너무 많습니다. 한 표에 {limits.max_rows:,}행까지 읽습니다 (DASHBOARD_MAX_ROWS)."
            return [], [Problem(inp.name, "", message)]
        if over := _too_wide(file.metadata.num_columns, limits):
            return [], [Problem(inp.name, "", over)]
        row_groups = (file.metadata.row_group(i) for i in range(file.metadata.num_row_groups))
        if over := _too_much_unpacked(sum(g.total_byte_size for g in row_groups), limits):
            return [], [Problem(inp.name, "", over)]
        # Text stays dictionary-encoded until its decoded size is known: one 2 kB value repeated a
        # million times is 2 kB on disk and 2 GB decoded.
        text = [f.name for f in file.schema_arrow if pa.types.is_string(f.type) or pa.types.is_large_string(f.type)]
        table = pq.ParquetFile(pa.BufferReader(data), read_dictionary=text).read()
        if over := _too_much_unpacked(_decoded_size(table), limits) or _too_many_distinct_in(table, limits):
            return [], [Problem(inp.name, "", over)]
        table = table.cast(pa.schema([pa.field(f.name, _plain(f.type)) for f in table.schema]))
    except (pa.ArrowException, OSError, ValueError) as exc:
        message = "Parquet 파일을 읽을 수 없습니다. 파일이 손상되었거나 잘렸을 수 있습니다."
        return [], [Problem(inp.name, "", message, value=str(exc).splitlines()[0][:200])]
    sheet = Sheet(inp.name, inp.stem, list(table.column_names), list(table.columns))
    # Parquet has no header line: row n is the n-th record, as DuckDB's file_row_number + 1.
    sheet.rows = pa.array(np.arange(1, table.num_rows + 1, dtype=np.int64))
    return [sheet], []


def _plain(kind: pa.DataType) -> pa.DataType:
    return kind.value_type if pa.types.is_dictionary(kind) else kind


def _too_many_distinct_in(table: pa.Table, limits: Limits) -> str | None:
    """The distinct-text limit over a table read with its text dictionary-encoded, counted from the
    dictionaries alone (each column's distinct values are what normalising turns into objects)."""
    counts = [
        pc.count_distinct(
            pa.chunked_array([chunk.dictionary for chunk in column.chunks], column.type.value_type)
        ).as_py()
        if pa.types.is_dictionary(column.type)
        else 0
        for column in table.columns
    ]
    if sum(counts) <= limits.max_distinct_strings:
        return None
    return _too_many_distinct(table.column_names, counts, limits)


def _decoded_size(table: pa.Table) -> int:
    """Bytes `table` takes once every dictionary-encoded column is decoded, computed without decoding."""
    size = 0
    for column in table.columns:
        for chunk in column.chunks:
            if isinstance(chunk, pa.DictionaryArray):
                lengths = pc.binary_length(chunk.dictionary)
                size += (pc.sum(pc.take(lengths, chunk.indices)).as_py() or 0) + 4 * len(chunk)
            else:
                size += chunk.nbytes
    return size


def _too_big(inputs: list[InputFile], limits: Limits) -> Problem | None:
    """Checked before reading a byte, so an oversized upload is refused at once instead of hanging."""
    total = sum(inp.size() for inp in inputs)
    if total <= limits.max_bytes:
        return None
    shown, limit = over_limit_text(total, limits.max_bytes)
    message = f"파일이 너무 큽니다: 모두 {shown}, 한도 {limit} (DASHBOARD_MAX_UPLOAD_MB)."
    return Problem(", ".join(inp.name for inp in inputs), "", message)


def _unit(n_bytes: float) -> tuple[int, str]:
    return (1024 * 1024, "MB") if n_bytes >= 1024 * 1024 else (1024, "KB")


def size_text(n_bytes: float) -> str:
    """`100MB`, `2.5MB`, `3.9KB`: one decimal, none when it is 0."""
    scale, unit = _unit(n_bytes)
    return f"{n_bytes / scale:,.1f}".removesuffix(".0") + unit


def over_limit_text(size: int, limit: int) -> tuple[str, str]:
    """(`size`, `limit`) as a message over a limit shows them: the size, in the limit's unit, with as
    many decimals as it takes to read larger than the limit (`100.4MB` against `100MB`, never `100.0MB`
    against `100.0MB`); in bytes when three decimals are not enough."""
    scale, unit = _unit(limit)
    for decimals in (1, 2, 3):
        shown = f"{size / scale:,.{decimals}f}"
        if float(shown.replace(",", "")) * scale > limit:
            return (shown.removesuffix(".0") if decimals == 1 else shown) + unit, size_text(limit)
    return f"{size:,}바이트", f"{limit:,}바이트"


def read_sheets(inputs: list[InputFile], limits: Limits, progress: Progress) -> tuple[list[Sheet], list[Problem]]:
    sheets: list[Sheet] = []
    problems: list[Problem] = []
    readers = {".csv": _read_csv, ".parquet": _read_parquet} | dict.fromkeys(SPREADSHEET_SUFFIXES, _read_xlsx)
    for i, inp in enumerate(inputs):
        progress(0.5 * i / len(inputs), f"{inp.name} 읽는 중…")
        reader = readers.get(inp.suffix)
        # A broken companies.csv is the companies table's problem; do not also call the table missing.
        hint = "" if reader is _read_xlsx else table_for(inp.stem) or ""
        if reader is None:
            message = f"지원하지 않는 파일 형식입니다({inp.suffix or '확장자 없음'}). CSV, XLSX, Parquet 파일을 쓰세요."
            problems.append(Problem(inp.name, hint, message))
            continue
        try:
            data = inp.read()
        except OSError as exc:
            problems.append(Problem(inp.name, hint, "파일을 읽을 수 없습니다.", value=str(exc)))
            continue
        found, trouble = reader(inp, data, limits)
        sheets += found
        problems += [replace(p, table=p.table or hint) for p in trouble]
    return sheets, problems


# --- normalising cells -----------------------------------------------------------------------------


def _ungroup(text: str) -> str | None:
    """`1,234,000` -> `1234000`; None when commas are not thousands separators (`1,5`)."""
    if "," not in text:
        return text
    return text.replace(",", "") if _GROUPED.match(text) else None


def _clean_number(text: str) -> str:
    return _SPACES.sub("", text).lstrip("₩￦")


def _integer_from_text(text: str, column: Column) -> int | None:
    """`1,234`, `2,000만원`, `1.5억원`, `2차` as a whole number of the column's base unit; None when it is not one."""
    factor = 1
    for suffix, multiplier in column.units:
        if text.endswith(suffix):
            text, factor = text[: -len(suffix)], multiplier
            break
    text = _ungroup(text)
    if text is None:
        return None
    if factor == 1:
        return int(text.split(".")[0]) if _INTEGER.match(text) else None
    if not _DECIMAL.match(text):
        return None
    scaled = Decimal(text) * factor
    return int(scaled) if scaled == scaled.to_integral_value() else None


def _parse_integer(value, column: Column) -> tuple[int | None, str | None]:
    wrong = MSG_AMOUNT if column.units == KRW_UNITS else MSG_INTEGER
    if isinstance(value, bool):
        return None, wrong
    if isinstance(value, float | Decimal):
        if not math.isfinite(value):
            return None, MSG_TOO_BIG
        number = int(value) if value == int(value) else None
    elif isinstance(value, int):
        number = value
    else:
        text = _clean_number(str(value))
        if not text:
            return None, None
        number = _integer_from_text(text, column)
    if number is None:
        return None, wrong
    if abs(number) > column.int_max:
        return None, MSG_TOO_BIG
    return number, None


def _parse_double(value, column: Column) -> tuple[float | None, str | None]:
    if isinstance(value, bool):
        return None, MSG_NUMBER
    if isinstance(value, int | float | Decimal):
        number = float(value)
    else:
        text = _ungroup(_clean_number(str(value)))
        if text == "":
            return None, None
        if text is None or not _DECIMAL.match(text):
            return None, MSG_NUMBER
        number = float(text)
    if not math.isfinite(number):
        return None, MSG_TOO_BIG
    return number, None


def _parse_boolean(value, column: Column) -> tuple[bool | None, str | None]:
    if isinstance(value, bool):
        return value, None
    if isinstance(value, int | float) and value in (0, 1):
        return bool(value), None
    text = str(value).strip()
    if not text:
        return None, None
    parsed = BOOLEAN_KEYS.get(_value_key(text))
    return (parsed, None) if parsed is not None else (None, MSG_BOOLEAN)


def _as_text(value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _text_parser(table: str, column: Column) -> Callable:
    aliases = VALUE_KEYS.get((table, column.name), {})

    def parse(value, _column: Column) -> tuple[str | None, str | None]:
        text = _as_text(value).strip()
        if not text:
            return None, None
        text = _NEUTRALISED.sub(r"\1\2", text)
        return aliases.get(_value_key(text), text), None

    return parse


def _parser(table: str, column: Column) -> Callable:
    if column.int_max:
        return _parse_integer
    if column.type == "DOUBLE":
        return _parse_double
    if column.type == "BOOLEAN":
        return _parse_boolean
    return _text_parser(table, column)


def _shown(value) -> str:
    return _as_text(value) if not isinstance(value, float) else repr(value)


def _normalise_column(
    table: str, column: Column, cells: list, rows: list[int], label: str
) -> tuple[list, list[Problem]]:
    """The column's values in the contract type (None where empty or wrong) and its type problems."""
    parse = _parser(table, column)
    cache: dict = {}
    values: list = []
    problems: list[Problem] = []
    for value, row in zip(cells, rows, strict=True):
        if value is None:
            values.append(None)
            continue
        key = (type(value), value)
        try:
            parsed, error = cache[key]
        except KeyError:
            parsed, error = cache[key] = parse(value, column)
        except TypeError:  # unhashable cells (a list in a Parquet column) are parsed one by one
            parsed, error = parse(value, column)
        values.append(parsed)
        if error:
            problems.append(Problem(label, table, error, row, column.name, _shown(value)))
    return values, problems


# Characters str.strip() removes (none lies above U+3000), so the Arrow check agrees with the text parser.
_PY_SPACE = "".join(f"\\x{{{ord(c):x}}}" for c in map(chr, range(0x3001)) if c.isspace())
_TEXT_TO_CHANGE = rf"^$|^[{_PY_SPACE}]|[{_PY_SPACE}]$|{_NEUTRALISED.pattern}"


def _already_canonical(column: Column, values: pa.ChunkedArray) -> bool:
    """True when every value of `values` (already of the column's Arrow type) would come out of the
    cell parser unchanged and without a problem, checked with vectorised Arrow compute."""
    if column.int_max:
        low = pc.min(values).as_py()
        return low is None or abs(low) <= column.int_max
    if column.type == "DOUBLE":
        return pc.all(pc.is_finite(values)).as_py() is not False
    if column.type == "VARCHAR":
        if column.values:
            return pc.all(pc.is_in(values, pa.array(column.allowed))).as_py() is not False
        return not pc.any(pc.match_substring_regex(values, _TEXT_TO_CHANGE)).as_py()
    return True


def _normalise_arrow(
    table: str, column: Column, cells: pa.ChunkedArray, rows: pa.Array, label: str
) -> tuple[pa.Array, list[Problem]]:
    """`_normalise_column` for a Parquet column: the same parser, run once per distinct value.

    A column already in the contract's type whose values need no change is taken as it is (the same object)."""
    if cells.type == column.arrow_type and _already_canonical(column, cells):
        return cells, []
    cells = cells.combine_chunks()
    try:
        encoded = cells.dictionary_encode()
    except pa.ArrowNotImplementedError:  # nested or unusual types: cell by cell
        return _normalise_column(table, column, cells.to_pylist(), rows.to_pylist(), label)
    distinct = encoded.dictionary.to_pylist()
    parse = _parser(table, column)
    parsed = [parse(value, column) for value in distinct]
    values = pa.array([value for value, _error in parsed], column.arrow_type).take(encoded.indices)
    errors = [error for _value, error in parsed]
    problems: list[Problem] = []
    if any(errors):
        wrong = pc.fill_null(pa.array([e is not None for e in errors]).take(encoded.indices), False)
        for row, i in zip(rows.filter(wrong).to_pylist(), encoded.indices.filter(wrong).to_pylist(), strict=True):
            problems.append(Problem(label, table, errors[i], row, column.name, _shown(distinct[i])))
    return values, problems


def _cap(problems: list[Problem]) -> list[Problem]:
    """At most MAX_ROWS_PER_RULE rows per file, column and message, then one line counting the rest."""
    counts = Counter((p.file, p.column, p.message) for p in problems)
    shown: Counter = Counter()
    kept: list[Problem] = []
    for p in problems:
        key = (p.file, p.column, p.message)
        shown[key] += 1
        if shown[key] <= MAX_ROWS_PER_RULE:
            kept.append(p)
        elif shown[key] == MAX_ROWS_PER_RULE + 1:
            message = f"같은 문제가 모두 {counts[key]:,}건 있습니다 (처음 {MAX_ROWS_PER_RULE}건만 표시)."
            kept.append(Problem(p.file, p.table, message, column=p.column))
    return kept


def _map_columns(table: Table, sheet: Sheet) -> tuple[dict[str, int], list[Problem]]:
    """Header position of each contract column, and problems: duplicate or missing columns."""
    keys = COLUMN_KEYS[table.name]
    positions: dict[str, int] = {}
    problems: list[Problem] = []
    for i, name in enumerate(sheet.header):
        column = keys.get(_key(name))
        if column is None:
            continue
        if column in positions:
            first = sheet.header[positions[column]]
            message = f"같은 열이 두 번 있습니다: '{first}', '{name}'."
            problems.append(Problem(sheet.label, table.name, message, column=column))
            continue
        positions[column] = i
    missing = [c.name for c in table.columns if c.name not in positions]
    problems += [Problem(sheet.label, table.name, MSG_MISSING_COLUMN, column=name) for name in missing]
    return positions, problems


def _to_arrow(table: Table, values: dict, rows: list[int] | pa.Array) -> pa.Table:
    """The typed table with `_row`; a column taken as stored (a ChunkedArray) is used as it is."""
    arrays = {
        c.name: v if isinstance(v := values[c.name], pa.ChunkedArray) else pa.array(v, c.arrow_type)
        for c in table.columns
    }
    return pa.table(arrays | {"_row": pa.array(rows, type=pa.int64())})


def _assign_tables(sheets: list[Sheet]) -> tuple[dict[str, Sheet], list[Problem]]:
    by_table: dict[str, list[Sheet]] = {}
    problems: list[Problem] = []
    known = ", ".join(f"{t.name}/{t.aliases[0]}" for t in TABLES)
    for sheet in sheets:
        table = table_for(sheet.name)
        if table is None:
            message = f"어느 표인지 알 수 없는 이름이라 읽지 않았습니다. 파일·시트 이름은 {known} 중 하나여야 합니다."
            problems.append(Problem(sheet.label, "", message, fatal=False))
            continue
        by_table.setdefault(table, []).append(sheet)
    chosen: dict[str, Sheet] = {}
    for name, found in by_table.items():
        if len(found) > 1:
            labels = ", ".join(s.label for s in found)
            problems.append(Problem(labels, name, f"같은 표가 여러 곳에 있습니다: {labels}. 하나만 넣으세요."))
        else:
            chosen[name] = found[0]
    return chosen, problems


def _sort_key(p: Problem) -> tuple:
    table = TABLES_BY_NAME.get(p.table)
    column = (p.column or "").split(",")[0]
    position = table.column_names.index(column) if table and column in table.column_names else -1
    return (TABLE_ORDER.get(p.table, -1), p.row or 0, position)


def _no_progress(_fraction: float, _text: str) -> None:
    return None


def _missing_table(table: Table) -> Problem:
    message = (
        f"'{table.label_ko}'({table.name}) 표가 없습니다. {table.name}.csv, {table.name}.parquet "
        f"파일이나 '{table.name}' 시트로 넣으세요."
    )
    return Problem("", table.name, message)


@dataclass
class Typed:
    """A sheet as the contract's typed table (None when a column is missing), the problems to report,
    every unreadable cell (uncapped, so validation does not also call them empty), and whether every
    column was taken as it was stored."""

    arrow: pa.Table | None
    problems: list[Problem]
    unreadable: list[Problem] = field(default_factory=list)
    as_stored: bool = False


def _typed_table(table: Table, sheet: Sheet) -> Typed:
    if not sheet.rows:
        return Typed(None, [Problem(sheet.label, table.name, MSG_NO_ROWS)])
    positions, problems = _map_columns(table, sheet)
    values: dict[str, list | pa.Array] = {}
    unreadable: list[Problem] = []
    for column in table.columns:
        if column.name in positions:
            cells = sheet.columns[positions[column.name]]
            normalise = _normalise_arrow if isinstance(cells, pa.ChunkedArray) else _normalise_column
            values[column.name], found = normalise(table.name, column, cells, sheet.rows, sheet.label)
            unreadable += found
    if problems:
        return Typed(None, problems + _cap(unreadable), unreadable)
    as_stored = all(values[c.name] is sheet.columns[positions[c.name]] for c in table.columns)
    return Typed(_to_arrow(table, values, sheet.rows), _cap(unreadable), unreadable, as_stored)


def _row_problems(typed: dict[str, pa.Table], labels: dict[str, str], unreadable: list[Problem]) -> list[Problem]:
    """The contract's row rules (validation.validate_rows) over the typed tables."""
    con = duckdb.connect()
    try:
        con.execute("SET enable_progress_bar = false")  # the rules run in a server: no bar on its stdout
        for name, arrow in typed.items():
            # Copied into DuckDB once: the rules scan each table many times.
            con.register("_arrow", arrow)
            con.execute(f"CREATE TABLE {name} AS SELECT * FROM _arrow")
            con.unregister("_arrow")
        cells = {
            "table_name": pa.array([p.table for p in unreadable], pa.string()),
            "_row": pa.array([p.row for p in unreadable], pa.int64()),
            "column_name": pa.array([p.column for p in unreadable], pa.string()),
        }
        con.register("_unreadable_cells", pa.table(cells))
        return validate_rows(con, labels, tables=typed, unreadable="_unreadable_cells")
    finally:
        con.close()


def load(inputs: list[InputFile], limits: Limits | None = None, progress: Progress | None = None) -> ImportResult:
    """Read, normalise and validate `inputs` as one data set; every problem is collected."""
    limits = limits or Limits.configured()
    progress = progress or _no_progress
    too_big = _too_big(inputs, limits)
    if too_big:
        return ImportResult([too_big], {}, {})
    sheets, problems = read_sheets(inputs, limits, progress)
    chosen, trouble = _assign_tables(sheets)
    problems += trouble
    blocked = {p.table for p in problems if p.fatal and p.table}
    typed: dict[str, pa.Table] = {}
    labels: dict[str, str] = {}
    unreadable: list[Problem] = []
    as_stored: set[str] = set()
    for i, table in enumerate(TABLES):
        progress(0.5 + 0.4 * i / len(TABLES), f"'{table.label_ko}' 표 확인 중…")
        sheet = chosen.get(table.name)
        if sheet is None:
            problems += [] if table.name in blocked else [_missing_table(table)]
            continue
        labels[table.name] = sheet.label
        found = _typed_table(table, sheet)
        problems += found.problems
        unreadable += found.unreadable
        if found.arrow is not None:
            typed[table.name] = found.arrow
        if found.as_stored:
            as_stored.add(table.name)
    progress(0.9, "규칙 검사 중…")
    problems += _row_problems(typed, labels, unreadable)
    problems.sort(key=_sort_key)
    result = ImportResult(problems, {}, labels, as_stored)
    if result.ok:
        result.tables = {name: arrow.drop_columns(["_row"]) for name, arrow in typed.items()}
    progress(1.0, "검사 완료")
    return result


def load_paths(paths: Iterable[Path], limits: Limits | None = None, progress: Progress | None = None) -> ImportResult:
    inputs, problems = collect_paths(paths)
    if not inputs:
        return ImportResult(problems or [Problem("", "", "읽을 파일이 없습니다.")], {}, {})
    result = load(inputs, limits, progress)
    result.problems = sorted(problems + result.problems, key=_sort_key)
    if not result.ok:
        result.tables = {}
    return result


def apply(result: ImportResult, store: Store) -> Version:
    """Add a clean result to `store` as a new version and make it active."""
    if not result.ok:
        raise ValueError("문제가 있는 데이터는 적용할 수 없습니다.")
    return store.add(result.tables, result.sources)


# --- the contract as users read it ---------------------------------------------------------------


def _column_rules(table: Table, column: Column) -> str:
    rules: list[str] = []
    if table.key == (column.name,):
        rules.append("고유")
    elif column.name in table.key:
        rules.append(f"({', '.join(table.key)}) 조합이 고유")
    if column.values:
        # Each value with another word that means it: selected(선정), in_progress(진행중), 제조(manufacturing).
        other = {v.code: next((w for w in (*v.words, v.label) if w != v.code), None) for v in column.values}
        rules.append("허용 값: " + ", ".join(f"{code}({word})" if word else code for code, word in other.items()))
    if column.min_value is not None and column.max_value is not None:
        rules.append(f"{column.min_value}–{column.max_value}")
    elif column.min_value is not None:
        rules.append(f"{column.min_value} 이상")
    if column.nonzero:
        rules.append("0이 아님")
    for cols, target in table.references:
        if column.name in cols:
            target_label = TABLES_BY_NAME[target].label_ko
            what = f"{column.name} 값" if len(cols) == 1 else f"({', '.join(cols)}) 조합"
            rules.append(f"{what}이 {target_label}({target})에 있어야 함")
    if column.units == KRW_UNITS:
        rules.append(f"{column.unit_example} 형식도 받음")
    elif column.unit_example:
        rules.append(f"'{column.unit_example}'처럼 써도 됨")
    if column.type == "BOOLEAN":
        rules.append("예/아니오, Y/N, TRUE/FALSE, 1/0")
    return "; ".join(rules)


def contract_frame(table: Table) -> pd.DataFrame:
    """The contract of one table as a Korean table for the Data page: column, names, type, rules."""
    rows = [
        (
            c.name,
            ", ".join(c.aliases),
            c.type_ko,
            "선택(비워도 됨)" if c.nullable else "필수",
            _column_rules(table, c),
        )
        for c in table.columns
    ]
    return pd.DataFrame(rows, columns=["열", "한글 이름", "형식", "값", "규칙"])
