-- The records the profile's mapping rejected ($1 run, $2 file), into the quarantine.
INSERT INTO quarantine SELECT $1, $2, line, field, reason, raw FROM {{.src_rejects}}
