-- The flags of merged matters take the merged matter's id.
UPDATE {{.run_flags}} SET matter_id = m.matter_id
FROM {{.matter_merges}} m
WHERE {{.run_flags}}.rule_matter_id = m.rule_matter_id
