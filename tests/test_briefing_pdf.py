"""The briefing PDF and its command line: the filters in words and the very card values the app shows,
at most two pages, every font embedded, Korean as real text, nothing beyond the margins."""

from __future__ import annotations

import random
import re
import subprocess
from pathlib import Path
from urllib.parse import urlencode

import pandas as pd
import pytest
from PIL import Image
from pypdf import PdfReader
from pypdf.generic import ContentStream

from dashboard import cards, units
from dashboard.__main__ import main
from dashboard.briefing import pdf
from dashboard.filters import Filters
from dashboard.reading.settings import SAMPLE_DIR
from tests import reference
from tests.helpers import PAGE_PARAMS, metrics, random_dataset
from tests.helpers import shown as shown_text
from tests.reference import MINI_DIR, ROOT

ARTIFACTS = ROOT / "artifacts"


def pdf_text(path: Path, mode: str = "-layout") -> str:
    """The PDF's text as pdftotext extracts it: `-layout` as laid out, `-raw` in the order it was written."""
    return subprocess.run(["pdftotext", mode, str(path), "-"], capture_output=True, text=True, check=True).stdout


def flat(text: str) -> str:
    return re.sub(r"\s+", "", text)


def make(tmp_path: Path, monkeypatch, folder: Path, *args: str) -> Path:
    monkeypatch.setenv("DASHBOARD_DATA_DIR", str(folder))
    out = tmp_path / "briefing.pdf"
    assert main(["briefing", "--out", str(out), *args]) == 0
    return out


def assert_fonts_embedded(path: Path) -> None:
    fonts = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout
    rows = fonts.splitlines()[2:]
    assert rows, "the PDF has no font: its text would not be text"
    for row in rows:
        assert re.search(r"\byes\s+yes\s+yes\b", row), f"font not embedded: {row}"
    assert any("CJK" in row or "Nanum" in row for row in rows), fonts


def assert_margins_blank(path: Path, name: str, pages: int = 1) -> None:
    """The first `pages` pages rendered, page 1 saved for a human look, and each one's outer 1 cm left,
    right and top empty."""
    ARTIFACTS.mkdir(exist_ok=True)
    for number in range(1, pages + 1):
        stem = ARTIFACTS / (name if number == 1 else f"{name}-page{number}")
        render = ["pdftoppm", "-png", "-r", "50", "-f", str(number), "-l", str(number), "-singlefile"]
        subprocess.run([*render, str(path), str(stem)], check=True)
        page = Image.open(f"{stem}.png").convert("L")
        width, height = page.size
        cm = round(50 / 2.54)
        for box in ((0, 0, cm, height), (width - cm, 0, width, height), (0, 0, width, cm)):
            assert page.crop(box).getextrema()[0] > 245, f"content in the margin {box} of {stem}.png"


def missing_glyphs(path: Path) -> int:
    """How many characters the PDF draws with glyph 0 (.notdef), the box a font shows for a character it
    lacks. Typst writes text as 2-byte glyph ids (Identity-H), so glyph 0 is the code 00 00."""
    reader = PdfReader(path)
    found = 0
    for page in reader.pages:
        for operands, operator in ContentStream(page.get_contents(), reader).operations:
            if operator not in (b"Tj", b"TJ"):
                continue
            strings = operands[0] if operator == b"TJ" else operands
            for text in strings:
                raw = getattr(text, "original_bytes", b"")
                found += sum(raw[i : i + 2] == b"\0\0" for i in range(0, len(raw) - 1, 2))
    return found


def assert_sound(path: Path, name: str) -> None:
    """At most two pages, every font embedded, no character without its glyph, margins empty."""
    pages = len(PdfReader(path).pages)
    assert pages <= 2, f"{name}: {pages} pages"
    assert_fonts_embedded(path)
    assert missing_glyphs(path) == 0, f"{name}: characters drawn as empty boxes"
    assert_margins_blank(path, name, pages)


@pytest.mark.parametrize(
    ("folder", "query", "words"),
    [
        (SAMPLE_DIR, {"from": "2016", "to": "2017", "tier": "2"}, ["2016–2017 기수", "협력 차수 2차", "합성 데이터"]),
        (SAMPLE_DIR, {"from": "2018", "to": "2019", "region": "충남"}, ["2018–2019 기수", "지역 충남", "업종 전체"]),
        (MINI_DIR, {}, ["단계 전체", "기업 전체"]),
    ],
    ids=["sample-tier2", "sample-falling", "mini"],
)
def test_overview_briefing_shows_the_app_cards_and_filters(app, tmp_path, monkeypatch, folder, query, words):
    at = app(query, data_dir=folder)
    shown = metrics(at)
    sentences = shown_text(at.container(key="summary").markdown[0].value) if folder == SAMPLE_DIR else ""
    out = make(tmp_path, monkeypatch, folder, "--query", "&".join(f"{k}={v}" for k, v in query.items()))
    text = pdf_text(out)
    squeezed = flat(text)
    for label, value in shown.items():
        assert flat(f"{label}") in squeezed and flat(value) in squeezed, (label, value)
    for word in words:
        assert flat(word) in squeezed, word
    assert "합성 데이터" in text or folder != SAMPLE_DIR
    for line in sentences.splitlines():
        if line.startswith("- "):
            assert flat(line[2:]) in squeezed, line
    assert len(PdfReader(out).pages) <= 2
    assert_fonts_embedded(out)
    assert_margins_blank(out, f"briefing-overview-{folder.name}-{len(query)}")


