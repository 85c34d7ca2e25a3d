-- kpis: the seven Overview KPIs, one row per cohort year (year set) and one for the whole
-- selection (year NULL); the whole-selection row exists even when nothing matches.
-- Columns: year, participations, firms, support_krw, outcome_krw (NULL: nothing measured),
-- outcome_multiple_x (over the settled participations, see participation_base), settled_participations,
-- settled_support_krw (the multiple's basis), sharing_contracts, task_completion_pct, mean_improvement_pct.
-- Parameters: f, as participation_facts.
CREATE OR REPLACE MACRO kpis(f) AS TABLE
SELECT
    year,
    count(*) AS participations,
    count(DISTINCT company_id) AS firms,
    CAST(coalesce(sum(support_krw), 0) AS BIGINT) AS support_krw,
    CAST(sum(financial_outcome_krw) AS BIGINT) AS outcome_krw,
    sum(settled_outcome_krw) / nullif(sum(settled_support_krw), 0) AS outcome_multiple_x,
    count(*) FILTER (WHERE settled) AS settled_participations,
    CAST(coalesce(sum(settled_support_krw), 0) AS BIGINT) AS settled_support_krw,
    count(*) FILTER (WHERE sharing_contract) AS sharing_contracts,
    100.0 * sum(tasks_done) / nullif(sum(tasks_total), 0) AS task_completion_pct,
    sum(improvement_pct_sum) / nullif(sum(measured_indicators), 0) AS mean_improvement_pct
FROM participation_facts(f)
GROUP BY GROUPING SETS ((year), ());
