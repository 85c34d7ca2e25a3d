-- outcome_by_industry: support and measured outcome per industry (업종) over the filtered participations.
-- Columns: industry, firms, support_eok, outcome_eok, outcome_multiple_x.
-- Parameters: $f (the filters).
WITH sums AS (
    SELECT
        industry,
        sum(support_krw) / 1e8 AS support_eok,
        coalesce(sum(financial_outcome_krw), 0) / 1e8 AS outcome_eok,
        sum(settled_outcome_krw) / nullif(sum(settled_support_krw), 0) AS outcome_multiple_x
    FROM facts_cells($f)
    GROUP BY industry
),
firms AS (
    SELECT industry, CAST(sum(firms) AS BIGINT) AS firms FROM facts_firms($f) GROUP BY industry
)
SELECT s.industry, firms.firms, s.support_eok, s.outcome_eok, s.outcome_multiple_x
FROM sums AS s
JOIN firms USING (industry)
ORDER BY s.outcome_eok DESC, s.support_eok DESC, s.industry;
