"""Hostile files against the reading code: time and peak memory of checking each one.

    .venv/bin/python benchmarks/hostile.py [--before DIR] [--out benchmarks/results-hostile.md]

Each bomb of issue 10 is built here at its original size (tests/bombs.py) and checked with the default
limits by `importer.load` in a fresh process of its own (the work the upload checker does), under a
memory cap (address space) and a time cap so a bomb cannot take the machine with it. `--before DIR`
runs the same files against another copy of the code too (e.g. `git archive c091ff6^1 | tar -x -C DIR`,
main before issue 10's reading limits), for a before/after table.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests import bombs  # noqa: E402

MB = 1024 * 1024
# name -> (file name, builder at the size)
CASES = {
    "Parquet: one 2 kB text in 1,000,000 rows (dictionary-encoded)": (
        "companies.parquet",
        lambda: bombs.dictionary_bomb(1_000_000),
    ),
    "XLSX: one 1 GB shared string": ("data.xlsx", lambda: bombs.shared_string_bomb(1024)),
    "XLSX: one 400 MB shared string (under the unpacked-size limit)": (
        "data.xlsx",
        lambda: bombs.shared_string_bomb(400),
    ),
    "XLSX: 100,000-cell header": (
        "data.xlsx",
        lambda: bombs.shared_strings_xlsx(
            [list(range(100_000)), [0] * 10], (bombs.si(f"c{i}".encode()) for i in range(100_000))
        ),
    ),
    "CSV: 200,000-column header, 1,000 rows": ("companies.csv", lambda: bombs.wide_csv(200_000)),
    "CSV: 900,000 rows of 4 distinct texts each (3.6 million, under the row limit)": (
        "companies.csv",
        lambda: _distinct_rows(900_000),
    ),
    "CSV: one 50 MB quoted value": (
        "companies.csv",
        lambda: b'company_id,company_name\nA1,"' + b"x" * (50 * MB) + b'"\n',
    ),
}


def _distinct_rows(rows: int) -> bytes:
    """Firm id, name, industry and region all different in every row: four times `rows` distinct texts."""
    lines = (f"C{i},N{i},I{i},R{i}\n" for i in range(rows))
    return ("company_id,company_name,industry,region\n" + "".join(lines)).encode()


# Run in the code under test: the checker's work on one file, its time and peak memory above the
# interpreter with its libraries loaded.
CHILD = """
import json, resource, sys, time
cap = int(sys.argv[2]) * 1024 * 1024
resource.setrlimit(resource.RLIMIT_AS, (cap, cap))
from dashboard.reading import importer
from dashboard.reading.importer import InputFile
data = open(sys.argv[1], "rb").read()
base = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
started = time.perf_counter()
try:
    result = importer.load([InputFile(sys.argv[3], data=data)])
    reason = next((p.message for p in result.problems if p.file.startswith(sys.argv[3])), "(no problem named the file)")
except MemoryError:
    reason = "MemoryError"
print(json.dumps({
    "seconds": time.perf_counter() - started,
    "growth_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024 - base,
    "reason": reason,
}))
"""


def measure(code: Path, path: Path, name: str, cap_mb: int, cap_seconds: float) -> dict:
    started = time.perf_counter()
    try:
        done = subprocess.run(
            [sys.executable, "-c", CHILD, str(path), str(cap_mb), name],
            cwd=code,
            env={"PYTHONPATH": str(code), "PATH": "/usr/bin:/bin"},
            capture_output=True,
            timeout=cap_seconds,
            check=False,
        )
    except subprocess.TimeoutExpired:
        return {"seconds": None, "growth_mb": None, "reason": f"stopped after {cap_seconds:.0f} s"}
    if done.returncode != 0 or not done.stdout.strip():
        tail = done.stderr.decode(errors="replace").strip().splitlines()[-1:] or [""]
        return {
            "seconds": time.perf_counter() - started,
            "growth_mb": None,
            "reason": f"died (exit {done.returncode}) at the {cap_mb:,} MB cap: {tail[0][:80]}",
        }
    return json.loads(done.stdout.splitlines()[-1])


def _cell(result: dict, cap_mb: int) -> str:
    seconds = "–" if result["seconds"] is None else f"{result['seconds']:.2f} s"
    growth = "–" if result["growth_mb"] is None else f"{result['growth_mb']:,.0f} MB"
    if result["reason"] == "MemoryError":
        growth = f"> {cap_mb:,} MB (MemoryError)"
    return f"{seconds} | {growth} | {result['reason'][:90]}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--before", type=Path, help="another copy of the code to measure too")
    parser.add_argument("--cap-mb", type=int, default=4096, help="address-space cap per check (default 4096)")
    parser.add_argument("--cap-seconds", type=float, default=90, help="wall-time cap per check (default 90)")
    parser.add_argument("--out", type=Path, help="also write the table to this Markdown file")
    parser.add_argument("--only", default="", help="only the cases whose name contains this")
    args = parser.parse_args()
    codes = {"after": ROOT} | ({"before": args.before} if args.before else {})
    header = "| case | file | " + " | ".join(f"{k}: time | {k}: peak growth | {k}: outcome" for k in codes) + " |"
    lines = [header, "|" + "---|" * (2 + 3 * len(codes))]
    with tempfile.TemporaryDirectory() as folder:
        for case, (name, build) in CASES.items():
            if args.only not in case:
                continue
            path = Path(folder) / name
            path.write_bytes(build())
            size = path.stat().st_size
            shown = f"{size / MB:,.1f} MB" if size >= MB else f"{size / 1024:,.0f} kB"
            cells = [
                _cell(measure(code, path, name, args.cap_mb, args.cap_seconds), args.cap_mb) for code in codes.values()
            ]
            lines.append(f"| {case} | {shown} | " + " | ".join(cells) + " |")
            print(lines[-1], flush=True)
    if args.out:
        args.out.write_text("\n".join(lines) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
