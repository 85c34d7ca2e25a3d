"""The one pandas reference: every query of `queries/` computed independently in plain pandas, from
its meaning (the header of its `.sql`), not from its SQL. The tests compare each query against it, and
the benchmark (benchmarks/typical_streamlit.py) times it as the "typical Streamlit" baseline.

It is written the way most Streamlit dashboards compute: every table read into pandas once, then on
every rerun boolean masks, merges and `groupby` over the frames a rerun shares (`Rerun`).
`QUERIES` maps a query name to the function computing the same frame (same columns, same rows, same
order); `compute` takes the parameters as `run_query` binds them.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

import numpy as np
import pandas as pd

from dashboard.contract import TABLES
from dashboard.filters import Filters
from dashboard.tables import INDICATOR_SORT, LEADERBOARD_SORT, TASK_SORT, Sorting

ROOT = Path(__file__).resolve().parent.parent
MINI_DIR = Path(__file__).resolve().parent / "fixtures" / "mini"
KEY = ["company_id", "year"]


def read_frames(folder: Path) -> dict[str, pd.DataFrame]:
    """Every table of `folder` read by pandas alone, in file order, typed as the contract says (numbers
    as int64, or float64 when a value is missing; booleans as bool, or objects when one is missing)."""
    frames = {}
    for table in TABLES:
        parquet, csv = folder / f"{table.name}.parquet", folder / f"{table.name}.csv"
        if parquet.exists():
            frames[table.name] = pd.read_parquet(parquet, columns=[c.name for c in table.columns])
            continue
        frame = pd.read_csv(csv, dtype=str, keep_default_na=False)[[c.name for c in table.columns]]
        for column in table.columns:
            values = frame[column.name].astype(object).replace("", None)
            if column.type in ("INTEGER", "BIGINT", "DOUBLE"):
                values = pd.to_numeric(values)
                if column.type != "DOUBLE" and values.notna().all():
                    values = values.astype("int64")
            elif column.type == "BOOLEAN":
                values = values.map(lambda v: None if v is None else str(v).lower() == "true")
                if values.notna().all():
                    values = values.astype(bool)
            frame[column.name] = values
        frames[table.name] = frame
    return frames


@dataclass(frozen=True)
class Frames:
    """What the typical app keeps in its cache: the tables as read, participations with their firm's
    columns and support_krw, outcomes with improvement_pct."""

    tables: dict[str, pd.DataFrame]
    companies: pd.DataFrame
    participations: pd.DataFrame
    tasks: pd.DataFrame
    outcomes: pd.DataFrame


def prepare(tables: dict[str, pd.DataFrame]) -> Frames:
    """The one-off work the typical app caches, over tables from `read_frames`."""
    companies = tables["companies"]
    participations = tables["participations"].merge(
        companies[["company_id", "company_name", "tier", "industry", "region"]], on="company_id"
    )
    participations["support_krw"] = participations["consulting_krw"] + participations["equipment_krw"]
    # The basis of every 성과배수: measured, or dropped (support spent, an unmeasured outcome counts as 0).
    measured = participations["financial_outcome_krw"].notna()
    settled = measured | (participations["status"] == "dropped")
    participations["settled"] = settled
    participations["settled_support_krw"] = participations["support_krw"].where(settled)
    participations["settled_outcome_krw"] = participations["financial_outcome_krw"].fillna(0).where(settled)
    outcomes = tables["outcomes"].copy()
    sign = np.where(outcomes["higher_is_better"].astype(bool), 1.0, -1.0)
    outcomes["improvement_pct"] = (
        (outcomes["result"] - outcomes["baseline"]) / outcomes["baseline"].abs() * 100 * sign
    ).astype("float64")
    return Frames(tables, companies, participations, tables["tasks"], outcomes)


def load(folder: Path) -> Frames:
    return prepare(read_frames(folder))


def filters_of(struct: dict) -> Filters:
    """The Filters that `$f` was bound from (lists as tuples, NULL as no restriction)."""
    return Filters(**{k: tuple(v or ()) if isinstance(v, list) or v is None else v for k, v in struct.items()})


def _ordered(frame: pd.DataFrame, sorting: Sorting, params: dict, by: list[str], ascending: list[bool]) -> pd.DataFrame:
    """SQL's ORDER BY of a sortable table: the chosen column (`$sort`, `$descending`) first, then the
    default order `by`; missing values last either way."""
    if params["sort"] is not None:
        by = [sorting.columns[params["sort"]][0], *by]
        ascending = [not params["descending"], *ascending]
    return frame.sort_values(by, ascending=ascending, na_position="last", kind="stable")


def _limit(frame: pd.DataFrame, limit: int | None) -> pd.DataFrame:
    """SQL's LIMIT (NULL: every row), with a fresh index."""
    return (frame if limit is None else frame.head(limit)).reset_index(drop=True)


