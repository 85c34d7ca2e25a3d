-- top_companies_by_outcome: the firms with the largest measured financial outcome in the selection.
-- Columns: company_id, company_name, outcome_eok, support_eok (over the same participations), outcome_multiple_x.
-- Parameters: $year_from, $year_to, $phases, $company_ids, $industries, $regions, $tiers, $limit.
SELECT
    company_id,
    any_value(company_name) AS company_name,
    sum(financial_outcome_krw) / 1e8 AS outcome_eok,
    sum(support_krw) FILTER (WHERE financial_outcome_krw IS NOT NULL) / 1e8 AS support_eok,
    sum(financial_outcome_krw) / nullif(sum(support_krw) FILTER (WHERE financial_outcome_krw IS NOT NULL), 0)
        AS outcome_multiple_x
FROM filtered_participations($year_from, $year_to, $phases, $company_ids, $industries, $regions, $tiers)
WHERE financial_outcome_krw IS NOT NULL
GROUP BY company_id
ORDER BY outcome_eok DESC, company_id
LIMIT $limit;
