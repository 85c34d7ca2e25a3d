"""Writes the malformed-input corpus: `python tests/corpus/build.py` (from the project root).

Each case is a folder holding a complete input set and `_expected.json`: every problem the
importer must report, exactly, as [file, table, row, column, value, message, fatal], plus the
environment (limits) to run it with. Most cases are the hand-made mini fixture with one thing
broken: the case's files replace the mini file of the same table (`keep_mini` keeps it too,
`alone` uses no mini file, `omit` leaves mini tables out). Every case folder can also be
checked by hand: `python -m dashboard validate tests/corpus/<case>/*.*`.
"""

from __future__ import annotations

import io
import json
import shutil
from pathlib import Path

import openpyxl
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

HERE = Path(__file__).resolve().parent
MINI = HERE.parent / "fixtures" / "mini"
TABLES = ("companies", "participations", "tasks", "outcomes")

NOT_INTEGER = "정수 형식이 아닙니다."
NOT_NUMBER = "숫자 형식이 아닙니다."
NOT_AMOUNT = "금액 형식이 아닙니다. 1234000, 1,234,000, 1,234,000원, 2,000만원처럼 쓰세요."
NOT_BOOLEAN = "참/거짓 형식이 아닙니다. 예/아니오, Y/N, TRUE/FALSE, 1/0 중 하나로 쓰세요."
TOO_BIG = "값이 너무 큽니다."
EMPTY_VALUE = "값이 비어 있습니다."
NEGATIVE = "음수일 수 없습니다."
MISSING_COLUMN = "필수 열이 없습니다."
UNKNOWN_FIRM = "'기업'(companies) 테이블에 없는 값을 가리킵니다."
UNKNOWN_PARTICIPATION = "'참여'(participations) 테이블에 없는 값을 가리킵니다."
PARTICIPATION_STATUS = "허용되지 않는 값입니다. 허용: selected, in_progress, completed, dropped"
TASK_STATUS = "허용되지 않는 값입니다. 허용: planned, in_progress, done, on_hold"
UNKNOWN_NAME = (
    "어느 표인지 알 수 없는 이름이라 읽지 않았습니다. 파일·시트 이름은 companies/기업, participations/참여, "
    "tasks/개선과제, outcomes/성과지표 중 하나여야 합니다."
)
LABELS = {"companies": "기업", "participations": "참여", "tasks": "개선과제", "outcomes": "성과지표"}


def missing_table(table: str) -> list:
    message = (
        f"'{LABELS[table]}'({table}) 표가 없습니다. {table}.csv, {table}.parquet 파일이나 '{table}' 시트로 넣으세요."
    )
    return ["", table, None, None, None, message, True]


def mini(table: str) -> str:
    return (MINI / f"{table}.csv").read_text(encoding="utf-8")


def edit(table: str, *pairs: tuple[str, str]) -> str:
    """The mini CSV of `table` with each `old` (found exactly once) replaced by `new`."""
    text = mini(table)
    for old, new in pairs:
        assert text.count(old) == 1, (table, old)
        text = text.replace(old, new)
    return text


def frame(table: str) -> pd.DataFrame:
    return pd.read_csv(MINI / f"{table}.csv", dtype=str, keep_default_na=False)


def workbook(sheets: dict[str, list[list]]) -> bytes:
    book = openpyxl.Workbook()
    book.remove(book.active)
    for name, rows in sheets.items():
        sheet = book.create_sheet(name)
        for row in rows:
            sheet.append(row)
        for cells in sheet.iter_rows():
            for cell in cells:
                # openpyxl would store text such as "=실적 집계" as a formula; it is text here.
                if cell.data_type == "f":
                    cell.data_type = "s"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _cell(text: str):
    """A CSV cell as Excel would store it: number, boolean, text or nothing."""
    if text == "":
        return None
    if text in ("true", "false"):
        return text == "true"
    for kind in (int, float):
        try:
            return kind(text)
        except ValueError:
            pass
    return text


