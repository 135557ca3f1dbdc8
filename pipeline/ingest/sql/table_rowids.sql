-- The first rowid of a table and its rows.
SELECT coalesce(min(rowid), 0), count(*) FROM {{.table}}