class Rerun:
    """One script run of a typical page: the frames filtered by `filters`, each computed once and
    reused; `params` holds the page's own parameters (search, limit, ...)."""

    def __init__(self, frames: Frames, filters: Filters | None, params: dict):
        self.frames = frames
        self.filters = filters
        self.params = params

    @cached_property
    def participations(self) -> pd.DataFrame:
        p, f = self.frames.participations, self.filters
        mask = p["year"].between(f.year_from, f.year_to)
        for column, values in (
            ("phase", f.phases),
            ("company_id", f.company_ids),
            ("industry", f.industries),
            ("region", f.regions),
            ("tier", f.tiers),
        ):
            if values:
                mask &= p[column].isin(values)
        return p[mask]

    @cached_property
    def tasks(self) -> pd.DataFrame:
        return self.frames.tasks.merge(self.participations[KEY].drop_duplicates(), on=KEY)

    @cached_property
    def outcomes(self) -> pd.DataFrame:
        return self.frames.outcomes.merge(self.participations[KEY].drop_duplicates(), on=KEY)

    @cached_property
    def facts(self) -> pd.DataFrame:
        """Participations with their task counts and the sum and count of measured improvements."""
        tasks = self.tasks.assign(done=self.tasks["status"] == "done")
        task_counts = tasks.groupby(KEY).agg(tasks_total=("done", "size"), tasks_done=("done", "sum"))
        by_participation = self.outcomes.groupby(KEY)["improvement_pct"]
        improvements = pd.DataFrame(
            {
                "measured_indicators": by_participation.count(),
                "improvement_pct_sum": by_participation.sum(min_count=1),
            }
        )
        facts = self.participations.merge(task_counts, on=KEY, how="left").merge(improvements, on=KEY, how="left")
        for column in ("tasks_total", "tasks_done", "measured_indicators"):
            facts[column] = facts[column].fillna(0).astype("int64")
        return facts


def _ratio(numerator: float, denominator: float) -> float:
    """SQL's `a / nullif(b, 0)` with NULL sums: NaN when either side is missing or b is 0."""
    if pd.isna(numerator) or pd.isna(denominator) or denominator == 0:
        return np.nan
    return numerator / denominator


def _sum(values: pd.Series) -> float:
    """SQL's sum(): NULL (NaN) over no non-NULL value."""
    return values.sum(min_count=1)


KPI_COLUMNS = (
    "participations",
    "firms",
    "support_krw",
    "outcome_krw",
    "outcome_multiple_x",
    "settled_participations",
    "settled_support_krw",
    "sharing_contracts",
    "task_completion_pct",
    "mean_improvement_pct",
)


def _multiple(frame: pd.DataFrame) -> float:
    return _ratio(_sum(frame["settled_outcome_krw"]), _sum(frame["settled_support_krw"]))


def _kpis(facts: pd.DataFrame) -> dict:
    outcome = _sum(facts["financial_outcome_krw"])
    return {
        "participations": len(facts),
        "firms": facts["company_id"].nunique(),
        "support_krw": int(facts["support_krw"].sum()),
        "outcome_krw": outcome,
        "outcome_multiple_x": _multiple(facts),
        "settled_participations": int(facts["settled"].sum()),
        "settled_support_krw": int(facts["settled_support_krw"].sum()),
        "sharing_contracts": int(facts["sharing_contract"].sum()),
        "task_completion_pct": _ratio(100.0 * facts["tasks_done"].sum(), facts["tasks_total"].sum()),
        "mean_improvement_pct": _ratio(_sum(facts["improvement_pct_sum"]), facts["measured_indicators"].sum()),
    }


def kpi_summary(run: Rerun) -> pd.DataFrame:
    current = _kpis(run.facts)
    # `$f_previous`: the previous period, or in the 비교 mode the other set.
    against = filters_of(run.params["f_previous"]) if "f_previous" in run.params else run.filters.previous()
    previous = _kpis(Rerun(run.frames, against, run.params).facts)
    row = current | {"previous_participations": previous["participations"]}
    has_previous = previous["participations"] > 0
    for column in KPI_COLUMNS[1:]:
        if column.startswith("settled_"):
            continue
        if not has_previous:
            row[f"{column}_delta"] = np.nan
        elif column == "outcome_krw":
            row[f"{column}_delta"] = np.nan_to_num(current[column]) - np.nan_to_num(previous[column])
        else:
            row[f"{column}_delta"] = current[column] - previous[column]
    return pd.DataFrame([row])


