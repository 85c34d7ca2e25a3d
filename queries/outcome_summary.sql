-- outcome_summary: one row over the indicator rows (성과지표) of the filtered participations; zero
-- rows counted when nothing matches.
-- Columns: indicator_rows, measured_rows (result present), unmeasured_rows, mean_improvement_pct
-- (mean improvement_pct of the measured rows, as the Overview's 평균 개선율), improved_rows
-- (improvement_pct > 0), improved_share_pct (improved ÷ measured), firms (firms with a measured row).
-- Parameters: $f (the filters).
WITH counts AS (
    SELECT
        CAST(coalesce(sum(indicator_rows), 0) AS BIGINT) AS indicator_rows,
        CAST(coalesce(sum(measured_rows), 0) AS BIGINT) AS measured_rows,
        sum(improvement_pct_sum) AS improvement_pct_sum,
        CAST(coalesce(sum(improved_rows), 0) AS BIGINT) AS improved_rows
    FROM facts_outcome_cells($f)
)
SELECT
    indicator_rows,
    measured_rows,
    indicator_rows - measured_rows AS unmeasured_rows,
    improvement_pct_sum / nullif(measured_rows, 0) AS mean_improvement_pct,
    improved_rows,
    100.0 * improved_rows / nullif(measured_rows, 0) AS improved_share_pct,
    (SELECT CAST(coalesce(sum(firms), 0) AS BIGINT) FROM facts_outcome_firms($f)) AS firms
FROM counts;
