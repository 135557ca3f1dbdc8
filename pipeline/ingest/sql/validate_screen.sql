-- The rows of a file (alone in the table) that may break a row check, normally none, with the
-- checked columns only: each check's condition, or a cheaper one every row breaking it meets.
CREATE OR REPLACE TEMP TABLE {{.stage_bad}} AS
SELECT rowid AS rid, {{join ", " .cols}} FROM {{.table}}
WHERE {{.screen}}
