-- How many rows may break a row check, and how many repeat an id.
SELECT (SELECT count(*) FROM {{.stage_bad}}), (SELECT count(*) FROM {{.stage_dups}})
