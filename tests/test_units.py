"""Units from the column name: every suffix's scale, formats, text, missing values, signs and
rounding; the browser writes a table cell as the text formatter does; pages name no formats."""

from __future__ import annotations

import ast
import json
import math
import re
import shutil
import subprocess
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import streamlit

from dashboard import cards, units
from tests.reference import ROOT

# suffix -> (unit, word, column format, 1,234.5678 as text, as a delta, -0.04 as a delta)
SUFFIXES = {
    "_krw": (units.KRW, "원", "%,.0f원", "1,235원", "+1,235원", "-0원"),
    "_man": (units.MAN, "만원", "%,.0f만원", "1,235만원", "+1,235만원", "-0만원"),
    "_eok": (units.EOK, "억원", "%,.1f억원", "1,234.6억원", "+1,234.6억원", "-0.0억원"),
    "_pct": (units.PCT, "%", "%,.1f%%", "1,234.6%", "+1,234.6%p", "-0.0%p"),
    "_x": (units.MULTIPLE, "배", "%,.2f배", "1,234.57배", "+1,234.57배", "-0.04배"),
}


def test_every_suffix_is_covered_here():
    assert set(SUFFIXES) == set(units.SUFFIXES)


@pytest.mark.parametrize("suffix", SUFFIXES)
def test_suffix_formats(suffix):
    unit, word, column_format, text, delta, small_negative_delta = SUFFIXES[suffix]
    assert units.of(f"support{suffix}") is unit
    assert unit.word == word
    assert unit.column_format() == column_format
    assert unit.column_format(signed=True) == column_format.replace("%,", "%+,", 1)
    assert unit.text(1234.5678) == text
    assert unit.delta(1234.5678) == delta
    assert unit.delta(-1234.5678) == delta.replace("+", "-")
    assert unit.delta(-0.04) == small_negative_delta, "a change that rounds to zero keeps its one sign"
    assert unit.signed(1234.5678) == "+" + text
    assert unit.header("지원금") == f"지원금({word})"
    assert unit.hover("y") == f"%{{y:,.{unit.decimals}f}}{word}"
    column = unit.column("지원금", help="도움말")
    assert (column["label"], column["help"]) == ("지원금", "도움말")
    assert (column["type_config"]["type"], column["type_config"]["format"]) == ("number", column_format)


@pytest.mark.parametrize("unit", [*units.SUFFIXES.values(), *units.COUNTS], ids=lambda u: u.word)
@pytest.mark.parametrize("value", [None, math.nan, np.nan, pd.NA, pd.NaT, np.float64("nan")], ids=repr)
def test_missing_values_show_a_dash_and_no_delta(unit, value):
    assert unit.text(value) == "–"
    assert unit.signed(value) == "–"
    assert unit.delta(value) is None, "st.metric draws no delta for None"


def test_zero_and_signs():
    assert units.EOK.delta(0) == "+0.0억원"
    assert units.EOK.delta(-0.0) == "+0.0억원"
    assert units.PCT.signed(-4) == "-4.0%"
    assert units.PCT.signed(32.06) == "+32.1%"
    assert units.PCT.delta(2.06) == "+2.1%p"
    assert units.FIRMS.delta(-3) == "-3개사"
    assert units.CASES.delta(12) == "+12건"


def test_counts():
    words = ["개사", "건", "명", "차", "회", "행", "개"]
    assert [u.text(1234) for u in units.COUNTS] == [f"1,234{word}" for word in words]
    assert units.FIRMS.text(np.int64(144)) == "144개사"
    assert units.TIER.column_format() == "%,.0f차"
    assert units.done_of(3, 4) == "3/4건"
    assert units.done_of(1200, 1500) == "1,200/1,500건"
    assert units.done_of(0, 0) == "–"
    assert units.done_of(None, None) == "–"


