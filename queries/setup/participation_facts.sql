-- participation_facts: the rows of participation_base that pass the filters; the one place the
-- filters are applied.
-- Columns: company_id, year, phase, agency, consulting_krw, equipment_krw, support_krw,
-- financial_outcome_krw, sharing_contract, status, settled, settled_support_krw, settled_outcome_krw,
-- company_name, tier, industry, region, employees, tasks_total, tasks_done, measured_indicators,
-- improvement_pct_sum (as participation_base).
-- Parameters: f, the filters bound as one STRUCT (dashboard/filters.py, Filters.sql): year_from,
-- year_to (cohort years, inclusive); phases, company_ids, industries, regions, tiers (lists; NULL
-- means no restriction). A field added to Filters is applied here and nowhere else.
-- passes_cohort(f, year, phase) and passes_firm(f, tier, industry, region) are the filters on a
-- participation's cohort and on its firm's attributes; from_cells(f) says whether the sums per cell
-- (queries/setup/facts_cells.sql) answer the filters: they hold no firm, and the viewer may see every
-- firm (both known when the query is planned, so the branch not taken is never run). The *_sums and
-- *_groups macros below are what those cells hold, over the rows passing f.
CREATE OR REPLACE MACRO passes_cohort(f, year, phase) AS
    year BETWEEN f['year_from'] AND f['year_to']
    AND (f['phases'] IS NULL OR list_contains(f['phases'], phase));

CREATE OR REPLACE MACRO passes_firm(f, tier, industry, region) AS
    (f['industries'] IS NULL OR list_contains(f['industries'], industry))
    AND (f['regions'] IS NULL OR list_contains(f['regions'], region))
    AND (f['tiers'] IS NULL OR list_contains(f['tiers'], tier));

CREATE OR REPLACE MACRO from_cells(f) AS
    f['company_ids'] IS NULL
    AND viewer_may_see_every_firm()
    AND getvariable('building_cells') IS NULL;

CREATE OR REPLACE MACRO participation_facts(f) AS TABLE
SELECT *
FROM participation_base AS p
WHERE passes_cohort(f, p.year, p.phase)
  AND (f['company_ids'] IS NULL OR list_contains(f['company_ids'], p.company_id))
  AND passes_firm(f, p.tier, p.industry, p.region);

-- uncelled_facts(f): participation_facts(f) when the cells do not answer f, else no row: what the
-- *_sums and *_groups macros read (their tasks and indicator rows likewise), so a query whose filters
-- the cells answer reads no participation, task or indicator row.
CREATE OR REPLACE MACRO uncelled_facts(f) AS TABLE
SELECT * FROM participation_facts(f) WHERE NOT from_cells(f);

-- participation_sums(f): per cell (year, phase, tier, industry, region), the sums every KPI is built from.
CREATE OR REPLACE MACRO participation_sums(f) AS TABLE
SELECT
    year,
    phase,
    tier,
    industry,
    region,
    count(*) AS participations,
    sum(support_krw) AS support_krw,
    sum(financial_outcome_krw) AS financial_outcome_krw,
    count(financial_outcome_krw) AS measured_outcomes,
    count(*) FILTER (WHERE settled) AS settled_participations,
    sum(settled_support_krw) AS settled_support_krw,
    sum(settled_outcome_krw) AS settled_outcome_krw,
    count(*) FILTER (WHERE sharing_contract) AS sharing_contracts,
    sum(tasks_done) AS tasks_done,
    sum(tasks_total) AS tasks_total,
    sum(measured_indicators) AS measured_indicators,
    sum(improvement_pct_sum) AS improvement_pct_sum
FROM uncelled_facts(f)
GROUP BY ALL;

-- firm_groups(f): firms counted per firm attributes and set of cohorts they took part in, `cohorts`
-- a 128-bit mask over cohort_bits (queries/setup/facts_cells.sql: one bit per (year, phase) pair, its `cohort`).
CREATE OR REPLACE MACRO firm_groups(f) AS TABLE
SELECT tier, industry, region, cohorts, count(*) AS firms
FROM (
    SELECT
        any_value(p.tier) AS tier,
        any_value(p.industry) AS industry,
        any_value(p.region) AS region,
        bit_or(b.cohort) AS cohorts
    FROM uncelled_facts(f) AS p
    JOIN cohort_bits AS b USING (year, phase)
    GROUP BY p.company_id
)
GROUP BY ALL;

