-- tasks_by_area_status: the tasks of the filtered participations counted per domain (제조/경영/기술),
-- area and status; within a domain the busiest area comes first.
-- Columns: domain, area, status (planned | in_progress | done | on_hold), tasks, area_tasks (all
-- statuses of that domain and area).
-- Parameters: $year_from, $year_to, $phases, $company_ids, $industries, $regions, $tiers.
SELECT
    t.domain,
    t.area,
    t.status,
    count(*) AS tasks,
    CAST(sum(count(*)) OVER (PARTITION BY t.domain, t.area) AS BIGINT) AS area_tasks
FROM tasks AS t
SEMI JOIN filtered_participations($year_from, $year_to, $phases, $company_ids, $industries, $regions, $tiers) AS f
    USING (company_id, year)
GROUP BY t.domain, t.area, t.status
ORDER BY t.domain, area_tasks DESC, t.area, t.status;
