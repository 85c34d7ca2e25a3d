-- filtered_participations: the participations that pass the sidebar filters, each with its firm's
-- attributes and support_krw = consulting_krw + equipment_krw.
-- Parameters: year_from, year_to (cohort years, inclusive); phases, company_ids, industries,
-- regions, tiers (lists; NULL means no restriction).
CREATE OR REPLACE MACRO filtered_participations(year_from, year_to, phases, company_ids, industries, regions, tiers) AS TABLE
SELECT
    p.company_id,
    p.year,
    p.phase,
    p.agency,
    p.consulting_krw,
    p.equipment_krw,
    p.consulting_krw + p.equipment_krw AS support_krw,
    p.financial_outcome_krw,
    p.sharing_contract,
    p.status,
    c.company_name,
    c.tier,
    c.industry,
    c.region
FROM participations AS p
JOIN companies AS c USING (company_id)
WHERE p.year BETWEEN year_from AND year_to
  AND (phases IS NULL OR list_contains(phases, p.phase))
  AND (company_ids IS NULL OR list_contains(company_ids, p.company_id))
  AND (industries IS NULL OR list_contains(industries, c.industry))
  AND (regions IS NULL OR list_contains(regions, c.region))
  AND (tiers IS NULL OR list_contains(tiers, c.tier));
