-- The cases a profiled file replaces.
DELETE FROM {{.cases}} WHERE case_id IN (SELECT case_id FROM {{.stage_src}})
