-- kpis: the seven Overview KPIs per cohort year of the selection (years with participations only);
-- kpi_totals: the same over the whole selection, one row even when nothing matches.
-- Columns: year (kpi_totals has no year), participations, firms, support_krw, outcome_krw (NULL:
-- nothing measured), outcome_multiple_x (over the settled participations, see participation_base),
-- settled_participations, settled_support_krw (the multiple's basis), sharing_contracts,
-- task_completion_pct, mean_improvement_pct.
-- Parameters: f, as participation_facts.
-- Summed from the filtered cells (facts_cells); distinct firms from facts_firms: a firm counts in each
-- cohort year it passes and once in the whole selection. Two macros, not one with a row per year and a
-- total (GROUPING SETS): a query binds and plans only the rows it reads, which is most of its time.
CREATE OR REPLACE MACRO kpis(f) AS TABLE
WITH sums AS (
    SELECT
        year,
        CAST(sum(participations) AS BIGINT) AS participations,
        CAST(coalesce(sum(support_krw), 0) AS BIGINT) AS support_krw,
        CAST(sum(financial_outcome_krw) AS BIGINT) AS outcome_krw,
        sum(settled_outcome_krw) / nullif(sum(settled_support_krw), 0) AS outcome_multiple_x,
        CAST(sum(settled_participations) AS BIGINT) AS settled_participations,
        CAST(coalesce(sum(settled_support_krw), 0) AS BIGINT) AS settled_support_krw,
        CAST(sum(sharing_contracts) AS BIGINT) AS sharing_contracts,
        100.0 * sum(tasks_done) / nullif(sum(tasks_total), 0) AS task_completion_pct,
        sum(improvement_pct_sum) / nullif(sum(measured_indicators), 0) AS mean_improvement_pct
    FROM facts_cells(f)
    GROUP BY year
),
firms AS (
    SELECT y.year, sum(g.firms) AS firms
    FROM facts_firms(f) AS g
    JOIN cohort_year_masks AS y ON g.cohorts & y.cohorts != 0
    GROUP BY y.year
)
SELECT
    s.year,
    s.participations,
    CAST(coalesce(firms.firms, 0) AS BIGINT) AS firms,
    s.support_krw,
    s.outcome_krw,
    s.outcome_multiple_x,
    s.settled_participations,
    s.settled_support_krw,
    s.sharing_contracts,
    s.task_completion_pct,
    s.mean_improvement_pct
FROM sums AS s
LEFT JOIN firms USING (year);

CREATE OR REPLACE MACRO kpi_totals(f) AS TABLE
SELECT
    CAST(coalesce(sum(participations), 0) AS BIGINT) AS participations,
    (SELECT CAST(coalesce(sum(firms), 0) AS BIGINT) FROM facts_firms(f)) AS firms,
    CAST(coalesce(sum(support_krw), 0) AS BIGINT) AS support_krw,
    CAST(sum(financial_outcome_krw) AS BIGINT) AS outcome_krw,
    sum(settled_outcome_krw) / nullif(sum(settled_support_krw), 0) AS outcome_multiple_x,
    CAST(coalesce(sum(settled_participations), 0) AS BIGINT) AS settled_participations,
    CAST(coalesce(sum(settled_support_krw), 0) AS BIGINT) AS settled_support_krw,
    CAST(coalesce(sum(sharing_contracts), 0) AS BIGINT) AS sharing_contracts,
    100.0 * sum(tasks_done) / nullif(sum(tasks_total), 0) AS task_completion_pct,
    sum(improvement_pct_sum) / nullif(sum(measured_indicators), 0) AS mean_improvement_pct
FROM facts_cells(f);