def kpi_by_year(run: Rerun) -> pd.DataFrame:
    rows = [{"year": year} | _kpis(group) for year, group in run.facts.groupby("year", sort=True)]
    frame = pd.DataFrame(rows, columns=["year", *KPI_COLUMNS])
    frame["support_eok"] = frame["support_krw"] / 1e8
    frame["outcome_eok"] = frame["outcome_krw"] / 1e8
    return frame


def kpi_by_phase(run: Rerun) -> pd.DataFrame:
    rows = []
    for phase, group in run.facts.groupby("phase", sort=True):
        k = _kpis(group)
        rows.append(
            {
                "phase": phase,
                "firms": k["firms"],
                "participations": k["participations"],
                "support_eok": k["support_krw"] / 1e8,
                "outcome_eok": k["outcome_krw"] / 1e8,
                "outcome_multiple_x": k["outcome_multiple_x"],
                "task_completion_pct": k["task_completion_pct"],
                "mean_improvement_pct": k["mean_improvement_pct"],
                "unmeasured_cohorts": _unmeasured_cohorts(group),
            }
        )
    columns = ["phase", "firms", "participations", "support_eok", "outcome_eok", "outcome_multiple_x"]
    return pd.DataFrame(rows, columns=[*columns, "task_completion_pct", "mean_improvement_pct", "unmeasured_cohorts"])


def _unmeasured_cohorts(group: pd.DataFrame) -> str | None:
    """The cohort years of `group` with support but not one measured outcome, as '2019, 2020'."""
    years = [
        str(year)
        for year, cohort in group.groupby("year", sort=True)
        if cohort["financial_outcome_krw"].isna().all() and cohort["support_krw"].sum() > 0
    ]
    return ", ".join(years) or None


def _support_outcome(frame: pd.DataFrame, by: str) -> pd.DataFrame:
    grouped = frame.groupby(by, sort=False)
    sums = grouped[["support_krw", "financial_outcome_krw", "settled_support_krw", "settled_outcome_krw"]].sum(
        min_count=1
    )
    outcome = sums["financial_outcome_krw"]
    result = pd.DataFrame(
        {
            by: sums.index,
            "firms": grouped["company_id"].nunique().to_numpy(),
            "support_eok": sums["support_krw"].to_numpy() / 1e8,
            "outcome_eok": outcome.fillna(0).to_numpy() / 1e8,
            "outcome_multiple_x": (
                sums["settled_outcome_krw"] / sums["settled_support_krw"].replace(0, np.nan)
            ).to_numpy(),
        }
    )
    return result.sort_values(["outcome_eok", "support_eok", by], ascending=[False, False, True]).reset_index(drop=True)


def outcome_by_industry(run: Rerun) -> pd.DataFrame:
    return _support_outcome(run.participations, "industry")


def outcome_by_region(run: Rerun) -> pd.DataFrame:
    return _support_outcome(run.participations, "region")


def top_companies_by_outcome(run: Rerun) -> pd.DataFrame:
    p = run.participations
    p = p[p["settled"]]
    g = p.groupby("company_id", sort=False).agg(
        company_name=("company_name", "first"),
        outcome=("settled_outcome_krw", "sum"),
        support=("settled_support_krw", "sum"),
    )
    result = pd.DataFrame(
        {
            "company_id": g.index,
            "company_name": g["company_name"].to_numpy(),
            "outcome_eok": g["outcome"].to_numpy() / 1e8,
            "support_eok": g["support"].to_numpy() / 1e8,
            "outcome_multiple_x": (g["outcome"] / g["support"].replace(0, np.nan)).to_numpy(),
        }
    )
    result = result.sort_values(["outcome_eok", "company_id"], ascending=[False, True])
    return _limit(result, run.params["limit"])


def _contains(text: pd.Series, search: str) -> pd.Series:
    return text.str.lower().str.contains(search.strip(" ").lower(), regex=False)


def company_cohorts(run: Rerun) -> pd.DataFrame:
    f = run.facts.sort_values(KEY)
    return pd.DataFrame(
        {
            "company_id": f["company_id"],
            "company_name": f["company_name"],
            "year": f["year"],
            "phase": f["phase"],
            "agency": f["agency"],
            "status": f["status"],
            "support_man": f["support_krw"] / 1e4,
            "consulting_man": f["consulting_krw"] / 1e4,
            "equipment_man": f["equipment_krw"] / 1e4,
            "outcome_man": f["financial_outcome_krw"] / 1e4,
            "outcome_multiple_x": f["settled_outcome_krw"] / f["settled_support_krw"].replace(0, np.nan),
            "sharing_contract": f["sharing_contract"],
            "tasks_done": f["tasks_done"],
            "tasks_total": f["tasks_total"],
            "mean_improvement_pct": f["improvement_pct_sum"] / f["measured_indicators"].replace(0, np.nan),
        }
    ).reset_index(drop=True)


