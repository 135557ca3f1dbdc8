-- The records the profile's mapping rejected into the quarantine ($1 run, $2 file).
INSERT INTO quarantine SELECT $1, $2, line, field, reason, raw FROM {{.src_rejects}}
