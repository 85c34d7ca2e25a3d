"""The 데이터 page through AppTest: what is read and whether it is sound, the upload flow (check,
report, apply only when clean), versions and restore, and upload switched off by DASHBOARD_DATA_DIR."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pandas as pd
import pytest

from dashboard.contract import TABLES, TABLES_BY_NAME
from dashboard.db import EVERY_FIRM, run_query
from dashboard.reading import importer
from dashboard.reading.settings import SAMPLE_DIR
from dashboard.store import Store
from tests.helpers import metrics, shown
from tests.reference import MINI_DIR, read_frames

PAGE = "pages/data.py"
CORPUS = Path(__file__).resolve().parent / "corpus"
CSV = "text/csv"


@pytest.fixture
def store(tmp_path, monkeypatch) -> Store:
    monkeypatch.setenv("DASHBOARD_STORE_DIR", str(tmp_path / "store"))
    monkeypatch.delenv("DASHBOARD_MAX_UPLOAD_MB", raising=False)
    monkeypatch.delenv("DASHBOARD_MAX_ROWS", raising=False)
    return Store.configured()


def snapshot(root: Path) -> dict[str, bytes]:
    if not root.exists():
        return {}
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def uploads(folder: Path) -> list[tuple[str, bytes, str]]:
    return [(p.name, p.read_bytes(), CSV) for p in sorted(folder.iterdir()) if not p.name.startswith("_")]


def texts(elements) -> list[str]:
    return [shown(e.value) for e in elements]


def frame_with(at, column: str) -> pd.DataFrame:
    return next(d.value for d in at.dataframe if column in d.value.columns)


def expected_overview(folder: Path) -> dict[str, object]:
    """Row counts and cohort range of `folder`, counted by pandas alone."""
    frames = read_frames(folder)
    years = frames["participations"]["year"]
    return {
        "rows": {t.name: len(frames[t.name]) for t in TABLES},
        "metrics": {
            "기수 범위": f"{years.min()}–{years.max()}",
            "기수": f"{years.nunique()}개",
            "참여 기업": f"{frames['participations']['company_id'].nunique():,}개사",
        },
    }


def plain(frame: pd.DataFrame) -> list[list]:
    """Values as plain Python, missing as None, so DuckDB and pandas dtypes compare equal."""
    return frame.astype(object).where(frame.notna(), None).values.tolist()


@pytest.mark.parametrize("data", ["mini", "sample"])
def test_data_queries_match_pandas(data, request):
    con = request.getfixturevalue(f"{data}_con")
    frames = request.getfixturevalue(f"{data}_frames")
    counts = run_query(con, "data_row_counts", scope=EVERY_FIRM)
    assert plain(counts) == [[t.name, len(frames[t.name])] for t in TABLES]
    p = frames["participations"]
    cohorts = run_query(con, "data_cohort_range", scope=EVERY_FIRM)
    assert plain(cohorts) == [
        [
            p["year"].min(),
            p["year"].max(),
            p["year"].nunique(),
            p["company_id"].nunique(),
            p["financial_outcome_krw"].count(),
        ]
    ]
    for table, query in (
        ("companies", "data_companies"),
        ("participations", "data_participations"),
        ("tasks", "data_tasks"),
        ("outcomes", "data_outcomes"),
    ):
        got = run_query(con, query, scope=EVERY_FIRM)
        # An empty CSV cell is a missing value in the contract, whatever pandas made of it.
        expected = frames[table][list(TABLES_BY_NAME[table].column_names)].replace("", None)
        assert list(got.columns) == list(expected.columns)
        assert plain(got) == plain(expected), table


def test_sample_is_described_and_passes_its_checks(app, store):
    at = app(page=PAGE)
    assert not at.exception
    expected = expected_overview(SAMPLE_DIR)
    assert metrics(at) == expected["metrics"]
    files = frame_with(at, "table_name")
    assert dict(zip(files["table_name"], files["rows"], strict=True)) == expected["rows"]
    assert list(files["file"]) == [f"data/sample/{t.name}.parquet" for t in TABLES]
    assert "데이터 규격의 모든 규칙을 통과했습니다." in texts(at.success)
    assert any("내장 표본 데이터를 읽습니다" in m for m in texts(at.markdown))
    assert any(text.startswith("표본 데이터") and "seed 20130801" in text for text in texts(at.info))
    contract_columns = [list(t.value["열"]) for t in at.table]
    assert contract_columns == [list(t.column_names) for t in TABLES]
    labels = [b.proto.label for b in at.get("download_button")]
    assert "전체 데이터 Excel 내려받기" in labels and labels.count("CSV 내려받기") >= 5


def test_clean_upload_applies_a_new_version_everywhere(app, store):
    at = app(page=PAGE)
    assert at.file_uploader[0].accept_multiple_files
    at.file_uploader[0].set_value(uploads(MINI_DIR)).run()
    assert not at.exception
    assert any(s.startswith("검사 통과: 기업 5행, 참여 8행, 개선과제 12행, 성과지표 11행") for s in texts(at.success))
    assert store.versions() == [], "checking alone writes nothing"

    at.button(key="apply").click().run()
    assert not at.exception
    assert "v0001 버전을 적용했습니다. 모든 화면이 새 데이터를 보여 줍니다." in texts(at.success)
    assert store.active_id() == "v0001"
    assert metrics(at) == expected_overview(MINI_DIR)["metrics"]
    assert at.file_uploader[0].value == [], "the uploader is empty again after applying"
    versions = frame_with(at, "버전")
    assert list(versions["버전"]) == ["v0001"] and list(versions["사용 중"]) == [True]
    assert versions.loc[0, "원본 파일"] == "companies.csv, outcomes.csv, participations.csv, tasks.csv"

    at.switch_page("pages/overview.py").run()
    assert metrics(at)["지원 기업"] == "5개사"


def test_broken_upload_is_explained_and_changes_nothing(app, store, mini_tables):
    store.add(mini_tables, {t.name: f"{t.name}.csv" for t in TABLES})
    before = snapshot(store.root)
    at = app(page=PAGE)
    at.file_uploader[0].set_value(uploads(CORPUS / "year_out_of_range")).run()
    assert not at.exception
    assert any(e.startswith("오류 3건: 이 파일들은 적용할 수 없습니다.") for e in texts(at.error))
    report = frame_with(at, "내용")
    spec = json.loads((CORPUS / "year_out_of_range" / "_expected.json").read_text(encoding="utf-8"))
    assert report[["파일", "표", "행", "열", "값", "내용"]].astype(object).where(
        report.notna(), None
    ).values.tolist() == [p[:6] for p in spec["problems"]]
    assert list(report["구분"]) == ["오류"] * 3
    assert not [b for b in at.button if b.key == "apply"]
    assert "upload_report_csv" in [b.key for b in at.get("download_button")]
    assert snapshot(store.root) == before


def test_workbook_upload(app, store):
    at = app(page=PAGE)
    book = (CORPUS / "wrong_sheet_names" / "데이터.xlsx").read_bytes()
    at.file_uploader[0].set_value(("데이터.xlsx", book, "application/octet-stream")).run()
    report = frame_with(at, "내용")
    assert list(report["구분"]) == ["참고"] * 4 + ["오류"] * 4
    assert not [b for b in at.button if b.key == "apply"]


def test_oversized_upload_gets_a_clear_message(app, store, monkeypatch):
    monkeypatch.setenv("DASHBOARD_MAX_UPLOAD_MB", "0.001")
    at = app(page=PAGE)
    assert "한도: 파일 합계 1KB, 표마다 1,000,000행" in texts(at.caption)
    at.file_uploader[0].set_value(uploads(MINI_DIR)).run()
    report = frame_with(at, "내용")
    assert report.loc[0, "내용"].startswith("파일이 너무 큽니다")
    assert store.versions() == []


def test_restore_an_earlier_version_and_the_sample(app, store, mini_tables):
    sources = {t.name: f"{t.name}.csv" for t in TABLES}
    store.add(importer.load_paths([SAMPLE_DIR]).tables, sources)
    store.add(mini_tables, sources)
    at = app(page=PAGE)
    assert metrics(at)["참여 기업"] == "5개사"
    assert at.button(key="restore").disabled, "the active version cannot be restored onto itself"
    at.selectbox(key="restore_choice").set_value("v0001").run()
    at.button(key="restore").click().run()
    assert not at.exception
    assert "v0001 버전으로 되돌렸습니다." in texts(at.success)
    assert store.active_id() == "v0001"
    assert metrics(at) == expected_overview(SAMPLE_DIR)["metrics"]
    at.selectbox(key="restore_choice").set_value("sample").run()
    at.button(key="restore").click().run()
    assert "표본 데이터로 되돌렸습니다." in texts(at.success)
    assert store.active_id() is None


def test_fixed_data_dir_turns_upload_off(app, store, mini_tables, tmp_path):
    store.add(mini_tables, {t.name: f"{t.name}.csv" for t in TABLES})
    at = app(data_dir=MINI_DIR, page=PAGE)
    assert not at.exception
    assert at.file_uploader[0].disabled
    assert any("올리기가 꺼져 있습니다" in i for i in texts(at.info))
    assert any("DASHBOARD_DATA_DIR" in m for m in texts(at.markdown))
    assert at.button(key="restore").disabled


def test_data_with_row_problems_is_refused_and_the_report_shown(app, store, tmp_path):
    """What validate refuses, the app refuses: the pages show the problems, the Data page the whole report."""
    folder = tmp_path / "data"
    shutil.copytree(MINI_DIR, folder)
    companies = folder / "companies.csv"
    companies.write_text(companies.read_text(encoding="utf-8") + "A3,마바테크2,2,기계가공,경기,12\n", encoding="utf-8")
    overview = app(data_dir=folder)
    assert "companies.csv 7행 'company_id' 열: 키(company_id)가 중복됩니다. (값: A3)" in texts(overview.error)[0]
    assert not overview.metric
    at = app(data_dir=folder, page=PAGE)
    assert not at.exception
    report = frame_with(at, "내용")
    assert list(report["행"]) == [4, 7]
    assert set(report["내용"]) == {"키(company_id)가 중복됩니다."}
    assert "loaded_report_csv" in [b.key for b in at.get("download_button")]


def test_a_damaged_active_version_can_still_be_restored_from_the_data_page(app, store, mini_tables):
    sources = {t.name: f"{t.name}.csv" for t in TABLES}
    store.add(mini_tables, sources)
    store.add(importer.load_paths([SAMPLE_DIR]).tables, sources)
    (store.active_folder() / "tasks.parquet").write_bytes(b"damaged on disk")
    overview = app()
    assert "tasks.parquet" in texts(overview.error)[0]
    assert not overview.metric
    at = app(page=PAGE)
    assert not at.exception
    assert "tasks.parquet" in texts(at.error)[0]
    at.selectbox(key="restore_choice").set_value("v0001").run()
    at.button(key="restore").click().run()
    assert not at.exception
    assert "v0001 버전으로 되돌렸습니다." in texts(at.success)
    assert not at.error
    assert metrics(at)["참여 기업"] == "5개사"