def company_leaderboard(run: Rerun) -> pd.DataFrame:
    f = run.facts
    f = f[_contains(f["company_name"], run.params["search"])]
    f = f.merge(run.frames.companies[["company_id", "employees"]], on="company_id")
    f = f.assign(
        year_text=f["year"].astype(str),
    ).sort_values("year")
    grouped = f.groupby("company_id", sort=False)
    g = grouped.agg(
        company_name=("company_name", "first"),
        tier=("tier", "first"),
        industry=("industry", "first"),
        region=("region", "first"),
        employees=("employees", "first"),
        cohorts=("year", "size"),
        cohort_years=("year_text", ", ".join),
        support=("support_krw", "sum"),
        tasks_done=("tasks_done", "sum"),
        tasks_total=("tasks_total", "sum"),
        measured=("measured_indicators", "sum"),
    )
    sums = grouped[["financial_outcome_krw", "settled_outcome_krw", "settled_support_krw", "improvement_pct_sum"]].sum(
        min_count=1
    )
    g["outcome"] = sums["financial_outcome_krw"]
    g["settled_outcome"] = sums["settled_outcome_krw"]
    g["settled_support"] = sums["settled_support_krw"]
    g["improvement_sum"] = sums["improvement_pct_sum"]
    result = pd.DataFrame(
        {
            "company_id": g.index,
            "company_name": g["company_name"].to_numpy(),
            "tier": g["tier"].to_numpy(),
            "industry": g["industry"].to_numpy(),
            "region": g["region"].to_numpy(),
            "employees": g["employees"].to_numpy(),
            "cohorts": g["cohorts"].to_numpy(),
            "cohort_years": g["cohort_years"].to_numpy(),
            "support_man": g["support"].to_numpy() / 1e4,
            "outcome_man": g["outcome"].to_numpy() / 1e4,
            "outcome_multiple_x": (g["settled_outcome"] / g["settled_support"].replace(0, np.nan)).to_numpy(),
            "tasks_done": g["tasks_done"].to_numpy(),
            "tasks_total": g["tasks_total"].to_numpy(),
            "task_completion_pct": (100.0 * g["tasks_done"] / g["tasks_total"].replace(0, np.nan)).to_numpy(),
            "mean_improvement_pct": (g["improvement_sum"] / g["measured"].replace(0, np.nan)).to_numpy(),
            "matching_firms": len(g),
        }
    )
    default = ["outcome_man", "support_man", "company_id"]
    result = _ordered(result, LEADERBOARD_SORT, run.params, default, [False, False, True])
    return _limit(result, run.params["limit"])


def company_support_outcome(run: Rerun) -> pd.DataFrame:
    p = run.participations
    p = p[p["settled"]]
    g = p.groupby("company_id", sort=False).agg(
        company_name=("company_name", "first"),
        industry=("industry", "first"),
        cohorts=("year", "size"),
        support=("settled_support_krw", "sum"),
        outcome=("settled_outcome_krw", "sum"),
    )
    result = pd.DataFrame(
        {
            "company_id": g.index,
            "company_name": g["company_name"].to_numpy(),
            "industry": g["industry"].to_numpy(),
            "cohorts": g["cohorts"].to_numpy(),
            "support_man": g["support"].to_numpy() / 1e4,
            "outcome_man": g["outcome"].to_numpy() / 1e4,
            "outcome_multiple_x": (g["outcome"] / g["support"].replace(0, np.nan)).to_numpy(),
            "matching_firms": len(g),
        }
    )
    result = result.sort_values(["outcome_man", "company_id"], ascending=[False, True])
    return _limit(result, run.params["limit"])


def _measured(outcomes: pd.DataFrame) -> pd.DataFrame:
    return outcomes[outcomes["improvement_pct"].notna()]


