-- participation_facts: the rows of participation_base that pass the filters; the one place the
-- filters are applied.
-- Columns: company_id, year, phase, agency, consulting_krw, equipment_krw, support_krw,
-- financial_outcome_krw, sharing_contract, status, settled, settled_support_krw, settled_outcome_krw,
-- company_name, tier, industry, region, tasks_total, tasks_done, measured_indicators,
-- improvement_pct_sum (as participation_base).
-- Parameters: f, the filters bound as one STRUCT (dashboard/filters.py, Filters.sql): year_from,
-- year_to (cohort years, inclusive); phases, company_ids, industries, regions, tiers (lists; NULL
-- means no restriction). A field added to Filters is applied here and nowhere else.
CREATE OR REPLACE MACRO participation_facts(f) AS TABLE
SELECT *
FROM participation_base AS p
WHERE p.year BETWEEN f['year_from'] AND f['year_to']
  AND (f['phases'] IS NULL OR list_contains(f['phases'], p.phase))
  AND (f['company_ids'] IS NULL OR list_contains(f['company_ids'], p.company_id))
  AND (f['industries'] IS NULL OR list_contains(f['industries'], p.industry))
  AND (f['regions'] IS NULL OR list_contains(f['regions'], p.region))
  AND (f['tiers'] IS NULL OR list_contains(f['tiers'], p.tier));
