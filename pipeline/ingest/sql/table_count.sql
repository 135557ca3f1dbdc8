-- The rows of a table.
SELECT count(*) FROM {{.table}}
