-- filter_options: every value the sidebar filters offer, one row each.
-- Columns: field (year | phase | company | industry | region | tier), value (text), label (shown text).
-- Parameters: none.
SELECT DISTINCT 'year' AS field, CAST(year AS VARCHAR) AS value, CAST(year AS VARCHAR) AS label FROM participations
UNION ALL
SELECT DISTINCT 'phase', phase, phase FROM participations
UNION ALL
SELECT 'company', company_id, any_value(company_name) FROM companies GROUP BY company_id
UNION ALL
SELECT DISTINCT 'industry', industry, industry FROM companies
UNION ALL
SELECT DISTINCT 'region', region, region FROM companies
UNION ALL
SELECT DISTINCT 'tier', CAST(tier AS VARCHAR), CAST(tier AS VARCHAR) || '차' FROM companies
ORDER BY field, label, value;
