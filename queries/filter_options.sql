-- filter_options: every value the sidebar filters offer, one row each; phase_year rows pair a phase
-- (value) with one of its cohort years (label) and measured_year rows name the cohorts with a measured
-- financial outcome, both for the period presets.
-- Columns: field (year | phase | company | industry | region | tier | phase_year | measured_year),
-- value (text), label (shown text).
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
UNION ALL
SELECT DISTINCT 'phase_year', phase, CAST(year AS VARCHAR) FROM participations
UNION ALL
SELECT DISTINCT 'measured_year', CAST(year AS VARCHAR), CAST(year AS VARCHAR) FROM participations
WHERE financial_outcome_krw IS NOT NULL
ORDER BY field, label, value;
