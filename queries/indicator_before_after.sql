-- indicator_before_after: per indicator and unit (rows in different units are never averaged
-- together), the mean value before and after over the measured rows of the filtered participations,
-- so both means cover the same firms; most measured first, at most $limit indicators (NULL: all; the
-- 성과 page draws one panel per row, so it passes charts.PANEL_LIMIT).
-- Columns: indicator, unit, higher_is_better, indicator_rows, measured_rows, mean_baseline,
-- mean_result (both in the unit; NULL when no row is measured), mean_improvement_pct (mean of the
-- rows' improvement_pct, not the change of the means), matching_indicators (before the limit).
-- Parameters: $f (the filters), $limit.
SELECT
    o.indicator,
    o.unit,
    o.higher_is_better,
    count(*) AS indicator_rows,
    count(o.improvement_pct) AS measured_rows,
    avg(o.baseline) FILTER (WHERE o.result IS NOT NULL) AS mean_baseline,
    avg(o.result) AS mean_result,
    avg(o.improvement_pct) AS mean_improvement_pct,
    count(*) OVER () AS matching_indicators
FROM outcome_base AS o
SEMI JOIN participation_facts($f) AS f
    USING (company_id, year)
GROUP BY o.indicator, o.unit, o.higher_is_better
ORDER BY measured_rows DESC, o.indicator, o.unit, o.higher_is_better
LIMIT $limit;
