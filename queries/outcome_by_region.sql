-- outcome_by_region: support and measured outcome per region (지역) over the filtered participations.
-- Columns: region, firms, support_eok, outcome_eok, outcome_multiple_x.
-- Parameters: $f (the filters).
WITH sums AS (
    SELECT
        region,
        sum(support_krw) / 1e8 AS support_eok,
        coalesce(sum(financial_outcome_krw), 0) / 1e8 AS outcome_eok,
        sum(settled_outcome_krw) / nullif(sum(settled_support_krw), 0) AS outcome_multiple_x
    FROM facts_cells($f)
    GROUP BY region
),
firms AS (
    SELECT region, CAST(sum(firms) AS BIGINT) AS firms FROM facts_firms($f) GROUP BY region
)
SELECT s.region, firms.firms, s.support_eok, s.outcome_eok, s.outcome_multiple_x
FROM sums AS s
JOIN firms USING (region)
ORDER BY s.outcome_eok DESC, s.support_eok DESC, s.region;
