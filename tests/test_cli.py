"""The command line: validate, import, versions, restore (and generate still works)."""

from __future__ import annotations

import shutil
import subprocess
import sys

import pytest

from dashboard.__main__ import main
from dashboard.reading import importer
from dashboard.reading.settings import configured_folder
from dashboard.store import Store
from tests.reference import MINI_DIR, ROOT

CORPUS = ROOT / "tests" / "corpus"
MINI_OK = "검사 통과: 기업(companies) 5행, 참여(participations) 8행, 개선과제(tasks) 12행, 성과지표(outcomes) 11행"


@pytest.fixture
def store(tmp_path, monkeypatch) -> Store:
    monkeypatch.setenv("DASHBOARD_STORE_DIR", str(tmp_path / "store"))
    monkeypatch.delenv("DASHBOARD_DATA_DIR", raising=False)
    return Store.configured()


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_validate_clean_folder(store, capsys):
    code, out, _ = run(capsys, "validate", str(MINI_DIR))
    assert code == 0
    assert out == MINI_OK + "\n"
    assert not store.root.exists(), "validate never writes"


def test_validate_files_with_problems(store, capsys):
    paths = sorted(str(p) for p in (CORPUS / "tier_out_of_range").glob("*.csv"))
    code, out, _ = run(capsys, "validate", *paths)
    assert code == 1
    assert out.splitlines() == [
        "[오류] companies.csv 3행 'tier' 열: 3 이하여야 합니다. (값: 4)",
        "[오류] companies.csv 5행 'tier' 열: 1 이상이어야 합니다. (값: 0)",
        "검사 실패: 오류 2건. 아무것도 바뀌지 않았습니다.",
    ]


def test_validate_workbook(store, capsys):
    code, out, _ = run(capsys, "validate", str(CORPUS / "xlsx_with_errors" / "데이터.xlsx"))
    assert code == 1
    assert "[오류] 데이터.xlsx (참여 시트) 3행 'consulting_krw' 열: 음수일 수 없습니다. (값: -1)" in out


def test_import_versions_restore(store, capsys):
    code, out, _ = run(capsys, "import", str(MINI_DIR))
    assert (code, out) == (0, MINI_OK + "\nv0001 버전을 만들고 사용합니다.\n")
    code, out, _ = run(capsys, "import", *sorted(str(p) for p in MINI_DIR.glob("*.csv")))
    assert code == 0 and out.endswith("v0002 버전을 만들고 사용합니다.\n")

    code, out, _ = run(capsys, "versions")
    lines = out.splitlines()
    assert code == 0 and len(lines) == 2
    assert lines[0].startswith("  v0001  ") and lines[1].startswith("* v0002  ")
    assert "companies.csv, outcomes.csv, participations.csv, tasks.csv" in lines[0]
    assert "기업(companies) 5행, 참여(participations) 8행, 개선과제(tasks) 12행, 성과지표(outcomes) 11행" in lines[0]

    assert run(capsys, "restore", "v0001")[:2] == (0, "v0001 버전을 사용합니다.\n")
    assert configured_folder() == store.versions_dir / "v0001"
    assert run(capsys, "restore", "sample")[:2] == (0, "표본 데이터를 사용합니다.\n")
    code, out, _ = run(capsys, "versions")
    assert out.splitlines()[-1] == "* 사용 중: 표본 데이터"


def test_import_with_problems_adds_nothing(store, capsys):
    run(capsys, "import", str(MINI_DIR))
    code, out, _ = run(capsys, "import", str(CORPUS / "duplicate_company"))
    assert code == 1
    assert "[오류] companies.csv 7행 'company_id' 열: 키(company_id)가 중복됩니다. (값: A3)" in out
    assert [v.id for v in store.versions()] == ["v0001"]
    assert store.active_id() == "v0001"


def test_restore_unknown_version(store, capsys):
    run(capsys, "import", str(MINI_DIR))
    code, out, err = run(capsys, "restore", "v0042")
    assert (code, out) == (1, "")
    assert err == "'v0042' 버전이 없습니다. 있는 버전: v0001\n"
    assert store.active_id() == "v0001"


def test_empty_store_versions(store, capsys):
    code, out, _ = run(capsys, "versions")
    assert code == 0 and out.startswith("저장된 버전이 없습니다")


def test_import_warns_when_the_app_reads_a_fixed_folder(store, capsys, monkeypatch):
    monkeypatch.setenv("DASHBOARD_DATA_DIR", str(MINI_DIR))
    code, _, err = run(capsys, "import", str(MINI_DIR))
    assert code == 0
    assert "DASHBOARD_DATA_DIR" in err and "그 폴더를 읽습니다" in err


def test_usage_errors_exit_2(capsys):
    with pytest.raises(SystemExit) as exit_info:
        main(["validate"])
    assert exit_info.value.code == 2
    with pytest.raises(SystemExit) as exit_info:
        main(["frobnicate"])
    assert exit_info.value.code == 2


def test_module_entry_point(tmp_path):
    """`python -m dashboard` as the program team runs it, in a separate process."""
    env = {"DASHBOARD_STORE_DIR": str(tmp_path / "store"), "PATH": "/usr/bin:/bin"}
    done = subprocess.run(
        [sys.executable, "-m", "dashboard", "validate", str(CORPUS / "baseline_zero")],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    assert done.returncode == 1
    assert "outcomes.csv 4행 'baseline' 열: 0일 수 없습니다." in done.stdout
    done = subprocess.run(
        [sys.executable, "-m", "dashboard", "import", str(MINI_DIR)], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert done.returncode == 0 and "v0001" in done.stdout


def test_generate_still_writes_the_sample(tmp_path, capsys):
    code, out, _ = run(capsys, "generate", "--out", str(tmp_path / "gen"))
    assert code == 0
    assert out.startswith("companies: 161 rows")
    assert {p.name for p in (tmp_path / "gen").iterdir()} >= {f"{t}.parquet" for t in ("companies", "tasks")}


def test_file_names_and_values_reach_the_terminal_as_visible_escapes(store, capsys, tmp_path):
    """A name holding an escape sequence (clear the screen, retitle the window, hide text) or a
    bidirectional override is printed as its escapes: nothing the terminal would act on."""
    hostile = "\x1b[2J\x1b]0;pwn\x07\u202e"
    folder = tmp_path / "upload"
    shutil.copytree(MINI_DIR, folder)
    (folder / f"notes{hostile}.csv").write_text("a\n1\n", encoding="utf-8")
    code, out, _ = run(capsys, "import", str(folder))
    assert code == 0
    assert any(line.startswith("[참고] notes\\x1b[2J\\x1b]0;pwn\\x07\\u202e.csv: ") for line in out.splitlines())
    assert not any(c in out for c in ("\x1b", "\x07", "\u202e")), repr(out)
    store.add(importer.load_paths([MINI_DIR]).tables, {"companies": f"기업{hostile}.csv"})
    code, out, _ = run(capsys, "versions")
    assert code == 0
    assert "기업\\x1b[2J\\x1b]0;pwn\\x07\\u202e.csv" in out.splitlines()[-1]
    assert not any(c in out for c in ("\x1b", "\x07", "\u202e")), repr(out)
