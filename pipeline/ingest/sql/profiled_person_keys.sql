-- The keyed hashes behind each complainant's pseudonymous id, each combination once.
INSERT INTO {{.person_keys}}
SELECT DISTINCT {{.person}}, complainant_idno_key, complainant_namephone_key FROM {{.stage_src}}
WHERE complainant_idno_key IS NOT NULL OR complainant_namephone_key IS NOT NULL
EXCEPT SELECT person_id, idno_key, namephone_key FROM {{.person_keys}}
