-- top_companies_by_outcome: the firms with the largest financial outcome over their settled
-- participations in the selection (measured or dropped, see participation_base).
-- Columns: company_id, company_name, outcome_eok, support_eok (over the same participations), outcome_multiple_x.
-- Parameters: $f (the filters), $limit.
SELECT
    company_id,
    company_name,
    settled_outcome_krw / 1e8 AS outcome_eok,
    settled_support_krw / 1e8 AS support_eok,
    settled_outcome_krw / nullif(settled_support_krw, 0) AS outcome_multiple_x
FROM facts_firm_totals($f)
WHERE settled_participations > 0
ORDER BY outcome_eok DESC, company_id
LIMIT $limit;
