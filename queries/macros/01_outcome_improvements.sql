-- outcome_improvements: every outcome row with improvement_pct, the change from baseline to result
-- in percent of |baseline|, sign flipped when a lower value is better (NULL while not measured).
-- Parameters: none.
-- Computed once into the table outcome_base when the data is opened (a connection's data never
-- changes; new data opens a new connection), so queries do not read and convert the file each time.
CREATE OR REPLACE TABLE outcome_base AS
SELECT
    o.*,
    (o.result - o.baseline) / abs(o.baseline) * 100 * CASE WHEN o.higher_is_better THEN 1 ELSE -1 END
        AS improvement_pct
FROM outcomes AS o;

CREATE OR REPLACE MACRO outcome_improvements() AS TABLE
SELECT * FROM outcome_base;
