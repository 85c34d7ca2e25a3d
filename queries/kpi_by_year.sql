-- kpi_by_year: the Overview KPIs per cohort year in the selected range (years with participations
-- only), for the cards' sparklines and the yearly support vs outcome chart.
-- Columns: year, participations, firms, support_krw, outcome_krw, outcome_multiple_x,
-- settled_participations, settled_support_krw, sharing_contracts, task_completion_pct, mean_improvement_pct, support_eok, outcome_eok.
-- Parameters: $f (the filters).
SELECT *, support_krw / 1e8 AS support_eok, outcome_krw / 1e8 AS outcome_eok
FROM kpis($f)
ORDER BY year;
