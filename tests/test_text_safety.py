"""Text from data, files or the URL is shown as text: the escaping helper (`dashboard/safe.py`) on each
surface, and a scan that fails when code passes text it did not build to a Markdown-rendering call."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pandas as pd
import pytest

from dashboard import safe
from dashboard.filters import Options, parse_url
from tests.helpers import shown

ROOT = Path(__file__).resolve().parents[1]
# Streamlit calls whose text argument (or `help=`) is read as Markdown.
# Widget labels render Markdown too (images and links included), so they are scanned as well.
MARKDOWN_CALLS = {
    "button",
    "download_button",
    "link_button",
    "checkbox",
    "toggle",
    "expander",
    "metric",
    "markdown",
    "caption",
    "info",
    "warning",
    "error",
    "success",
    "subheader",
    "title",
    "header",
}
MARKDOWN_KEYWORDS = {"help", "body"}
# Receivers with methods of the same names that are not Streamlit: loggers, argparse, number units.
NOT_STREAMLIT = {"_LOG", "log", "logger", "logging", "unit", "units", "amount", "rate", "commands"}
# A call may pass other text when it says why, on one of its lines or the line above: `# markdown: <reason>`.
ALLOW = re.compile(r"#\s*markdown:\s*\S")
HOSTILE = [
    "![x](https://evil.example/p.png)",
    "[링크](https://evil.example/)",
    "<img src=https://evil.example/i.png onerror=window.__pwned=1>",
    "**굵게** _기울임_ `code` $x^2$ :red[빨강] # 제목",
    "https://evil.example www.evil.example a@evil.example",
    "삼화플랜트\r\n# heading\n- item",
    "&lt;b&gt; &amp;",
]


def _receiver(node: ast.expr) -> str:
    while isinstance(node, ast.Attribute):
        node = node.value
    while isinstance(node, ast.Call):
        node = node.func
        while isinstance(node, ast.Attribute):
            node = node.value
    return node.id if isinstance(node, ast.Name) else ""


def _is_built_here(node: ast.expr) -> bool:
    """Text this code wrote: literals, constants, numbers formatted by `units`, or data through `safe`."""
    if isinstance(node, ast.Constant):
        return True
    if isinstance(node, ast.Name):
        return node.id.isupper()
    if isinstance(node, ast.Attribute):
        return node.attr.isupper() or node.attr in {"label_ko", "role_label"}
    if isinstance(node, ast.JoinedStr):
        return all(_is_built_here(v) for v in node.values)
    if isinstance(node, ast.FormattedValue):
        # A number format (`{n:,}`) can only show a number.
        return node.format_spec is not None or _is_built_here(node.value)
    if isinstance(node, ast.BinOp):
        return _is_built_here(node.left) and _is_built_here(node.right)
    if isinstance(node, ast.Call):
        return (
            _receiver(node.func) in {"safe", "units", "len"}
            or _receiver(node.func).isupper()
            or (isinstance(node.func, ast.Attribute) and node.func.attr == "size_text")
        )
    return False


def unescaped_markdown(path: Path) -> list[str]:
    source = path.read_text(encoding="utf-8")
    lines = source.splitlines()
    found = []
    for node in ast.walk(ast.parse(source)):
        if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)):
            continue
        if _receiver(node.func) in NOT_STREAMLIT or node.func.attr in {"add_argument", "add_parser"}:
            continue
        markdown_call = node.func.attr in MARKDOWN_CALLS
        texts = [k.value for k in node.keywords if k.arg in MARKDOWN_KEYWORDS]
        if markdown_call and node.args:
            texts.append(node.args[0])
        if any(ALLOW.search(line) for line in lines[max(0, node.lineno - 2) : node.end_lineno]):
            continue
        found += [f"{path.relative_to(ROOT)}:{t.lineno}: {ast.unparse(t)}" for t in texts if not _is_built_here(t)]
    return found


def test_no_page_passes_unescaped_text_to_markdown():
    files = sorted([*ROOT.glob("pages/*.py"), *ROOT.glob("dashboard/**/*.py"), ROOT / "app.py"])
    assert [hit for path in files for hit in unescaped_markdown(path)] == []


def test_the_scan_catches_data_in_markdown(tmp_path):
    page = tmp_path / "page.py"
    page.write_text(
        "st.subheader(f\"{row['company_name']} 프로필\")\n"
        "st.caption(name)\n"
        "st.info('x', help=row['help'])\n"
        "st.warning(f\"'{safe.md(name)}' {units.MAN.text(v)} {n:,}\")\n"
        "st.error(text)  # markdown: built from constants above\n"
    )
    page = page.rename(ROOT / "tests" / f"_scan_{tmp_path.name}.py")
    try:
        hits = unescaped_markdown(page)
    finally:
        page.unlink()
    assert [h.split(": ", 1)[1] for h in hits] == ["f\"{row['company_name']} 프로필\"", "name", "row['help']"]


@pytest.mark.parametrize("text", HOSTILE)
def test_markdown_escape_shows_the_text_without_markup(text):
    escaped = safe.md(text)
    assert shown(escaped) == re.sub(r"[\r\n]", " ", text)
    # Nothing can open a link, an image, HTML, an entity, math or a line-started block.
    assert not re.search(r"(?<!\\)[\[\]()<>&$:`*_#@!]", escaped)
    assert "\n" not in escaped and "\r" not in escaped
    # GFM's address autolinks match on the unescaped text: a word joiner breaks them.
    assert not re.search(r"(?i)https?\\?:/|www\\?\.|@\w", escaped)


@pytest.mark.parametrize("text", [*HOSTILE, "%{customdata[0]}", "<a href='https://evil.example'>x</a>"])
def test_plot_escape_leaves_no_markup_and_no_template(text):
    escaped = safe.plot(text)
    assert "<" not in escaped and ">" not in escaped and "%{" not in escaped
    assert re.sub(r"&(?!amp;|lt;|gt;|#37;)", "", escaped).count("&") == escaped.count("&")
    decoded = escaped.replace("&lt;", "<").replace("&gt;", ">").replace("&#37;", "%").replace("&amp;", "&")
    assert decoded == text
    frame = safe.plot_frame(pd.DataFrame({"name": [text], "value": [1]}))
    assert frame["name"].tolist() == [escaped] and frame["value"].tolist() == [1]


def test_url_warnings_are_short_and_literal():
    options = Options((2014, 2015, 2016), ("1단계",), {"A1": "경민테크"}, ("기계",), ("경남",), (1, 2))
    image = "![x](https://evil.example/p.png)"
    long_value = "가" * 100_000
    parsed = parse_url({"from": image, "industry": [long_value, *(f"x{i}" for i in range(20))], image: "1"}, options)
    text = "\n".join(parsed.warnings)
    assert "](" not in text and "![" not in text
    assert len(text) < 1000 and f"'{'가' * safe.REFLECT_CHARS}…'" in text and "외 16개" in text


@pytest.mark.parametrize("year", ["٢٠١٦", "２０１６", "2016\n", " 2016", "+2016", "2_016"])
def test_only_ascii_digits_make_a_year(year):
    options = Options((2014, 2015, 2016), (), {}, (), (), ())
    parsed = parse_url({"from": year}, options)
    assert parsed.filters.year_from == 2014 and len(parsed.warnings) == 1
    assert parse_url({"from": "2016"}, options).filters.year_from == 2016
