-- The rows a file loses out of its table.
DELETE FROM {{.table}} WHERE rowid IN (SELECT rid FROM {{.stage_rejects}})
