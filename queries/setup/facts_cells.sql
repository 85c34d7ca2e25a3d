-- facts_cells: the sums of the filtered participations per cell (year, phase, tier, industry,
-- region): what every KPI over a filter set is summed from, a few thousand rows at any scale.
-- Columns: year, phase, tier, industry, region, participations, support_krw, financial_outcome_krw
-- (NULL: nothing measured), measured_outcomes, settled_participations, settled_support_krw,
-- settled_outcome_krw, sharing_contracts, tasks_done, tasks_total, measured_indicators,
-- improvement_pct_sum (NULL: nothing measured).
-- Parameters: f, as participation_facts.
-- Beside it the same for firms (facts_firms: distinct firms over a year range are not a sum of counts
-- per cell, but a firm passes when one of its cohorts does, so firms are counted per firm attributes
-- and set of cohorts), tasks (facts_task_cells, facts_task_firms), indicator rows
-- (facts_outcome_cells, facts_outcome_firms), bands of improvement (facts_outcome_bins) and one row
-- per firm (facts_firm_totals, for the firm lists). Each is written twice, with the same columns:
-- - in the main schema, summing the viewer's filtered rows: right for every filter and viewer;
-- - in the schema cells, reading the unscoped_* tables that the main ones fill once over every firm
--   when the data is opened: right when from_cells(f) (no firm chosen, a viewer who may see every
--   firm), and then a read of a few thousand rows instead of every participation.
-- dashboard/db.py puts cells first on a query's search path when from_cells holds for every filter
-- it binds, so a query has one text for both and DuckDB plans only the one it reads. cohort_bits
-- numbers the (year, phase) pairs of the data (not a firm's data: which bit a firm group's mask sets);
-- cohort_year_masks holds the mask of each year and cohort_phase_masks of each phase, to count a group's
-- firms per year or phase (tables, not macros: a query then binds and plans no grouping of cohort_bits).
CREATE OR REPLACE TABLE cohort_bits AS
SELECT year, phase, CAST(1 AS UHUGEINT) << CAST(row_number() OVER (ORDER BY year, phase) - 1 AS UHUGEINT) AS cohort
FROM (SELECT DISTINCT year, phase FROM unscoped_participations);
-- A firm group's cohorts are one UHUGEINT: a programme of more than 128 (year, phase) pairs (64 years
-- of two phases) is refused here rather than counted wrong.
SELECT CASE WHEN count(*) > 128 THEN error('참여 데이터의 기수·단계 조합이 ' || count(*) || '개로, 대시보드가 집계할 수 있는 128개를 넘습니다.') END
FROM cohort_bits;
CREATE OR REPLACE TABLE cohort_year_masks AS
SELECT year, bit_or(cohort) AS cohorts FROM cohort_bits GROUP BY year;
CREATE OR REPLACE TABLE cohort_phase_masks AS
SELECT phase, bit_or(cohort) AS cohorts FROM cohort_bits GROUP BY phase;

-- facts_cells(f): per cell (year, phase, tier, industry, region), the sums every KPI is built from.
CREATE OR REPLACE MACRO facts_cells(f) AS TABLE
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
FROM participation_facts(f)
GROUP BY ALL;

-- facts_firms(f): firms counted per firm attributes and set of cohorts they took part in, `cohorts`
-- a 128-bit mask over cohort_bits (one bit per (year, phase) pair, its `cohort`).
CREATE OR REPLACE MACRO facts_firms(f) AS TABLE
SELECT tier, industry, region, cohorts, count(*) AS firms
FROM (
    SELECT
        any_value(p.tier) AS tier,
        any_value(p.industry) AS industry,
        any_value(p.region) AS region,
        bit_or(b.cohort) AS cohorts
    FROM participation_facts(f) AS p
    JOIN cohort_bits AS b USING (year, phase)
    GROUP BY p.company_id
)
GROUP BY ALL;

-- facts_task_cells(f): tasks per cell, domain, area and status.
CREATE OR REPLACE MACRO facts_task_cells(f) AS TABLE
SELECT p.year, p.phase, p.tier, p.industry, p.region, t.domain, t.area, t.status, count(*) AS tasks
FROM tasks AS t
JOIN participation_facts(f) AS p USING (company_id, year)
GROUP BY ALL;

