"""The importer: the malformed-input corpus (exact problems, store untouched), encodings, Korean
aliases and formats, limits, and round trips of the sample through CSV (UTF-8, CP949) and XLSX."""

from __future__ import annotations

import io
import json
import re
import time
from pathlib import Path

import openpyxl
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from dashboard import export
from dashboard.__main__ import main
from dashboard.contract import TABLES, TABLES_BY_NAME
from dashboard.db import EVERY_FIRM, run_query
from dashboard.filters import Filters
from dashboard.problems import Problem
from dashboard.reading import importer
from dashboard.reading.importer import InputFile
from dashboard.reading.opening import TABLE_QUERIES, open_folder
from dashboard.reading.settings import SAMPLE_DIR, Limits
from dashboard.store import Store
from tests.reference import MINI_DIR

CORPUS = Path(__file__).resolve().parent / "corpus"
CASES = sorted(p.name for p in CORPUS.iterdir() if (p / "_expected.json").is_file())
LIMITS = Limits(max_bytes=100 * 1024 * 1024, max_rows=1_000_000)


@pytest.fixture
def store(tmp_path, monkeypatch) -> Store:
    monkeypatch.setenv("DASHBOARD_STORE_DIR", str(tmp_path / "store"))
    monkeypatch.delenv("DASHBOARD_DATA_DIR", raising=False)
    monkeypatch.delenv("DASHBOARD_MAX_UPLOAD_MB", raising=False)
    monkeypatch.delenv("DASHBOARD_MAX_ROWS", raising=False)
    return Store.configured()


def snapshot(root: Path) -> dict[str, bytes]:
    """Every file of the store, byte for byte."""
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def as_rows(problems: list[Problem]) -> list[list]:
    return [[p.file, p.table, p.row, p.column, p.value, p.message, p.fatal] for p in problems]


def mini_inputs(**replace: bytes) -> list[InputFile]:
    """The mini fixture as uploads, with some files' bytes replaced or added."""
    files = {p.name: p.read_bytes() for p in sorted(MINI_DIR.glob("*.csv"))} | replace
    return [InputFile(name, data=data) for name, data in files.items()]


# Every kind of problem the importer reports, as `problem_kind` names it; the corpus shows each one.
PROBLEM_KINDS = {
    "'표' 테이블에 없는 값을 가리킵니다",
    "'표' 표가 없습니다",
    "N일 수 없습니다",
    "N 이상이어야 합니다",
    "N 이하여야 합니다",
    "CSV 형식이 잘못되었습니다",
    "Excel 파일을 읽을 수 없습니다",
    "Parquet 파일을 읽을 수 없습니다",
    "값이 너무 큽니다",
    "값이 비어 있습니다",
    "같은 열이 두 번 있습니다",
    "같은 표가 여러 곳에 있습니다",
    "금액 형식이 아닙니다",
    "데이터 행이 없습니다",
    "빈 시트입니다",
    "빈 파일입니다",
    "숫자 형식이 아닙니다",
    "어느 표인지 알 수 없는 이름이라 읽지 않았습니다",
    "음수일 수 없습니다",
    "정수 형식이 아닙니다",
    "지원하지 않는 파일 형식입니다",
    "참/거짓 형식이 아닙니다",
    "키가 중복됩니다",
    "파일을 읽을 수 없습니다",
    "파일이 너무 큽니다",
    "필수 열이 없습니다",
    "행이 너무 많습니다",
    "허용되지 않는 값입니다",
}


def problem_kind(message: str) -> str:
    """A message without what depends on the case: its first sentence, table labels as '표', no
    parenthesised details, numbers as N."""
    text = re.sub(r"'[^']*'\(\w+\)", "'표'", message)
    text = re.sub(r"\([^)]*\)?", "", text)
    return re.sub(r"\d+", "N", re.split(r"[.:]", text, maxsplit=1)[0]).strip()


