"""House rules checked mechanically: every query is used, documented (its columns as it really returns
them) and matches the pandas reference; every page is registered; only the filter macro reads filters."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from dashboard.contract import TABLES
from dashboard.db import EVERY_FIRM, Scope, parameter_names, scoped_cursor
from dashboard.filters import Filters
from dashboard.navigation import PAGES
from dashboard.reading.settings import QUERIES_DIR, SETUP, SETUP_DIR
from tests.helpers import PAGE_PARAMS, assert_matches_reference, assert_rows
from tests.reference import QUERIES, compute, prepare

ROOT = Path(__file__).resolve().parent.parent
QUERY_FILES = sorted(QUERIES_DIR.glob("*.sql"))
SETUP_FILES = sorted(SETUP_DIR.glob("*.sql"))


def app_source() -> str:
    files = [ROOT / "app.py", *sorted((ROOT / "pages").glob("*.py")), *sorted((ROOT / "dashboard").rglob("*.py"))]
    return "\n".join(f.read_text(encoding="utf-8") for f in files)


def sql_body(path: Path) -> str:
    return "\n".join(line for line in path.read_text(encoding="utf-8").splitlines() if not line.startswith("--"))


def header(path: Path) -> str:
    lines = path.read_text(encoding="utf-8").splitlines()
    return "\n".join(line for line in lines if line.startswith("--"))


@pytest.mark.parametrize("path", QUERY_FILES, ids=lambda p: p.name)
def test_every_query_is_used_by_the_app(path):
    assert f'"{path.stem}"' in app_source(), f"queries/{path.name} is never run"


def declared_columns(path: Path) -> list[str]:
    """The `Columns:` header of a `.sql`: names separated by commas, each optionally followed by a
    remark in parentheses, up to the `Parameters:` line."""
    text = header(path)
    assert "-- Columns:" in text, f"{path.name} must declare its columns in a '-- Columns:' header"
    declared = text.split("-- Columns:", 1)[1].split("-- Parameters:", 1)[0].replace("\n--", " ")
    while re.search(r"\([^()]*\)", declared):
        declared = re.sub(r"\([^()]*\)", "", declared)
    names = [item.strip(" .\n") for item in declared.split(",")]
    for name in names:
        assert re.fullmatch(r"[a-z_][a-z0-9_]*", name), f"{path.name}: '{name}' in Columns: is not a column name"
    return names


@pytest.mark.parametrize("path", QUERY_FILES, ids=lambda p: p.name)
def test_every_query_is_tested(path, mini_con, mini_ref):
    """On the mini fixture the query returns the columns its header declares, in that order, and the
    rows the pandas reference computes."""
    rows = assert_matches_reference(mini_con, mini_ref, path.stem, Filters(2013, 2020))
    assert list(rows.columns) == declared_columns(path)


@pytest.mark.parametrize("path", QUERY_FILES, ids=lambda p: p.name)
@pytest.mark.parametrize("firm", ["A1", "A3"])
def test_every_query_as_a_firm_user_sees_that_firm_only(path, firm, mini_con, mini_frames):
    """Run with a firm's scope, every query (a new one too, with nothing to do) gives what the reference
    computes over that firm's rows alone: no other firm reaches a card, a chart, an option or a download."""
    own = prepare({name: frame[frame["company_id"] == firm] for name, frame in mini_frames.items()})
    assert_matches_reference(mini_con, own, path.stem, Filters(2013, 2020), scope=Scope((firm,)))


@pytest.mark.parametrize("path", QUERY_FILES, ids=lambda p: p.name)
def test_a_query_run_without_a_scope_sees_nothing(path, mini_con, mini_frames):
    """Deny by default: a cursor on which no scope was set sees no row of any table."""
    params = Filters(2013, 2020).params() | PAGE_PARAMS
    bound = {k: v for k, v in params.items() if k in parameter_names(path.stem)}
    with mini_con.cursor() as cur:
        rows = cur.execute(path.read_text(encoding="utf-8"), bound).df()
    nothing = prepare({name: frame.iloc[0:0] for name, frame in mini_frames.items()})
    assert_rows(rows, compute(nothing, path.stem, params))