@pytest.mark.parametrize(
    ("unit", "value", "text"),
    [
        (units.MAN, 1842.5, "1,843만원"),  # ties away from zero, as the browser rounds
        (units.MAN, 1841.5, "1,842만원"),
        (units.MAN, -1842.5, "-1,843만원"),
        (units.EOK, 0.25, "0.3억원"),
        (units.EOK, 2.85, "2.9억원"),
        (units.EOK, 28.04, "28.0억원"),
        (units.MULTIPLE, 2.575, "2.58배"),
        (units.MULTIPLE, 1.005, "1.00배"),  # 1.005 is 1.00499… in binary
        (units.PCT, 87.05, "87.0%"),  # 87.04999…
        (units.KRW, 999_999_999_999.5, "1,000,000,000,000원"),
    ],
)
def test_rounding(unit, value, text):
    assert unit.text(value) == text


@pytest.mark.parametrize("unit", [*units.SUFFIXES.values(), units.FIRMS], ids=lambda u: u.word)
def test_downloads_round_as_the_text_shows(unit):
    rng = np.random.default_rng(7)
    ties = [(k + 0.5) / 10**unit.decimals for k in range(-60, 60)]  # exact or within float error of a tie
    values = pd.Series(
        [*rng.normal(0, 5000, 300), *(rng.integers(-9999, 9999, 100) / 200), *ties, 0.125, 1.005, 1e12 + 0.5, None]
    )
    rounded = unit.rounded(values)
    assert str(rounded.dtype) == ("Int64" if unit.decimals == 0 else "Float64")
    assert pd.isna(rounded.iloc[-1])
    for value, shown in zip(values[:-1], rounded[:-1], strict=True):
        assert unit.text(shown) == unit.text(value)
        assert float(unit.text(value).removesuffix(unit.word).replace(",", "")) == shown


def test_scales_from_krw():
    assert units.KRW.convert(2_800_000_000, units.EOK) == 28.0
    assert units.KRW.convert(18_410_000, units.MAN) == 1841.0
    assert units.EOK.convert(0.2, units.MAN) == 2000.0
    assert units.MAN.convert(1841, units.KRW) == 18_410_000
    assert units.TOTAL is units.EOK and units.FIRM is units.MAN
    with pytest.raises(ValueError, match="금액 단위가 아니어서"):
        units.PCT.convert(1.0, units.EOK)


def test_unit_of_a_column():
    assert units.of("outcome_multiple_x") is units.MULTIPLE
    assert units.of("task_completion_pct") is units.PCT
    assert units.of("company_name") is None
    assert units.of("firms") is None
    assert units.of_table_column("firms", units.FIRMS.column("기업")) is units.FIRMS
    assert units.of_table_column("improvement_pct", units.PCT.column("개선율", signed=True)) is units.PCT
    assert units.of_table_column("year", {"type_config": {"type": "number", "format": "%d"}}) is None
    assert units.of_table_column("company_name", "기업명") is None


def test_column_config_takes_the_format_from_the_suffix():
    shown = units.column_config(
        {
            "company_name": "기업명",
            "support_man": "지원금",
            "outcome_man": streamlit.column_config.NumberColumn("재무성과", help="측정 전: –"),
            "improvement_pct": units.PCT.column("개선율", signed=True),
            "sharing_contract": streamlit.column_config.CheckboxColumn("성과공유 계약"),
        }
    )
    assert shown["company_name"] == "기업명"
    assert shown["support_man"]["label"] == "지원금"
    assert shown["support_man"]["type_config"]["format"] == "%,.0f만원"
    assert (shown["outcome_man"]["help"], shown["outcome_man"]["type_config"]["format"]) == ("측정 전: –", "%,.0f만원")
    assert shown["improvement_pct"]["type_config"]["format"] == "%+,.1f%%", "an explicit format stays"
    assert shown["sharing_contract"]["type_config"] == {"type": "checkbox"}


