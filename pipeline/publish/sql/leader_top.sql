-- The matters to act on of run $1: red ones, and orange ones that are new, worse or back; those
-- new, worse or back first (what changed since the previous run, which a backlog of red matters
-- long past their deadlines would push out of the list), each part in rank order (red first,
-- then by score). At most $2, each with how many qualify. Columns as in report_top.sql, then
-- that number.
SELECT {{template "matter_columns" .}}, count(*) OVER ()
FROM watchlist
WHERE run_id = $1 AND (tier = 'red' OR tier = 'orange' AND state IN ('new', 'worse', 'reopened'))
ORDER BY state IN ('new', 'worse', 'reopened') DESC, rank LIMIT $2
