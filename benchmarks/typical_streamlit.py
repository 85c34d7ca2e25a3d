"""The "typical Streamlit" baseline: the dashboard's numbers computed the way most Streamlit
dashboards compute them, to compare the app's DuckDB queries against.

Such an app reads every table into pandas once (`@st.cache_data` around `pd.read_parquet`), then on
every rerun filters with boolean masks, merges and runs `groupby`. Here loading is done once per
data folder and its frames are reused as they are, without the copy `st.cache_data` would hand out
on every rerun: the baseline is given the best of that style.

`QUERIES` maps a query name of `queries/` to a function computing the same frame (same columns,
same rows, same order) from one rerun's state, so the benchmark can replay, in pandas, exactly the
query calls a page made, and check the numbers agree. A query without an entry has no baseline.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

import numpy as np
import pandas as pd

KEY = ["company_id", "year"]
FILTER_PARAMS = ("year_from", "year_to", "phases", "company_ids", "industries", "regions", "tiers")


@dataclass(frozen=True)
class Frames:
    """What the typical app keeps in its cache: one DataFrame per table, the firm columns merged in."""

    companies: pd.DataFrame
    participations: pd.DataFrame  # with the firm's columns and support_krw
    tasks: pd.DataFrame
    outcomes: pd.DataFrame  # with improvement_pct


def load(folder: Path) -> Frames:
    """Read the Parquet tables of `folder` into pandas, the one-off work the app caches."""
    tables = {name: pd.read_parquet(folder / f"{name}.parquet") for name in ("companies", "participations", "tasks")}
    outcomes = pd.read_parquet(folder / "outcomes.parquet")
    companies = tables["companies"]
    participations = tables["participations"].merge(
        companies[["company_id", "company_name", "tier", "industry", "region"]], on="company_id"
    )
    participations["support_krw"] = participations["consulting_krw"] + participations["equipment_krw"]
    sign = np.where(outcomes["higher_is_better"], 1.0, -1.0)
    outcomes["improvement_pct"] = (outcomes["result"] - outcomes["baseline"]) / outcomes["baseline"].abs() * 100 * sign
    return Frames(companies, participations, tables["tasks"], outcomes)


def _ratio(numerator: float, denominator: float) -> float:
    """SQL's `a / nullif(b, 0)` with NULL sums: NaN when either side is missing or b is 0."""
    if pd.isna(numerator) or pd.isna(denominator) or denominator == 0:
        return np.nan
    return numerator / denominator


def _sum(values: pd.Series) -> float:
    """SQL's sum(): NULL (NaN) over no non-NULL value."""
    return values.sum(min_count=1)


class Rerun:
    """One script run of a typical page: the filtered frames, each computed once and reused."""

    def __init__(self, frames: Frames, params: dict):
        self.frames = frames
        self.params = params

    def with_years(self, year_from: int, year_to: int) -> Rerun:
        return Rerun(self.frames, self.params | {"year_from": year_from, "year_to": year_to})

    @cached_property
    def participations(self) -> pd.DataFrame:
        p, f = self.frames.participations, self.params
        mask = p["year"].between(f["year_from"], f["year_to"])
        for column, param in (
            ("phase", "phases"),
            ("company_id", "company_ids"),
            ("industry", "industries"),
            ("region", "regions"),
            ("tier", "tiers"),
        ):
            if f[param] is not None:
                mask &= p[column].isin(f[param])
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


KPI_COLUMNS = (
    "participations",
    "firms",
    "support_krw",
    "outcome_krw",
    "outcome_multiple_x",
    "sharing_contracts",
    "task_completion_pct",
    "mean_improvement_pct",
)


def _kpis(facts: pd.DataFrame) -> dict:
    measured = facts["financial_outcome_krw"].notna()
    outcome = _sum(facts["financial_outcome_krw"])
    return {
        "participations": len(facts),
        "firms": facts["company_id"].nunique(),
        "support_krw": int(facts["support_krw"].sum()),
        "outcome_krw": outcome,
        "outcome_multiple_x": _ratio(outcome, _sum(facts.loc[measured, "support_krw"])),
        "sharing_contracts": int(facts["sharing_contract"].sum()),
        "task_completion_pct": _ratio(100.0 * facts["tasks_done"].sum(), facts["tasks_total"].sum()),
        "mean_improvement_pct": _ratio(_sum(facts["improvement_pct_sum"]), facts["measured_indicators"].sum()),
    }


def kpi_summary(run: Rerun) -> pd.DataFrame:
    current = _kpis(run.facts)
    previous = _kpis(run.with_years(run.params["previous_from"], run.params["previous_to"]).facts)
    row = current | {"previous_participations": previous["participations"]}
    has_previous = previous["participations"] > 0
    for column in KPI_COLUMNS[1:]:
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
            }
        )
    columns = ["phase", "firms", "participations", "support_eok", "outcome_eok", "outcome_multiple_x"]
    return pd.DataFrame(rows, columns=[*columns, "task_completion_pct", "mean_improvement_pct"])


def _support_outcome(frame: pd.DataFrame, by: str) -> pd.DataFrame:
    measured = frame.assign(measured_support=frame["support_krw"].where(frame["financial_outcome_krw"].notna()))
    grouped = measured.groupby(by, sort=False)
    sums = grouped[["support_krw", "financial_outcome_krw", "measured_support"]].sum(min_count=1)
    outcome = sums["financial_outcome_krw"]
    result = pd.DataFrame(
        {
            by: sums.index,
            "firms": grouped["company_id"].nunique().to_numpy(),
            "support_eok": sums["support_krw"].to_numpy() / 1e8,
            "outcome_eok": outcome.fillna(0).to_numpy() / 1e8,
            "outcome_multiple_x": (outcome / sums["measured_support"].replace(0, np.nan)).to_numpy(),
        }
    )
    return result.sort_values(["outcome_eok", "support_eok", by], ascending=[False, False, True]).reset_index(drop=True)


