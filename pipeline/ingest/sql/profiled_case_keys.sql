-- The case keys a cases file saw first, with their cases.
INSERT INTO {{.case_keys}} SELECT case_key, case_id FROM {{.stage_groups}} g
WHERE NOT EXISTS (SELECT 1 FROM {{.case_keys}} k WHERE k.case_key = g.case_key)
