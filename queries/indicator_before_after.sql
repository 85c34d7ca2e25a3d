-- indicator_before_after: per indicator and unit (rows in different units are never averaged
-- together), the mean value before and after over the measured rows of the filtered participations,
-- so both means cover the same firms; most measured first, at most $limit indicators (NULL: all; the
-- 성과 page draws one panel per row, so it passes charts.PANEL_LIMIT).
-- Columns: indicator, unit, higher_is_better, indicator_rows, measured_rows, mean_baseline,
-- mean_result (both in the unit; NULL when no row is measured), mean_improvement_pct (mean of the
-- rows' improvement_pct, not the change of the means), matching_indicators (before the limit).
-- Parameters: $f (the filters), $limit.
SELECT
    indicator,
    unit,
    higher_is_better,
    CAST(sum(indicator_rows) AS BIGINT) AS indicator_rows,
    CAST(sum(measured_rows) AS BIGINT) AS measured_rows,
    sum(measured_baseline_sum) / nullif(sum(measured_baselines), 0) AS mean_baseline,
    sum(result_sum) / nullif(sum(results), 0) AS mean_result,
    sum(improvement_pct_sum) / nullif(sum(measured_rows), 0) AS mean_improvement_pct,
    count(*) OVER () AS matching_indicators
FROM facts_outcome_cells($f)
GROUP BY indicator, unit, higher_is_better
ORDER BY measured_rows DESC, indicator, unit, higher_is_better
LIMIT $limit;
