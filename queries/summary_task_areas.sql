-- summary_task_areas: task completion per area (개선 분야) over the filtered participations, for the
-- written summary's lagging area; the least complete area first.
-- Columns: domain, area, firms (firms with a task in the area), tasks, tasks_done, task_completion_pct.
-- Parameters: $f (the filters).
SELECT
    t.domain,
    t.area,
    count(DISTINCT t.company_id) AS firms,
    count(*) AS tasks,
    count(*) FILTER (WHERE t.status = 'done') AS tasks_done,
    100.0 * count(*) FILTER (WHERE t.status = 'done') / count(*) AS task_completion_pct
FROM tasks AS t
SEMI JOIN participation_facts($f) AS f
    USING (company_id, year)
GROUP BY t.domain, t.area
ORDER BY task_completion_pct, tasks DESC, t.domain, t.area;
