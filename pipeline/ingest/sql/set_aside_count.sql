-- How many rows of file $2 run $1 loaded with identifiers set aside.
SELECT count(*) FROM set_aside WHERE run_id = $1 AND file = $2
