-- data_companies: the companies table as loaded, contract columns in file order (for download).
-- Columns: company_id, company_name, tier, industry, region, employees.
-- Parameters: none.
SELECT company_id, company_name, tier, industry, region, employees FROM companies ORDER BY _row;
