-- outcome_summary: one row over the indicator rows (성과지표) of the filtered participations; zero
-- rows counted when nothing matches.
-- Columns: indicator_rows, measured_rows (result present), unmeasured_rows, mean_improvement_pct
-- (mean improvement_pct of the measured rows, as the Overview's 평균 개선율), improved_rows
-- (improvement_pct > 0), improved_share_pct (improved ÷ measured), firms (firms with a measured row).
-- Parameters: $f (the filters).
SELECT
    count(*) AS indicator_rows,
    count(o.improvement_pct) AS measured_rows,
    count(*) - count(o.improvement_pct) AS unmeasured_rows,
    avg(o.improvement_pct) AS mean_improvement_pct,
    count(*) FILTER (WHERE o.improvement_pct > 0) AS improved_rows,
    100.0 * count(*) FILTER (WHERE o.improvement_pct > 0) / nullif(count(o.improvement_pct), 0) AS improved_share_pct,
    count(DISTINCT o.company_id) FILTER (WHERE o.improvement_pct IS NOT NULL) AS firms
FROM outcome_base AS o
SEMI JOIN participation_facts($f) AS f
    USING (company_id, year);