def test_corpus_has_every_kind_of_problem():
    kinds = {
        problem_kind(problem[5])
        for case in CASES
        for problem in json.loads((CORPUS / case / "_expected.json").read_text(encoding="utf-8"))["problems"]
    }
    assert kinds == PROBLEM_KINDS, {"missing": PROBLEM_KINDS - kinds, "not listed": kinds - PROBLEM_KINDS}


@pytest.mark.parametrize("case", CASES)
def test_corpus_case_is_reported_exactly_and_changes_nothing(case, store, mini_tables, monkeypatch, capsys):
    folder = CORPUS / case
    spec = json.loads((folder / "_expected.json").read_text(encoding="utf-8"))
    for key, value in spec["env"].items():
        monkeypatch.setenv(key, value)
    store.add(mini_tables, {t.name: f"{t.name}.csv" for t in TABLES})
    before = snapshot(store.root)
    paths = sorted(p for p in folder.iterdir() if p.name != "_expected.json")

    assert main(["import", *map(str, paths)]) == 1
    printed = capsys.readouterr().out

    assert snapshot(store.root) == before
    result = importer.load_paths(paths)
    assert as_rows(result.problems) == spec["problems"]
    assert not result.ok and result.tables == {}
    for p in result.problems:
        assert p.describe() in printed
    assert "아무것도 바뀌지 않았습니다" in printed


def test_corpus_folders_read_as_folders(store):
    """Given as a folder, a case reads the same, except that unsupported files are only noted."""
    result = importer.load_paths([CORPUS / "unsupported_format"])
    assert as_rows(result.problems) == [
        ["companies.xls", "", None, None, None, "지원하지 않는 형식이라 읽지 않았습니다.", False],
        [
            "",
            "companies",
            None,
            None,
            None,
            "'기업'(companies) 표가 없습니다. companies.csv, companies.parquet 파일이나 'companies' 시트로 넣으세요.",
            True,
        ],
    ]


def test_mini_fixture_imports_cleanly_and_keeps_its_values():
    result = importer.load_paths([MINI_DIR])
    assert result.ok and result.problems == []
    assert result.row_counts() == {"companies": 5, "participations": 8, "tasks": 12, "outcomes": 11}
    tasks = result.tables["tasks"].to_pylist()
    assert tasks[-1]["title"] == "=실적 집계 전산화", "text that looks like a formula is data, kept as text"
    companies = result.tables["companies"].to_pylist()
    assert companies[1]["employees"] is None
    assert result.tables["participations"].schema.field("consulting_krw").type == pa.int64()
    assert result.tables["companies"].schema.field("tier").type == pa.int32()


@pytest.mark.parametrize(
    "encoding, prefix",
    [("utf-8", b""), ("utf-8-sig", b""), ("cp949", b""), ("euc-kr", b""), ("utf-16", b"")],
)
def test_csv_encodings_are_detected(encoding, prefix):
    files = {p.name: prefix + p.read_text(encoding="utf-8").encode(encoding) for p in MINI_DIR.glob("*.csv")}
    result = importer.load([InputFile(name, data=data) for name, data in files.items()], LIMITS)
    assert result.ok, result.problems
    names = [r["company_name"] for r in result.tables["companies"].to_pylist()]
    assert names == ["가나정밀", "다라전기", "마바테크", "사아금속", "경민테크"]


def test_tab_separated_utf16_from_excel_unicode_text():
    text = (MINI_DIR / "companies.csv").read_text(encoding="utf-8").replace(",", "\t")
    result = importer.load(mini_inputs(**{"companies.csv": text.encode("utf-16")}), LIMITS)
    assert result.ok, result.problems
    assert result.tables["companies"].column("industry").to_pylist()[1] == "전기·계장"


