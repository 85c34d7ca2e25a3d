"""The docs stay true to the code: every setting, command, table and column is documented."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from dashboard.__main__ import build_parser
from dashboard.contract import TABLES

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")


def code_text() -> str:
    files = [ROOT / "app.py", *(ROOT / "dashboard").rglob("*.py"), *(ROOT / "pages").glob("*.py")]
    return "\n".join(f.read_text(encoding="utf-8") for f in files)


SETTINGS = sorted(set(re.findall(r"\"(DASHBOARD_[A-Z_]+)\"", code_text())))


def test_settings_are_found():
    assert "DASHBOARD_DATA_DIR" in SETTINGS


@pytest.mark.parametrize("setting", SETTINGS)
def test_readme_documents_every_setting(setting):
    assert f"`{setting}`" in README


def test_readme_has_the_two_commands_and_ci_calls_the_gate():
    assert "make run" in README and "make test" in README
    assert "make test" in (ROOT / ".ci" / "run").read_text(encoding="utf-8")


def test_readme_documents_every_command():
    commands = build_parser()._subparsers._group_actions[0].choices
    for name in commands:
        assert f"python -m dashboard {name}" in README, name


@pytest.mark.parametrize("table", TABLES, ids=lambda t: t.name)
def test_data_contract_doc_covers_every_column(table):
    doc = (ROOT / "docs" / "data-contract.md").read_text(encoding="utf-8")
    assert f"`{table.name}`" in doc
    for column in table.columns:
        assert f"`{column.name}`" in doc, f"{table.name}.{column.name}"


def test_readme_pages_table_lists_every_page():
    from dashboard.navigation import PAGES

    for page in PAGES:
        assert f"| {page.title} (" in README, page.title
