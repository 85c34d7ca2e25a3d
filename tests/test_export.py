"""Exports: CSV in UTF-8 with BOM and XLSX, with formula-like text neutralised and numbers kept numeric."""

from __future__ import annotations

import csv
import io
import re
from datetime import datetime

import openpyxl
import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from dashboard import export, units

FRAME = pd.DataFrame(
    {
        "기업명": ['=HYPERLINK("http://x")', "+82 상사", "-마이너스", "@멘션", "\t탭", "\r줄", "정상", None],
        "지원금": [-5_000_000, 1, 2, 3, 4, 5, 6, 7],
        "개선율": [-12.5, None, 0.5, 1.0, 2.0, 3.0, 4.0, 5.0],
        "계약": [True, False, True, False, True, False, True, False],
    }
)


def test_neutralise_prefixes_formula_text_only():
    safe = export.neutralise(FRAME)
    assert list(safe["기업명"][:7]) == [
        '\'=HYPERLINK("http://x")',
        "'+82 상사",
        "'-마이너스",
        "'@멘션",
        "'\t탭",
        "'\r줄",
        "정상",
    ]
    assert pd.isna(safe["기업명"][7])
    pd.testing.assert_series_equal(safe["지원금"], FRAME["지원금"])
    pd.testing.assert_series_equal(safe["개선율"], FRAME["개선율"])
    assert FRAME["기업명"][0].startswith("="), "the caller's frame is not modified"


def test_neutralise_headers_and_mixed_object_columns():
    frame = pd.DataFrame({"=열": pd.Series(["-1", -1, None], dtype=object)})
    safe = export.neutralise(frame)
    assert list(safe.columns) == ["'=열"]
    assert safe.iloc[0, 0] == "'-1" and safe.iloc[1, 0] == -1


def test_csv_is_utf8_with_bom_and_keeps_negative_numbers():
    data = export.csv_bytes(FRAME)
    assert data.startswith(b"\xef\xbb\xbf")
    lines = data.decode("utf-8-sig").splitlines()
    assert lines[0] == '"기업명","지원금","개선율","계약"'
    assert lines[1] == '"\'=HYPERLINK(""http://x"")","-5000000","-12.5","True"'
    assert lines[3] == '"\'-마이너스","2","0.5","True"'


def test_xlsx_cells_are_text_or_numbers_never_formulas():
    sheet = openpyxl.load_workbook(io.BytesIO(export.xlsx_bytes(FRAME))).active
    assert sheet.title == "데이터"
    rows = list(sheet.iter_rows(values_only=False))
    assert [c.value for c in rows[0]] == ["기업명", "지원금", "개선율", "계약"]
    first = rows[1]
    assert first[0].value == '\'=HYPERLINK("http://x")' and first[0].data_type == "s"
    assert first[1].value == -5_000_000 and first[1].data_type == "n"
    assert first[2].value == -12.5 and first[2].data_type == "n"
    assert first[3].value is True
    assert all(cell.data_type != "f" for row in rows for cell in row)
    assert sheet.freeze_panes == "A2"


def test_workbook_has_one_sheet_per_frame_with_safe_names():
    book = openpyxl.load_workbook(
        io.BytesIO(export.workbook_bytes({"companies": FRAME, "a/b:c*?[d]": FRAME, "가" * 40: FRAME}))
    )
    assert book.sheetnames == ["companies", "a_b_c___d_", "가" * 31]


@pytest.mark.parametrize("key", [None, "custom"])
def test_export_buttons_offer_csv_and_excel(key):
    def script(key):
        import pandas as pd

        from dashboard.export import export_buttons

        export_buttons(pd.DataFrame({"a": [1, 2]}), "표", key=key)

    at = AppTest.from_function(script, args=(key,)).run()
    assert not at.exception
    buttons = at.get("download_button")
    assert [b.proto.label for b in buttons] == ["CSV 내려받기", "Excel 내려받기"]
    prefix = key or "표"
    assert [b.key for b in buttons] == [f"{prefix}_csv", f"{prefix}_xlsx"]