@pytest.mark.parametrize(
    "text, expected",
    [
        ("1234000", 1234000),
        ("1,234,000", 1234000),
        ("1,234,000원", 1234000),
        ("₩1,234,000", 1234000),
        (" 1 234 000 ", 1234000),
        ("2,000만원", 20_000_000),
        ("1.5억원", 150_000_000),
        ("0.5억 원", 50_000_000),
        ("12000000.0", 12_000_000),
        ("+5", 5),
    ],
)
def test_amounts_are_understood(text, expected):
    column = TABLES_BY_NAME["participations"].column("consulting_krw")
    assert importer._parse_integer(text, column) == (expected, None)


@pytest.mark.parametrize("text", ["1,5", "1,2345", "12.5", "1.23456만원", "1e3", "만원", "오백만", "1234만"])
def test_ambiguous_amounts_are_refused(text):
    column = TABLES_BY_NAME["participations"].column("consulting_krw")
    assert importer._parse_integer(text, column) == (None, importer.MSG_AMOUNT)


@pytest.mark.parametrize(
    "text, expected",
    [
        ("예", True),
        ("아니오", False),
        ("아니요", False),
        ("Y", True),
        ("n", False),
        ("TRUE", True),
        ("False", False),
        ("1", True),
        ("0", False),
        ("O", True),
        ("X", False),
        ("체결", True),
        ("미체결", False),
        (1, True),
        (0.0, False),
        (True, True),
    ],
)
def test_booleans_are_understood(text, expected):
    column = TABLES_BY_NAME["participations"].column("sharing_contract")
    assert importer._parse_boolean(text, column) == (expected, None)


def test_korean_headers_and_values_are_mapped():
    participations = (
        "기업ID,연도,단계,수행기관,컨설팅지원금(원),설비 지원금,재무성과,성과공유 계약,상태\n"
        'A1,2013년,1단계,한국생산성본부,"10,000,000원",1000만원,0.5억원,예,완료\n'
        "A2,2013,1단계,한국생산성본부,8000000,12000000,30000000,아니오,완료\n"
        "A3,2014,1단계,,15000000,5000000,,N,중도포기\n"
        "A4,2016,1단계,한국생산성본부,20000000,20000000,100000000,Y,완료\n"
        "A1,2016,1단계,한국생산성본부,5000000,15000000,40000000,false,completed\n"
        "A2,2019,2단계,한국표준협회,10000000,15000000,60000000,1,COMPLETED\n"
        "A5,2020,2단계,한국표준협회,12000000,8000000,,0,진행 중\n"
        "A1,2020,2단계,한국표준협회,6000000,4000000,,TRUE,선정\n"
    )
    tasks = (MINI_DIR / "tasks.csv").read_text(encoding="utf-8")
    tasks = tasks.replace(
        "task_id,company_id,year,domain,area,title,status", "과제ID,기업ID,기수,분야,영역,과제명,상태"
    )
    tasks = tasks.replace(",done\n", ",완료\n").replace(",on_hold\n", ",보류\n").replace(",planned\n", ",계획\n")
    result = importer.load(
        mini_inputs(**{"participations.csv": participations.encode("cp949"), "tasks.csv": tasks.encode("utf-8")}),
        LIMITS,
    )
    assert result.ok, result.problems
    first = result.tables["participations"].to_pylist()[0]
    assert first == {
        "company_id": "A1",
        "year": 2013,
        "phase": "1단계",
        "agency": "한국생산성본부",
        "consulting_krw": 10_000_000,
        "equipment_krw": 10_000_000,
        "financial_outcome_krw": 50_000_000,
        "sharing_contract": True,
        "status": "completed",
    }
    statuses = result.tables["participations"].column("status").to_pylist()
    assert statuses == [
        "completed",
        "completed",
        "dropped",
        "completed",
        "completed",
        "completed",
        "in_progress",
        "selected",
    ]
    task_statuses = set(result.tables["tasks"].column("status").to_pylist())
    assert task_statuses == {"done", "on_hold", "planned", "in_progress"}


