-- kpi_by_year: the Overview KPIs per cohort year in the selected range (years with participations
-- only), for the cards' sparklines and the yearly support vs outcome chart.
-- Columns: year, participations, firms, support_krw, outcome_krw, outcome_multiple_x,
-- sharing_contracts, task_completion_pct, mean_improvement_pct, support_eok, outcome_eok.
-- Parameters: $year_from, $year_to, $phases, $company_ids, $industries, $regions, $tiers.
SELECT *, support_krw / 1e8 AS support_eok, outcome_krw / 1e8 AS outcome_eok
FROM kpis($year_from, $year_to, $phases, $company_ids, $industries, $regions, $tiers)
WHERE year IS NOT NULL
ORDER BY year;
