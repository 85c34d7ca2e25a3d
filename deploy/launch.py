"""The one command that starts the dashboard's Streamlit server, for `make cluster` (deploy/cluster.py),
the load test and the browser tests alike."""

from __future__ import annotations

import sys


def streamlit_command(port: int, *extra: str, script: str = "app.py") -> list[str]:
    """`streamlit run app.py` (or `script`, e.g. the benchmarks' empty page) on 127.0.0.1:`port`, headless,
    no usage statistics, and no file watcher: a server watching its work tree reruns or reloads the app
    when anything there changes (a test's or a replica's cache folder included) and spends time on
    inotify events it has no use for."""
    return [
        sys.executable,
        "-m",
        "streamlit",
        "run",
        script,
        "--server.headless=true",
        f"--server.port={port}",
        "--server.address=127.0.0.1",
        "--browser.gatherUsageStats=false",
        "--server.fileWatcherType=none",
        *extra,
    ]