def improvement_by_area(run: Rerun) -> pd.DataFrame:
    areas = run.tasks[[*KEY, "area"]].drop_duplicates()
    rows = areas.merge(_measured(run.outcomes)[[*KEY, "improvement_pct"]], on=KEY)
    g = rows.groupby("area", sort=False).agg(
        measured_rows=("improvement_pct", "size"), mean_improvement_pct=("improvement_pct", "mean")
    )
    participations = rows[["area", *KEY]].drop_duplicates().groupby("area").size()
    result = pd.DataFrame(
        {
            "area": g.index,
            "participations": participations.reindex(g.index).to_numpy(),
            "measured_rows": g["measured_rows"].to_numpy(),
            "mean_improvement_pct": g["mean_improvement_pct"].to_numpy(),
        }
    )
    return result.sort_values(["mean_improvement_pct", "area"], ascending=[False, True]).reset_index(drop=True)


def improvement_by_industry(run: Rerun) -> pd.DataFrame:
    firms = run.participations[[*KEY, "industry"]]
    rows = _measured(run.outcomes).merge(firms, on=KEY)
    g = rows.groupby("industry", sort=False).agg(
        firms=("company_id", "nunique"),
        measured_rows=("improvement_pct", "size"),
        mean_improvement_pct=("improvement_pct", "mean"),
    )
    result = g.reset_index()[["industry", "firms", "measured_rows", "mean_improvement_pct"]]
    return result.sort_values(["mean_improvement_pct", "industry"], ascending=[False, True]).reset_index(drop=True)


def improvement_distribution(run: Rerun) -> pd.DataFrame:
    measured = _measured(run.outcomes)["improvement_pct"]
    if measured.empty:
        return pd.DataFrame({"bin_from_pct": [], "bin_to_pct": [], "indicator_rows": []})
    bins = (np.floor(measured / 10) * 10).astype("int64")
    bands = np.arange(bins.min(), bins.max() + 10, 10)
    counts = bins.value_counts().reindex(bands, fill_value=0)
    return pd.DataFrame({"bin_from_pct": bands, "bin_to_pct": bands + 10, "indicator_rows": counts.to_numpy()})


def indicator_before_after(run: Rerun) -> pd.DataFrame:
    o = run.outcomes
    o = o.assign(measured_baseline=o["baseline"].where(o["result"].notna()))
    g = o.groupby(["indicator", "unit", "higher_is_better"], sort=False).agg(
        indicator_rows=("baseline", "size"),
        measured_rows=("improvement_pct", "count"),
        mean_baseline=("measured_baseline", "mean"),
        mean_result=("result", "mean"),
        mean_improvement_pct=("improvement_pct", "mean"),
    )
    result = g.reset_index().assign(matching_indicators=len(g))
    result = result.sort_values(
        ["measured_rows", "indicator", "unit", "higher_is_better"], ascending=[False, True, True, True]
    )
    return _limit(result, run.params["limit"])


def outcome_rows(run: Rerun) -> pd.DataFrame:
    o = run.outcomes.merge(run.participations[[*KEY, "company_name"]], on=KEY)
    if run.params["indicators"] is not None:
        o = o[o["indicator"].isin(run.params["indicators"])]
    o = _ordered(o, INDICATOR_SORT, run.params, ["year", "company_id", "indicator"], [True, True, True])
    columns = ["company_id", "company_name", "year", "indicator", "unit", "higher_is_better"]
    result = o[[*columns, "baseline", "result", "improvement_pct"]].assign(matching_rows=len(o))
    return _limit(result, run.params["limit"])


def outcome_summary(run: Rerun) -> pd.DataFrame:
    o = run.outcomes
    measured = o["improvement_pct"].notna()
    improved = int((o["improvement_pct"] > 0).sum())
    return pd.DataFrame(
        [
            {
                "indicator_rows": len(o),
                "measured_rows": int(measured.sum()),
                "unmeasured_rows": int((~measured).sum()),
                "mean_improvement_pct": o["improvement_pct"].mean(),
                "improved_rows": improved,
                "improved_share_pct": _ratio(100.0 * improved, measured.sum()),
                "firms": o.loc[measured, "company_id"].nunique(),
            }
        ]
    )


def task_completion_by_cohort(run: Rerun) -> pd.DataFrame:
    g = run.facts.groupby("year", sort=True).agg(
        participations=("year", "size"), tasks_done=("tasks_done", "sum"), tasks_total=("tasks_total", "sum")
    )
    result = g.reset_index()
    result["task_completion_pct"] = 100.0 * result["tasks_done"] / result["tasks_total"].replace(0, np.nan)
    return result


