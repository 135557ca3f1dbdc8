-- The rows a file loses, in file order.
SELECT rid FROM {{.stage_rejects}} ORDER BY rid
