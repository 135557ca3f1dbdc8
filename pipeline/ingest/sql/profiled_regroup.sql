-- Each row of a cases file with a case key takes the case id of its key's case.
UPDATE {{.stage_src}} s SET case_id = g.case_id FROM {{.stage_groups}} g
WHERE s.case_key = g.case_key AND s.case_id <> g.case_id