def test_every_card_value_in_order_with_deltas(app, tmp_path, monkeypatch):
    """Cards with a previous period: value and delta in the PDF as on the card."""
    at = app({"from": "2016", "to": "2017"}, data_dir=SAMPLE_DIR)
    out = make(tmp_path, monkeypatch, SAMPLE_DIR, "--query", "from=2016&to=2017")
    squeezed = flat(pdf_text(out, "-raw"))
    assert len(at.metric) == 7
    for metric in at.metric:
        assert flat(metric.label + metric.value + (metric.delta or "")) in squeezed, metric.label


def test_the_glyph_check_finds_a_character_the_font_lacks(tmp_path):
    source = tmp_path / "t.typ"
    family, font = pdf.korean_font()
    source.write_text(f'#set text(font: "{family}")\n가나다 \U00017000', encoding="utf-8")
    out = tmp_path / "t.pdf"
    out.write_bytes(pdf.typst.compile(str(source), font_paths=[str(font.parent)], ignore_system_fonts=True))
    assert missing_glyphs(out) == 1


# Per view: the page, the card set it shows, a query and the filters in words it must print.
VIEW_PAGES = {
    "companies": ("pages/companies.py", None, {"industry": "기계가공"}, ["업종 기계가공", "단계 전체"]),
    "tasks": (
        "pages/tasks.py",
        cards.TASKS,
        {"from": "2016", "to": "2019", "tier": "2"},
        ["2016–2019 기수", "협력 차수 2차"],
    ),
    "outcomes": (
        "pages/outcomes.py",
        cards.OUTCOMES,
        {"region": "충남", "phase": "1단계"},
        ["지역 충남", "단계 1단계"],
    ),
}


# Per view: which of the page's tables is its main one, a text column of it, the unit of its rows.
TABLES = {
    "companies": (0, "company_name", units.FIRMS),
    "tasks": (-1, "title", units.CASES),
    "outcomes": (-1, "company_name", units.CASES),
}


@pytest.mark.parametrize("view", VIEW_PAGES)
def test_view_briefing_shows_the_page_cards_table_and_filters(app, tmp_path, monkeypatch, view):
    """The sample: the page's own cards (the set `cards` defines, so the page and the PDF cannot drift),
    the first rows of its table with how many more there are, the filters in words."""
    page, card_set, query, words = VIEW_PAGES[view]
    at = app(query, data_dir=SAMPLE_DIR, page=page)
    assert not at.exception
    shown = metrics(at)
    assert list(shown) == ([s.label for s in card_set.stats] if card_set else [])
    out = make(tmp_path, monkeypatch, SAMPLE_DIR, "--view", view, "--query", urlencode(query))
    raw = flat(pdf_text(out, "-raw"))
    squeezed = flat(pdf_text(out))
    for label, value in shown.items():
        assert flat(label + value) in raw, (label, value)
    assert ("핵심지표" in raw) == bool(shown)
    for word in [*words, "합성 데이터"]:
        assert flat(word) in squeezed, word
    # The page's main table (the leaderboard, the task list, the indicator rows; the sample's are shorter
    # than the page's limit): its first rows in the PDF, and how many more there are.
    table, column, unit = TABLES[view]
    rows = at.dataframe[table].value
    for name in rows[column].head(pdf.TABLE_ROWS):
        assert flat(name) in raw, name
    more = len(rows) - pdf.TABLE_ROWS
    assert more > 0 and flat(f"외 {unit.text(more)}") in squeezed
    if card_set:
        assert "지표정의" + flat(card_set.stats[0].label) in raw
    assert_sound(out, f"briefing-{view}-sample")


def random_filters(frames: reference.Frames, rng: random.Random) -> Filters:
    """Filters over values the data holds that leave a few firms (seed 0 still leaves no task and no
    indicator: the pages' empty case)."""
    facts = frames.participations
    while True:
        year_from = rng.choice(sorted(facts["year"].unique()))
        f = Filters(
            int(year_from),
            int(rng.choice([y for y in facts["year"].unique() if y >= year_from])),
            industries=tuple(rng.sample(sorted(facts["industry"].unique()), rng.randint(0, 1))),
            tiers=tuple(rng.sample(sorted(int(t) for t in facts["tier"].unique()), rng.randint(0, 1))),
        )
        if reference.kpis(frames, f)["firms"] >= 3:
            return f


def filter_words(f: Filters) -> list[str]:
    period = str(f.year_from) if f.year_from == f.year_to else f"{f.year_from}–{f.year_to}"
    return [
        f"{period} 기수",
        "업종 " + (", ".join(f.industries) or "전체"),
        "협력 차수 " + (", ".join(f"{t}차" for t in f.tiers) or "전체"),
        "단계 전체",
        "기업 전체",
    ]


