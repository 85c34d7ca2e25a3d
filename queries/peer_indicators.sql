-- peer_indicators: for each indicator the profiled firm has in its cohort years, its improvement
-- beside its peer group's (queries/setup/peer_firms.sql): every firm's improvement is the mean over its
-- measured rows of that indicator in the firm's cohort years; statistics over the group's firms with a
-- measured value (the firm included); with fewer than peer_minimum() of them the quartiles, median and
-- rank are NULL and suppressed is true. No row when the filters hold no firm or several.
-- Columns: indicator, improvement_pct (the firm's; NULL: not measured yet), p25_pct, median_pct, p75_pct
-- (linear quartiles), firm_rank (1 = most improved; NULL when the firm has no value), ranked_firms
-- (firms with a value), suppressed.
-- Parameters: $f (the filters).
-- The group's participations (peer_participations) are joined to the indicator rows kept with their
-- participation's columns (queries/setup/indicator_rows.sql) on firm, cohort and tier, so the scan reads only the group's tier
-- and cohort years instead of every indicator row.
WITH per_firm AS (
    SELECT o.indicator, o.company_id, any_value(g.subject) AS subject, avg(o.improvement_pct) AS improvement_pct
    FROM every_indicator_row AS o
    JOIN peer_participations($f) AS g
        ON o.company_id = g.company_id AND o.year = g.year AND o.tier = g.tier
    GROUP BY o.indicator, o.company_id
),
measured AS (
    SELECT *, rank() OVER (PARTITION BY indicator ORDER BY improvement_pct DESC) AS firm_rank
    FROM per_firm
    WHERE improvement_pct IS NOT NULL
),
stats AS (
    SELECT
        indicator,
        count(*) AS ranked_firms,
        quantile_cont(improvement_pct, 0.25) AS p25_pct,
        quantile_cont(improvement_pct, 0.5) AS median_pct,
        quantile_cont(improvement_pct, 0.75) AS p75_pct
    FROM measured
    GROUP BY indicator
)
SELECT
    own.indicator,
    own.improvement_pct,
    peer_shown(s.ranked_firms, s.p25_pct) AS p25_pct,
    peer_shown(s.ranked_firms, s.median_pct) AS median_pct,
    peer_shown(s.ranked_firms, s.p75_pct) AS p75_pct,
    peer_shown(s.ranked_firms, m.firm_rank) AS firm_rank,
    coalesce(s.ranked_firms, 0) AS ranked_firms,
    coalesce(s.ranked_firms, 0) < peer_minimum() AS suppressed
FROM per_firm AS own
LEFT JOIN stats AS s USING (indicator)
LEFT JOIN measured AS m ON m.indicator = own.indicator AND m.subject
WHERE own.subject
ORDER BY own.indicator;
