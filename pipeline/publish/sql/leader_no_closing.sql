-- Whether run $1's input warnings say that its data has no closing records (code $2): then no
-- deadline means anything, and no matter is counted past one.
SELECT coalesce(list_contains(json_extract_string(record, '$.warnings[*].code'), $2), false)
FROM runs WHERE run_id = $1
