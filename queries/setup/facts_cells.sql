-- facts_cells: the sums of participation_sums (queries/setup/participation_facts.sql) per cell (year,
-- phase, tier, industry, region) that pass the filters: what every KPI over a filter set is summed
-- from, a few thousand rows at any scale instead of one per participation.
-- Columns: year, phase, tier, industry, region, participations, support_krw, financial_outcome_krw
-- (NULL: nothing measured), measured_outcomes, settled_participations, settled_support_krw,
-- settled_outcome_krw, sharing_contracts, tasks_done, tasks_total, measured_indicators,
-- improvement_pct_sum (NULL: nothing measured).
-- Parameters: f, as participation_facts.
-- The cells of every firm are summed once, when the data is opened, into the unscoped_*_cells tables,
-- beside the same for firms (facts_firms: distinct firms over a year range are not a sum of counts per
-- cell, but a firm passes when one of its cohorts does, so firms are counted per firm attributes and
-- set of cohorts), tasks (facts_task_cells, facts_task_firms), indicator rows (facts_outcome_cells,
-- facts_outcome_firms) and bands of improvement (facts_outcome_bins). The macros below read them when
-- from_cells(f) (no firm chosen, a viewer who may see every firm) and otherwise sum the viewer's
-- filtered rows the same way, so each query has one text for both. cohort_bits numbers the (year,
-- phase) pairs of the data (not a firm's data: which bit a firm group's mask sets); allowed_cohorts(f)
-- is the mask of those passing f, and cohort_years() the mask of each year, cohort_phases() of each
-- phase, to count a group's firms per year or phase.
CREATE OR REPLACE TABLE cohort_bits AS
SELECT year, phase, CAST(1 AS UHUGEINT) << CAST(row_number() OVER (ORDER BY year, phase) - 1 AS UHUGEINT) AS cohort
FROM (SELECT DISTINCT year, phase FROM unscoped_participations);
-- A firm group's cohorts are one UHUGEINT: a programme of more than 128 (year, phase) pairs (64 years
-- of two phases) is refused here rather than counted wrong.
SELECT CASE WHEN count(*) > 128 THEN error('참여 데이터의 기수·단계 조합이 ' || count(*) || '개로, 대시보드가 집계할 수 있는 128개를 넘습니다.') END
FROM cohort_bits;

SET VARIABLE viewer_scope = {'every_firm': true, 'firm_ids': []::VARCHAR[]};
SET VARIABLE building_cells = true;
SET VARIABLE every_participation = (
    SELECT {
        'year_from': min(year), 'year_to': max(year), 'phases': NULL::VARCHAR[], 'company_ids': NULL::VARCHAR[],
        'industries': NULL::VARCHAR[], 'regions': NULL::VARCHAR[], 'tiers': NULL::INTEGER[]
    }
    FROM participation_base
);
CREATE OR REPLACE TABLE unscoped_participation_cells AS
SELECT * FROM participation_sums(getvariable('every_participation'));
CREATE OR REPLACE TABLE unscoped_firm_cohorts AS
SELECT * FROM firm_groups(getvariable('every_participation'));
CREATE OR REPLACE TABLE unscoped_task_cells AS
SELECT * FROM task_sums(getvariable('every_participation'));
CREATE OR REPLACE TABLE unscoped_task_firm_cohorts AS
SELECT * FROM task_firm_groups(getvariable('every_participation'));
CREATE OR REPLACE TABLE unscoped_outcome_cells AS
SELECT * FROM outcome_sums(getvariable('every_participation'));
CREATE OR REPLACE TABLE unscoped_outcome_bins AS
SELECT * FROM outcome_bin_sums(getvariable('every_participation'));
CREATE OR REPLACE TABLE unscoped_outcome_firm_cohorts AS
SELECT * FROM outcome_firm_groups(getvariable('every_participation'));
RESET VARIABLE every_participation;
RESET VARIABLE building_cells;
RESET VARIABLE viewer_scope;

