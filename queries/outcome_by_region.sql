-- outcome_by_region: support and measured outcome per region (지역) over the filtered participations.
-- Columns: region, firms, support_eok, outcome_eok, outcome_multiple_x.
-- Parameters: $f (the filters).
SELECT
    region,
    count(DISTINCT company_id) AS firms,
    sum(support_krw) / 1e8 AS support_eok,
    coalesce(sum(financial_outcome_krw), 0) / 1e8 AS outcome_eok,
    sum(settled_outcome_krw) / nullif(sum(settled_support_krw), 0) AS outcome_multiple_x
FROM participation_facts($f)
GROUP BY region
ORDER BY outcome_eok DESC, support_eok DESC, region;
