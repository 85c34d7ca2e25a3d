-- company_cohorts: one row per filtered participation (a firm's cohorts, for its profile), oldest first.
-- Columns: company_id, company_name, year, phase, agency (NULL: not recorded), status, support_man,
-- consulting_man, equipment_man, outcome_man (NULL: not yet measured; all 만원), outcome_multiple_x
-- (0 when dropped unmeasured, NULL while unsettled),
-- sharing_contract, tasks_done, tasks_total, mean_improvement_pct (over its measured indicators).
-- Parameters: $f (the filters).
SELECT
    company_id,
    company_name,
    year,
    phase,
    agency,
    status,
    support_krw / 1e4 AS support_man,
    consulting_krw / 1e4 AS consulting_man,
    equipment_krw / 1e4 AS equipment_man,
    financial_outcome_krw / 1e4 AS outcome_man,
    settled_outcome_krw / nullif(settled_support_krw, 0) AS outcome_multiple_x,
    sharing_contract,
    tasks_done,
    tasks_total,
    improvement_pct_sum / nullif(measured_indicators, 0) AS mean_improvement_pct
FROM participation_facts($f)
ORDER BY company_id, year;
