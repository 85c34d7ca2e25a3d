-- company_options: the firms whose name contains $search (case-insensitive, taken literally; ''
-- matches every firm), by name, at most $limit rows: what the company selector lists when the data
-- has too many firms to list them all.
-- Columns: company_id, company_name, matching_firms (firms matching, before the limit).
-- Parameters: $search, $limit.
WITH firms AS (
    SELECT company_id, any_value(company_name) AS company_name
    FROM companies
    GROUP BY company_id
),
matches AS (
    SELECT company_id, company_name
    FROM firms
    WHERE contains(lower(company_name), lower(trim($search)))
)
SELECT company_id, company_name, (SELECT count(*) FROM matches) AS matching_firms
FROM matches
ORDER BY company_name, company_id
LIMIT $limit;
