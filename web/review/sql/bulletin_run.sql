-- The run a month's bulletin counts the live matters of: the latest run screened as of a day
-- before $1 (the first day after the month).
SELECT run_id, strftime(as_of, '%Y-%m-%d') FROM {{.runs}} WHERE as_of < CAST($1 AS DATE)
ORDER BY finished_at DESC, run_id DESC LIMIT 1
