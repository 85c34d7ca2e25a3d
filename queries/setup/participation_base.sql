-- participation_base: every participation with its firm's attributes, support_krw =
-- consulting_krw + equipment_krw, its task counts and the improvement sum and count over its
-- measured indicators (improvement_pct_sum NULL when none is measured), and the basis of every
-- 성과배수 (outcome multiple): a participation is settled when its financial outcome is measured or it
-- was dropped (the support was spent; an unmeasured dropped outcome counts as 0). settled_support_krw
-- and settled_outcome_krw are NULL for the unsettled (selected or in progress, nothing measured), so
-- sum(settled_outcome_krw) / sum(settled_support_krw) is the multiple over the settled ones.
-- Columns: company_id, year, phase, agency, consulting_krw, equipment_krw, support_krw,
-- financial_outcome_krw, sharing_contract, status, settled, settled_support_krw, settled_outcome_krw,
-- company_name, tier, industry, region, employees, tasks_total, tasks_done, measured_indicators,
-- improvement_pct_sum.
-- Parameters: none.
-- The joins behind every row are done once, over every firm, into unscoped_participation_base when the
-- data is opened; a filtered query then only scans the viewer-scoped view participation_base instead
-- of joining four tables per rerun.
CREATE OR REPLACE TABLE unscoped_participation_base AS
WITH task_counts AS (
    SELECT company_id, year, count(*) AS tasks_total, count(*) FILTER (WHERE status = 'done') AS tasks_done
    FROM unscoped_tasks
    GROUP BY ALL
),
improvements AS (
    SELECT company_id, year, count(improvement_pct) AS measured_indicators, sum(improvement_pct) AS improvement_pct_sum
    FROM unscoped_outcome_base
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
    p.financial_outcome_krw IS NOT NULL OR p.status = 'dropped' AS settled,
    CASE WHEN p.financial_outcome_krw IS NOT NULL OR p.status = 'dropped'
        THEN p.consulting_krw + p.equipment_krw END AS settled_support_krw,
    CASE WHEN p.financial_outcome_krw IS NOT NULL OR p.status = 'dropped'
        THEN coalesce(p.financial_outcome_krw, 0) END AS settled_outcome_krw,
    c.company_name,
    c.tier,
    c.industry,
    c.region,
    c.employees,
    coalesce(task_counts.tasks_total, 0) AS tasks_total,
    coalesce(task_counts.tasks_done, 0) AS tasks_done,
    coalesce(improvements.measured_indicators, 0) AS measured_indicators,
    improvements.improvement_pct_sum
FROM unscoped_participations AS p
JOIN unscoped_companies AS c USING (company_id)
LEFT JOIN task_counts USING (company_id, year)
LEFT JOIN improvements USING (company_id, year)
-- Stored by firm attributes and cohort, so a peer group (one tier, often one industry, a few cohort
-- years: queries/setup/peer_firms.sql) is read from its own row groups, not from every participation.
ORDER BY c.tier, c.industry, p.year, p.company_id;

CREATE OR REPLACE VIEW participation_base AS
SELECT * FROM unscoped_participation_base WHERE viewer_may_see(company_id);
