-- filter_options: every value the sidebar filters offer, one row each, except firms: the first
-- $listed_firms firms by name (what the company selector lists before a search) and one firms row
-- counting them all (value), so what is held stays the same however many firms the data has; a
-- firm's name beyond them is looked up by id (company_names). phase_year rows pair a phase (value)
-- with one of its cohort years (label) and measured_year rows name the cohorts with a measured
-- financial outcome, both for the period presets.
-- Columns: field (year | phase | company | firms | industry | region | tier | phase_year |
-- measured_year), value (text), label (shown text).
-- Parameters: $listed_firms.
SELECT DISTINCT 'year' AS field, CAST(year AS VARCHAR) AS value, CAST(year AS VARCHAR) AS label FROM participations
UNION ALL
SELECT DISTINCT 'phase', phase, phase FROM participations
UNION ALL
-- company_id is the companies table's key: the first firms are a top-N and the count needs no hashing.
(
    SELECT 'company', company_id, company_name
    FROM companies
    ORDER BY company_name, company_id
    LIMIT $listed_firms
)
UNION ALL
SELECT 'firms', CAST(count(*) AS VARCHAR), '' FROM companies
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
