-- peer_kpis: the profiled firm's KPIs beside its peer group's (queries/setup/peer_firms.sql), one
-- row per KPI in card order; no row when the filters hold no firm or several. Each statistic is over
-- the group's firms with a value (the firm included); with fewer than peer_minimum() of them the
-- quartiles, median and rank are NULL and suppressed is true.
-- Columns: kpi (the column the value is in, its suffix the unit: support_man, outcome_man,
-- outcome_multiple_x, task_completion_pct, mean_improvement_pct), firm_value (NULL: none, e.g.
-- nothing measured), p25, median, p75 (linear quartiles), firm_rank (1 = highest; NULL when the firm has
-- no value), ranked_firms (firms with a value), suppressed.
-- Parameters: $f (the filters).
WITH firms AS (
    SELECT * FROM peer_firms($f)
),
kpi_order(ordinal, kpi) AS (
    VALUES (1, 'support_man'), (2, 'outcome_man'), (3, 'outcome_multiple_x'), (4, 'task_completion_pct'),
        (5, 'mean_improvement_pct')
),
kpi_values AS (
    UNPIVOT firms
    ON support_man, outcome_man, outcome_multiple_x, task_completion_pct, mean_improvement_pct
    INTO NAME kpi VALUE kpi_value
),
ranked AS (
    SELECT kpi, subject, kpi_value, rank() OVER (PARTITION BY kpi ORDER BY kpi_value DESC) AS firm_rank
    FROM kpi_values
),
stats AS (
    SELECT
        kpi,
        count(*) AS ranked_firms,
        quantile_cont(kpi_value, 0.25) AS p25,
        quantile_cont(kpi_value, 0.5) AS median,
        quantile_cont(kpi_value, 0.75) AS p75
    FROM kpi_values
    GROUP BY kpi
)
SELECT
    k.kpi,
    own.kpi_value AS firm_value,
    peer_shown(s.ranked_firms, s.p25) AS p25,
    peer_shown(s.ranked_firms, s.median) AS median,
    peer_shown(s.ranked_firms, s.p75) AS p75,
    peer_shown(s.ranked_firms, own.firm_rank) AS firm_rank,
    coalesce(s.ranked_firms, 0) AS ranked_firms,
    coalesce(s.ranked_firms, 0) < peer_minimum() AS suppressed
FROM kpi_order AS k
CROSS JOIN (SELECT 1 FROM firms WHERE subject) AS profiled
LEFT JOIN stats AS s USING (kpi)
LEFT JOIN ranked AS own ON own.kpi = k.kpi AND own.subject
ORDER BY k.ordinal;