def test_table_export_uses_the_shown_columns_and_their_korean_headers_with_units(monkeypatch):
    captured = {}
    monkeypatch.setattr(
        export, "lazy_export_buttons", lambda make, name, key, conditions=None: captured.update(frame=make())
    )
    frame = pd.DataFrame(
        {
            "company_name": ["=가", "나"],
            "support_man": [1841.6, None],
            "outcome_multiple_x": [2.5749, 0.0],
            "firms": [3, 12],
            "hidden": [0, 0],
        }
    )
    config = {"company_name": "기업명", "support_man": {"label": "지원금"}, "firms": units.FIRMS.column("기업")}
    export.table_export_buttons(
        lambda: frame, ["support_man", "company_name", "outcome_multiple_x", "firms"], config, "표"
    )
    assert list(captured["frame"].columns) == ["지원금(만원)", "기업명", "outcome_multiple_x(배)", "기업(개사)"]
    assert export.csv_bytes(captured["frame"]).decode("utf-8-sig").splitlines() == [
        '"지원금(만원)","기업명","outcome_multiple_x(배)","기업(개사)"',
        '"1842","\'=가","2.57","3"',
        '"","나","0.0","12"',
    ]


@pytest.mark.parametrize(
    ("page", "keys"),
    [
        ("pages/overview.py", ["phases"]),
        ("pages/companies.py", ["leaderboard"]),
        ("pages/tasks.py", ["tasks"]),
        ("pages/outcomes.py", ["indicator_rows"]),
    ],
)
def test_every_page_table_can_be_downloaded(app, page, keys):
    at = app({"from": "2016"}, page=page)
    assert not at.exception
    shown = [b.key for b in at.get("download_button")]
    for key in keys:
        assert f"{key}_csv" in shown and f"{key}_xlsx" in shown


def test_company_profile_tables_can_be_downloaded(app):
    at = app({"company": "C161"}, page="pages/companies.py")
    shown = [b.key for b in at.get("download_button")]
    assert {"profile_tasks_csv", "profile_indicators_xlsx"} <= set(shown)


@pytest.fixture
def built_downloads(monkeypatch):
    """Every page download built as it would be on a click: download key -> the frame in the file."""
    built: dict[str, pd.DataFrame] = {}

    def build(make_frame, basename, key=None, conditions=None):
        built[key] = make_frame()
        built[f"{key}:name"] = conditions.file_name(basename) if conditions else basename
        built[f"{key}:conditions"] = conditions

    monkeypatch.setattr(export, "lazy_export_buttons", build)
    return built


@pytest.mark.parametrize(
    ("query", "page", "expected"),
    [
        (
            {},
            "pages/overview.py",
            {
                "phases": (
                    2,
                    ["단계", "기업(개사)", "지원금(억원)", "재무성과(억원)", "성과배수(배)", "과제 완료율(%)", "비고"],
                )
            },
        ),
        ({}, "pages/tasks.py", {"tasks": (468, ["기수", "기업명", "분야", "영역", "과제명", "상태", "과제 ID"])}),
        (
            {},
            "pages/outcomes.py",
            {"indicator_rows": (476, ["기수", "기업명", "지표", "단위", "개선 전", "개선 후", "개선율(%)", "방향"])},
        ),
        ({}, "pages/companies.py", {"leaderboard": (161, None)}),
        (
            {"company": "C161"},
            "pages/companies.py",
            {
                "profile_cohorts": (1, None),
                "profile_tasks": (None, ["기수", "분야", "영역", "과제명", "상태"]),
                "profile_indicators": (None, ["기수", "지표", "단위", "개선 전", "개선 후", "개선율(%)", "방향"]),
            },
        ),
    ],
)
def test_every_page_download_builds_the_shown_columns_over_all_rows(app, built_downloads, query, page, expected):
    at = app(query, page=page)
    assert not at.exception
    for key, (rows, headers) in expected.items():
        frame = built_downloads[key]
        if rows is not None:
            assert len(frame) == rows, key
        if headers is not None:
            assert list(frame.columns) == headers, key
        assert not frame.empty, key
    if "tasks" in built_downloads:
        assert set(built_downloads["tasks"]["상태"]) <= {"완료", "진행 중", "계획", "보류"}
    if "profile_tasks" in built_downloads:
        assert set(built_downloads["profile_tasks"]["상태"]) <= {"완료", "진행 중", "계획", "보류"}


CONDITIONS = export.Conditions(
    (("기수(연도)", "2013–2019"), ("기업", "=위험(주)"), ("지역", "경기")),
    "2013-2019",
    "데이터 표본 데이터 · 기준 시각 x",
)
DOWNLOADED = datetime(2026, 11, 28, 21, 0)


