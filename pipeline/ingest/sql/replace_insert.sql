-- A staged file's records into their table.
INSERT INTO {{.table}} ({{join ", " .cols}}) SELECT {{join ", " .cols}} FROM {{.stage}}
