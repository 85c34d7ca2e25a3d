-- outcome_base: every outcome row with improvement_pct, the change from baseline to result in
-- percent of |baseline|, sign flipped when a lower value is better (NULL while not measured).
-- Columns: company_id, year, indicator, unit, baseline, result, higher_is_better, _row (the row's
-- place in its file), improvement_pct.
-- Parameters: none.
-- Built once, over every firm, into unscoped_outcome_base when the data is opened (a connection's data
-- never changes; new data opens a new connection), so queries do not read and convert the file each
-- time; queries read it through the viewer-scoped view outcome_base.
CREATE OR REPLACE TABLE unscoped_outcome_base AS
SELECT
    o.*,
    (o.result - o.baseline) / abs(o.baseline) * 100 * CASE WHEN o.higher_is_better THEN 1 ELSE -1 END
        AS improvement_pct
FROM unscoped_outcomes AS o;

CREATE OR REPLACE VIEW outcome_base AS
SELECT * FROM unscoped_outcome_base WHERE viewer_may_see(company_id);