def task_completion_by_area(run: Rerun) -> pd.DataFrame:
    t = run.tasks.assign(done=run.tasks["status"] == "done")
    g = (
        t.groupby(["domain", "area"])
        .agg(firms=("company_id", "nunique"), tasks_done=("done", "sum"), tasks_total=("done", "size"))
        .reset_index()
    )
    g["task_completion_pct"] = 100.0 * g["tasks_done"] / g["tasks_total"]
    order = ["task_completion_pct", "tasks_total", "domain", "area"]
    return g.sort_values(order, ascending=[True, False, True, True]).reset_index(drop=True)


def task_list(run: Rerun) -> pd.DataFrame:
    t = run.tasks.merge(run.participations[[*KEY, "company_name"]], on=KEY)
    search = run.params["search"]
    t = t[_contains(t["title"], search) | _contains(t["company_name"], search)]
    for column, param in (("status", "task_statuses"), ("domain", "domains"), ("area", "areas")):
        if run.params[param] is not None:
            t = t[t[column].isin(run.params[param])]
    t = _ordered(t, TASK_SORT, run.params, ["year", "company_id", "task_id"], [True, True, True])
    columns = ["task_id", "company_id", "company_name", "year", "domain", "area", "title", "status"]
    return t[columns].assign(matching_tasks=len(t)).pipe(_limit, run.params["limit"])


def task_summary(run: Rerun) -> pd.DataFrame:
    t = run.tasks
    counts = t["status"].value_counts()
    total = len(t)
    return pd.DataFrame(
        [
            {
                "tasks_total": total,
                "tasks_done": int(counts.get("done", 0)),
                "tasks_in_progress": int(counts.get("in_progress", 0)),
                "tasks_planned": int(counts.get("planned", 0)),
                "tasks_on_hold": int(counts.get("on_hold", 0)),
                "task_completion_pct": _ratio(100.0 * counts.get("done", 0), total),
                "firms": t["company_id"].nunique(),
            }
        ]
    )


def tasks_by_area_status(run: Rerun) -> pd.DataFrame:
    g = run.tasks.groupby(["domain", "area", "status"], sort=False).size().rename("tasks").reset_index()
    g["area_tasks"] = g.groupby(["domain", "area"])["tasks"].transform("sum")
    return g.sort_values(["domain", "area_tasks", "area", "status"], ascending=[True, False, True, True]).reset_index(
        drop=True
    )


def company_names(run: Rerun) -> pd.DataFrame:
    firms = run.frames.companies.drop_duplicates("company_id")[["company_id", "company_name"]]
    named = firms[firms["company_id"].isin(run.params["company_ids"])]
    return named.sort_values("company_id").reset_index(drop=True)


def company_options(run: Rerun) -> pd.DataFrame:
    firms = run.frames.companies.drop_duplicates("company_id")[["company_id", "company_name"]]
    matches = firms[_contains(firms["company_name"], run.params["search"])]
    listed = matches.sort_values(["company_name", "company_id"]).assign(matching_firms=len(matches))
    return _limit(listed, run.params["limit"])


def _table(name: str) -> Callable[[Rerun], pd.DataFrame]:
    def as_loaded(run: Rerun) -> pd.DataFrame:
        return run.frames.tables[name].reset_index(drop=True)

    as_loaded.__name__ = f"data_{name}"
    return as_loaded


def data_row_counts(run: Rerun) -> pd.DataFrame:
    return pd.DataFrame(
        {"table_name": [t.name for t in TABLES], "rows": [len(run.frames.tables[t.name]) for t in TABLES]}
    )


def data_cohort_range(run: Rerun) -> pd.DataFrame:
    p = run.frames.tables["participations"]
    return pd.DataFrame(
        [
            {
                "first_year": p["year"].min() if len(p) else None,
                "last_year": p["year"].max() if len(p) else None,
                "cohorts": p["year"].nunique(),
                "firms": p["company_id"].nunique(),
                "measured_outcomes": p["financial_outcome_krw"].count(),
            }
        ]
    )


def filter_options(run: Rerun) -> pd.DataFrame:
    p, c = run.frames.tables["participations"], run.frames.tables["companies"]
    firms = c.drop_duplicates("company_id")
    listed = firms.sort_values(["company_name", "company_id"]).head(run.params["listed_firms"])
    parts = [
        ("year", p["year"].astype(str), p["year"].astype(str)),
        ("phase", p["phase"], p["phase"]),
        ("company", listed["company_id"], listed["company_name"]),
        ("firms", pd.Series([str(len(firms))]), pd.Series([""])),
        ("industry", c["industry"], c["industry"]),
        ("region", c["region"], c["region"]),
        ("tier", c["tier"].astype(str), c["tier"].astype(str) + "차"),
        ("phase_year", p["phase"], p["year"].astype(str)),
    ]
    measured = p.loc[p["financial_outcome_krw"].notna(), "year"].astype(str)
    parts.append(("measured_year", measured, measured))
    rows = pd.concat(
        [
            pd.DataFrame({"field": field, "value": value.to_numpy(), "label": label.to_numpy()})
            for field, value, label in parts
        ]
    ).drop_duplicates()
    return rows.sort_values(["field", "label", "value"]).reset_index(drop=True)


