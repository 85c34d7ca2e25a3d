"""Independent reference computations in plain pandas: what the tests compare the SQL against."""

from __future__ import annotations

import math
from pathlib import Path

import pandas as pd
from streamlit.testing.v1 import AppTest

from dashboard.contract import TABLES
from dashboard.filters import Filters

ROOT = Path(__file__).resolve().parent.parent
MINI_DIR = Path(__file__).resolve().parent / "fixtures" / "mini"


def read_frames(folder: Path) -> dict[str, pd.DataFrame]:
    """Every table of `folder` read by pandas alone, typed as the contract says."""
    frames = {}
    for table in TABLES:
        parquet, csv = folder / f"{table.name}.parquet", folder / f"{table.name}.csv"
        frame = pd.read_parquet(parquet) if parquet.exists() else pd.read_csv(csv, dtype=str, keep_default_na=False)
        for column in table.columns:
            values = frame[column.name]
            if pd.api.types.is_string_dtype(values):
                values = values.astype(object).replace("", None)
            if column.type in ("INTEGER", "BIGINT"):
                frame[column.name] = pd.to_numeric(values).astype("Int64")
            elif column.type == "DOUBLE":
                frame[column.name] = pd.to_numeric(values).astype("Float64")
            elif column.type == "BOOLEAN":
                frame[column.name] = values.map(
                    lambda v: v if v is None or isinstance(v, bool) else str(v).lower() == "true"
                )
            else:
                frame[column.name] = values.astype(object)
        frames[table.name] = frame
    return frames


def filtered_participations(frames: dict[str, pd.DataFrame], f: Filters) -> pd.DataFrame:
    """The reference filter: participations joined with their firm that pass `f`, in pandas."""
    p = frames["participations"].merge(frames["companies"], on="company_id")
    keep = p["year"].between(f.year_from, f.year_to)
    for column, values in (
        ("phase", f.phases),
        ("company_id", f.company_ids),
        ("industry", f.industries),
        ("region", f.regions),
        ("tier", f.tiers),
    ):
        if values:
            keep &= p[column].isin(values)
    p = p[keep].copy()
    p["support_krw"] = p["consulting_krw"] + p["equipment_krw"]
    return p


def improvement_pct(outcomes: pd.DataFrame) -> pd.Series:
    sign = outcomes["higher_is_better"].map({True: 1.0, False: -1.0})
    return (outcomes["result"] - outcomes["baseline"]) / outcomes["baseline"].abs() * 100 * sign


def metrics(at: AppTest) -> dict[str, str]:
    """Card label -> value shown."""
    return {m.label: m.value for m in at.metric}


def kpis(frames: dict[str, pd.DataFrame], f: Filters, year_from: int | None = None, year_to: int | None = None) -> dict:
    """The seven Overview KPIs, straight from their definitions in issue 2, in pandas."""
    if year_from is not None:
        f = Filters(year_from, year_to, f.phases, f.company_ids, f.industries, f.regions, f.tiers)
    p = filtered_participations(frames, f)
    keys = set(zip(p["company_id"], p["year"], strict=True))
    tasks = frames["tasks"][
        [k in keys for k in zip(frames["tasks"]["company_id"], frames["tasks"]["year"], strict=True)]
    ]
    outcomes = frames["outcomes"][
        [k in keys for k in zip(frames["outcomes"]["company_id"], frames["outcomes"]["year"], strict=True)]
    ]
    measured = p[p["financial_outcome_krw"].notna()]
    improvements = improvement_pct(outcomes).dropna()
    outcome_sum = measured["financial_outcome_krw"].sum() if len(measured) else None
    support_measured = measured["support_krw"].sum()
    return {
        "participations": len(p),
        "firms": p["company_id"].nunique(),
        "support_krw": int(p["support_krw"].sum()),
        "outcome_krw": None if outcome_sum is None else int(outcome_sum),
        "outcome_multiple_x": None if outcome_sum is None or not support_measured else outcome_sum / support_measured,
        "sharing_contracts": int(p["sharing_contract"].sum()),
        "task_completion_pct": 100 * (tasks["status"] == "done").sum() / len(tasks) if len(tasks) else None,
        "mean_improvement_pct": improvements.mean() if len(improvements) else None,
    }


def same(a, b) -> bool:
    """Equal as numbers, or both missing (None / NaN / NA)."""
    a = None if a is None or pd.isna(a) else a
    b = None if b is None or pd.isna(b) else b
    if a is None or b is None:
        return a is None and b is None
    return math.isclose(float(a), float(b), rel_tol=1e-9, abs_tol=1e-9)
