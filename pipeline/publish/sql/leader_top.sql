-- The matters to act on of run $1: red ones, and orange ones that are new, worse or back, in
-- rank order (red first, then by score). At most $2, each with how many qualify. Columns as in
-- report_top.sql, then that number.
SELECT {{template "matter_columns" .}}, count(*) OVER ()
FROM watchlist
WHERE run_id = $1 AND (tier = 'red' OR tier = 'orange' AND state IN ('new', 'worse', 'reopened'))
ORDER BY rank LIMIT $2
