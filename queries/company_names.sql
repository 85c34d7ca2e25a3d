-- company_names: the name of each firm $company_ids names that the data holds (an id it does not hold
-- has no row): a chosen firm's name for the sidebar, the chips and the URL when the data has more
-- firms than filter_options lists.
-- Columns: company_id, company_name.
-- Parameters: $company_ids (list).
SELECT company_id, any_value(company_name) AS company_name
FROM companies
WHERE list_contains($company_ids, company_id)
GROUP BY company_id
ORDER BY company_id;
