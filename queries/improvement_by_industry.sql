-- improvement_by_industry: mean improvement per industry (업종) over the measured indicator rows of
-- the filtered participations; industries without a measured row are left out; best first.
-- Columns: industry, firms (with a measured row), measured_rows, mean_improvement_pct.
-- Parameters: $f (the filters).
SELECT
    f.industry,
    count(DISTINCT o.company_id) AS firms,
    count(*) AS measured_rows,
    avg(o.improvement_pct) AS mean_improvement_pct
FROM outcome_base AS o
JOIN participation_facts($f) AS f
    USING (company_id, year)
WHERE o.improvement_pct IS NOT NULL
GROUP BY f.industry
ORDER BY mean_improvement_pct DESC, f.industry;
