-- kpi_by_phase: phase 1 vs phase 2 (and any other phase in the data) over the filtered participations.
-- Columns: phase, firms, participations, support_eok, outcome_eok (measured only),
-- outcome_multiple_x, task_completion_pct, mean_improvement_pct,
-- unmeasured_cohorts (the phase's cohort years with support but no measured outcome yet, e.g. '2020';
-- NULL when none: the yearly chart marks the same years 진행 중 · 성과 측정 전).
-- Parameters: $f (the filters).
SELECT
    phase,
    count(DISTINCT company_id) AS firms,
    count(*) AS participations,
    sum(support_krw) / 1e8 AS support_eok,
    sum(financial_outcome_krw) / 1e8 AS outcome_eok,
    sum(settled_outcome_krw) / nullif(sum(settled_support_krw), 0) AS outcome_multiple_x,
    100.0 * sum(tasks_done) / nullif(sum(tasks_total), 0) AS task_completion_pct,
    sum(improvement_pct_sum) / nullif(sum(measured_indicators), 0) AS mean_improvement_pct,
    string_agg(DISTINCT CAST(year AS VARCHAR), ', ' ORDER BY CAST(year AS VARCHAR))
        FILTER (WHERE cohort_unmeasured) AS unmeasured_cohorts
FROM (
    SELECT
        *,
        count(financial_outcome_krw) OVER cohort = 0 AND sum(support_krw) OVER cohort > 0 AS cohort_unmeasured
    FROM participation_facts($f)
    WINDOW cohort AS (PARTITION BY phase, year)
)
GROUP BY phase
ORDER BY phase;
