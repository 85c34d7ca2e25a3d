"""House rules checked mechanically: every query is used, documented and tested; every page is registered."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from dashboard.db import parameter_names
from dashboard.navigation import PAGES
from dashboard.reading.settings import MACROS_DIR, QUERIES_DIR

ROOT = Path(__file__).resolve().parent.parent
QUERY_FILES = sorted(QUERIES_DIR.glob("*.sql"))
MACRO_FILES = sorted(MACROS_DIR.glob("*.sql"))


def app_source() -> str:
    files = [ROOT / "app.py", *sorted((ROOT / "pages").glob("*.py")), *sorted((ROOT / "dashboard").rglob("*.py"))]
    return "\n".join(f.read_text(encoding="utf-8") for f in files)


def header(path: Path) -> str:
    lines = path.read_text(encoding="utf-8").splitlines()
    return "\n".join(line for line in lines if line.startswith("--"))


@pytest.mark.parametrize("path", QUERY_FILES, ids=lambda p: p.name)
def test_every_query_is_used_by_the_app(path):
    assert f'"{path.stem}"' in app_source(), f"queries/{path.name} is never run"


@pytest.mark.parametrize("path", QUERY_FILES, ids=lambda p: p.name)
def test_every_query_is_tested(path):
    tests = "\n".join(f.read_text(encoding="utf-8") for f in (ROOT / "tests").rglob("test_*.py"))
    assert path.stem in tests, f"no test mentions queries/{path.name}"


@pytest.mark.parametrize("path", QUERY_FILES + MACRO_FILES, ids=lambda p: p.name)
def test_every_sql_file_says_what_it_returns_and_its_parameters(path):
    name = re.sub(r"^\d+_", "", path.stem)
    text = header(path)
    assert text.startswith(f"-- {name}:"), f"{path.name} must start with '-- {name}: what it returns'"
    assert "Parameters:" in text
    if path.parent == QUERIES_DIR:
        for param in parameter_names(path.stem):
            assert f"${param}" in text, f"{path.name} uses ${param} but its header does not name it"


@pytest.mark.parametrize("path", MACRO_FILES, ids=lambda p: p.name)
def test_every_macro_is_defined_as_named_and_used(path):
    name = re.sub(r"^\d+_", "", path.stem)
    assert f"MACRO {name}(" in path.read_text(encoding="utf-8")
    users = [p for p in QUERY_FILES + MACRO_FILES if p != path and f"{name}(" in p.read_text(encoding="utf-8")]
    assert users, f"macro {name} is used by no query"


def test_every_page_file_is_registered_and_every_registered_page_exists():
    files = {str(p.relative_to(ROOT)) for p in (ROOT / "pages").glob("*.py")}
    assert files == {p.path for p in PAGES}


def test_pages_get_filters_and_data_through_page_context_only():
    for spec in PAGES:
        text = (ROOT / spec.path).read_text(encoding="utf-8")
        assert "page_context(" in text, spec.path
        assert "duckdb" not in text and "run_query" not in text, f"{spec.path} must query through ctx.query"
        assert ".groupby(" not in text and ".sum(" not in text, f"{spec.path} must not aggregate"
