-- task_summary: one row, the tasks (개선과제) of the filtered participations counted by status;
-- all zero when nothing matches.
-- Columns: tasks_total, tasks_done, tasks_in_progress, tasks_planned, tasks_on_hold,
-- task_completion_pct (done ÷ all; NULL without tasks), firms (firms with at least one task).
-- Parameters: $f (the filters).
SELECT
    count(*) AS tasks_total,
    count(*) FILTER (WHERE t.status = 'done') AS tasks_done,
    count(*) FILTER (WHERE t.status = 'in_progress') AS tasks_in_progress,
    count(*) FILTER (WHERE t.status = 'planned') AS tasks_planned,
    count(*) FILTER (WHERE t.status = 'on_hold') AS tasks_on_hold,
    100.0 * count(*) FILTER (WHERE t.status = 'done') / nullif(count(*), 0) AS task_completion_pct,
    count(DISTINCT t.company_id) AS firms
FROM tasks AS t
SEMI JOIN participation_facts($f) AS f
    USING (company_id, year);
