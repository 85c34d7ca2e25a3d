"""The "typical Streamlit" baseline: the dashboard's numbers computed the way most Streamlit
dashboards compute them, to compare the app's DuckDB queries against.

The computation is the tests' pandas reference (`tests/reference.py`): every table read into pandas
once (`@st.cache_data` around `pd.read_parquet` in such an app), then on every rerun boolean masks,
merges and `groupby`. Loading is done once per data folder and its frames are reused as they are,
without the copy `st.cache_data` would hand out on every rerun: the baseline is given the best of
that style. The benchmark replays, in pandas, exactly the query calls a page made, and checks the
numbers agree (`differences`).
"""

from __future__ import annotations

import json

import pandas as pd

from tests.reference import QUERIES, Frames, Rerun, differences, load, rerun

__all__ = ["QUERIES", "compute", "differences", "load"]


def compute(frames: Frames, calls: list[tuple[str, dict]]) -> dict[str, pd.DataFrame]:
    """The frames of one page run: each (query name, parameters) call of the app, in pandas.

    Calls with the same filters (`$f`) share one `Rerun`, as the filtered frames of a page script would.
    """
    reruns: dict[str, Rerun] = {}
    results = {}
    for index, (name, params) in enumerate(calls):
        key = json.dumps(params.get("f"), sort_keys=True)
        run = reruns.get(key)
        if run is None:
            run = reruns[key] = rerun(frames, params)
        run.params = run.params | params
        results[f"{index}:{name}"] = QUERIES[name](run)
    return results
