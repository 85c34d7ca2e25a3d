-- outcome_rows: the indicator rows (성과지표) of the filtered participations, narrowed to
-- $indicators (list; NULL means all), in the order chosen ($sort, $descending: tables.INDICATOR_SORT;
-- NULL and ties: by cohort, firm and indicator), at most $limit rows.
-- Columns: company_id, company_name, year, indicator, unit, higher_is_better, baseline, result
-- (NULL: not yet measured), improvement_pct (NULL while not measured), matching_rows (before the limit).
-- Parameters: $f (the filters), $indicators, $sort, $descending, $limit.
-- A top-N over the indicator rows kept joined to their participations
-- (queries/setup/indicator_rows.sql); the matches are counted apart, so only the rows shown are kept,
-- however many rows match.
WITH matches AS NOT MATERIALIZED (
    SELECT *
    FROM indicator_rows($f) AS o
    WHERE $indicators IS NULL OR list_contains($indicators, o.indicator)
)
SELECT
    company_id,
    company_name,
    year,
    indicator,
    unit,
    higher_is_better,
    baseline,
    result,
    improvement_pct,
    (SELECT count(*) FROM matches) AS matching_rows
FROM matches
ORDER BY
    CASE $sort WHEN 'year' THEN year WHEN 'improvement' THEN improvement_pct END
        * CASE WHEN $descending THEN -1 ELSE 1 END NULLS LAST,
    CASE WHEN NOT $descending THEN CASE $sort WHEN 'company' THEN company_name WHEN 'indicator' THEN indicator END
    END NULLS LAST,
    CASE WHEN $descending THEN CASE $sort WHEN 'company' THEN company_name WHEN 'indicator' THEN indicator END
    END DESC NULLS LAST,
    year,
    company_id,
    indicator
LIMIT $limit;
