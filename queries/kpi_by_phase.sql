-- kpi_by_phase: phase 1 vs phase 2 (and any other phase in the data) over the filtered participations.
-- Columns: phase, firms, participations, support_eok, outcome_eok (measured only),
-- outcome_multiple_x, task_completion_pct, mean_improvement_pct,
-- unmeasured_cohorts (the phase's cohort years with support but no measured outcome yet, e.g. '2020';
-- NULL when none: the yearly chart marks the same years 진행 중 · 성과 측정 전).
-- Parameters: $f (the filters).
WITH cohorts AS (
    SELECT
        phase,
        year,
        sum(participations) AS participations,
        sum(support_krw) AS support_krw,
        sum(financial_outcome_krw) AS financial_outcome_krw,
        sum(measured_outcomes) AS measured_outcomes,
        sum(settled_outcome_krw) AS settled_outcome_krw,
        sum(settled_support_krw) AS settled_support_krw,
        sum(tasks_done) AS tasks_done,
        sum(tasks_total) AS tasks_total,
        sum(improvement_pct_sum) AS improvement_pct_sum,
        sum(measured_indicators) AS measured_indicators
    FROM facts_cells($f)
    GROUP BY phase, year
),
phase_firms AS (
    SELECT p.phase, sum(g.firms) AS firms
    FROM facts_firms($f) AS g
    JOIN cohort_phase_masks AS p ON g.cohorts & p.cohorts != 0
    GROUP BY p.phase
)
SELECT
    c.phase,
    CAST(any_value(p.firms) AS BIGINT) AS firms,
    CAST(sum(c.participations) AS BIGINT) AS participations,
    sum(c.support_krw) / 1e8 AS support_eok,
    sum(c.financial_outcome_krw) / 1e8 AS outcome_eok,
    sum(c.settled_outcome_krw) / nullif(sum(c.settled_support_krw), 0) AS outcome_multiple_x,
    100.0 * sum(c.tasks_done) / nullif(sum(c.tasks_total), 0) AS task_completion_pct,
    sum(c.improvement_pct_sum) / nullif(sum(c.measured_indicators), 0) AS mean_improvement_pct,
    string_agg(CAST(c.year AS VARCHAR), ', ' ORDER BY CAST(c.year AS VARCHAR))
        FILTER (WHERE c.measured_outcomes = 0 AND c.support_krw > 0) AS unmeasured_cohorts
FROM cohorts AS c
JOIN phase_firms AS p USING (phase)
GROUP BY c.phase
ORDER BY c.phase;
