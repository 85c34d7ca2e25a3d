"""Command line: `python -m dashboard COMMAND`. See `python -m dashboard --help`."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from dashboard.generate import generate


def _generate(args: argparse.Namespace) -> int:
    counts = generate(Path(args.out), scale=args.scale)
    print(", ".join(f"{name}: {n:,} rows" for name, n in counts.items()))
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m dashboard", description="산업혁신운동 성과 대시보드 도구")
    commands = parser.add_subparsers(dest="command", required=True)
    gen = commands.add_parser("generate", help="write the synthetic sample data set as Parquet")
    gen.add_argument("--out", required=True, help="folder to write <table>.parquet into")
    gen.add_argument("--scale", type=int, default=1, help="N times the firms and cohorts (default 1)")
    gen.set_defaults(run=_generate)
    args = parser.parse_args(argv)
    return args.run(args)


if __name__ == "__main__":
    sys.exit(main())