def rows_of(table: str) -> list[list]:
    f = frame(table)
    return [list(f.columns), *([_cell(v) for v in row] for row in f.to_numpy().tolist())]


def parquet_bytes(table: pa.Table) -> bytes:
    buffer = io.BytesIO()
    pq.write_table(table, buffer)
    return buffer.getvalue()


CASES: dict[str, dict] = {}


def case(name: str, about: str, files: dict[str, str | bytes], problems: list, **options) -> None:
    CASES[name] = {"about": about, "files": files, "problems": problems, **options}


case("missing_table", "개선과제 표가 없음", {}, [missing_table("tasks")], omit=["tasks"])
case(
    "missing_column",
    "참여 표에 status 열이 없음",
    {"participations.csv": "\n".join(line.rsplit(",", 1)[0] for line in mini("participations").splitlines()) + "\n"},
    [["participations.csv", "participations", None, "status", None, MISSING_COLUMN, True]],
)
case(
    "wrong_type_integer",
    "차수에 글자",
    {"companies.csv": edit("companies", ("A3,마바테크,2,", "A3,마바테크,two,"))},
    [["companies.csv", "companies", 4, "tier", "two", NOT_INTEGER, True]],
)
case(
    "wrong_type_number",
    "기준값에 글자",
    {"outcomes.csv": edit("outcomes", ("A1,2013,불량률,%,4,", "A1,2013,불량률,%,많음,"))},
    [["outcomes.csv", "outcomes", 3, "baseline", "많음", NOT_NUMBER, True]],
)
case(
    "wrong_type_boolean",
    "성과공유계약에 알 수 없는 값",
    {"participations.csv": edit("participations", (",,false,dropped", ",,maybe,dropped"))},
    [["participations.csv", "participations", 4, "sharing_contract", "maybe", NOT_BOOLEAN, True]],
)
case(
    "wrong_type_amount",
    "금액을 한글로 씀",
    {
        "participations.csv": edit(
            "participations", ("A1,2016,1단계,한국생산성본부,5000000", "A1,2016,1단계,한국생산성본부,오백만")
        )
    },
    [["participations.csv", "participations", 6, "consulting_krw", "오백만", NOT_AMOUNT, True]],
)
case(
    "bad_thousands",
    "쉼표가 세 자리마다가 아님 (1,5 는 15 로 읽으면 안 됨)",
    {
        "participations.csv": edit("participations", (",8000000,12000000,", ',"8,000,00","1,2",')),
    },
    [
        ["participations.csv", "participations", 3, "consulting_krw", "8,000,00", NOT_AMOUNT, True],
        ["participations.csv", "participations", 3, "equipment_krw", "1,2", NOT_AMOUNT, True],
    ],
)
case(
    "negative_amount",
    "음수 금액(원 표기)과 음수 종업원수",
    {
        "participations.csv": edit("participations", (",8000000,12000000,", ',8000000,"-12,000,000원",')),
        "companies.csv": edit("companies", ("경기,12", "경기,-5")),
    },
    [
        ["companies.csv", "companies", 4, "employees", "-5", NEGATIVE, True],
        ["participations.csv", "participations", 3, "equipment_krw", "-12000000", NEGATIVE, True],
    ],
)
case(
    "tier_out_of_range",
    "차수 4와 0",
    {"companies.csv": edit("companies", ("A2,다라전기,3,", "A2,다라전기,4,"), ("A4,사아금속,1,", "A4,사아금속,0,"))},
    [
        ["companies.csv", "companies", 3, "tier", "4", "3 이하여야 합니다.", True],
        ["companies.csv", "companies", 5, "tier", "0", "1 이상이어야 합니다.", True],
    ],
)
case(
    "year_out_of_range",
    "두 자리 연도: 범위 밖이고 그 기수를 가리키는 과제·지표도 짝을 잃음",
    {"participations.csv": edit("participations", ("A3,2014,", "A3,14,"))},
    [
        ["participations.csv", "participations", 4, "year", "14", "2000 이상이어야 합니다.", True],
        ["tasks.csv", "tasks", 5, "company_id, year", "A3 / 2014", UNKNOWN_PARTICIPATION, True],
        ["outcomes.csv", "outcomes", 5, "company_id, year", "A3 / 2014", UNKNOWN_PARTICIPATION, True],
    ],
)
case(
    "unknown_status",
    "참여 상태 finished (한글 값 완료는 통과)",
    {
        "participations.csv": edit(
            "participations",
            (
                "A1,2013,1단계,한국생산성본부,10000000,10000000,50000000,true,completed",
                "A1,2013,1단계,한국생산성본부,10000000,10000000,50000000,true,완료",
            ),
            (",true,in_progress", ",true,finished"),
        )
    },
    [["participations.csv", "participations", 9, "status", "finished", PARTICIPATION_STATUS, True]],
)
case(
    "unknown_task_status",
    "과제 상태 대기",
    {"tasks.csv": edit("tasks", ("불량 원인분석,on_hold", "불량 원인분석,대기"))},
    [["tasks.csv", "tasks", 4, "status", "대기", TASK_STATUS, True]],
)
case(
    "unknown_domain",
    "과제 분야 생산",
    {"tasks.csv": edit("tasks", ("T5,A4,2016,제조,", "T5,A4,2016,생산,"))},
    [["tasks.csv", "tasks", 6, "domain", "생산", "허용되지 않는 값입니다. 허용: 제조, 경영, 기술", True]],
)
case(
    "duplicate_company",
    "기업ID A3 두 번",
    {"companies.csv": mini("companies") + "A3,마바테크2,2,기계가공,경기,12\n"},
    [
        ["companies.csv", "companies", 4, "company_id", "A3", "키(company_id)가 중복됩니다.", True],
        ["companies.csv", "companies", 7, "company_id", "A3", "키(company_id)가 중복됩니다.", True],
    ],
)
case(
    "duplicate_participation",
    "같은 기업·기수 두 번",
    {"participations.csv": mini("participations") + "A1,2013,1단계,,1000000,0,,false,completed\n"},
    [
        [
            "participations.csv",
            "participations",
            2,
            "company_id, year",
            "A1 / 2013",
            "키(company_id, year)가 중복됩니다.",
            True,
        ],
        [
            "participations.csv",
            "participations",
            10,
            "company_id, year",
            "A1 / 2013",
            "키(company_id, year)가 중복됩니다.",
            True,
        ],
    ],
)
case(
    "duplicate_task",
    "과제ID T5 두 번",
    {"tasks.csv": mini("tasks") + "T5,A4,2016,제조,품질,중복 과제,planned\n"},
    [
        ["tasks.csv", "tasks", 6, "task_id", "T5", "키(task_id)가 중복됩니다.", True],
        ["tasks.csv", "tasks", 14, "task_id", "T5", "키(task_id)가 중복됩니다.", True],
    ],
)
case(
    "duplicate_outcome",
    "같은 기업·기수·지표 두 번",
    {"outcomes.csv": mini("outcomes") + "A1,2013,불량률,%,5,4,false\n"},
    [
        [
            "outcomes.csv",
            "outcomes",
            3,
            "company_id, year, indicator",
            "A1 / 2013 / 불량률",
            "키(company_id, year, indicator)가 중복됩니다.",
            True,
        ],
        [
            "outcomes.csv",
            "outcomes",
            13,
            "company_id, year, indicator",
            "A1 / 2013 / 불량률",
            "키(company_id, year, indicator)가 중복됩니다.",
            True,
        ],
    ],
)
case(
    "unknown_firm",
    "기업 표에 없는 기업의 참여",
    {"participations.csv": mini("participations") + "Z9,2019,2단계,,1000000,0,,false,selected\n"},
    [["participations.csv", "participations", 10, "company_id", "Z9", UNKNOWN_FIRM, True]],
)
case(
    "unknown_participation",
    "참여 표에 없는 (기업, 기수)의 과제와 지표",
    {
        "tasks.csv": mini("tasks") + "T13,A3,2015,제조,품질,없는 기수,planned\n",
        "outcomes.csv": mini("outcomes") + "A4,2019,불량률,%,3,2,false\n",
    },
    [
        ["tasks.csv", "tasks", 14, "company_id, year", "A3 / 2015", UNKNOWN_PARTICIPATION, True],
        ["outcomes.csv", "outcomes", 13, "company_id, year", "A4 / 2019", UNKNOWN_PARTICIPATION, True],
    ],
)
case(
    "null_required",
    "기업명 빈칸, 과제명 공백만",
    {
        "companies.csv": edit("companies", ("A2,다라전기,", "A2,,")),
        "tasks.csv": edit("tasks", ("설비 자동화", "   ")),
    },
    [
        ["companies.csv", "companies", 3, "company_name", None, EMPTY_VALUE, True],
        ["tasks.csv", "tasks", 5, "title", None, EMPTY_VALUE, True],
    ],
)
case(
    "baseline_zero",
    "기준값 0",
    {"outcomes.csv": edit("outcomes", ("A2,2013,리드타임,일,20,", "A2,2013,리드타임,일,0,"))},
    [
        [
            "outcomes.csv",
            "outcomes",
            4,
            "baseline",
            "0.0",
            "0일 수 없습니다. 개선율은 이 값으로 나누어 계산합니다.",
            True,
        ]
    ],
)
case(
    "empty_file",
    "0바이트 기업 파일",
    {"companies.csv": b""},
    [["companies.csv", "companies", None, None, None, "빈 파일입니다.", True]],
)
case(
    "whitespace_only",
    "빈 줄만 있는 파일",
    {"companies.csv": "\n\r\n  \n"},
    [["companies.csv", "companies", None, None, None, "빈 파일입니다.", True]],
)
case(
    "header_only",
    "머리글만 있는 과제 파일",
    {"tasks.csv": mini("tasks").splitlines()[0] + "\n"},
    [["tasks.csv", "tasks", None, None, None, "데이터 행이 없습니다.", True]],
)
case(
    "unreadable_binary",
    "CSV 이름의 그림 파일",
    {"outcomes.csv": b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01"},
    [["outcomes.csv", "outcomes", None, None, None, "파일을 읽을 수 없습니다: 텍스트(CSV) 파일이 아닙니다.", True]],
)
case(
    "bad_quotes",
    "닫히지 않은 따옴표: 따옴표를 연 행을 알려 줌",
    {"companies.csv": edit("companies", ("A3,마바테크,", 'A3,"마바테크,'))},
    [
        [
            "companies.csv",
            "companies",
            4,
            None,
            "unexpected end of data",
            'CSV 형식이 잘못되었습니다. 이 행에서 연 따옴표(")가 닫히지 않았는지 확인하세요.',
            True,
        ]
    ],
)
case(
    "unsupported_format",
    "옛 Excel 형식(.xls)",
    {"companies.xls": b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 64},
    [
        [
            "companies.xls",
            "companies",
            None,
            None,
            None,
            "지원하지 않는 파일 형식입니다(.xls). CSV, XLSX, Parquet 파일을 쓰세요.",
            True,
        ]
    ],
    omit=["companies"],
)
case(
    "same_table_twice",
    "기업 표가 기업.csv 와 companies.csv 두 곳에",
    {"기업.csv": mini("companies")},
    [
        [
            "companies.csv, 기업.csv",
            "companies",
            None,
            None,
            None,
            "같은 표가 여러 곳에 있습니다: companies.csv, 기업.csv. 하나만 넣으세요.",
            True,
        ]
    ],
    keep_mini=True,
)
case(
    "duplicate_column",
    "company_id 와 기업ID 열이 함께",
    {
        "companies.csv": "\n".join(
            line + ("," + line.split(",")[0] if i else ",기업ID")
            for i, line in enumerate(mini("companies").splitlines())
        )
        + "\n"
    },
    [
        [
            "companies.csv",
            "companies",
            None,
            "company_id",
            None,
            "같은 열이 두 번 있습니다: 'company_id', '기업ID'.",
            True,
        ]
    ],
)
case(
    "mixed_encoding",
    "UTF-8 파일 뒤에 CP949 행을 붙임",
    {
        "companies.csv": "\n".join(mini("companies").splitlines()[:3]).encode("utf-8")
        + b"\n"
        + ("\n".join(mini("companies").splitlines()[3:]) + "\n").encode("cp949")
    },
    [
        [
            "companies.csv",
            "companies",
            None,
            None,
            None,
            "파일을 읽을 수 없습니다: 한 파일에 UTF-8과 다른 문자 인코딩(CP949 등)이 섞여 있습니다 "
            "(예: 2행은 UTF-8, 4행은 다른 인코딩). 한 인코딩으로 다시 저장하세요.",
            True,
        ]
    ],
)
case(
    "cp949_with_error",
    "네 파일 모두 CP949 (Excel 'CSV' 저장), 성과지표에 잘못된 참/거짓",
    {
        "companies.csv": mini("companies").encode("cp949"),
        "participations.csv": mini("participations").encode("cp949"),
        "tasks.csv": mini("tasks").encode("cp949"),
        "outcomes.csv": edit("outcomes", ("A2,2013,리드타임,일,20,10,false", "A2,2013,리드타임,일,20,10,글쎄")).encode(
            "cp949"
        ),
    },
    [["outcomes.csv", "outcomes", 4, "higher_is_better", "글쎄", NOT_BOOLEAN, True]],
)
case(
    "formula_text_cells",
    "숫자 칸의 수식은 오류, 글자 칸의 수식 모양 글자는 글자로 저장",
    {
        "participations.csv": edit("participations", (",8000000,12000000,", ",=SUM(E2:E3),12000000,")),
        "outcomes.csv": edit("outcomes", ("A2,2013,리드타임,일,20,", "A2,2013,리드타임,일,@SUM(1),")),
        "companies.csv": edit("companies", ("A4,사아금속,", 'A4,"=HYPERLINK(""http://example.com"",""사아금속"")",')),
    },
    [
        ["participations.csv", "participations", 3, "consulting_krw", "=SUM(E2:E3)", NOT_AMOUNT, True],
        ["outcomes.csv", "outcomes", 4, "baseline", "@SUM(1)", NOT_NUMBER, True],
    ],
)
case(
    "huge_numbers",
    "범위를 넘는 금액, 종업원수, 기준값",
    {
        "participations.csv": edit(
            "participations", (",10000000,10000000,50000000,", ",99999999999999999999,10000000,50000000,")
        ),
        "companies.csv": edit("companies", ("충남,40", "충남,3000000000")),
        "outcomes.csv": edit("outcomes", ("A1,2013,노동생산성,개/인·시,100,", "A1,2013,노동생산성,개/인·시,1e400,")),
    },
    [
        ["companies.csv", "companies", 2, "employees", "3000000000", TOO_BIG, True],
        ["participations.csv", "participations", 2, "consulting_krw", "99999999999999999999", TOO_BIG, True],
        ["outcomes.csv", "outcomes", 2, "baseline", "1e400", TOO_BIG, True],
    ],
)
case(
    "blank_lines",
    "빈 줄과 빈 칸만 있는 줄 뒤의 오류: 행 번호는 빈 줄도 셈",
    {"tasks.csv": edit("tasks", ("T3,A2,", "\n,,,,,,\n\nT3,A2,"), ("생산계획 체계화,done", "생산계획 체계화,끝"))},
    [["tasks.csv", "tasks", 13, "status", "끝", TASK_STATUS, True]],
)
case(
    "mixed_headers",
    "한글·영문 열 이름과 한글 값이 섞인 파일: 별칭은 통과, 알 수 없는 상태 하나",
    {
        "companies.csv": "기업ID,company_name,차수,Industry,지역,종업원수(명)\n"
        + "".join(mini("companies").splitlines(True)[1:]),
        "participations.csv": (
            "company_id,연도,단계,수행기관,컨설팅지원금(원),설비지원금,재무성과,성과공유계약,상태\n"
            'A1,2013,1단계,한국생산성본부,"10,000,000원",1000만원,0.5억원,예,완료\n'
            "A2,2013,1단계,한국생산성본부,8000000,12000000,30000000,아니오,완료\n"
            "A3,2014년,1단계,,15000000,5000000,,N,중도포기\n"
            "A4,2016,1단계,한국생산성본부,20000000,20000000,100000000,Y,취소\n"
            "A1,2016,1단계,한국생산성본부,5000000,15000000,40000000,false,completed\n"
            "A2,2019,2단계,한국표준협회,10000000,15000000,60000000,1,Completed\n"
            "A5,2020,2단계,한국표준협회,12000000,8000000,,0,진행 중\n"
            "A1,2020,2단계,한국표준협회,6000000,4000000,,TRUE,In Progress\n"
        ),
    },
    [["participations.csv", "participations", 5, "status", "취소", PARTICIPATION_STATUS, True]],
)
_BIG_COMPANIES = mini("companies") + "".join(f"B{i},기업{i},2,기계가공,충남,{i}\n" for i in range(100))
_BIG_KB = len(_BIG_COMPANIES.encode("utf-8")) / 1024
case(
    "size_limit",
    "파일 합계가 한도를 넘음",
    {"companies.csv": _BIG_COMPANIES},
    [
        [
            "companies.csv",
            "",
            None,
            None,
            None,
            f"파일이 너무 큽니다: 모두 {_BIG_KB:.1f}KB, 한도 2KB (DASHBOARD_MAX_UPLOAD_MB).",
            True,
        ]
    ],
    alone=True,
    env={"DASHBOARD_MAX_UPLOAD_MB": "0.002"},
)
case(
    "row_limit",
    "행 수가 한도를 넘음",
    {},
    [
        [
            "tasks.csv",
            "tasks",
            None,
            None,
            None,
            "행이 너무 많습니다. 한 표에 10행까지 읽습니다 (DASHBOARD_MAX_ROWS).",
            True,
        ],
        [
            "outcomes.csv",
            "outcomes",
            None,
            None,
            None,
            "행이 너무 많습니다. 한 표에 10행까지 읽습니다 (DASHBOARD_MAX_ROWS).",
            True,
        ],
    ],
    env={"DASHBOARD_MAX_ROWS": "10"},
)


def _truncated_parquet() -> bytes:
    whole = parquet_bytes(pa.Table.from_pandas(frame("outcomes"), preserve_index=False))
    return whole[: len(whole) // 2]


case(
    "truncated_parquet",
    "반쯤 잘린 Parquet 파일",
    {"outcomes.parquet": _truncated_parquet()},
    [
        [
            "outcomes.parquet",
            "outcomes",
            None,
            None,
            "Parquet magic bytes not found in footer. Either the file is corrupted or this is not a parquet file.",
            "Parquet 파일을 읽을 수 없습니다. 파일이 손상되었거나 잘렸을 수 있습니다.",
            True,
        ]
    ],
)


def _parquet_wrong_types() -> bytes:
    f = frame("companies")
    tier = [int(t) for t in f["tier"]]
    tier[2] = "x"
    return parquet_bytes(
        pa.table(
            {
                "company_id": f["company_id"].tolist(),
                "company_name": f["company_name"].tolist(),
                "tier": pa.array([str(t) for t in tier]),
                "industry": f["industry"].tolist(),
                "region": f["region"].tolist(),
                "employees": pa.array([40.0, None, 12.5, 150.0, 25.0]),
            }
        )
    )


case(
    "parquet_wrong_types",
    "Parquet 의 글자 차수와 소수 종업원수 (행 번호는 1부터)",
    {"companies.parquet": _parquet_wrong_types()},
    [
        ["companies.parquet", "companies", 3, "tier", "x", NOT_INTEGER, True],
        ["companies.parquet", "companies", 3, "employees", "12.5", NOT_INTEGER, True],
    ],
)
case(
    "corrupt_xlsx",
    "잘린 Excel 파일",
    {"데이터.xlsx": workbook({t: rows_of(t) for t in TABLES})[:300]},
    [
        [
            "데이터.xlsx",
            "",
            None,
            None,
            "File is not a zip file",
            "Excel(XLSX) 파일을 읽을 수 없습니다. 파일이 손상되었을 수 있습니다.",
            True,
        ],
        *(missing_table(t) for t in TABLES),
    ],
    alone=True,
)
case(
    "wrong_sheet_names",
    "시트 이름이 Sheet1..Sheet4",
    {"데이터.xlsx": workbook({f"Sheet{i}": rows_of(t) for i, t in enumerate(TABLES, start=1)})},
    [
        *([f"데이터.xlsx (Sheet{i} 시트)", "", None, None, None, UNKNOWN_NAME, False] for i in range(1, 5)),
        *(missing_table(t) for t in TABLES),
    ],
    alone=True,
)


def _xlsx_with_errors() -> bytes:
    participations = rows_of("participations")
    participations[2][4] = -1  # row 3 of the sheet: A2's consulting_krw
    participations[3][1] = "2014"  # a year typed as text is still a year
    companies = [[None], [None], *rows_of("companies")]  # two blank rows above the header
    companies[5][2] = "셋"  # sheet row 6: A3's tier
    return workbook(
        {"기업": companies, "참여": participations, "개선과제": rows_of("tasks"), "성과지표": rows_of("outcomes")}
    )


case(
    "xlsx_with_errors",
    "한글 시트 이름의 통합문서: 머리글 위 빈 두 행, 음수 금액, 글자 차수",
    {"데이터.xlsx": _xlsx_with_errors()},
    [
        ["데이터.xlsx (기업 시트)", "companies", 6, "tier", "셋", NOT_INTEGER, True],
        ["데이터.xlsx (참여 시트)", "participations", 3, "consulting_krw", "-1", NEGATIVE, True],
    ],
    alone=True,
)


def _xlsx_incomplete() -> bytes:
    tasks = [row[:5] + row[6:] for row in rows_of("tasks")]  # no 과제명/title column
    return workbook(
        {"companies": rows_of("companies"), "participations": rows_of("participations"), "tasks": tasks, "outcomes": []}
    )


case(
    "xlsx_missing_column_empty_sheet",
    "과제 시트에 title 열이 없고 성과지표 시트는 비어 있음",
    {"데이터.xlsx": _xlsx_incomplete()},
    [
        ["데이터.xlsx (tasks 시트)", "tasks", None, "title", None, MISSING_COLUMN, True],
        ["데이터.xlsx (outcomes 시트)", "outcomes", None, None, None, "빈 시트입니다.", True],
    ],
    alone=True,
)


def main() -> None:
    for old in HERE.iterdir():
        if old.is_dir():
            shutil.rmtree(old)
    for name, spec in CASES.items():
        folder = HERE / name
        folder.mkdir()
        files = dict(spec["files"])
        if not spec.get("alone"):
            replaced = set() if spec.get("keep_mini") else {Path(f).stem for f in files}
            for table in TABLES:
                if table not in replaced and table not in spec.get("omit", ()):
                    files[f"{table}.csv"] = mini(table)
        for file_name, content in files.items():
            path = folder / file_name
            if isinstance(content, str):
                path.write_text(content, encoding="utf-8")
            else:
                path.write_bytes(content)
        expected = {"about": spec["about"], "env": spec.get("env", {}), "problems": spec["problems"]}
        text = json.dumps(expected, ensure_ascii=False, indent=2) + "\n"
        (folder / "_expected.json").write_text(text, encoding="utf-8")
    print(f"{len(CASES)} cases written to {HERE}")


if __name__ == "__main__":
    main()
