-- The records a staged file replaces.
DELETE FROM {{.table}} WHERE {{.key}} IN (SELECT {{.key}} FROM {{.stage}})