def test_sheet_and_file_names_may_be_korean():
    assert importer.table_for("기업") == "companies"
    assert importer.table_for("참여") == "participations"
    assert importer.table_for("개선과제") == "tasks"
    assert importer.table_for("성과지표") == "outcomes"
    assert importer.table_for("Companies") == "companies"
    assert importer.table_for("Sheet1") is None


def test_workbook_with_one_sheet_per_table(tmp_path, mini_tables):
    frames = {t.name: pd.read_csv(MINI_DIR / f"{t.name}.csv", dtype=str, keep_default_na=False) for t in TABLES}
    book = export.workbook_bytes({TABLES_BY_NAME[name].label_ko: frame for name, frame in frames.items()})
    result = importer.load([InputFile("사업자료.xlsx", data=book)], LIMITS)
    assert result.ok, result.problems
    assert result.sources == {t.name: f"사업자료.xlsx ({t.label_ko} 시트)" for t in TABLES}
    assert result.row_counts() == {name: table.num_rows for name, table in mini_tables.items()}


def test_one_sheet_workbook_is_named_by_its_file():
    buffer = io.BytesIO()
    pd.read_csv(MINI_DIR / "companies.csv", dtype=str, keep_default_na=False).to_excel(buffer, index=False)
    inputs = [i for i in mini_inputs() if i.name != "companies.csv"] + [
        InputFile("companies.xlsx", data=buffer.getvalue())
    ]
    result = importer.load(inputs, LIMITS)
    assert result.ok, result.problems
    assert result.sources["companies"] == "companies.xlsx (Sheet1 시트)"


def test_unknown_extra_file_is_a_note_not_an_error():
    result = importer.load(mini_inputs(**{"메모.csv": "아무,내용\n1,2\n".encode()}), LIMITS)
    assert result.ok
    assert [p.fatal for p in result.problems] == [False]
    assert result.problems[0].file == "메모.csv"


def test_parquet_wins_over_csv_in_a_folder(tmp_path, mini_tables):
    folder = tmp_path / "data"
    folder.mkdir()
    for path in MINI_DIR.glob("*.csv"):
        (folder / path.name).write_bytes(path.read_bytes())
    (folder / "companies.csv").write_text("broken", encoding="utf-8")
    pq.write_table(mini_tables["companies"], folder / "companies.parquet")
    result = importer.load_paths([folder])
    assert result.ok
    assert as_rows(result.problems) == [
        ["companies.csv", "", None, None, None, "companies.parquet 이 있어 이 파일은 읽지 않았습니다.", False]
    ]
    assert result.sources["companies"] == "companies.parquet"


def test_missing_path_is_reported(tmp_path):
    result = importer.load_paths([tmp_path / "nowhere"])
    assert as_rows(result.problems) == [
        [str(tmp_path / "nowhere"), "", None, None, None, "파일이나 폴더가 없습니다.", True]
    ]


def test_many_problems_are_counted_after_the_first_fifty():
    lines = ["company_id,company_name,tier,industry,region,employees"]
    lines += [f"C{i},기업{i},둘,기계,충남,{i}" for i in range(120)]
    result = importer.load(mini_inputs(**{"companies.csv": "\n".join(lines).encode()}), LIMITS)
    tier = [p for p in result.problems if p.column == "tier"]
    assert len(tier) == 51
    assert tier[0].message == "같은 문제가 모두 120건 있습니다 (처음 50건만 표시)."
    assert [p.row for p in tier[1:]] == list(range(2, 52))


def test_row_limit_stops_reading_at_once():
    """A huge file over the row limit is refused after reading the limit, not the whole file."""
    header = "company_id,company_name,tier,industry,region,employees\n"
    huge = (header + "C1,기업,2,기계,충남,1\n" * 300_000).encode()
    started = time.perf_counter()
    result = importer.load(mini_inputs(**{"companies.csv": huge}), Limits(100 * 1024 * 1024, 1_000))
    assert time.perf_counter() - started < 5
    assert as_rows(result.problems) == [
        [
            "companies.csv",
            "companies",
            None,
            None,
            None,
            "행이 너무 많습니다. 한 표에 1,000행까지 읽습니다 (DASHBOARD_MAX_ROWS).",
            True,
        ]
    ]


