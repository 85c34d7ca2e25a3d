-- task_rows: the tasks of the filtered participations, each with its participation's cohort and firm
-- columns, for the task list (queries/task_list.sql).
-- Columns: task_id, company_id, company_name, year, phase, tier, industry, region, domain, area, title,
-- status.
-- Parameters: f, as participation_facts.
-- Every task is joined to its participation once, over every firm, into unscoped_task_rows when the
-- data is opened, stored in the list's default order (cohort, firm, task id) so a year range skips
-- whole row groups: the list is then one filtered scan and a top-N, instead of reading the task file
-- and joining it to the filtered participations on every rerun. The firm name is kept on each row (it
-- is searched and sorted on before the top-N); the store compresses its repeats.
CREATE OR REPLACE TABLE unscoped_task_rows AS
SELECT
    t.task_id,
    t.company_id,
    p.company_name,
    t.year,
    p.phase,
    p.tier,
    p.industry,
    p.region,
    t.domain,
    t.area,
    t.title,
    t.status
FROM unscoped_tasks AS t
JOIN unscoped_participation_base AS p USING (company_id, year)
ORDER BY t.year, t.company_id, t.task_id;

CREATE OR REPLACE MACRO task_rows(f) AS TABLE
SELECT *
FROM unscoped_task_rows AS t
WHERE viewer_may_see(t.company_id)
  AND passes(f, t.year, t.phase, t.company_id, t.tier, t.industry, t.region);
