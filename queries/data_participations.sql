-- data_participations: the participations table as loaded, contract columns in file order (for download).
-- Columns: company_id, year, phase, agency, consulting_krw, equipment_krw, financial_outcome_krw,
-- sharing_contract, status.
-- Parameters: none.
SELECT company_id, year, phase, agency, consulting_krw, equipment_krw, financial_outcome_krw, sharing_contract, status
FROM participations
ORDER BY _row;
