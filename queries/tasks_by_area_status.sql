-- tasks_by_area_status: the tasks of the filtered participations counted per domain (제조/경영/기술),
-- area and status; within a domain the busiest area comes first.
-- Columns: domain, area, status (planned | in_progress | done | on_hold), tasks, area_tasks (all
-- statuses of that domain and area).
-- Parameters: $f (the filters).
SELECT
    domain,
    area,
    status,
    CAST(sum(tasks) AS BIGINT) AS tasks,
    CAST(sum(sum(tasks)) OVER (PARTITION BY domain, area) AS BIGINT) AS area_tasks
FROM facts_task_cells($f)
GROUP BY domain, area, status
ORDER BY domain, area_tasks DESC, area, status;
