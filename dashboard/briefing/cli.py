"""`python -m dashboard briefing`: the briefing PDF of a view for scheduled use. An admin tool, so it
runs over every firm (`db.EVERY_FIRM`) and reads the same data source as the app."""

from __future__ import annotations

import sys
import time
from pathlib import Path
from urllib.parse import parse_qs

from dashboard import safe
from dashboard.briefing import pdf
from dashboard.db import EVERY_FIRM, QueryError, run_query
from dashboard.filters import Options, parse_url
from dashboard.problems import DataError
from dashboard.reading import opening, settings


def run(out: str, view: str, query: str, companies: list[str]) -> int:
    started = time.perf_counter()
    folder = settings.configured_folder()
    try:
        con, _ = opening.open_folder(folder)
        options = Options.read(con, EVERY_FIRM)
    except DataError as exc:
        for problem in exc.problems:
            print(f"[오류] {safe.terminal(problem.describe())}", file=sys.stderr)
        return 1
    if not options.years:
        print(f"[오류] 데이터 폴더 {safe.terminal(folder)}에 참여 데이터가 없습니다.", file=sys.stderr)
        return 1
    params = parse_qs(query, keep_blank_values=True)
    if companies:
        params["company"] = params.get("company", []) + companies
    parsed = parse_url(params, options)
    if parsed.warnings:
        # The URL ignores a bad value with a warning; a scheduled briefing must not quietly show another view.
        print("[오류] --query 또는 --company 값이 올바르지 않아 브리핑을 만들지 않았습니다.", file=sys.stderr)
        for warning in parsed.warnings:
            print(f"- {safe.terminal(warning)}", file=sys.stderr)
        return 1
    filters = parsed.filters

    def run_view_query(name: str, **extra):
        return run_query(con, name, filters.params() | extra, scope=EVERY_FIRM)

    try:
        data = pdf.briefing_pdf(
            view, run_view_query, filters, options, pdf.data_info(folder, opening.fingerprint(folder))
        )
    except (pdf.BriefingError, QueryError) as exc:
        print(f"[오류] {safe.terminal(exc)}", file=sys.stderr)
        return 1
    Path(out).write_bytes(data)
    print(f"{safe.terminal(out)}: 브리핑 PDF {len(data):,}바이트, {time.perf_counter() - started:.1f}초")
    return 0