def test_the_scoped_views_have_the_contract_columns(mini_con):
    """viewer_scope.sql builds one view per contract table rather than one named after it."""
    with scoped_cursor(mini_con, EVERY_FIRM) as cur:
        for table in TABLES:
            rows = cur.execute(f"SELECT * FROM {table.name}").df()
            assert list(rows.columns) == [*table.column_names, "_row"]
            assert len(rows) == len(cur.execute(f"SELECT * FROM unscoped_{table.name}").df())


@pytest.mark.parametrize("path", [p for p in SETUP_FILES if p.stem != "viewer_scope"], ids=lambda p: p.name)
def test_every_setup_file_declares_the_columns_it_builds(path, mini_con):
    macro = f"MACRO {path.stem}(" in path.read_text(encoding="utf-8")
    sql = f"SELECT * FROM {path.stem}" + ("($f)" if macro else "")
    with scoped_cursor(mini_con, EVERY_FIRM) as cur:
        rows = cur.execute(sql, {"f": Filters(2013, 2020).sql()} if macro else {}).df()
    assert list(rows.columns) == declared_columns(path)


def test_the_reference_covers_every_query_and_nothing_else():
    assert set(QUERIES) == {p.stem for p in QUERY_FILES}


@pytest.mark.parametrize("path", QUERY_FILES + SETUP_FILES, ids=lambda p: p.name)
def test_every_sql_file_says_what_it_returns_and_its_parameters(path):
    name = path.stem
    text = header(path)
    assert text.startswith(f"-- {name}:"), f"{path.name} must start with '-- {name}: what it returns'"
    assert "Parameters:" in text
    if path.parent == QUERIES_DIR:
        for param in parameter_names(path.stem):
            assert f"${param}" in text, f"{path.name} uses ${param} but its header does not name it"


# facts_cells sums every firm into tables once; its macros read them only for a viewer who may see every firm.
# task_rows and indicator_rows keep every firm's rows joined once; their macros read them scoped.
SCOPED_BASES = ("outcome_base", "participation_base", "facts_cells", "task_rows", "indicator_rows")


def test_setup_runs_every_setup_file_once():
    assert sorted(SETUP) == sorted(p.stem for p in SETUP_FILES)
    assert len(set(SETUP)) == len(SETUP)


@pytest.mark.parametrize("path", SETUP_FILES, ids=lambda p: p.name)
def test_every_setup_file_builds_what_it_is_named_after_and_is_used(path):
    name = path.stem
    # viewer_scope builds the macro viewer_may_see and the views every query reads.
    built = "viewer_may_see" if name == "viewer_scope" else name
    assert re.search(rf"CREATE OR REPLACE (VIEW {built} AS|MACRO {built}\()", path.read_text(encoding="utf-8"))
    users = [p for p in QUERY_FILES + SETUP_FILES if p != path and re.search(rf"\b{built}\b", sql_body(p))]
    assert users, f"{name} is used by no query"


def test_no_query_reads_around_the_viewer_scope():
    """Only the setup files that build the scoped views read the unscoped tables under them."""
    for path in QUERY_FILES + [p for p in SETUP_FILES if p.stem not in ("viewer_scope", *SCOPED_BASES)]:
        assert "unscoped_" not in sql_body(path), f"{path.name} reads an unscoped table"


def test_only_the_filter_macro_names_the_filters():
    """Adding a filter changes dashboard/filters.py and queries/setup/participation_facts.sql only."""
    for path in QUERY_FILES + SETUP_FILES:
        if path.stem != "participation_facts":
            assert "f[" not in sql_body(path), f"{path.name} reads a filter field; apply filters in participation_facts"
            assert "$year" not in sql_body(path) and "$previous" not in sql_body(path), path.name


def test_every_page_file_is_registered_and_every_registered_page_exists():
    files = {str(p.relative_to(ROOT)) for p in (ROOT / "pages").glob("*.py")}
    assert files == {p.path for p in PAGES}


def test_pages_get_filters_and_data_through_page_context_only():
    for spec in PAGES:
        text = (ROOT / spec.path).read_text(encoding="utf-8")
        assert "page_context(" in text, spec.path
        assert "duckdb" not in text and "run_query" not in text, f"{spec.path} must query through ctx.query"
        assert "view.sidebar" not in text and "view import" not in text, f"{spec.path} must use PageContext"
        assert "WIDGET_KEYS" not in text and ".iloc[0]" not in text, spec.path
        assert ".groupby(" not in text and ".sum(" not in text, f"{spec.path} must not aggregate"
