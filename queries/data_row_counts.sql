-- data_row_counts: how many rows each table of the loaded data has, in contract order.
-- Columns: table_name, rows.
-- Parameters: none.
SELECT 'companies' AS table_name, count(*) AS rows FROM companies
UNION ALL
SELECT 'participations', count(*) FROM participations
UNION ALL
SELECT 'tasks', count(*) FROM tasks
UNION ALL
SELECT 'outcomes', count(*) FROM outcomes;
