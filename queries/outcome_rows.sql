-- outcome_rows: the indicator rows (성과지표) of the filtered participations, narrowed to
-- $indicators (list; NULL means all), in the order chosen ($sort, $descending: tables.INDICATOR_SORT;
-- NULL and ties: by cohort, firm and indicator), at most $limit rows.
-- Columns: company_id, company_name, year, indicator, unit, higher_is_better, baseline, result
-- (NULL: not yet measured), improvement_pct (NULL while not measured), matching_rows (before the limit).
-- Parameters: $f (the filters), $indicators, $sort, $descending, $limit.
SELECT
    o.company_id,
    f.company_name,
    o.year,
    o.indicator,
    o.unit,
    o.higher_is_better,
    o.baseline,
    o.result,
    o.improvement_pct,
    count(*) OVER () AS matching_rows
FROM outcome_base AS o
JOIN participation_facts($f) AS f
    USING (company_id, year)
WHERE $indicators IS NULL OR list_contains($indicators, o.indicator)
ORDER BY
    CASE $sort WHEN 'year' THEN o.year WHEN 'improvement' THEN o.improvement_pct END
        * CASE WHEN $descending THEN -1 ELSE 1 END NULLS LAST,
    CASE WHEN NOT $descending THEN CASE $sort WHEN 'company' THEN f.company_name WHEN 'indicator' THEN o.indicator END
    END NULLS LAST,
    CASE WHEN $descending THEN CASE $sort WHEN 'company' THEN f.company_name WHEN 'indicator' THEN o.indicator END
    END DESC NULLS LAST,
    o.year,
    o.company_id,
    o.indicator
LIMIT $limit;
