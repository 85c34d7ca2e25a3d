-- viewer_scope: the macros viewer_may_see(company_id) and viewer_may_see_every_firm() and one view
-- per contract table (companies, participations, tasks, outcomes) holding only the rows of the firms the viewer may see. Every query
-- reads these views, never the unscoped_<table> views under them, so a new query is scoped without
-- doing anything.
-- Columns: as the contract table, and _row (the row's place in its file).
-- Parameters: none; dashboard/db.py sets the DuckDB variable viewer_scope, a STRUCT (every_firm
-- BOOLEAN, firm_ids VARCHAR[]), on the cursor of every query. Unset, a view holds no row (deny by default).
-- viewer_may_see_every_firm(): whether the viewer may see every firm, so sums over all of them
-- (queries/setup/participation_cells.sql) are theirs to see.
CREATE OR REPLACE MACRO viewer_may_see_every_firm() AS coalesce(getvariable('viewer_scope').every_firm, false);

CREATE OR REPLACE MACRO viewer_may_see(company_id) AS
    viewer_may_see_every_firm()
    OR coalesce(list_contains(getvariable('viewer_scope').firm_ids, company_id), false);

CREATE OR REPLACE VIEW companies AS SELECT * FROM unscoped_companies WHERE viewer_may_see(company_id);
CREATE OR REPLACE VIEW participations AS SELECT * FROM unscoped_participations WHERE viewer_may_see(company_id);
CREATE OR REPLACE VIEW tasks AS SELECT * FROM unscoped_tasks WHERE viewer_may_see(company_id);
CREATE OR REPLACE VIEW outcomes AS SELECT * FROM unscoped_outcomes WHERE viewer_may_see(company_id);