PEER_MINIMUM = 5  # the fewest firms a peer statistic is shown for
PEER_KPIS = ("support_man", "outcome_man", "outcome_multiple_x", "task_completion_pct", "mean_improvement_pct")


@dataclass(frozen=True)
class PeerGroup:
    subject: str
    tier: int
    industry: str | None  # None: the tier alone
    years: list[int]
    tier_industry_firms: int
    participations: pd.DataFrame  # the group's participations in the subject's cohort years


def _peer_group(run: Rerun) -> PeerGroup | None:
    """The peer group of the one firm the filters hold: same tier and industry with a participation in
    its cohort years, or the tier alone when that is fewer than PEER_MINIMUM firms."""
    chosen = run.participations
    if chosen["company_id"].nunique() != 1:
        return None
    first = chosen.iloc[0]
    years = sorted(chosen["year"].unique().tolist())
    p = run.frames.participations
    same_tier = p[(p["tier"] == first["tier"]) & p["year"].isin(years)]
    same_industry = same_tier[same_tier["industry"] == first["industry"]]
    tier_industry_firms = same_industry["company_id"].nunique()
    by_industry = tier_industry_firms >= PEER_MINIMUM
    return PeerGroup(
        first["company_id"],
        int(first["tier"]),
        first["industry"] if by_industry else None,
        [int(y) for y in years],
        tier_industry_firms,
        same_industry if by_industry else same_tier,
    )


def _peer_values(group: PeerGroup, frames: Frames) -> pd.DataFrame:
    """Each firm of the group with its KPIs over the cohort years (as company_leaderboard)."""
    facts = Rerun(frames, Filters(min(group.years), max(group.years)), {}).facts
    facts = facts.merge(group.participations[KEY], on=KEY)
    rows = []
    for company_id, g in facts.groupby("company_id"):
        rows.append(
            {
                "company_id": company_id,
                "support_man": g["support_krw"].sum() / 1e4,
                "outcome_man": _sum(g["financial_outcome_krw"]) / 1e4,
                "outcome_multiple_x": _multiple(g),
                "task_completion_pct": _ratio(100.0 * g["tasks_done"].sum(), g["tasks_total"].sum()),
                "mean_improvement_pct": _ratio(_sum(g["improvement_pct_sum"]), g["measured_indicators"].sum()),
            }
        )
    return pd.DataFrame(rows).set_index("company_id")


def _peer_statistics(values: pd.Series, subject: str) -> dict:
    """Quartiles, median and the subject's rank (1 = highest) over the firms with a value; suppressed
    below PEER_MINIMUM of them."""
    present = values.dropna()
    shown = len(present) >= PEER_MINIMUM
    rank = present.rank(method="min", ascending=False)
    return {
        "p25": present.quantile(0.25) if shown else np.nan,
        "median": present.median() if shown else np.nan,
        "p75": present.quantile(0.75) if shown else np.nan,
        "firm_rank": rank[subject] if shown and subject in rank.index else np.nan,
        "ranked_firms": len(present),
        "suppressed": not shown,
    }


def peer_group(run: Rerun) -> pd.DataFrame:
    group = _peer_group(run)
    columns = ["company_id", "tier", "industry", "cohort_years", "group_firms", "tier_industry_firms", "min_firms"]
    if group is None:
        return pd.DataFrame(columns=columns)
    row = {
        "company_id": group.subject,
        "tier": group.tier,
        "industry": group.industry,
        "cohort_years": ", ".join(str(y) for y in group.years),
        "group_firms": group.participations["company_id"].nunique(),
        "tier_industry_firms": group.tier_industry_firms,
        "min_firms": PEER_MINIMUM,
    }
    return pd.DataFrame([row], columns=columns)


def peer_kpis(run: Rerun) -> pd.DataFrame:
    group = _peer_group(run)
    columns = ["kpi", "firm_value", "p25", "median", "p75", "firm_rank", "ranked_firms", "suppressed"]
    if group is None:
        return pd.DataFrame(columns=columns)
    values = _peer_values(group, run.frames)
    rows = [
        {"kpi": kpi, "firm_value": values.loc[group.subject, kpi]} | _peer_statistics(values[kpi], group.subject)
        for kpi in PEER_KPIS
    ]
    return pd.DataFrame(rows, columns=columns)


