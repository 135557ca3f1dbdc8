-- The due-soon setting (watchlist.due_soon_days) a run made its list with, 0 for none or for a
-- run of an earlier version; and whether its cases show the gist of their content
-- (watchlist.title_gist; earlier versions showed it).
SELECT coalesce(CAST(json_extract(record, '$.due_soon_days') AS INTEGER), 0),
       coalesce(CAST(json_extract(record, '$.title_gist') AS BOOLEAN), true)
FROM {{.runs}} WHERE run_id = $1
