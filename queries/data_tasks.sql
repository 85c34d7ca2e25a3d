-- data_tasks: the tasks table as loaded, contract columns in file order (for download).
-- Columns: task_id, company_id, year, domain, area, title, status.
-- Parameters: none.
SELECT task_id, company_id, year, domain, area, title, status FROM tasks ORDER BY _row;
