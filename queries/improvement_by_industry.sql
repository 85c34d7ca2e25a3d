-- improvement_by_industry: mean improvement per industry (업종) over the measured indicator rows of
-- the filtered participations; industries without a measured row are left out; best first.
-- Columns: industry, firms (with a measured row), measured_rows, mean_improvement_pct.
-- Parameters: $f (the filters).
WITH sums AS (
    SELECT industry, sum(measured_rows) AS measured_rows, sum(improvement_pct_sum) AS improvement_pct_sum
    FROM facts_outcome_cells($f)
    GROUP BY industry
    HAVING sum(measured_rows) > 0
),
firms AS (
    SELECT industry, CAST(sum(firms) AS BIGINT) AS firms FROM facts_outcome_firms($f) GROUP BY industry
)
SELECT
    s.industry,
    firms.firms,
    CAST(s.measured_rows AS BIGINT) AS measured_rows,
    s.improvement_pct_sum / s.measured_rows AS mean_improvement_pct
FROM sums AS s
JOIN firms USING (industry)
ORDER BY mean_improvement_pct DESC, s.industry;