def peer_indicators(run: Rerun) -> pd.DataFrame:
    group = _peer_group(run)
    columns = ["indicator", "improvement_pct", "p25_pct", "median_pct", "p75_pct", "firm_rank", "ranked_firms"]
    columns.append("suppressed")
    if group is None:
        return pd.DataFrame(columns=columns)
    outcomes = run.frames.outcomes
    outcomes = outcomes[
        outcomes["company_id"].isin(group.participations["company_id"]) & outcomes["year"].isin(group.years)
    ]
    means = outcomes.groupby(["indicator", "company_id"])["improvement_pct"].mean()
    rows = []
    for indicator in sorted(outcomes.loc[outcomes["company_id"] == group.subject, "indicator"].unique()):
        values = means[indicator]
        stats = _peer_statistics(values, group.subject)
        rows.append(
            {
                "indicator": indicator,
                "improvement_pct": values[group.subject],
                "p25_pct": stats["p25"],
                "median_pct": stats["median"],
                "p75_pct": stats["p75"],
            }
            | {k: stats[k] for k in ("firm_rank", "ranked_firms", "suppressed")}
        )
    return pd.DataFrame(rows, columns=columns)


QUERIES: dict[str, Callable[[Rerun], pd.DataFrame]] = {
    fn.__name__: fn
    for fn in (
        company_names,
        company_options,
        kpi_summary,
        kpi_by_year,
        kpi_by_phase,
        top_companies_by_outcome,
        outcome_by_industry,
        outcome_by_region,
        company_cohorts,
        company_leaderboard,
        peer_group,
        peer_kpis,
        peer_indicators,
        company_support_outcome,
        improvement_by_area,
        improvement_by_industry,
        improvement_distribution,
        indicator_before_after,
        outcome_rows,
        outcome_summary,
        task_completion_by_cohort,
        task_completion_by_area,
        task_list,
        task_summary,
        tasks_by_area_status,
        data_row_counts,
        data_cohort_range,
        filter_options,
        *(_table(t.name) for t in TABLES),
    )
}


def rerun(frames: Frames, params: dict) -> Rerun:
    """A rerun for the parameters of one query call as `run_query` binds them (`$f`, the page's own)."""
    return Rerun(frames, filters_of(params["f"]) if "f" in params else None, params)


def compute(frames: Frames, name: str, params: dict) -> pd.DataFrame:
    """What `queries/<name>.sql` returns for `params`, computed in pandas."""
    return QUERIES[name](rerun(frames, params))


def kpis(frames: Frames, f: Filters) -> dict:
    """The seven Overview KPIs over the participations that pass `f` (NaN where the SQL gives NULL)."""
    return _kpis(Rerun(frames, f, {}).facts)


def same(a, b) -> bool:
    """Equal as numbers, or both missing (None / NaN / NA)."""
    a = None if a is None or pd.isna(a) else a
    b = None if b is None or pd.isna(b) else b
    if a is None or b is None:
        return a is None and b is None
    return math.isclose(float(a), float(b), rel_tol=1e-9, abs_tol=1e-9)


def differences(expected: pd.DataFrame, actual: pd.DataFrame, rel: float = 1e-9) -> list[str]:
    """How `actual` (pandas) differs from `expected` (the app's query), column by column; [] if equal."""
    if list(expected.columns) != list(actual.columns):
        return [f"columns {list(expected.columns)} != {list(actual.columns)}"]
    if len(expected) != len(actual):
        return [f"{len(expected)} rows != {len(actual)} rows"]
    problems = []
    for column in expected.columns:
        a, b = expected[column].reset_index(drop=True), actual[column].reset_index(drop=True)
        a_missing, b_missing = a.isna().to_numpy(), b.isna().to_numpy()
        numeric = pd.api.types.is_numeric_dtype(a) or pd.api.types.is_numeric_dtype(b)
        if numeric and not (pd.api.types.is_bool_dtype(a) and pd.api.types.is_bool_dtype(b)):
            x = a.astype("float64").to_numpy()
            y = b.astype("float64").to_numpy()
            same = (a_missing & b_missing) | np.isclose(x, y, rtol=rel, atol=1e-9)
        else:
            same = (a_missing & b_missing) | (~a_missing & ~b_missing & (a.astype(str) == b.astype(str)).to_numpy())
        if not same.all():
            row = int(np.flatnonzero(~same)[0])
            problems.append(f"{column} row {row}: {a[row]!r} != {b[row]!r}")
    return problems
