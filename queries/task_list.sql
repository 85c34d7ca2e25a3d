-- task_list: the tasks of the filtered participations whose title or firm name contains the search
-- text (case-insensitive, taken literally; '' matches all), narrowed to $task_statuses, $domains and
-- $areas (lists; NULL means all), in the order chosen ($sort, $descending: tables.TASK_SORT; NULL and
-- ties: by cohort, firm and task id), at most $limit rows.
-- Columns: task_id, company_id, company_name, year, domain, area, title, status, matching_tasks
-- (tasks matching before the limit).
-- Parameters: $f (the filters), $search, $task_statuses, $domains, $areas, $sort, $descending, $limit.
SELECT
    t.task_id,
    t.company_id,
    f.company_name,
    t.year,
    t.domain,
    t.area,
    t.title,
    t.status,
    count(*) OVER () AS matching_tasks
FROM tasks AS t
JOIN participation_facts($f) AS f
    USING (company_id, year)
-- An empty search folds to TRUE at plan time instead of testing every row.
WHERE (
        trim($search) = ''
        OR contains(lower(t.title), lower(trim($search)))
        OR contains(lower(f.company_name), lower(trim($search)))
    )
  AND ($task_statuses IS NULL OR list_contains($task_statuses, t.status))
  AND ($domains IS NULL OR list_contains($domains, t.domain))
  AND ($areas IS NULL OR list_contains($areas, t.area))
ORDER BY
    CASE WHEN $sort = 'year' THEN t.year END * CASE WHEN $descending THEN -1 ELSE 1 END,
    CASE WHEN NOT $descending THEN
        CASE $sort WHEN 'company' THEN f.company_name WHEN 'domain' THEN t.domain WHEN 'area' THEN t.area
            WHEN 'title' THEN t.title END
    END NULLS LAST,
    CASE WHEN $descending THEN
        CASE $sort WHEN 'company' THEN f.company_name WHEN 'domain' THEN t.domain WHEN 'area' THEN t.area
            WHEN 'title' THEN t.title END
    END DESC NULLS LAST,
    t.year,
    t.company_id,
    t.task_id
LIMIT $limit;
