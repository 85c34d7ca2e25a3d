-- outcome_base: every outcome row with improvement_pct, the change from baseline to result in
-- percent of |baseline|, sign flipped when a lower value is better (NULL while not measured).
-- Columns: company_id, year, indicator, unit, baseline, result, higher_is_better, _row (the row's
-- place in its file), improvement_pct.
-- Parameters: none.
-- Built once when the data is opened (a connection's data never changes; new data opens a new
-- connection), so queries do not read and convert the file each time.
CREATE OR REPLACE TABLE outcome_base AS
SELECT
    o.*,
    (o.result - o.baseline) / abs(o.baseline) * 100 * CASE WHEN o.higher_is_better THEN 1 ELSE -1 END
        AS improvement_pct
FROM outcomes AS o;