def outcome_by_industry(run: Rerun) -> pd.DataFrame:
    return _support_outcome(run.participations, "industry")


def outcome_by_region(run: Rerun) -> pd.DataFrame:
    return _support_outcome(run.participations, "region")


def top_companies_by_outcome(run: Rerun) -> pd.DataFrame:
    p = run.participations
    p = p[p["financial_outcome_krw"].notna()]
    g = p.groupby("company_id", sort=False).agg(
        company_name=("company_name", "first"), outcome=("financial_outcome_krw", "sum"), support=("support_krw", "sum")
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
    return result.head(run.params["limit"]).reset_index(drop=True)


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
            "outcome_multiple_x": f["financial_outcome_krw"] / f["support_krw"].replace(0, np.nan),
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
        measured_support=f["support_krw"].where(f["financial_outcome_krw"].notna()),
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
    sums = grouped[["financial_outcome_krw", "measured_support", "improvement_pct_sum"]].sum(min_count=1)
    g["outcome"] = sums["financial_outcome_krw"]
    g["measured_support"] = sums["measured_support"]
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
            "outcome_multiple_x": (g["outcome"] / g["measured_support"].replace(0, np.nan)).to_numpy(),
            "tasks_done": g["tasks_done"].to_numpy(),
            "tasks_total": g["tasks_total"].to_numpy(),
            "task_completion_pct": (100.0 * g["tasks_done"] / g["tasks_total"].replace(0, np.nan)).to_numpy(),
            "mean_improvement_pct": (g["improvement_sum"] / g["measured"].replace(0, np.nan)).to_numpy(),
            "matching_firms": len(g),
        }
    )
    result = result.sort_values(
        ["outcome_man", "support_man", "company_id"], ascending=[False, False, True], na_position="last"
    )
    return result.head(run.params["limit"]).reset_index(drop=True)


def company_support_outcome(run: Rerun) -> pd.DataFrame:
    p = run.participations
    p = p[p["financial_outcome_krw"].notna()]
    g = p.groupby("company_id", sort=False).agg(
        company_name=("company_name", "first"),
        industry=("industry", "first"),
        cohorts=("year", "size"),
        support=("support_krw", "sum"),
        outcome=("financial_outcome_krw", "sum"),
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
    return result.head(run.params["limit"]).reset_index(drop=True)


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
    result = g.reset_index()
    return result.sort_values(
        ["measured_rows", "indicator", "unit", "higher_is_better"], ascending=[False, True, True, True]
    ).reset_index(drop=True)


def outcome_rows(run: Rerun) -> pd.DataFrame:
    o = run.outcomes.merge(run.participations[[*KEY, "company_name"]], on=KEY)
    if run.params["indicators"] is not None:
        o = o[o["indicator"].isin(run.params["indicators"])]
    o = o.sort_values(["year", "company_id", "indicator"])
    columns = ["company_id", "company_name", "year", "indicator", "unit", "higher_is_better"]
    result = o[[*columns, "baseline", "result", "improvement_pct"]].assign(matching_rows=len(o))
    return result.head(run.params["limit"]).reset_index(drop=True)


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


def task_list(run: Rerun) -> pd.DataFrame:
    t = run.tasks.merge(run.participations[[*KEY, "company_name"]], on=KEY)
    search = run.params["search"]
    t = t[_contains(t["title"], search) | _contains(t["company_name"], search)]
    for column, param in (("status", "task_statuses"), ("domain", "domains")):
        if run.params[param] is not None:
            t = t[t[column].isin(run.params[param])]
    t = t.sort_values(["year", "company_id", "task_id"])
    columns = ["task_id", "company_id", "company_name", "year", "domain", "area", "title", "status"]
    return t[columns].assign(matching_tasks=len(t)).head(run.params["limit"]).reset_index(drop=True)


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


def company_options(run: Rerun) -> pd.DataFrame:
    firms = run.frames.companies.drop_duplicates("company_id")[["company_id", "company_name"]]
    matches = firms[_contains(firms["company_name"], run.params["search"])]
    listed = matches.sort_values(["company_name", "company_id"]).head(run.params["limit"])
    return listed.assign(matching_firms=len(matches)).reset_index(drop=True)


QUERIES: dict[str, Callable[[Rerun], pd.DataFrame]] = {
    fn.__name__: fn
    for fn in (
        company_options,
        kpi_summary,
        kpi_by_year,
        kpi_by_phase,
        top_companies_by_outcome,
        outcome_by_industry,
        outcome_by_region,
        company_cohorts,
        company_leaderboard,
        company_support_outcome,
        improvement_by_area,
        improvement_by_industry,
        improvement_distribution,
        indicator_before_after,
        outcome_rows,
        outcome_summary,
        task_completion_by_cohort,
        task_list,
        task_summary,
        tasks_by_area_status,
    )
}


def compute(frames: Frames, calls: list[tuple[str, dict]]) -> dict[str, pd.DataFrame]:
    """The frames of one page run: each (query name, parameters) call of the app, in pandas.

    Calls with the same filters share one `Rerun`, as the filtered frames of a page script would.
    """
    reruns: dict[tuple, Rerun] = {}
    results = {}
    for index, (name, params) in enumerate(calls):
        filters = tuple((k, _hashable(params.get(k))) for k in FILTER_PARAMS)
        run = reruns.get(filters)
        if run is None:
            run = reruns[filters] = Rerun(frames, params)
        run.params = run.params | params
        results[f"{index}:{name}"] = QUERIES[name](run)
    return results


def _hashable(value):
    return tuple(value) if isinstance(value, list) else value


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
