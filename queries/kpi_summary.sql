-- kpi_summary: one row, the Overview KPIs over the filtered participations and each KPI's delta
-- against $f_previous: the previous period of the same length with the same other filters, or the
-- 비교 mode's other set (NULL when it has no participations). Amount deltas in KRW, rate deltas in
-- percentage points.
-- Columns: participations, firms, support_krw, outcome_krw, outcome_multiple_x, settled_participations,
-- settled_support_krw (the multiple's basis: settled participations and their support), sharing_contracts,
-- task_completion_pct, mean_improvement_pct, previous_participations, firms_delta, support_krw_delta,
-- outcome_krw_delta, outcome_multiple_x_delta, sharing_contracts_delta, task_completion_pct_delta,
-- mean_improvement_pct_delta.
-- Parameters: $f (the filters), $f_previous (the same filters over the previous period; in the 비교
-- mode of 개요 the other filter set, so each delta is the difference between the two sets).
SELECT
    c.participations,
    c.firms,
    c.support_krw,
    c.outcome_krw,
    c.outcome_multiple_x,
    c.settled_participations,
    c.settled_support_krw,
    c.sharing_contracts,
    c.task_completion_pct,
    c.mean_improvement_pct,
    p.participations AS previous_participations,
    CASE WHEN p.participations > 0 THEN c.firms - p.firms END AS firms_delta,
    CASE WHEN p.participations > 0 THEN c.support_krw - p.support_krw END AS support_krw_delta,
    CASE WHEN p.participations > 0 THEN coalesce(c.outcome_krw, 0) - coalesce(p.outcome_krw, 0) END AS outcome_krw_delta,
    CASE WHEN p.participations > 0 THEN c.outcome_multiple_x - p.outcome_multiple_x END AS outcome_multiple_x_delta,
    CASE WHEN p.participations > 0 THEN c.sharing_contracts - p.sharing_contracts END AS sharing_contracts_delta,
    CASE WHEN p.participations > 0 THEN c.task_completion_pct - p.task_completion_pct END AS task_completion_pct_delta,
    CASE WHEN p.participations > 0 THEN c.mean_improvement_pct - p.mean_improvement_pct END AS mean_improvement_pct_delta
FROM kpi_totals($f) AS c, kpi_totals($f_previous) AS p;
