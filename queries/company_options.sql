-- company_options: the firms the sidebar's company selector lists: the chosen ones ($company_ids;
-- NULL for none) first, then those whose name contains $search (case-insensitive, taken literally;
-- '' matches every firm) by name, at most $limit rows.
-- Columns: company_id, company_name, matching_firms (firms matching $search, before the limit).
-- Parameters: $search, $company_ids, $limit.
WITH firms AS (
    SELECT company_id, any_value(company_name) AS company_name
    FROM companies
    GROUP BY company_id
),
flagged AS (
    SELECT
        company_id,
        company_name,
        contains(lower(company_name), lower(trim($search))) AS matches,
        coalesce(list_contains($company_ids, company_id), false) AS chosen
    FROM firms
)
SELECT company_id, company_name, (SELECT count(*) FROM flagged WHERE matches) AS matching_firms
FROM flagged
WHERE matches OR chosen
ORDER BY chosen DESC, company_name, company_id
LIMIT $limit;
