-- task_completion_by_area: completion of the filtered participations' tasks per domain (분야) and area
-- (영역), the lagging first: lowest completion rate, then the most tasks, then by name.
-- Columns: domain, area, firms (firms with a task in the area), tasks_done, tasks_total,
-- task_completion_pct.
-- Parameters: $f (the filters).
SELECT
    t.domain,
    t.area,
    count(DISTINCT t.company_id) AS firms,
    count(*) FILTER (WHERE t.status = 'done') AS tasks_done,
    count(*) AS tasks_total,
    100.0 * count(*) FILTER (WHERE t.status = 'done') / count(*) AS task_completion_pct
FROM tasks AS t
SEMI JOIN participation_facts($f) AS f
    USING (company_id, year)
GROUP BY t.domain, t.area
ORDER BY task_completion_pct, tasks_total DESC, t.domain, t.area;