-- task_sums(f): tasks per cell, domain, area and status.
CREATE OR REPLACE MACRO task_sums(f) AS TABLE
SELECT p.year, p.phase, p.tier, p.industry, p.region, t.domain, t.area, t.status, count(*) AS tasks
FROM (SELECT * FROM tasks WHERE NOT from_cells(f)) AS t
JOIN uncelled_facts(f) AS p USING (company_id, year)
GROUP BY ALL;

-- task_firm_groups(f): as firm_groups over the cohorts with a task in each domain and area
-- (all_areas: with any task).
CREATE OR REPLACE MACRO task_firm_groups(f) AS TABLE
WITH firm_areas AS (
    SELECT t.company_id, p.tier, p.industry, p.region, t.domain, t.area, b.cohort
    FROM (SELECT * FROM tasks WHERE NOT from_cells(f)) AS t
    JOIN uncelled_facts(f) AS p USING (company_id, year)
    JOIN cohort_bits AS b USING (year, phase)
),
per_firm AS (
    SELECT
        any_value(tier) AS tier,
        any_value(industry) AS industry,
        any_value(region) AS region,
        domain,
        area,
        grouping(domain) = 1 AS all_areas,
        bit_or(cohort) AS cohorts
    FROM firm_areas
    GROUP BY GROUPING SETS ((company_id, domain, area), (company_id))
)
SELECT tier, industry, region, domain, area, all_areas, cohorts, count(*) AS firms
FROM per_firm
GROUP BY ALL;

-- outcome_sums(f): indicator rows per cell and indicator, with the sums behind each mean.
CREATE OR REPLACE MACRO outcome_sums(f) AS TABLE
SELECT
    p.year,
    p.phase,
    p.tier,
    p.industry,
    p.region,
    o.indicator,
    o.unit,
    o.higher_is_better,
    count(*) AS indicator_rows,
    count(o.improvement_pct) AS measured_rows,
    sum(o.improvement_pct) AS improvement_pct_sum,
    count(*) FILTER (WHERE o.improvement_pct > 0) AS improved_rows,
    sum(o.baseline) FILTER (WHERE o.result IS NOT NULL) AS measured_baseline_sum,
    count(o.baseline) FILTER (WHERE o.result IS NOT NULL) AS measured_baselines,
    sum(o.result) AS result_sum,
    count(o.result) AS results
FROM (SELECT * FROM outcome_base WHERE NOT from_cells(f)) AS o
JOIN uncelled_facts(f) AS p USING (company_id, year)
GROUP BY ALL;

-- outcome_bin_sums(f): measured indicator rows per cell and 10%p band of improvement.
CREATE OR REPLACE MACRO outcome_bin_sums(f) AS TABLE
SELECT
    p.year,
    p.phase,
    p.tier,
    p.industry,
    p.region,
    CAST(floor(o.improvement_pct / 10) * 10 AS INTEGER) AS bin_from_pct,
    count(*) AS indicator_rows
FROM (SELECT * FROM outcome_base WHERE NOT from_cells(f)) AS o
JOIN uncelled_facts(f) AS p USING (company_id, year)
WHERE o.improvement_pct IS NOT NULL
GROUP BY ALL;

-- outcome_firm_groups(f): as firm_groups over the cohorts with a measured indicator row.
CREATE OR REPLACE MACRO outcome_firm_groups(f) AS TABLE
SELECT tier, industry, region, cohorts, count(*) AS firms
FROM (
    SELECT
        any_value(p.tier) AS tier,
        any_value(p.industry) AS industry,
        any_value(p.region) AS region,
        bit_or(b.cohort) AS cohorts
    FROM (SELECT * FROM outcome_base WHERE NOT from_cells(f)) AS o
    JOIN uncelled_facts(f) AS p USING (company_id, year)
    JOIN cohort_bits AS b USING (year, phase)
    WHERE o.improvement_pct IS NOT NULL
    GROUP BY o.company_id
)
GROUP BY ALL;