-- facts_task_firms(f): as facts_firms over the cohorts with a task in each domain and area
-- (all_areas: with any task).
CREATE OR REPLACE MACRO facts_task_firms(f) AS TABLE
WITH firm_areas AS (
    SELECT t.company_id, p.tier, p.industry, p.region, t.domain, t.area, b.cohort
    FROM tasks AS t
    JOIN participation_facts(f) AS p USING (company_id, year)
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

-- facts_outcome_cells(f): indicator rows per cell and indicator, with the sums behind each mean.
CREATE OR REPLACE MACRO facts_outcome_cells(f) AS TABLE
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
FROM outcome_base AS o
JOIN participation_facts(f) AS p USING (company_id, year)
GROUP BY ALL;

-- facts_outcome_bins(f): measured indicator rows per cell and 10%p band of improvement.
CREATE OR REPLACE MACRO facts_outcome_bins(f) AS TABLE
SELECT
    p.year,
    p.phase,
    p.tier,
    p.industry,
    p.region,
    CAST(floor(o.improvement_pct / 10) * 10 AS INTEGER) AS bin_from_pct,
    count(*) AS indicator_rows
FROM outcome_base AS o
JOIN participation_facts(f) AS p USING (company_id, year)
WHERE o.improvement_pct IS NOT NULL
GROUP BY ALL;

-- facts_outcome_firms(f): as facts_firms over the cohorts with a measured indicator row.
CREATE OR REPLACE MACRO facts_outcome_firms(f) AS TABLE
SELECT tier, industry, region, cohorts, count(*) AS firms
FROM (
    SELECT
        any_value(p.tier) AS tier,
        any_value(p.industry) AS industry,
        any_value(p.region) AS region,
        bit_or(b.cohort) AS cohorts
    FROM outcome_base AS o
    JOIN participation_facts(f) AS p USING (company_id, year)
    JOIN cohort_bits AS b USING (year, phase)
    WHERE o.improvement_pct IS NOT NULL
    GROUP BY o.company_id
)
GROUP BY ALL;

-- facts_firm_totals(f): one row per firm over its filtered participations: company_id, company_name,
-- tier, industry, region, employees, participations, cohort_years (e.g. '2013, 2016'), support_krw,
-- financial_outcome_krw (NULL: nothing measured), settled_participations, settled_support_krw,
-- settled_outcome_krw, tasks_done, tasks_total, measured_indicators, improvement_pct_sum: what the
-- firm lists (leaderboard, scatter, top firms) rank. It sums facts_firm_rows(f): here every filtered
-- participation, in the schema cells only those of the firms its kept totals cannot answer.
CREATE OR REPLACE MACRO facts_firm_rows(f) AS TABLE
SELECT * FROM participation_facts(f);
CREATE OR REPLACE MACRO facts_firm_totals(f) AS TABLE
SELECT
    company_id,
    any_value(company_name) AS company_name,
    any_value(tier) AS tier,
    any_value(industry) AS industry,
    any_value(region) AS region,
    any_value(employees) AS employees,
    count(*) AS participations,
    string_agg(CAST(year AS VARCHAR), ', ' ORDER BY year) AS cohort_years,
    sum(support_krw) AS support_krw,
    sum(financial_outcome_krw) AS financial_outcome_krw,
    count(*) FILTER (WHERE settled) AS settled_participations,
    sum(settled_support_krw) AS settled_support_krw,
    sum(settled_outcome_krw) AS settled_outcome_krw,
    sum(tasks_done) AS tasks_done,
    sum(tasks_total) AS tasks_total,
    sum(measured_indicators) AS measured_indicators,
    sum(improvement_pct_sum) AS improvement_pct_sum
FROM facts_firm_rows(f)
GROUP BY company_id;

SET VARIABLE viewer_scope = {'every_firm': true, 'firm_ids': []::VARCHAR[]};
SET VARIABLE every_participation = (
    SELECT {
        'year_from': min(year), 'year_to': max(year), 'phases': NULL::VARCHAR[], 'company_ids': NULL::VARCHAR[],
        'industries': NULL::VARCHAR[], 'regions': NULL::VARCHAR[], 'tiers': NULL::INTEGER[]
    }
    FROM participation_base
);
CREATE OR REPLACE TABLE unscoped_participation_cells AS
SELECT * FROM facts_cells(getvariable('every_participation'));
CREATE OR REPLACE TABLE unscoped_firm_cohorts AS
SELECT * FROM facts_firms(getvariable('every_participation'));
CREATE OR REPLACE TABLE unscoped_task_cells AS
SELECT * FROM facts_task_cells(getvariable('every_participation'));
CREATE OR REPLACE TABLE unscoped_task_firm_cohorts AS
SELECT * FROM facts_task_firms(getvariable('every_participation'));
CREATE OR REPLACE TABLE unscoped_outcome_cells AS
SELECT * FROM facts_outcome_cells(getvariable('every_participation'));
CREATE OR REPLACE TABLE unscoped_outcome_bins AS
SELECT * FROM facts_outcome_bins(getvariable('every_participation'));
CREATE OR REPLACE TABLE unscoped_outcome_firm_cohorts AS
SELECT * FROM facts_outcome_firms(getvariable('every_participation'));
-- Each firm's totals over all its cohorts, with the mask of those cohorts (firm_cohorts), and the
-- participations of the firms with more than one (unscoped_split_participations, with that mask).
CREATE OR REPLACE TABLE unscoped_firm_totals AS
SELECT t.*, m.firm_cohorts
FROM facts_firm_totals(getvariable('every_participation')) AS t
JOIN (
    SELECT company_id, bit_or(b.cohort) AS firm_cohorts
    FROM participation_base
    JOIN cohort_bits AS b USING (year, phase)
    GROUP BY company_id
) AS m USING (company_id);
CREATE OR REPLACE TABLE unscoped_split_participations AS
SELECT p.*, t.firm_cohorts
FROM participation_base AS p
JOIN unscoped_firm_totals AS t USING (company_id)
WHERE t.participations > 1;
RESET VARIABLE every_participation;
RESET VARIABLE viewer_scope;

-- The cells schema: each macro reads its table where the cell (in_cell) or the firm group (in_group)
-- passes the filters, a group's cohorts narrowed to those passing f (passing_cohorts, a mask; NULL when
-- none passes, so no group joins).
CREATE SCHEMA IF NOT EXISTS cells;
CREATE OR REPLACE MACRO cells.in_cell(f, year, phase, tier, industry, region) AS
    from_cells(f) AND passes_cohort(f, year, phase) AND passes_firm(f, tier, industry, region);
