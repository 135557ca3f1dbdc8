-- The contacts a profiled file replaces: each case's first contact has the case's id.
DELETE FROM {{.contacts}} WHERE contact_id IN (SELECT case_id FROM {{.stage_src}})