CREATE OR REPLACE MACRO allowed_cohorts(f) AS
    (SELECT coalesce(bit_or(cohort), 0) FROM cohort_bits WHERE passes_cohort(f, year, phase));
CREATE OR REPLACE MACRO cohort_years() AS TABLE
SELECT year, bit_or(cohort) AS cohorts FROM cohort_bits GROUP BY year;
CREATE OR REPLACE MACRO cohort_phases() AS TABLE
SELECT phase, bit_or(cohort) AS cohorts FROM cohort_bits GROUP BY phase;

CREATE OR REPLACE MACRO facts_cells(f) AS TABLE
SELECT * FROM unscoped_participation_cells AS c
WHERE from_cells(f) AND passes_cohort(f, c.year, c.phase) AND passes_firm(f, c.tier, c.industry, c.region)
UNION ALL
SELECT * FROM participation_sums(f);

-- facts_firms(f): firm_groups over the filtered participations: tier, industry, region, cohorts
-- (the mask of the group's cohorts passing f, never 0), firms.
CREATE OR REPLACE MACRO facts_firms(f) AS TABLE
SELECT tier, industry, region, cohorts & allowed_cohorts(f) AS cohorts, firms
FROM unscoped_firm_cohorts AS g
WHERE from_cells(f) AND passes_firm(f, g.tier, g.industry, g.region) AND g.cohorts & allowed_cohorts(f) != 0
UNION ALL
SELECT * FROM firm_groups(f);

-- facts_task_cells(f): task_sums over the filtered participations.
CREATE OR REPLACE MACRO facts_task_cells(f) AS TABLE
SELECT * FROM unscoped_task_cells AS c
WHERE from_cells(f) AND passes_cohort(f, c.year, c.phase) AND passes_firm(f, c.tier, c.industry, c.region)
UNION ALL
SELECT * FROM task_sums(f);

-- facts_task_firms(f): task_firm_groups over the filtered participations (cohorts as facts_firms).
CREATE OR REPLACE MACRO facts_task_firms(f) AS TABLE
SELECT tier, industry, region, domain, area, all_areas, cohorts & allowed_cohorts(f) AS cohorts, firms
FROM unscoped_task_firm_cohorts AS g
WHERE from_cells(f) AND passes_firm(f, g.tier, g.industry, g.region) AND g.cohorts & allowed_cohorts(f) != 0
UNION ALL
SELECT * FROM task_firm_groups(f);

-- facts_outcome_cells(f): outcome_sums over the filtered participations.
CREATE OR REPLACE MACRO facts_outcome_cells(f) AS TABLE
SELECT * FROM unscoped_outcome_cells AS c
WHERE from_cells(f) AND passes_cohort(f, c.year, c.phase) AND passes_firm(f, c.tier, c.industry, c.region)
UNION ALL
SELECT * FROM outcome_sums(f);

-- facts_outcome_bins(f): outcome_bin_sums over the filtered participations.
CREATE OR REPLACE MACRO facts_outcome_bins(f) AS TABLE
SELECT * FROM unscoped_outcome_bins AS c
WHERE from_cells(f) AND passes_cohort(f, c.year, c.phase) AND passes_firm(f, c.tier, c.industry, c.region)
UNION ALL
SELECT * FROM outcome_bin_sums(f);

-- facts_outcome_firms(f): outcome_firm_groups over the filtered participations (cohorts as facts_firms).
CREATE OR REPLACE MACRO facts_outcome_firms(f) AS TABLE
SELECT tier, industry, region, cohorts & allowed_cohorts(f) AS cohorts, firms
FROM unscoped_outcome_firm_cohorts AS g
WHERE from_cells(f) AND passes_firm(f, g.tier, g.industry, g.region) AND g.cohorts & allowed_cohorts(f) != 0
UNION ALL
SELECT * FROM outcome_firm_groups(f);