def test_firm_amounts_are_in_man():
    frame = pd.DataFrame(
        {"company_name": ["가"], "outcome_eok": [0.1841], "support_krw": [5_000_000], "outcome_multiple_x": [2.5]}
    )
    shown = units.firm_amounts(frame)
    assert list(shown.columns) == ["company_name", "outcome_man", "support_man", "outcome_multiple_x"]
    assert shown["outcome_man"].iloc[0] == pytest.approx(1841.0)
    assert shown["support_man"].iloc[0] == 500.0
    assert shown["outcome_multiple_x"].iloc[0] == 2.5
    assert list(frame.columns)[1] == "outcome_eok", "the caller's frame is not modified"


def test_cards_show_krw_totals_in_eok():
    by_label = {card.label: card for card in cards.CARDS}
    assert by_label["지원금"].value(2_804_000_000) == "28.0억원"
    assert by_label["지원금"].delta(-40_000_000) == "-0.4억원"
    assert by_label["재무성과"].value(None) == "–"
    assert by_label["성과배수"].value(2.574) == "2.57배"
    assert by_label["과제 완료율"].delta(-2.06) == "-2.1%p"
    assert by_label["지원 기업"].delta(None) is None
    assert by_label["성과공유 계약"].value(36) == "36건"


def _streamlit_sprintf() -> Path | None:
    found = sorted((Path(streamlit.__file__).parent / "static" / "static" / "js").glob("sprintfjs.*.js"))
    return found[0] if found else None


@pytest.mark.skipif(shutil.which("node") is None or _streamlit_sprintf() is None, reason="needs node")
def test_the_browser_writes_table_cells_as_the_text_formatter(tmp_path):
    """Streamlit's own printf (the one its tables run) applied to each unit's column format gives
    exactly the text the cards and downloads show, ties and signs included."""
    source = _streamlit_sprintf().parent
    imports = {p.name: p.stem + ".mjs" for p in source.glob("*.js")}
    for name in ("sprintfjs", "src", "types"):
        for path in source.glob(f"{name}.*.js"):
            text = path.read_text(encoding="utf-8")
            for js, mjs in imports.items():
                text = text.replace(f'"./{js}"', f'"./{mjs}"')
            (tmp_path / imports[path.name]).write_text(text, encoding="utf-8")
    values = [0, 0.5, 1.5, 2.5, -2.5, 0.05, 0.125, -0.04, 2.85, 1.005, 1842.5, 28.04, 1234567.891, -98765.4321]
    values += list(np.random.default_rng(3).normal(0, 3000, 200).round(4))
    cases = [(unit.column_format(signed=signed), unit, signed) for unit in units.SUFFIXES.values() for signed in (0, 1)]
    cases += [(unit.column_format(), unit, False) for unit in units.COUNTS]
    module = (tmp_path / imports[_streamlit_sprintf().name]).as_uri()
    script = (
        "globalThis.window = {};\n"
        f"const {{t: sprintf}} = await import({json.dumps(module)});\n"
        f"const formats = {json.dumps([c[0] for c in cases])}, values = {json.dumps(values)};\n"
        "console.log(JSON.stringify(formats.map(f => values.map(v => sprintf(f, v)))));\n"
    )
    result = subprocess.run(
        ["node", "--input-type=module", "-e", script], capture_output=True, text=True, check=True, timeout=60
    )
    written = json.loads(result.stdout)
    for (column_format, unit, signed), cells in zip(cases, written, strict=True):
        ours = [unit.signed(v) if signed else unit.text(v) for v in values]
        assert cells == ours, column_format


# printf with a flag or a precision (`%,.0f`, `%.1f`, `%+d`); not strftime's `%d`.
PRINTF = re.compile(r"%[+,]|%\d*\.\d")
# A format spec that writes a number for people (`,`, `.1f`, `+d`, `%`); not `08x` in a widget key.
NUMBER_SPEC = re.compile(r"[,_.+]|[dfeg%n]$")


