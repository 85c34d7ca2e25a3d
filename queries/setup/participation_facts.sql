-- participation_facts: the rows of participation_base that pass the filters; the one place the
-- filters are applied.
-- Columns: company_id, year, phase, agency, consulting_krw, equipment_krw, support_krw,
-- financial_outcome_krw, sharing_contract, status, settled, settled_support_krw, settled_outcome_krw,
-- company_name, tier, industry, region, employees, tasks_total, tasks_done, measured_indicators,
-- improvement_pct_sum (as participation_base).
-- Parameters: f, the filters bound as one STRUCT (dashboard/filters.py, Filters.sql): year_from,
-- year_to (cohort years, inclusive); phases, company_ids, industries, regions, tiers (lists; NULL
-- means no restriction). A field added to Filters is applied here and nowhere else.
-- passes_cohort(f, year, phase) and passes_firm(f, tier, industry, region) are the filters on a
-- participation's cohort and on its firm's attributes, passes(f, year, phase, company_id, tier,
-- industry, region) all of them (what the row tables of queries/setup/task_rows.sql and
-- indicator_rows.sql, which carry their participation's columns, are filtered by); from_cells(f) says whether the sums per cell
-- and per firm (queries/setup/facts_cells.sql) may answer the filters: they hold no firm filter, and
-- the viewer may see every firm. dashboard/db.py decides the same before a query runs (it reads them
-- only then); the cells' macros also test it, so a query sent there wrongly sees no row, never
-- another viewer's.
CREATE OR REPLACE MACRO passes_cohort(f, year, phase) AS
    year BETWEEN f['year_from'] AND f['year_to']
    AND (f['phases'] IS NULL OR list_contains(f['phases'], phase));

CREATE OR REPLACE MACRO passes_firm(f, tier, industry, region) AS
    (f['industries'] IS NULL OR list_contains(f['industries'], industry))
    AND (f['regions'] IS NULL OR list_contains(f['regions'], region))
    AND (f['tiers'] IS NULL OR list_contains(f['tiers'], tier));

CREATE OR REPLACE MACRO passes(f, year, phase, company_id, tier, industry, region) AS
    passes_cohort(f, year, phase)
    AND (f['company_ids'] IS NULL OR list_contains(f['company_ids'], company_id))
    AND passes_firm(f, tier, industry, region);

CREATE OR REPLACE MACRO from_cells(f) AS f['company_ids'] IS NULL AND viewer_may_see_every_firm();

CREATE OR REPLACE MACRO participation_facts(f) AS TABLE
SELECT *
FROM participation_base AS p
WHERE passes(f, p.year, p.phase, p.company_id, p.tier, p.industry, p.region);
