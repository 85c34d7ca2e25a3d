-- company_support_outcome: one point per firm for the support vs outcome scatter, over the filtered
-- participations whose outcome is settled (measured, or dropped: outcome 0; a firm with none settled
-- has no point); largest outcome first, at most $limit rows.
-- Columns: company_id, company_name, industry, cohorts (settled participations), support_man,
-- outcome_man (both 만원, over those participations), outcome_multiple_x, matching_firms (before the limit).
-- Parameters: $f (the filters), $limit.
SELECT
    company_id,
    any_value(company_name) AS company_name,
    any_value(industry) AS industry,
    count(*) AS cohorts,
    sum(settled_support_krw) / 1e4 AS support_man,
    sum(settled_outcome_krw) / 1e4 AS outcome_man,
    sum(settled_outcome_krw) / nullif(sum(settled_support_krw), 0) AS outcome_multiple_x,
    count(*) OVER () AS matching_firms
FROM participation_facts($f)
WHERE settled
GROUP BY company_id
ORDER BY outcome_man DESC, company_id
LIMIT $limit;
