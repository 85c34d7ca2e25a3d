-- company_support_outcome: one point per firm for the support vs outcome scatter, over the filtered
-- participations whose outcome is settled (measured, or dropped: outcome 0; a firm with none settled
-- has no point); largest outcome first, at most $limit rows.
-- Columns: company_id, company_name, industry, cohorts (settled participations), support_man,
-- outcome_man (both 만원, over those participations), outcome_multiple_x, matching_firms (before the limit).
-- Parameters: $f (the filters), $limit.
WITH settled AS NOT MATERIALIZED (
    SELECT * FROM facts_firm_totals($f) WHERE settled_participations > 0
)
SELECT
    company_id,
    company_name,
    industry,
    settled_participations AS cohorts,
    settled_support_krw / 1e4 AS support_man,
    settled_outcome_krw / 1e4 AS outcome_man,
    settled_outcome_krw / nullif(settled_support_krw, 0) AS outcome_multiple_x,
    (SELECT count(*) FROM settled) AS matching_firms
FROM settled
ORDER BY outcome_man DESC, company_id
LIMIT $limit;