def test_size_limit_is_checked_before_reading():
    inputs = [InputFile("companies.csv", data=b"x" * 3 * 1024 * 1024)]
    result = importer.load(inputs, Limits(2 * 1024 * 1024, 10))
    assert as_rows(result.problems) == [
        [
            "companies.csv",
            "",
            None,
            None,
            None,
            "파일이 너무 큽니다: 모두 3MB, 한도 2MB (DASHBOARD_MAX_UPLOAD_MB).",
            True,
        ]
    ]


def test_limits_come_from_the_environment(monkeypatch):
    monkeypatch.setenv("DASHBOARD_MAX_UPLOAD_MB", "5")
    monkeypatch.setenv("DASHBOARD_MAX_ROWS", "777")
    assert Limits.configured() == Limits(5 * 1024 * 1024, 777)
    monkeypatch.delenv("DASHBOARD_MAX_UPLOAD_MB")
    monkeypatch.delenv("DASHBOARD_MAX_ROWS")
    assert Limits.configured() == Limits(100 * 1024 * 1024, 1_000_000)


def test_progress_is_reported_from_start_to_end():
    seen: list[tuple[float, str]] = []
    importer.load(mini_inputs(), LIMITS, lambda fraction, text: seen.append((fraction, text)))
    fractions = [f for f, _ in seen]
    assert fractions == sorted(fractions) and fractions[-1] == 1.0
    assert seen[0][1] == "companies.csv 읽는 중…" and seen[-1][1] == "검사 완료"


def test_apply_refuses_a_result_with_problems(store):
    result = importer.load_paths([CORPUS / "negative_amount"])
    with pytest.raises(ValueError, match="문제가 있는 데이터는 적용할 수 없습니다"):
        importer.apply(result, store)
    assert store.versions() == []


# --- round trips: export, edit in a spreadsheet, import again -------------------------------------


def sample_frames() -> dict[str, pd.DataFrame]:
    con, _ = open_folder(SAMPLE_DIR)
    frames = {name: run_query(con, query, scope=EVERY_FIRM) for name, query in TABLE_QUERIES.items()}
    con.close()
    return frames


def kpi_views(folder: Path) -> list[pd.DataFrame]:
    """kpi_summary over several filter combinations: what the Overview cards show."""
    con, _ = open_folder(folder)
    views = [
        Filters(2013, 2020),
        Filters(2013, 2019),
        Filters(2020, 2020),
        Filters(2016, 2017, tiers=(2,)),
        Filters(2013, 2020, phases=("2단계",), regions=("충남",)),
    ]
    frames = [run_query(con, "kpi_summary", f.params(), scope=EVERY_FIRM) for f in views]
    con.close()
    return frames


def assert_same_data(store: Store):
    for got, expected in zip(kpi_views(store.active_folder()), kpi_views(SAMPLE_DIR), strict=True):
        pd.testing.assert_frame_equal(got, expected)
    imported = {t.name: pq.read_table(store.active_folder() / f"{t.name}.parquet") for t in TABLES}
    original = importer.load_paths([SAMPLE_DIR]).tables
    assert imported == original


@pytest.mark.parametrize("encoding", ["utf-8-sig", "cp949"])
def test_sample_csv_export_round_trip(store, encoding):
    files = []
    for name, frame in sample_frames().items():
        data = export.csv_bytes(frame)
        assert data.startswith(b"\xef\xbb\xbf")
        files.append(InputFile(f"{name}.csv", data=data.decode("utf-8-sig").encode(encoding)))
    result = importer.load(files, LIMITS)
    assert result.ok, result.problems
    importer.apply(result, store)
    assert_same_data(store)


