"""The page list, kept outside app.py so tests and benchmarks can read it without running Streamlit."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class PageSpec:
    path: str  # relative to the project root
    title: str
    icon: str
    url_path: str


PAGES = (
    PageSpec("pages/overview.py", "개요", "📊", "overview"),
    PageSpec("pages/companies.py", "기업", "🏭", "companies"),
    PageSpec("pages/tasks.py", "개선과제", "🛠️", "tasks"),
    PageSpec("pages/outcomes.py", "성과", "📈", "outcomes"),
    PageSpec("pages/data.py", "데이터", "🗂️", "data"),
)
