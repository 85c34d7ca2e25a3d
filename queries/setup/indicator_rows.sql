-- indicator_rows: the indicator rows (성과지표) of the filtered participations, each with
-- improvement_pct (as outcome_base) and its participation's cohort and firm columns, for the indicator
-- list (queries/outcome_rows.sql).
-- Columns: company_id, company_name, year, phase, tier, industry, region, indicator, unit,
-- higher_is_better, baseline, result, improvement_pct.
-- Parameters: f, as participation_facts.
-- Every indicator row is joined to its participation once, over every firm, into
-- unscoped_indicator_rows when the data is opened, stored in the list's default order (cohort, firm,
-- indicator) so a year range skips whole row groups: the list is then one filtered scan and a top-N,
-- instead of a join with the filtered participations on every rerun. The firm name is kept on each row
-- (it is sorted on before the top-N); the store compresses its repeats.
CREATE OR REPLACE TABLE unscoped_indicator_rows AS
SELECT
    o.company_id,
    p.company_name,
    o.year,
    p.phase,
    p.tier,
    p.industry,
    p.region,
    o.indicator,
    o.unit,
    o.higher_is_better,
    o.baseline,
    o.result,
    o.improvement_pct
FROM unscoped_outcome_base AS o
JOIN unscoped_participation_base AS p USING (company_id, year)
ORDER BY o.year, o.company_id, o.indicator;

-- every_indicator_row: the viewer's rows before the filters (a peer group reaches beyond them).
CREATE OR REPLACE VIEW every_indicator_row AS
SELECT * FROM unscoped_indicator_rows WHERE viewer_may_see(company_id);

CREATE OR REPLACE MACRO indicator_rows(f) AS TABLE
SELECT *
FROM every_indicator_row AS o
WHERE passes(f, o.year, o.phase, o.company_id, o.tier, o.industry, o.region);
