-- tasks_by_area_status: the tasks of the filtered participations counted per domain (제조/경영/기술),
-- area and status; within a domain the busiest area comes first.
-- Columns: domain, area, status (planned | in_progress | done | on_hold), tasks, area_tasks (all
-- statuses of that domain and area).
-- Parameters: $f (the filters).
SELECT
    t.domain,
    t.area,
    t.status,
    count(*) AS tasks,
    CAST(sum(count(*)) OVER (PARTITION BY t.domain, t.area) AS BIGINT) AS area_tasks
FROM tasks AS t
SEMI JOIN participation_facts($f) AS f
    USING (company_id, year)
GROUP BY t.domain, t.area, t.status
ORDER BY t.domain, area_tasks DESC, t.area, t.status;