# Any of these in a page is a number formatted by hand instead of by `units`.
def hand_made_formats(source: str) -> list[str]:
    found = []
    for node in ast.walk(ast.parse(source)):
        spec = node.format_spec if isinstance(node, ast.FormattedValue) else None
        if spec is not None and NUMBER_SPEC.search(ast.unparse(spec)[2:-1]):
            found.append(f"line {node.lineno}: f-string format {ast.unparse(node.format_spec)}")
        elif isinstance(node, ast.keyword) and node.arg in ("format", "tickformat", "texttemplate"):
            found.append(f"line {node.value.lineno}: {node.arg}=")
        elif isinstance(node, ast.Call) and (
            (isinstance(node.func, ast.Name) and node.func.id == "format")
            or (isinstance(node.func, ast.Attribute) and node.func.attr == "format")
        ):
            found.append(f"line {node.lineno}: {ast.unparse(node.func)}()")
        elif isinstance(node, ast.BinOp) and isinstance(node.op, ast.Mod) and isinstance(node.left, ast.Constant):
            found.append(f"line {node.lineno}: '...' % value")
        elif isinstance(node, ast.Constant) and isinstance(node.value, str) and "%{" in node.value:
            found.append(f"line {node.lineno}: hover template")
        elif isinstance(node, ast.Constant) and isinstance(node.value, str) and PRINTF.search(node.value):
            found.append(f"line {node.lineno}: printf format {node.value!r}")
    return found


def test_the_checker_finds_hand_made_formats():
    bad = """
a = f"{x:,.1f}억원"
b = st.column_config.NumberColumn("지원금", format="%,.0f만원")
c = MAN = "%,.0f만원"
d = "{:,}".format(n)
e = "%d건" % n
g = "{:.2f}배".format(x)
h = "%{y:.1f}%"
"""
    lines = {int(found.split(":")[0].removeprefix("line ")) for found in hand_made_formats(bad)}
    assert lines == {2, 3, 4, 5, 6, 7, 8}
    fine = 'x = f"{a} · {b!r} {c:08x}"; y = "100%가 아님"; z = t.strftime("%Y-%m-%d %H:%M")'
    assert hand_made_formats(fine) == []


@pytest.mark.parametrize("page", sorted((ROOT / "pages").glob("*.py")), ids=lambda p: p.name)
def test_pages_write_no_number_formats(page):
    assert hand_made_formats(page.read_text(encoding="utf-8")) == [], f"{page.name}: use dashboard.units"


@pytest.mark.parametrize(
    ("page", "query"),
    [
        ("pages/overview.py", {}),
        ("pages/companies.py", {}),
        ("pages/companies.py", {"company": "C161"}),
        ("pages/tasks.py", {}),
        ("pages/outcomes.py", {}),
        ("pages/data.py", {}),
    ],
    ids=str,
)
def test_every_table_column_with_a_unit_shows_in_that_unit(app, page, query):
    at = app(query, page=page)
    assert not at.exception
    checked = 0
    for table in at.dataframe:
        config = json.loads(table.proto.columns or "{}")
        for column in table.proto.column_order or config:
            unit = units.of(column)
            if unit is None:
                continue
            shown = config[column]["type_config"]["format"]
            assert shown in (unit.column_format(), unit.column_format(signed=True)), (page, column, shown)
            checked += 1
    if page in ("pages/overview.py", "pages/companies.py", "pages/outcomes.py"):
        assert checked, f"{page} shows no column with a unit"


def test_a_table_caption_says_how_many_of_how_many_it_shows():
    assert units.CASES.part(120, 120) == "120건"
    assert units.CASES.part(1234, 500) == "1,234건 중 500건 표시"
    assert units.FIRMS.part(1234, 100, "재무성과 상위 {shown}") == "1,234개사 중 재무성과 상위 100개사"
