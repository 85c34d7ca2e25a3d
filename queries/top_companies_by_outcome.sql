-- top_companies_by_outcome: the firms with the largest financial outcome over their settled
-- participations in the selection (measured or dropped, see participation_base).
-- Columns: company_id, company_name, outcome_eok, support_eok (over the same participations), outcome_multiple_x.
-- Parameters: $f (the filters), $limit.
SELECT
    company_id,
    any_value(company_name) AS company_name,
    sum(settled_outcome_krw) / 1e8 AS outcome_eok,
    sum(settled_support_krw) / 1e8 AS support_eok,
    sum(settled_outcome_krw) / nullif(sum(settled_support_krw), 0) AS outcome_multiple_x
FROM participation_facts($f)
WHERE settled
GROUP BY company_id
ORDER BY outcome_eok DESC, company_id
LIMIT $limit;