@pytest.mark.parametrize("seed", range(3))
def test_view_briefings_on_random_data_print_the_reference_cards(tmp_path, monkeypatch, seed):
    """Random data and filters: each view's PDF holds its cards as the pandas reference computes them, in
    the page's format, the filters in words, the first firms of the leaderboard and how many are left."""
    rng = random.Random(seed)
    folder = tmp_path / "data"
    folder.mkdir()
    random_dataset(folder, rng)
    frames = reference.load(folder)
    f = random_filters(frames, rng)
    query = urlencode({"from": f.year_from, "to": f.year_to, "industry": f.industries, "tier": f.tiers}, doseq=True)
    params = f.params() | PAGE_PARAMS
    for view, (_, card_set, _, _) in VIEW_PAGES.items():
        out = make(tmp_path, monkeypatch, folder, "--view", view, "--query", query)
        raw = flat(pdf_text(out, "-raw"))
        squeezed = flat(pdf_text(out))
        for word in filter_words(f):
            assert flat(word) in squeezed, (view, word)
        if card_set is None:
            board = reference.compute(frames, "company_leaderboard", params | {"limit": None})
            for name in board["company_name"].head(pdf.TABLE_ROWS):
                assert flat(name) in squeezed, name
        else:
            row = reference.compute(frames, card_set.query, params).iloc[0]
            if card_set.empty(row):
                assert flat(card_set.empty_note) in raw
            for label, value, _ in [] if card_set.empty(row) else card_set.shown(row):
                assert flat(label + value) in raw, (view, label, value)
        assert_sound(out, f"briefing-{view}-random{seed}")


def test_cli_refuses_an_invalid_value_in_korean(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("DASHBOARD_DATA_DIR", str(SAMPLE_DIR))
    out = tmp_path / "x.pdf"
    assert main(["briefing", "--out", str(out), "--query", "from=2016&tier=9"]) == 1
    err = capsys.readouterr().err
    assert "브리핑을 만들지 않았습니다" in err and "'tier'(협력 차수) 값 '9'" in err
    assert not out.exists()


def test_cli_names_the_font_package_when_no_korean_font(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("DASHBOARD_DATA_DIR", str(SAMPLE_DIR))
    monkeypatch.setattr(pdf, "FONT_CANDIDATES", ())
    assert main(["briefing", "--out", str(tmp_path / "x.pdf")]) == 1
    assert "fonts-noto-cjk" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("view", "page"),
    [
        ("overview", None),
        ("companies", "pages/companies.py"),
        ("tasks", "pages/tasks.py"),
        ("outcomes", "pages/outcomes.py"),
    ],
)
def test_the_button_offers_the_pdf(app, view, page):
    at = app({"from": "2016", "to": "2017"}, page=page)
    at.button(key=f"briefing_make_{view}").click().run()
    assert not at.exception
    assert [b for b in at.get("download_button") if b.label == "브리핑 PDF 내려받기"]


def test_firm_one_pager_shows_the_profile_cards(app, tmp_path, monkeypatch):
    at = app({"company": "C161"}, data_dir=SAMPLE_DIR, page="pages/companies.py")
    shown = metrics(at)
    assert "기업 한 장 요약 PDF" in [b.label for b in at.button]
    out = make(tmp_path, monkeypatch, SAMPLE_DIR, "--view", "company", "--company", "C161")
    squeezed = flat(pdf_text(out, "-raw"))
    for label, value in shown.items():
        assert flat(label + value) in squeezed, (label, value)
    assert (
        "경민테크·기업한장요약" in squeezed
        and "만원" in squeezed
        and "억원" not in squeezed.split("핵심지표")[1].split("지표정의")[0]
    )
    # One page, the peer statistics under the cards (tests/test_peers.py) included.
    assert len(PdfReader(out).pages) == 1
    assert_fonts_embedded(out)


def test_long_names_are_cut_and_stay_within_the_page(tmp_path, monkeypatch):
    """A firm, an industry, a task and an indicator named at length: every briefing keeps to its margins
    and two pages, the names cut with "…"."""
    folder = tmp_path / "data"
    folder.mkdir()
    random_dataset(folder, random.Random(1))
    long = {
        "companies": ("company_name", "긴기업이름"),
        "tasks": ("title", "아주긴과제명"),
        "outcomes": ("indicator", "긴지표"),
    }
    for table, (column, word) in long.items():
        frame = pd.read_csv(folder / f"{table}.csv", dtype=str, keep_default_na=False)
        frame[column] = word * 60 + frame[column]  # still one name per firm, one key per row
        if table == "companies":
            frame.loc[0, "industry"] = "긴업종" * 60
        frame.to_csv(folder / f"{table}.csv", index=False)
    for view in [*VIEW_PAGES, "company"]:
        out = make(tmp_path, monkeypatch, folder, "--view", view, *(["--company", "X1"] if view == "company" else []))
        assert "…" in pdf_text(out), view
        assert_sound(out, f"briefing-{view}-long-names")
