-- task_summary: one row, the tasks (개선과제) of the filtered participations counted by status;
-- all zero when nothing matches.
-- Columns: tasks_total, tasks_done, tasks_in_progress, tasks_planned, tasks_on_hold,
-- task_completion_pct (done ÷ all; NULL without tasks), firms (firms with at least one task).
-- Parameters: $f (the filters).
WITH counts AS (
    SELECT
        CAST(coalesce(sum(tasks), 0) AS BIGINT) AS tasks_total,
        CAST(coalesce(sum(tasks) FILTER (WHERE status = 'done'), 0) AS BIGINT) AS tasks_done,
        CAST(coalesce(sum(tasks) FILTER (WHERE status = 'in_progress'), 0) AS BIGINT) AS tasks_in_progress,
        CAST(coalesce(sum(tasks) FILTER (WHERE status = 'planned'), 0) AS BIGINT) AS tasks_planned,
        CAST(coalesce(sum(tasks) FILTER (WHERE status = 'on_hold'), 0) AS BIGINT) AS tasks_on_hold
    FROM facts_task_cells($f)
)
SELECT
    *,
    100.0 * tasks_done / nullif(tasks_total, 0) AS task_completion_pct,
    (SELECT CAST(coalesce(sum(firms), 0) AS BIGINT) FROM facts_task_firms($f) WHERE all_areas) AS firms
FROM counts;
