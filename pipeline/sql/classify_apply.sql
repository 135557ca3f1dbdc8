-- The classifier's decisions into the cases.
UPDATE cases SET category = coalesce(c.category, cases.category), found_in_text = c.found_in_text
FROM {{.classified}} c
WHERE cases.case_id = c.case_id
