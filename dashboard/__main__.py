"""Command line: `python -m dashboard COMMAND`. See `python -m dashboard --help`.

Exit codes: 0 done (or data valid), 1 the data has problems or the store refused, 2 bad usage.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from dashboard import access, changes, safe
from dashboard.contract import TABLES_BY_NAME
from dashboard.generate import generate
from dashboard.problems import Problem
from dashboard.reading import importer
from dashboard.reading.settings import data_dir_override
from dashboard.store import SAMPLE, Store, StoreError


def _say(text: str, *, err: bool = False) -> None:
    """Every line this command prints: file names and values come from data, so no control character
    in them reaches the terminal."""
    print(safe.terminal(text), file=sys.stderr if err else sys.stdout)


def _generate(args: argparse.Namespace) -> int:
    counts = generate(Path(args.out), scale=args.scale)
    _say(", ".join(f"{name}: {n:,} rows" for name, n in counts.items()))
    return 0


def _counts(rows: dict[str, int]) -> str:
    return ", ".join(f"{TABLES_BY_NAME[name].label_ko}({name}) {n:,}행" for name, n in rows.items())


def _report(problems: list[Problem]) -> None:
    for p in problems:
        kind = "오류" if p.fatal else "참고"
        _say(f"[{kind}] {p.describe()}")


def _check(paths: list[str]) -> importer.ImportResult:
    result = importer.load_paths([Path(p) for p in paths])
    _report(result.problems)
    if result.ok:
        _say(f"검사 통과: {_counts(result.row_counts())}")
    else:
        _say(f"검사 실패: 오류 {result.fatal_count:,}건. 아무것도 바뀌지 않았습니다.")
    return result


def _validate(args: argparse.Namespace) -> int:
    return 0 if _check(args.paths).ok else 1


def _import(args: argparse.Namespace) -> int:
    result = _check(args.paths)
    if not result.ok:
        return 1
    try:
        version = changes.import_checked(result, Store.configured(), access.cli_viewer())
    except StoreError as exc:
        _say(str(exc), err=True)
        return 1
    _say(f"{version.id} 버전을 만들고 사용합니다.")
    _warn_override()
    return 0


def _versions(args: argparse.Namespace) -> int:
    store = Store.configured()
    try:
        active = store.active_id()
    except StoreError as exc:
        _say(str(exc), err=True)
        active = None
    try:
        versions = store.versions()
    except StoreError as exc:
        _say(str(exc), err=True)
        return 1
    if not versions:
        _say(f"저장된 버전이 없습니다 ({store.location}). 앱은 표본 데이터를 읽습니다.")
        return 0
    for v in versions:
        mark = "*" if v.id == active else " "
        _say(f"{mark} {v.id}  {v.created}  {', '.join(v.sources)}  ({_counts(dict(v.rows))})")
    if active is None:
        _say("* 사용 중: 표본 데이터")
    return 0


def _restore(args: argparse.Namespace) -> int:
    try:
        version = changes.restore(Store.configured(), args.version, access.cli_viewer())
    except StoreError as exc:
        _say(str(exc), err=True)
        return 1
    _say("표본 데이터를 사용합니다." if version is None else f"{version.id} 버전을 사용합니다.")
    _warn_override()
    return 0


def _briefing(args: argparse.Namespace) -> int:
    # Imported here: the other commands do not need the document engine or the queries.
    from dashboard.briefing import cli

    return cli.run(args.out, args.view, args.query, args.company)


def _warn_override() -> None:
    folder = data_dir_override()
    if folder is not None:
        message = f"참고: DASHBOARD_DATA_DIR({folder})이 설정되어 있어 앱은 저장소 대신 그 폴더를 읽습니다."
        _say(message, err=True)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m dashboard", description="산업혁신운동 성과 대시보드 도구")
    commands = parser.add_subparsers(dest="command", required=True)
    gen = commands.add_parser("generate", help="write the synthetic sample data set as Parquet")
    gen.add_argument("--out", required=True, help="folder to write <table>.parquet into")
    gen.add_argument("--scale", type=int, default=1, help="N times the firms and cohorts (default 1)")
    gen.set_defaults(run=_generate)
    paths_help = "a folder, table files (CSV, Parquet) or one XLSX workbook with a sheet per table"
    val = commands.add_parser("validate", help="check data files against the contract (exit 1 on problems)")
    val.add_argument("paths", nargs="+", metavar="PATH", help=paths_help)
    val.set_defaults(run=_validate)
    imp = commands.add_parser("import", help="validate, then add the data to the store as the active version")
    imp.add_argument("paths", nargs="+", metavar="PATH", help=paths_help)
    imp.set_defaults(run=_import)
    ver = commands.add_parser("versions", help="list the versions in the store (* = active)")
    ver.set_defaults(run=_versions)
    res = commands.add_parser("restore", help="make an earlier version active again")
    res.add_argument("version", metavar="VERSION", help=f"a version id such as v0001, or '{SAMPLE}' for the sample")
    res.set_defaults(run=_restore)
    brief = commands.add_parser("briefing", help="write the A4 briefing PDF of a view (every firm's data)")
    brief.add_argument("--out", required=True, help="the PDF file to write")
    brief.add_argument("--view", default="overview", choices=["overview", "companies", "tasks", "outcomes", "company"])
    brief.add_argument("--query", default="", help='filters as the URL writes them, e.g. "from=2016&to=2017&tier=2"')
    brief.add_argument("--company", action="append", default=[], help="a company_id (repeat for several)")
    brief.set_defaults(run=_briefing)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    return args.run(args)


if __name__ == "__main__":
    sys.exit(main())
