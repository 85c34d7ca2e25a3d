"""A bad data folder gets a clear error naming the file and the problem, on every page, with no traceback.
The problems are the importer's, word for word what `python -m dashboard validate` prints for the folder."""

from __future__ import annotations

import shutil

import pandas as pd
import pytest

from dashboard.navigation import PAGES
from tests.helpers import shown
from tests.reference import MINI_DIR

PAGE_FILES = [p.path for p in PAGES]


def copy_mini(tmp_path):
    folder = tmp_path / "data"
    shutil.copytree(MINI_DIR, folder)
    return folder


def errors(at) -> str:
    return "\n".join(shown(e.value) for e in at.error)


@pytest.mark.parametrize("page", PAGE_FILES)
def test_missing_folder_is_named_on_every_page(app, tmp_path, page):
    at = app(data_dir=tmp_path / "nowhere", page=page)
    assert not at.exception
    assert "nowhere: 파일이나 폴더가 없습니다." in errors(at)
    assert not at.metric


def test_missing_table(app, tmp_path):
    folder = copy_mini(tmp_path)
    (folder / "tasks.csv").unlink()
    at = app(data_dir=folder)
    assert not at.exception
    assert (
        "tasks: '개선과제'(tasks) 표가 없습니다. tasks.csv, tasks.parquet 파일이나 'tasks' 시트로 넣으세요."
        in errors(at)
    )


def test_unreadable_parquet(app, tmp_path):
    folder = copy_mini(tmp_path)
    (folder / "outcomes.parquet").write_bytes(b"PAR1 this is not parquet")
    at = app(data_dir=folder)
    assert not at.exception
    assert "outcomes.parquet" in errors(at) and "읽을 수 없습니다" in errors(at)


def test_empty_file(app, tmp_path):
    folder = copy_mini(tmp_path)
    (folder / "companies.csv").write_bytes(b"")
    at = app(data_dir=folder)
    assert "companies.csv: 빈 파일입니다." in errors(at)


def test_missing_column_and_wrong_type_name_row_and_column(app, tmp_path):
    folder = copy_mini(tmp_path)
    frame = pd.read_csv(folder / "participations.csv", dtype=str).drop(columns="status")
    frame.loc[4, "consulting_krw"] = "오백만"
    frame.to_csv(folder / "participations.csv", index=False)
    at = app(data_dir=folder)
    assert not at.exception
    shown = errors(at)
    assert "participations.csv 'status' 열: 필수 열이 없습니다." in shown
    # Data row 4 (0-based) is line 6 of the file: the header is line 1.
    assert (
        "participations.csv 6행 'consulting_krw' 열: 금액 형식이 아닙니다. 1234000, 1,234,000, 1,234,000원, "
        "2,000만원처럼 쓰세요. (값: 오백만)" in shown
    )


def test_parquet_wins_over_csv(app, tmp_path):
    folder = copy_mini(tmp_path)
    (folder / "companies.parquet").write_bytes(b"broken")
    at = app(data_dir=folder)
    assert "companies.parquet" in errors(at)
