-- improvement_by_area: mean improvement per task area (과제 분야). Indicators are measured per
-- participation, not per task, so a participation's measured indicator rows count toward every
-- distinct area it has tasks in (a row can count in several areas; participations without tasks
-- count in none). Over the filtered participations; areas without a measured row are left out; best first.
-- Columns: area, participations (with tasks in the area and a measured row), measured_rows,
-- mean_improvement_pct.
-- Parameters: $f (the filters).
WITH participation_areas AS (
    SELECT DISTINCT t.company_id, t.year, t.area
    FROM tasks AS t
    SEMI JOIN participation_facts($f) AS f
        USING (company_id, year)
)
SELECT
    a.area,
    count(DISTINCT (o.company_id, o.year)) AS participations,
    count(*) AS measured_rows,
    avg(o.improvement_pct) AS mean_improvement_pct
FROM participation_areas AS a
JOIN outcome_base AS o USING (company_id, year)
WHERE o.improvement_pct IS NOT NULL
GROUP BY a.area
ORDER BY mean_improvement_pct DESC, a.area;
