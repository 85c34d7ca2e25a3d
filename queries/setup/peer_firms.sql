-- peer_firms: the peer group of the one firm the filters hold (no row when they hold none or
-- several), one row per firm of the group with its KPIs over the firm's cohort years. The group is
-- every firm of the same tier and industry with a participation in one of those years (the firm
-- itself included); when that is fewer than peer_minimum() (5) firms, every firm of the same tier in those
-- years. Only the tier, the industry and the cohort years choose peers: the other filters (phase,
-- region) narrow which firm is profiled, not its peers. It reads the viewer-scoped views, so a firm
-- user's group holds only the firms that user may see (their own: every statistic suppressed).
-- Columns: company_id, subject (the profiled firm), tier, industry (NULL: the group is the tier
-- alone), cohort_years (INTEGER[]), tier_industry_firms (firms of the same tier and industry in
-- those years), group_firms, support_man, outcome_man (NULL: nothing measured), outcome_multiple_x,
-- task_completion_pct, mean_improvement_pct (each as company_leaderboard, over the cohort years).
-- Parameters: f, as participation_facts.
-- peer_participations(f): the participations behind those rows (the group's firms in the cohort
-- years), with participation_base's columns and same_industry, subject, subject_industry,
-- cohort_years and tier_industry_firms; what the peer statistics over indicator rows join on
-- (company_id, year).
-- peer_minimum(): the fewest firms a peer statistic (median, quartiles, rank) is computed over; a
-- smaller group would let a reader tell single firms apart, so its statistics are suppressed.
CREATE OR REPLACE MACRO peer_minimum() AS 5;
-- peer_shown(firms, statistic): the statistic when it is computed over at least peer_minimum() firms,
-- else NULL; every peer median, quartile and rank goes through it.
CREATE OR REPLACE MACRO peer_shown(firms, statistic) AS CASE WHEN firms >= peer_minimum() THEN statistic END;

CREATE OR REPLACE MACRO peer_participations(f) AS TABLE
WITH subject AS (
    SELECT
        any_value(company_id) AS company_id,
        any_value(tier) AS tier,
        any_value(industry) AS industry,
        list(DISTINCT year ORDER BY year) AS cohort_years
    FROM participation_facts(f)
    HAVING count(DISTINCT company_id) = 1
),
same_tier AS (
    SELECT p.*, p.industry = s.industry AS same_industry, p.company_id = s.company_id AS subject,
        s.industry AS subject_industry, s.cohort_years
    FROM participation_base AS p, subject AS s
    WHERE p.tier = s.tier AND list_contains(s.cohort_years, p.year)
),
basis AS (
    SELECT count(DISTINCT company_id) FILTER (WHERE same_industry) AS tier_industry_firms
    FROM same_tier
)
SELECT same_tier.*, basis.tier_industry_firms
FROM same_tier, basis
WHERE same_industry OR basis.tier_industry_firms < peer_minimum();

CREATE OR REPLACE MACRO peer_firms(f) AS TABLE
SELECT
    company_id,
    bool_or(subject) AS subject,
    any_value(tier) AS tier,
    CASE WHEN any_value(tier_industry_firms) >= peer_minimum() THEN any_value(subject_industry) END AS industry,
    any_value(cohort_years) AS cohort_years,
    any_value(tier_industry_firms) AS tier_industry_firms,
    count(*) OVER () AS group_firms,
    sum(support_krw) / 1e4 AS support_man,
    sum(financial_outcome_krw) / 1e4 AS outcome_man,
    sum(settled_outcome_krw) / nullif(sum(settled_support_krw), 0) AS outcome_multiple_x,
    100.0 * sum(tasks_done) / nullif(sum(tasks_total), 0) AS task_completion_pct,
    sum(improvement_pct_sum) / nullif(sum(measured_indicators), 0) AS mean_improvement_pct
FROM peer_participations(f)
GROUP BY company_id;
