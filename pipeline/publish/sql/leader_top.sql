-- The matters to act on of run $1: red ones, and orange ones that are new, worse or back; red
-- first, within a tier those that changed first, then by rank. At most $2, each with how many
-- qualify. Columns as in report_top.sql, then that number.
SELECT {{template "matter_columns" .}}, count(*) OVER ()
FROM watchlist
WHERE run_id = $1 AND (tier = 'red' OR tier = 'orange' AND state IN ('new', 'worse', 'reopened'))
ORDER BY tier <> 'red', state NOT IN ('new', 'worse', 'reopened'), rank LIMIT $2
