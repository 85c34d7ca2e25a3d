"""The briefing PDF and its command line: the filters in words and the very card values the app shows,
at most two pages, every font embedded, Korean as real text, nothing beyond the margins."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest
from PIL import Image
from pypdf import PdfReader

from dashboard.__main__ import main
from dashboard.briefing import pdf
from dashboard.reading.settings import SAMPLE_DIR
from tests.helpers import metrics
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


def assert_margins_blank(path: Path, name: str) -> None:
    """Page 1 rendered: saved for a human look, and its outer 1 cm left, right and top empty."""
    ARTIFACTS.mkdir(exist_ok=True)
    stem = ARTIFACTS / name
    render = ["pdftoppm", "-png", "-r", "50", "-f", "1", "-l", "1", "-singlefile", str(path), str(stem)]
    subprocess.run(render, check=True)
    page = Image.open(f"{stem}.png").convert("L")
    width, height = page.size
    cm = round(50 / 2.54)
    for box in ((0, 0, cm, height), (width - cm, 0, width, height), (0, 0, width, cm)):
        assert page.crop(box).getextrema()[0] > 245, f"content in the margin {box} of {stem}.png"


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


@pytest.mark.parametrize("view", ["companies", "tasks", "outcomes"])
def test_other_views_give_a_briefing_of_at_most_two_pages(tmp_path, monkeypatch, view):
    out = make(tmp_path, monkeypatch, SAMPLE_DIR, "--view", view, "--company", "C001", "--company", "C161")
    assert len(PdfReader(out).pages) <= 2
    assert "경민테크(C161)" in flat(pdf_text(out))


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


def test_the_button_offers_the_pdf(app):
    at = app({"from": "2016", "to": "2017"})
    at.button(key="briefing_make_overview").click().run()
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
    # With the peer statistics under the cards (tests/test_peers.py) the definitions can run onto a second page.
    assert len(PdfReader(out).pages) <= 2
    assert_fonts_embedded(out)
