"""The page list, kept outside app.py so tests and benchmarks can read it without running Streamlit."""

from __future__ import annotations

from dataclasses import dataclass

APP_TITLE = "산업혁신운동 성과 대시보드"


@dataclass(frozen=True)
class PageSpec:
    path: str  # relative to the project root
    title: str
    icon: str  # Material Symbols: emoji fonts are not installed everywhere
    url_path: str
    # Shown even when the data cannot be read, so that it can be replaced or restored from there.
    opens_on_broken_data: bool = False


PAGES = (
    PageSpec("pages/overview.py", "개요", ":material/dashboard:", "overview"),
    PageSpec("pages/companies.py", "기업", ":material/factory:", "companies"),
    PageSpec("pages/tasks.py", "개선과제", ":material/construction:", "tasks"),
    PageSpec("pages/outcomes.py", "성과", ":material/trending_up:", "outcomes"),
    PageSpec("pages/data.py", "데이터", ":material/database:", "data", opens_on_broken_data=True),
)
