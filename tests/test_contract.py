"""The contract is described in one place: dashboard/contract.py. The docs are checked against it, and
no other module may describe a column again.

What counts as describing a column again (found by reading the code's syntax tree, so comments,
docstrings and messages do not count, only data the code acts on):
- a collection literal holding two or more of one column's Korean input names (aliases), or two or
  more table aliases: an alias table;
- a collection literal holding two or more accepted value words or Korean value labels of one column
  (`"진행 중"`, `"중도포기"`, `"manufacturing"`), two or more yes/no words, or two or more unit words
  (`"억원"`, `"만원"`): a value, label, boolean or unit table;
- a tuple, list or set literal holding every allowed value of a column: the value set listed again;
- a dict literal keyed by two or more DuckDB type names: a type map (Arrow types, Korean type names);
- a (table, column) pair of string literals naming a contract column: a rule kept beside the contract
  (like the old `NONZERO = (("outcomes", "baseline"),)`);
- a (unit word, factor) pair: an entry of a unit table.
A single word in a single place (a card label, a column header, a message) is text, not a description.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from dashboard.contract import BOOLEAN_WORDS, TABLES, TYPES
from dashboard.reading import importer

ROOT = Path(__file__).resolve().parent.parent
DOCS = (ROOT / "docs" / "data-contract.md").read_text(encoding="utf-8")
CONTRACT = ROOT / "dashboard" / "contract.py"


def code_files() -> list[Path]:
    files = [ROOT / "app.py", *(ROOT / "dashboard").rglob("*.py"), *(ROOT / "pages").glob("*.py")]
    return sorted(f for f in files if f != CONTRACT)


def _korean(word: str) -> bool:
    return any("\uac00" <= ch <= "\ud7a3" for ch in word)


def vocabularies() -> list[tuple[str, set[str]]]:
    """(what it is, its words): two words of one vocabulary in one literal are a re-description."""
    found = [("table aliases", {a for t in TABLES for a in t.aliases})]
    for table in TABLES:
        for column in table.columns:
            where = f"{table.name}.{column.name}"
            if column.aliases:
                found.append((f"{where} aliases", set(column.aliases)))
            words = {w for v in column.values for w in (v.label, *v.words) if w != v.code}
            if words:
                found.append((f"{where} value words and labels", words))
            units = {suffix for suffix, _factor in column.units}
            if len(units) > 1:
                found.append((f"{where} unit words", units))
    found.append(("yes/no words", {w for words in BOOLEAN_WORDS.values() for w in words if _korean(w)}))
    return found


VALUE_SETS = [(f"{t.name}.{c.name} allowed values", set(c.allowed)) for t in TABLES for c in t.columns if c.allowed]
COLUMNS = {(t.name, c.name) for t in TABLES for c in t.columns}
UNIT_WORDS = {suffix for t in TABLES for c in t.columns for suffix, _factor in c.units}


def _strings(nodes) -> list[str]:
    return [n.value for n in nodes if isinstance(n, ast.Constant) and isinstance(n.value, str)]


def re_descriptions(source: str) -> list[str]:
    """Every place in `source` that describes a contract column again, as `line: what`."""
    found = []
    vocabularies_ = vocabularies()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Dict):
            keys, elements = _strings(node.keys), _strings([*node.keys, *node.values])
        elif isinstance(node, ast.Tuple | ast.List | ast.Set):
            keys, elements = [], _strings(node.elts)
        else:
            continue
        present = set(elements)
        for what, words in vocabularies_:
            if len(present & words) >= 2:
                found.append(f"{node.lineno}: {what} ({', '.join(sorted(present & words))})")
        if not isinstance(node, ast.Dict):
            for what, values in VALUE_SETS:
                if values <= present:
                    found.append(f"{node.lineno}: {what} listed again")
            if len(elements) == 2 == len(node.elts) and tuple(elements) in COLUMNS:
                found.append(f"{node.lineno}: a rule about {'.'.join(elements)}")
            if len(node.elts) == 2 and elements and elements[0] in UNIT_WORDS:
                found.append(f"{node.lineno}: a unit word with its factor ({elements[0]})")
        if len(set(keys) & set(TYPES)) >= 2:
            found.append(f"{node.lineno}: a map of the contract's types")
    return found


@pytest.mark.parametrize("path", code_files(), ids=lambda p: str(p.relative_to(ROOT)))
def test_no_module_describes_a_column_again(path):
    assert re_descriptions(path.read_text(encoding="utf-8")) == []


@pytest.mark.parametrize(
    "snippet",
    [
        'COLUMN_ALIASES = {"companies": {"company_id": ("기업ID", "기업코드")}}',
        'VALUE_ALIASES = {("tasks", "status"): {"계획": "planned", "보류": "on_hold"}}',
        'LABELS = {"in_progress": "진행 중", "dropped": "중도 포기"}',
        'BOOLEAN_WORDS = {True: ("예", "네"), False: ("아니오",)}',
        'UNIT_SUFFIXES = {"consulting_krw": (("억원", 10**8), ("만원", 10**4))}',
        'TYPE_KO = {"VARCHAR": "문자", "INTEGER": "정수"}',
        'STATUSES = ("planned", "in_progress", "done", "on_hold")',
        'NONZERO = (("outcomes", "baseline"),)',
        'TABLE_ALIASES = {"tasks": ("개선과제", "과제")}',
    ],
)
def test_the_check_catches_each_kind_of_re_description(snippet):
    assert re_descriptions(snippet), snippet


def test_the_check_leaves_single_words_and_codes_alone():
    text = (
        'CARDS = (("진행 중", 1, None), ("보류", 2, None))\n'
        'COLORS = {"done": "#1", "in_progress": "#2", "planned": "#3", "on_hold": "#4"}\n'
        'CONFIG = {"company_name": "기업명", "year": "기수"}\n'
        'WEIGHTS = {"completed": (0.1,), "dropped": (0.2,)}\n'
    )
    assert re_descriptions(text) == []


# --- the docs as read from the contract ---------------------------------------------------------


@pytest.mark.parametrize("table", TABLES, ids=lambda t: t.name)
def test_docs_show_every_column_with_its_korean_names_and_type(table):
    assert re.search(rf"\| `{table.name}` \| {re.escape(', '.join(table.aliases))} \|", DOCS), table.name
    for column in table.columns:
        row = f"| `{column.name}` | {', '.join(column.aliases)} | {column.type_ko.split('(')[0]}"
        assert row in DOCS, row
        for value in column.values:
            word = next((w for w in (*value.words, value.label) if w != value.code), None)
            shown = f"`{value.code}`({word})" if word else f"`{value.code}`"
            assert shown in DOCS, shown
        for suffix, _factor in column.units:
            assert suffix in DOCS, suffix


def test_docs_name_every_yes_no_word():
    for words in BOOLEAN_WORDS.values():
        for word in words:
            assert re.search(rf"`{re.escape(word)}`", DOCS, re.IGNORECASE), word


def test_contract_frame_is_built_from_the_contract():
    for table in TABLES:
        frame = importer.contract_frame(table).set_index("열")
        for column in table.columns:
            assert frame.loc[column.name, "한글 이름"] == ", ".join(column.aliases)
            assert frame.loc[column.name, "형식"] == column.type_ko
