-- The lines of a file the CSV reader rejected ($1 run, $2 file).
SELECT line FROM quarantine WHERE run_id = $1 AND file = $2 AND line IS NOT NULL