def test_csv_with_conditions_opens_as_a_table_after_its_condition_lines():
    frame = FRAME
    data = export.csv_bytes(frame, CONDITIONS, DOWNLOADED)
    lines = data.decode("utf-8-sig").splitlines()
    assert lines[:6] == [
        '"# 기수(연도)","2013–2019"',
        '"# 기업","\'=위험(주)"',
        '"# 지역","경기"',
        '"# 데이터","데이터 표본 데이터 · 기준 시각 x"',
        '"# 내려받은 시각","2026-11-28 21:00"',
        "",
    ]
    table = export.read_csv_table(data)
    assert list(table.columns) == list(frame.columns) and len(table) == len(frame)
    assert table["지원금"].tolist() == frame["지원금"].tolist()
    plain = FRAME[["지원금", "개선율", "계약"]]
    by_pandas = pd.read_csv(io.BytesIO(export.csv_bytes(plain, CONDITIONS)), encoding="utf-8-sig", skiprows=6)
    assert by_pandas.equals(plain)
    assert export.read_csv_table(export.csv_bytes(frame)).equals(table)


def test_xlsx_with_conditions_has_a_first_sheet_of_conditions():
    book = openpyxl.load_workbook(io.BytesIO(export.xlsx_bytes(FRAME, conditions=CONDITIONS, downloaded=DOWNLOADED)))
    assert book.sheetnames == ["조건", "데이터"]
    rows = list(book["조건"].iter_rows(values_only=True))
    assert (
        rows[0] == ("조건", "값") and ("기업", "'=위험(주)") in rows and ("내려받은 시각", "2026-11-28 21:00") in rows
    )
    assert [c.value for c in book["데이터"][1]] == list(FRAME.columns)


def test_filtered_downloads_carry_the_filters_and_the_period_in_the_file_name(app, built_downloads):
    at = app({"to": "2019", "region": "경기", "tier": "2"})
    assert not at.exception
    assert built_downloads["phases:name"] == "단계별_성과_2013-2019"
    rows = dict(built_downloads["phases:conditions"].rows(DOWNLOADED))
    assert (rows["기수(연도)"], rows["지역"], rows["협력 차수"], rows["업종"]) == ("2013–2019", "경기", "2차", "전체")
    assert rows["데이터"].startswith("데이터 표본 데이터 · 기준 시각 20")


def test_raw_table_downloads_on_the_data_page_carry_no_conditions(app, built_downloads):
    at = app(page="pages/data.py")
    assert not at.exception
    raw = [k for k in built_downloads if k.startswith("table_") and k.endswith(":conditions")]
    assert len(raw) == 4 and all(built_downloads[k] is None for k in raw)
    assert built_downloads["table_companies:name"] == "companies"


HOSTILE_NAMES = [
    "삼화플랜트\r@SUM(1+1)",
    '삼화플랜트\n=HYPERLINK("https://evil.example")',
    "삼화\r\n+cmd|' /C calc'!A0",
    "이름\t-2+3",
    '따옴표 " 와, 쉼표',
    "=1+1",
    "@SUM(A1)",
]


def test_csv_of_hostile_names_has_one_row_per_record_and_no_formula_start():
    frame = pd.DataFrame({"기업명": HOSTILE_NAMES, "지원금": range(len(HOSTILE_NAMES))})
    text = export.csv_bytes(frame).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text, newline="")))
    assert len(rows) == len(HOSTILE_NAMES) + 1 and all(len(r) == 2 for r in rows)
    # Every line a spreadsheet could start a cell or a row at is inert.
    for row in rows[1:]:
        for piece in re.split(r"[\r\n\t]", row[0]):
            assert not piece.startswith(("=", "+", "-", "@")), row
    assert all(line.startswith('"') for line in re.split(r"(?<=\")\r?\n", text) if line)


def test_xlsx_of_hostile_names_holds_text_cells(tmp_path):
    frame = pd.DataFrame({"=열": HOSTILE_NAMES})
    sheet = openpyxl.load_workbook(io.BytesIO(export.xlsx_bytes(frame))).active
    cells = [c for row in sheet.iter_rows() for c in row]
    assert [c.data_type for c in cells] == ["s"] * len(cells)
