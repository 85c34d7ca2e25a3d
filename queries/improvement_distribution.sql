-- improvement_distribution: how many measured indicator rows of the filtered participations fall in
-- each 10%p-wide band of improvement_pct, [bin_from_pct, bin_to_pct); every band from the lowest to
-- the highest occupied one is listed, empty ones with 0; no rows when nothing is measured.
-- Columns: bin_from_pct, bin_to_pct, indicator_rows.
-- Parameters: $f (the filters).
WITH binned AS (
    SELECT bin_from_pct, sum(indicator_rows) AS indicator_rows
    FROM facts_outcome_bins($f)
    GROUP BY bin_from_pct
),
bands AS (
    SELECT unnest(range(min(bin_from_pct), max(bin_from_pct) + 10, 10)) AS bin_from_pct
    FROM binned
    HAVING count(*) > 0
)
SELECT
    bands.bin_from_pct,
    bands.bin_from_pct + 10 AS bin_to_pct,
    CAST(coalesce(binned.indicator_rows, 0) AS BIGINT) AS indicator_rows
FROM bands
LEFT JOIN binned USING (bin_from_pct)
ORDER BY bands.bin_from_pct;
