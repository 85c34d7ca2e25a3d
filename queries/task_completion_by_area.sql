-- task_completion_by_area: completion of the filtered participations' tasks per domain (분야) and area
-- (영역), the lagging first: lowest completion rate, then the most tasks, then by name.
-- Columns: domain, area, firms (firms with a task in the area), tasks_done, tasks_total,
-- task_completion_pct.
-- Parameters: $f (the filters).
WITH counts AS (
    SELECT
        domain,
        area,
        CAST(coalesce(sum(tasks) FILTER (WHERE status = 'done'), 0) AS BIGINT) AS tasks_done,
        CAST(sum(tasks) AS BIGINT) AS tasks_total
    FROM facts_task_cells($f)
    GROUP BY domain, area
),
firms AS (
    SELECT domain, area, CAST(sum(firms) AS BIGINT) AS firms
    FROM facts_task_firms($f)
    WHERE NOT all_areas
    GROUP BY domain, area
)
SELECT
    c.domain,
    c.area,
    firms.firms,
    c.tasks_done,
    c.tasks_total,
    100.0 * c.tasks_done / c.tasks_total AS task_completion_pct
FROM counts AS c
JOIN firms USING (domain, area)
ORDER BY task_completion_pct, c.tasks_total DESC, c.domain, c.area;
