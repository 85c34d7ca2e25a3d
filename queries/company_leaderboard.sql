-- company_leaderboard: one row per firm over the filtered participations whose name contains the
-- search text (case-insensitive, taken literally: % and _ are not wildcards; '' matches every firm),
-- in the order chosen ($sort, $descending: tables.LEADERBOARD_SORT; NULL sorts by the largest measured
-- outcome first, which is also the ties' order), at most $limit rows.
-- Columns: company_id, company_name, tier, industry, region, employees, cohorts (participations),
-- cohort_years (e.g. '2013, 2016'), support_man (all its participations, 만원), outcome_man
-- (measured only, 만원; NULL: nothing measured), outcome_multiple_x (outcome ÷ support, both over the
-- settled participations: measured or dropped), tasks_done, tasks_total, task_completion_pct, mean_improvement_pct (mean
-- over its measured indicators), matching_firms (firms matching before the limit).
-- Parameters: $f (the filters), $search, $sort, $descending, $limit.
-- A top-N over one row per firm (facts_firm_totals); the matches are counted apart, so only the
-- rows shown are kept, however many firms match.
WITH matches AS NOT MATERIALIZED (
    SELECT *
    FROM facts_firm_totals($f)
    -- An empty search folds to TRUE at plan time instead of testing every row.
    WHERE trim($search) = '' OR contains(lower(company_name), lower(trim($search)))
)
SELECT
    company_id,
    company_name,
    tier,
    industry,
    region,
    employees,
    participations AS cohorts,
    cohort_years,
    support_krw / 1e4 AS support_man,
    financial_outcome_krw / 1e4 AS outcome_man,
    settled_outcome_krw / nullif(settled_support_krw, 0) AS outcome_multiple_x,
    CAST(tasks_done AS BIGINT) AS tasks_done,
    CAST(tasks_total AS BIGINT) AS tasks_total,
    100.0 * tasks_done / nullif(tasks_total, 0) AS task_completion_pct,
    improvement_pct_sum / nullif(measured_indicators, 0) AS mean_improvement_pct,
    (SELECT count(*) FROM matches) AS matching_firms
FROM matches
ORDER BY
    CASE $sort
        WHEN 'outcome' THEN outcome_man
        WHEN 'support' THEN support_man
        WHEN 'multiple' THEN outcome_multiple_x
        WHEN 'completion' THEN task_completion_pct
        WHEN 'improvement' THEN mean_improvement_pct
    END * CASE WHEN $descending THEN -1 ELSE 1 END NULLS LAST,
    CASE WHEN $sort = 'name' AND NOT $descending THEN company_name END NULLS LAST,
    CASE WHEN $sort = 'name' AND $descending THEN company_name END DESC NULLS LAST,
    outcome_man DESC NULLS LAST,
    support_man DESC,
    company_id
LIMIT $limit;
