"""Hostile files built at run time (nothing large is committed), shared by the reading tests
(tests/test_hostile_files.py), the upload in a real server (tests/e2e/test_hostile.py) and
benchmarks/hostile.py. Each builder returns the file's bytes; `CASES` pairs a file name with its
builder and the Korean reason it must be refused with under `LIMITS`."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable, Iterable

import openpyxl
import pyarrow as pa
import pyarrow.parquet as pq

from dashboard.reading.settings import Limits

MB = 1024 * 1024
# The defaults except where a smaller bound keeps a test quick: what is refused at 64 MB decoded or
# 100,000 distinct texts is refused the same way at the defaults, only later.
LIMITS = Limits(
    max_bytes=100 * MB,
    max_rows=1_000_000,
    max_columns=200,
    max_cell_chars=10_000,
    max_decoded_bytes=64 * MB,
    max_distinct_strings=100_000,
)
DISTINCT = 150_000  # distinct texts in the distinct-value bombs: past LIMITS, far under the row limit


def dictionary_bomb(rows: int = 200_000) -> bytes:
    """One 2 kB text repeated `rows` times: tens of kB on disk, 400 MB decoded at 200,000 rows."""
    names = pa.DictionaryArray.from_arrays(pa.array([0] * rows, pa.int32()), pa.array(["가" * 700]))
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


def wide_xlsx(columns: int = 5_000) -> bytes:
    book = openpyxl.Workbook(write_only=True)
    sheet = book.create_sheet("companies")
    sheet.append([f"c{i}" for i in range(columns)])
    sheet.append(list(range(columns)))
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def wide_csv(columns: int = 200_000) -> bytes:
    header = ",".join(f"c{i}" for i in range(columns))
    return (header + "\n" + "\n".join(",".join("1" for _ in range(10)) for _ in range(1_000))).encode()


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


_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_RELATIONSHIPS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PACKAGE = "http://schemas.openxmlformats.org/package/2006/relationships"
_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml"


def si(text: bytes) -> bytes:
    return b"<si><t>" + text + b"</t></si>"


def shared_strings_xlsx(rows: list[list[int]], shared: Iterable[bytes]) -> bytes:
    """A one-sheet workbook (`companies`) whose cells are the shared strings at the given indices;
    the shared-string part is written as `shared` yields it (`<si>` elements, or pieces of one), so a
    huge one is never held in memory. openpyxl writes inline strings; Excel writes shared ones."""
    sheet_rows = "".join(
        f'<row r="{r}">' + "".join(f'<c t="s"><v>{i}</v></c>' for i in cells) + "</row>"
        for r, cells in enumerate(rows, start=1)
    )
    parts = {
        "[Content_Types].xml": (
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            f'<Override PartName="/xl/workbook.xml" ContentType="{_TYPE}.sheet.main+xml"/>'
            f'<Override PartName="/xl/worksheets/sheet1.xml" ContentType="{_TYPE}.worksheet+xml"/>'
            f'<Override PartName="/xl/sharedStrings.xml" ContentType="{_TYPE}.sharedStrings+xml"/></Types>'
        ),
        "_rels/.rels": (
            f'<Relationships xmlns="{_PACKAGE}"><Relationship Id="rId1" '
            f'Type="{_RELATIONSHIPS}/officeDocument" Target="xl/workbook.xml"/></Relationships>'
        ),
        "xl/workbook.xml": (
            f'<workbook xmlns="{_MAIN}" xmlns:r="{_RELATIONSHIPS}"><sheets>'
            '<sheet name="companies" sheetId="1" r:id="rId1"/></sheets></workbook>'
        ),
        "xl/_rels/workbook.xml.rels": (
            f'<Relationships xmlns="{_PACKAGE}">'
            f'<Relationship Id="rId1" Type="{_RELATIONSHIPS}/worksheet" Target="worksheets/sheet1.xml"/>'
            f'<Relationship Id="rId2" Type="{_RELATIONSHIPS}/sharedStrings" Target="sharedStrings.xml"/>'
            "</Relationships>"
        ),
        "xl/worksheets/sheet1.xml": f'<worksheet xmlns="{_MAIN}"><sheetData>{sheet_rows}</sheetData></worksheet>',
    }
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as book:
        for name, text in parts.items():
            book.writestr(name, text)
        with book.open("xl/sharedStrings.xml", "w", force_zip64=True) as part:
            part.write(f'<sst xmlns="{_MAIN}">'.encode())
            for piece in shared:
                part.write(piece)
            part.write(b"</sst>")
    return buffer.getvalue()


def shared_string_bomb(megabytes: int = 48) -> bytes:
    """One shared string of `megabytes` MB (under the unpacked-size limit) in a workbook of tens of
    kB; openpyxl would hold it whole before giving the first row."""
    chunk = b"A" * MB

    def shared() -> Iterable[bytes]:
        yield si(b"company_id") + si(b"company_name") + b"<si><t>"
        for _ in range(megabytes):
            yield chunk
        yield b"</t></si>"

    return shared_strings_xlsx([[0, 1], [2, 2]], shared())


def distinct_xlsx(count: int = DISTINCT) -> bytes:
    """`count` short distinct shared strings besides the header's."""
    shared = [si(b"company_id"), si(b"company_name"), *(si(f"N{i}".encode()) for i in range(count))]
    return shared_strings_xlsx([[0, 1], [2, 3]], shared)


def distinct_csv(count: int = DISTINCT) -> bytes:
    """Firm ids and names, every one distinct: `count` texts in two columns."""
    return ("company_id,company_name\n" + "".join(f"C{i},N{i}\n" for i in range(count // 2 + 1))).encode()


def distinct_parquet(count: int = DISTINCT) -> bytes:
    rows = count // 2 + 1
    table = pa.table({"company_id": [f"C{i}" for i in range(rows)], "company_name": [f"N{i}" for i in range(rows)]})
    buffer = io.BytesIO()
    pq.write_table(table, buffer)
    return buffer.getvalue()


TOO_MANY = "서로 다른 글자 값이 너무 많습니다: "
# file name (and what it is) -> (builder, the start of the reason it is refused with under LIMITS)
CASES: dict[str, tuple[Callable[[], bytes], str]] = {
    "companies.parquet (사전 인코딩 폭탄)": (dictionary_bomb, "풀어 놓으면 너무 큽니다"),
    "companies.parquet (열 1,000개)": (wide_parquet, "열이 너무 많습니다: 1,000열"),
    "companies.parquet (서로 다른 값 15만 개)": (
        distinct_parquet,
        TOO_MANY + "'company_id' 열",
    ),
    "data.xlsx (압축 폭탄)": (packed_xlsx, "풀어 놓으면 너무 큽니다"),
    "data.xlsx (공유 문자열 48MB 하나)": (shared_string_bomb, "값 하나가 너무 깁니다"),
    "data.xlsx (공유 문자열 15만 개)": (distinct_xlsx, TOO_MANY + "통합 문서의 공유 문자열"),
    "data.xlsx (열 5,000개)": (wide_xlsx, "열이 너무 많습니다"),
    "companies.csv (열 200,000개)": (wide_csv, "열이 너무 많습니다: 200,000열"),
    "companies.csv (5만 자 값)": (long_value_csv, "값 하나가 너무 깁니다"),
    "companies.csv (서로 다른 값 15만 개)": (distinct_csv, TOO_MANY + "'company_id' 열"),
    "companies.xlsx (2만 자 값)": (long_value_xlsx, "값 하나가 너무 깁니다"),
}