def test_sample_xlsx_export_round_trip(store):
    book = export.workbook_bytes(sample_frames())
    result = importer.load([InputFile("산업혁신운동_데이터.xlsx", data=book)], LIMITS)
    assert result.ok, result.problems
    importer.apply(result, store)
    assert_same_data(store)


def test_sample_edited_in_a_spreadsheet_changes_the_kpis(store):
    """The issue's acceptance flow: export, edit a cell in Excel, save, upload, see the change."""
    book = openpyxl.load_workbook(io.BytesIO(export.workbook_bytes(sample_frames())))
    sheet = book["participations"]
    header = [c.value for c in sheet[1]]
    outcome = header.index("financial_outcome_krw") + 1
    years = header.index("year") + 1
    first_2013 = next(r for r in range(2, sheet.max_row + 1) if sheet.cell(r, years).value == 2013)
    sheet.cell(first_2013, outcome).value += 100_000_000
    buffer = io.BytesIO()
    book.save(buffer)
    result = importer.load([InputFile("edited.xlsx", data=buffer.getvalue())], LIMITS)
    importer.apply(result, store)
    before, after = kpi_views(SAMPLE_DIR)[1], kpi_views(store.active_folder())[1]
    assert after.loc[0, "outcome_krw"] == before.loc[0, "outcome_krw"] + 100_000_000


def test_neutralised_text_comes_back_unchanged(store):
    frames = {t.name: pd.read_csv(MINI_DIR / f"{t.name}.csv", dtype=str, keep_default_na=False) for t in TABLES}
    frames["companies"].loc[0, "company_name"] = "-마이너스상사"
    frames["companies"].loc[1, "company_name"] = "@골뱅이"
    files = [InputFile(f"{n}.csv", data=export.csv_bytes(f)) for n, f in frames.items()]
    assert "'=실적 집계 전산화" in files[2].data.decode("utf-8-sig")
    result = importer.load(files, LIMITS)
    assert result.ok, result.problems
    names = result.tables["companies"].column("company_name").to_pylist()
    assert names[:2] == ["-마이너스상사", "@골뱅이"]
    assert result.tables["tasks"].column("title").to_pylist()[-1] == "=실적 집계 전산화"


def test_hostile_names_come_back_unchanged_through_csv_export_and_import():
    """A formula start after a line break inside a cell is neutralised on export and restored on import."""
    frames = {t.name: pd.read_csv(MINI_DIR / f"{t.name}.csv", dtype=str, keep_default_na=False) for t in TABLES}
    names = ["삼화플랜트\r@SUM(1+1)", '경민\n=HYPERLINK("https://evil.example")', "탭\t-2+3 상사"]
    frames["companies"].loc[: len(names) - 1, "company_name"] = names
    files = [InputFile(f"{n}.csv", data=export.csv_bytes(f)) for n, f in frames.items()]
    result = importer.load(files, LIMITS)
    assert result.ok, result.problems
    assert result.tables["companies"].column("company_name").to_pylist()[: len(names)] == names


# --- the contract as documented ------------------------------------------------------------------


def test_contract_frame_lists_every_column_with_its_rules():
    for table in TABLES:
        frame = importer.contract_frame(table)
        assert list(frame["열"]) == list(table.column_names)
    participations = importer.contract_frame(TABLES_BY_NAME["participations"]).set_index("열")
    assert participations.loc["status", "규칙"] == (
        "허용 값: selected(선정), in_progress(진행중), completed(완료), dropped(중도포기)"
    )
    assert participations.loc["financial_outcome_krw", "값"] == "선택(비워도 됨)"
    outcomes = importer.contract_frame(TABLES_BY_NAME["outcomes"]).set_index("열")
    assert outcomes.loc["baseline", "규칙"] == "0이 아님"
