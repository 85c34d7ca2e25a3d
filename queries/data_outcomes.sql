-- data_outcomes: the outcomes table as loaded, contract columns in file order (for download).
-- Columns: company_id, year, indicator, unit, baseline, result, higher_is_better.
-- Parameters: none.
SELECT company_id, year, indicator, unit, baseline, result, higher_is_better FROM outcomes ORDER BY _row;
