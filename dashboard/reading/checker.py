"""The check of an upload in a process of its own, with a memory and a CPU limit: a file that slips
past the reading limits kills the checker, never the server and the other sessions it serves.

A subprocess running this module (not multiprocessing: inside Streamlit `__main__` is the app's
script, which a spawned child would run again). The files and limits go in on stdin and the
ImportResult comes back on stdout, both pickled; only this module's own output is unpickled.
"""

from __future__ import annotations

import os
import pickle
import resource
import subprocess
import sys

from dashboard.problems import Problem
from dashboard.reading import importer
from dashboard.reading.importer import ImportResult, InputFile
from dashboard.reading.settings import PROJECT_ROOT, Limits

DEFAULT_CHECK_MEMORY_MB = 3072
DEFAULT_CHECK_SECONDS = 120


def _setting(name: str, default: float) -> float:
    return float(os.environ.get(name) or default)


def load_isolated(inputs: list[InputFile], limits: Limits) -> ImportResult:
    """`importer.load` in a subprocess limited to `DASHBOARD_CHECK_MEMORY_MB` of address space and
    `DASHBOARD_CHECK_SECONDS` of CPU (and that much wall time); past either, a Korean problem."""
    memory_mb = _setting("DASHBOARD_CHECK_MEMORY_MB", DEFAULT_CHECK_MEMORY_MB)
    seconds = _setting("DASHBOARD_CHECK_SECONDS", DEFAULT_CHECK_SECONDS)
    command = [sys.executable, "-m", "dashboard.reading.checker", str(int(memory_mb * 1024 * 1024)), str(seconds)]
    try:
        done = subprocess.run(
            command,
            input=pickle.dumps((inputs, limits)),
            capture_output=True,
            timeout=seconds + 30,  # the interpreter's start is not the file's fault
            cwd=PROJECT_ROOT,
            check=False,
        )
        if done.returncode == 0:
            return pickle.loads(done.stdout)
    except subprocess.TimeoutExpired:
        pass
    message = (
        f"파일을 검사하다가 한도(메모리 {memory_mb:,.0f}MB, 시간 {seconds:,.0f}초)를 넘어 검사를 멈췄습니다. "
        "파일이 지나치게 크거나 손상되었을 수 있습니다. 아무것도 바뀌지 않았습니다 "
        "(DASHBOARD_CHECK_MEMORY_MB, DASHBOARD_CHECK_SECONDS)."
    )
    return ImportResult([Problem(", ".join(inp.name for inp in inputs), "", message)], {}, {})


def _main(memory_bytes: int, seconds: float) -> None:
    # Set after the modules are imported, so the limits bound the reading, not the interpreter's start.
    resource.setrlimit(resource.RLIMIT_AS, (memory_bytes, memory_bytes))
    cpu = max(1, int(seconds))
    resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu))
    inputs, limits = pickle.load(sys.stdin.buffer)
    sys.stdout.buffer.write(pickle.dumps(importer.load(inputs, limits)))


if __name__ == "__main__":
    _main(int(sys.argv[1]), float(sys.argv[2]))
