-- peer_group: the peer group of the firm the filters hold, one row (none when they hold no firm or
-- several; see queries/setup/peer_firms.sql for who its peers are): what names it on screen.
-- Columns: company_id, tier, industry (NULL: the group is the tier alone, its industry had fewer than
-- min_firms), cohort_years (e.g. '2016, 2017'), group_firms (the firm included), tier_industry_firms,
-- min_firms (the fewest firms a statistic is shown for).
-- Parameters: $f (the filters).
SELECT
    company_id,
    tier,
    industry,
    array_to_string(cohort_years, ', ') AS cohort_years,
    group_firms,
    tier_industry_firms,
    peer_minimum() AS min_firms
FROM peer_firms($f)
WHERE subject;
