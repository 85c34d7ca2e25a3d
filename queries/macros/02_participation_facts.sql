-- participation_facts: the participations that pass the sidebar filters, each with its firm's
-- attributes, support_krw = consulting_krw + equipment_krw, its task counts (tasks_total,
-- tasks_done) and the improvement sum and count over its measured indicators
-- (improvement_pct_sum NULL when none is measured).
-- Parameters: year_from, year_to (cohort years, inclusive); phases, company_ids, industries,
-- regions, tiers (lists; NULL means no restriction).
-- The joins behind every row are done once, into the table participation_base, when the data is
-- opened; a filtered query then only scans that table instead of joining four tables per rerun.
CREATE OR REPLACE TABLE participation_base AS
WITH task_counts AS (
    SELECT company_id, year, count(*) AS tasks_total, count(*) FILTER (WHERE status = 'done') AS tasks_done
    FROM tasks
    GROUP BY ALL
),
improvements AS (
    SELECT company_id, year, count(improvement_pct) AS measured_indicators, sum(improvement_pct) AS improvement_pct_sum
    FROM outcome_improvements()
    GROUP BY ALL
)
SELECT
    p.company_id,
    p.year,
    p.phase,
    p.agency,
    p.consulting_krw,
    p.equipment_krw,
    p.consulting_krw + p.equipment_krw AS support_krw,
    p.financial_outcome_krw,
    p.sharing_contract,
    p.status,
    c.company_name,
    c.tier,
    c.industry,
    c.region,
    coalesce(task_counts.tasks_total, 0) AS tasks_total,
    coalesce(task_counts.tasks_done, 0) AS tasks_done,
    coalesce(improvements.measured_indicators, 0) AS measured_indicators,
    improvements.improvement_pct_sum
FROM participations AS p
JOIN companies AS c USING (company_id)
LEFT JOIN task_counts USING (company_id, year)
LEFT JOIN improvements USING (company_id, year);

CREATE OR REPLACE MACRO participation_facts(year_from, year_to, phases, company_ids, industries, regions, tiers) AS TABLE
SELECT *
FROM participation_base AS p
WHERE p.year BETWEEN year_from AND year_to
  AND (phases IS NULL OR list_contains(phases, p.phase))
  AND (company_ids IS NULL OR list_contains(company_ids, p.company_id))
  AND (industries IS NULL OR list_contains(industries, p.industry))
  AND (regions IS NULL OR list_contains(regions, p.region))
  AND (tiers IS NULL OR list_contains(tiers, p.tier));
