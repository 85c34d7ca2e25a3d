-- kpis: the seven Overview KPIs, one row per cohort year (year set) and one for the whole
-- selection (year NULL); the whole-selection row exists even when nothing matches.
-- Columns: participations, firms, support_krw, outcome_krw (NULL: nothing measured),
-- outcome_multiple_x, sharing_contracts, task_completion_pct, mean_improvement_pct.
-- Parameters: as filtered_participations.
CREATE OR REPLACE MACRO kpis(year_from, year_to, phases, company_ids, industries, regions, tiers) AS TABLE
SELECT
    year,
    count(*) AS participations,
    count(DISTINCT company_id) AS firms,
    CAST(coalesce(sum(support_krw), 0) AS BIGINT) AS support_krw,
    CAST(sum(financial_outcome_krw) AS BIGINT) AS outcome_krw,
    sum(financial_outcome_krw)
        / nullif(sum(support_krw) FILTER (WHERE financial_outcome_krw IS NOT NULL), 0) AS outcome_multiple_x,
    count(*) FILTER (WHERE sharing_contract) AS sharing_contracts,
    100.0 * sum(tasks_done) / nullif(sum(tasks_total), 0) AS task_completion_pct,
    sum(improvement_pct_sum) / nullif(sum(measured_indicators), 0) AS mean_improvement_pct
FROM participation_facts(year_from, year_to, phases, company_ids, industries, regions, tiers)
GROUP BY GROUPING SETS ((year), ());