CREATE OR REPLACE MACRO cells.passing_cohorts(f) AS TABLE
SELECT bit_or(cohort) AS passing FROM cohort_bits WHERE passes_cohort(f, year, phase);
CREATE OR REPLACE MACRO cells.in_group(f, tier, industry, region) AS from_cells(f) AND passes_firm(f, tier, industry, region);

CREATE OR REPLACE MACRO cells.facts_cells(f) AS TABLE
SELECT * FROM unscoped_participation_cells AS c WHERE cells.in_cell(f, c.year, c.phase, c.tier, c.industry, c.region);

CREATE OR REPLACE MACRO cells.facts_firms(f) AS TABLE
SELECT g.tier, g.industry, g.region, g.cohorts & a.passing AS cohorts, g.firms
FROM unscoped_firm_cohorts AS g
JOIN cells.passing_cohorts(f) AS a ON g.cohorts & a.passing != 0
WHERE cells.in_group(f, g.tier, g.industry, g.region);

CREATE OR REPLACE MACRO cells.facts_task_cells(f) AS TABLE
SELECT * FROM unscoped_task_cells AS c WHERE cells.in_cell(f, c.year, c.phase, c.tier, c.industry, c.region);

CREATE OR REPLACE MACRO cells.facts_task_firms(f) AS TABLE
SELECT g.tier, g.industry, g.region, g.domain, g.area, g.all_areas, g.cohorts & a.passing AS cohorts, g.firms
FROM unscoped_task_firm_cohorts AS g
JOIN cells.passing_cohorts(f) AS a ON g.cohorts & a.passing != 0
WHERE cells.in_group(f, g.tier, g.industry, g.region);

CREATE OR REPLACE MACRO cells.facts_outcome_cells(f) AS TABLE
SELECT * FROM unscoped_outcome_cells AS c WHERE cells.in_cell(f, c.year, c.phase, c.tier, c.industry, c.region);

CREATE OR REPLACE MACRO cells.facts_outcome_bins(f) AS TABLE
SELECT * FROM unscoped_outcome_bins AS c WHERE cells.in_cell(f, c.year, c.phase, c.tier, c.industry, c.region);

CREATE OR REPLACE MACRO cells.facts_outcome_firms(f) AS TABLE
SELECT g.tier, g.industry, g.region, g.cohorts & a.passing AS cohorts, g.firms
FROM unscoped_outcome_firm_cohorts AS g
JOIN cells.passing_cohorts(f) AS a ON g.cohorts & a.passing != 0
WHERE cells.in_group(f, g.tier, g.industry, g.region);

-- A firm whose every cohort passes f has its kept totals; one with only some passing (a few: most firms
-- took part once) is summed by the main facts_firm_totals over its passing participations, which
-- reads facts_firm_rows from this schema: those firms' rows only.
CREATE OR REPLACE MACRO cells.facts_firm_rows(f) AS TABLE
SELECT p.* EXCLUDE (firm_cohorts)
FROM unscoped_split_participations AS p
JOIN cells.passing_cohorts(f) AS a ON p.firm_cohorts & a.passing NOT IN (0, p.firm_cohorts)
WHERE cells.in_cell(f, p.year, p.phase, p.tier, p.industry, p.region);

CREATE OR REPLACE MACRO cells.facts_firm_totals(f) AS TABLE
SELECT t.* EXCLUDE (firm_cohorts)
FROM unscoped_firm_totals AS t
JOIN cells.passing_cohorts(f) AS a ON t.firm_cohorts & a.passing = t.firm_cohorts
WHERE cells.in_group(f, t.tier, t.industry, t.region)
UNION ALL
SELECT * FROM main.facts_firm_totals(f);
