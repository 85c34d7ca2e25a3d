-- task_list: the tasks of the filtered participations whose title or firm name contains the search
-- text (case-insensitive, taken literally; '' matches all), narrowed to $task_statuses, $domains and
-- $areas (lists; NULL means all), in the order chosen ($sort, $descending: tables.TASK_SORT; NULL and
-- ties: by cohort, firm and task id), at most $limit rows.
-- Columns: task_id, company_id, company_name, year, domain, area, title, status, matching_tasks
-- (tasks matching before the limit).
-- Parameters: $f (the filters), $search, $task_statuses, $domains, $areas, $sort, $descending, $limit.
-- A top-N over the tasks kept joined to their participations (queries/setup/task_rows.sql); the
-- matches are counted apart, so only the rows shown are kept, however many tasks match.
WITH matches AS NOT MATERIALIZED (
    SELECT *
    FROM task_rows($f) AS t
    -- An empty search folds to TRUE at plan time instead of testing every row.
    WHERE (
            trim($search) = ''
            OR contains(lower(t.title), lower(trim($search)))
            OR contains(lower(t.company_name), lower(trim($search)))
        )
      AND ($task_statuses IS NULL OR list_contains($task_statuses, t.status))
      AND ($domains IS NULL OR list_contains($domains, t.domain))
      AND ($areas IS NULL OR list_contains($areas, t.area))
)
SELECT
    task_id,
    company_id,
    company_name,
    year,
    domain,
    area,
    title,
    status,
    (SELECT count(*) FROM matches) AS matching_tasks
FROM matches
ORDER BY
    CASE WHEN $sort = 'year' THEN year END * CASE WHEN $descending THEN -1 ELSE 1 END,
    CASE WHEN NOT $descending THEN
        CASE $sort WHEN 'company' THEN company_name WHEN 'domain' THEN domain WHEN 'area' THEN area
            WHEN 'title' THEN title END
    END NULLS LAST,
    CASE WHEN $descending THEN
        CASE $sort WHEN 'company' THEN company_name WHEN 'domain' THEN domain WHEN 'area' THEN area
            WHEN 'title' THEN title END
    END DESC NULLS LAST,
    year,
    company_id,
    task_id
LIMIT $limit;
