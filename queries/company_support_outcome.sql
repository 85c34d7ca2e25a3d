-- company_support_outcome: one point per firm for the support vs outcome scatter, over the filtered
-- participations whose financial outcome is measured (a firm with none measured has no point);
-- largest outcome first, at most $limit rows.
-- Columns: company_id, company_name, industry, cohorts (measured participations), support_man and
-- outcome_man (만원, over those participations), outcome_multiple_x, matching_firms (before the limit).
-- Parameters: $year_from, $year_to, $phases, $company_ids, $industries, $regions, $tiers, $limit.
SELECT
    company_id,
    any_value(company_name) AS company_name,
    any_value(industry) AS industry,
    count(*) AS cohorts,
    sum(support_krw) / 1e4 AS support_man,
    sum(financial_outcome_krw) / 1e4 AS outcome_man,
    sum(financial_outcome_krw) / nullif(sum(support_krw), 0) AS outcome_multiple_x,
    count(*) OVER () AS matching_firms
FROM filtered_participations($year_from, $year_to, $phases, $company_ids, $industries, $regions, $tiers)
WHERE financial_outcome_krw IS NOT NULL
GROUP BY company_id
ORDER BY outcome_man DESC, company_id
LIMIT $limit;
