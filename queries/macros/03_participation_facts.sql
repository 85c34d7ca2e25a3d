-- participation_facts: filtered participations with their task counts (tasks_total, tasks_done) and
-- the improvement sum and count over their measured indicators.
-- Parameters: as filtered_participations.
CREATE OR REPLACE MACRO participation_facts(year_from, year_to, phases, company_ids, industries, regions, tiers) AS TABLE
WITH fp AS (
    SELECT * FROM filtered_participations(year_from, year_to, phases, company_ids, industries, regions, tiers)
),
task_counts AS (
    SELECT t.company_id, t.year, count(*) AS tasks_total, count(*) FILTER (WHERE t.status = 'done') AS tasks_done
    FROM tasks AS t SEMI JOIN fp USING (company_id, year)
    GROUP BY ALL
),
improvements AS (
    SELECT o.company_id, o.year, count(o.improvement_pct) AS measured_indicators, sum(o.improvement_pct) AS improvement_pct_sum
    FROM outcome_improvements() AS o SEMI JOIN fp USING (company_id, year)
    GROUP BY ALL
)
SELECT
    fp.*,
    coalesce(task_counts.tasks_total, 0) AS tasks_total,
    coalesce(task_counts.tasks_done, 0) AS tasks_done,
    coalesce(improvements.measured_indicators, 0) AS measured_indicators,
    improvements.improvement_pct_sum
FROM fp
LEFT JOIN task_counts USING (company_id, year)
LEFT JOIN improvements USING (company_id, year);
