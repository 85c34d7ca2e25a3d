-- filtered_participations: the participations that pass the sidebar filters, each with its firm's
-- attributes and support_krw = consulting_krw + equipment_krw.
-- Parameters: year_from, year_to (cohort years, inclusive); phases, company_ids, industries,
-- regions, tiers (lists; NULL means no restriction).
CREATE OR REPLACE MACRO filtered_participations(year_from, year_to, phases, company_ids, industries, regions, tiers) AS TABLE
SELECT
    company_id,
    year,
    phase,
    agency,
    consulting_krw,
    equipment_krw,
    support_krw,
    financial_outcome_krw,
    sharing_contract,
    status,
    company_name,
    tier,
    industry,
    region
FROM participation_facts(year_from, year_to, phases, company_ids, industries, regions, tiers);
