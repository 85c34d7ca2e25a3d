-- data_cohort_range: the cohorts the loaded data covers (whole data set, no filters).
-- Columns: first_year, last_year (NULL when there are no participations), cohorts (distinct
-- years), firms (distinct firms that participated), measured_outcomes (participations with a
-- financial outcome).
-- Parameters: none.
SELECT
    min(year) AS first_year,
    max(year) AS last_year,
    count(DISTINCT year) AS cohorts,
    count(DISTINCT company_id) AS firms,
    count(financial_outcome_krw) AS measured_outcomes
FROM participations;
