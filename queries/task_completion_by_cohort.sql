-- task_completion_by_cohort: per cohort year with filtered participations, its tasks and the share done.
-- Columns: year, participations, tasks_done, tasks_total, task_completion_pct (NULL: no tasks).
-- Parameters: $f (the filters).
SELECT
    year,
    CAST(sum(participations) AS BIGINT) AS participations,
    CAST(sum(tasks_done) AS BIGINT) AS tasks_done,
    CAST(sum(tasks_total) AS BIGINT) AS tasks_total,
    100.0 * sum(tasks_done) / nullif(sum(tasks_total), 0) AS task_completion_pct
FROM facts_cells($f)
GROUP BY year
ORDER BY year;
