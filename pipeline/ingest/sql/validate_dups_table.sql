-- The rows repeating an id of the file, with the id and the source line of the row with that id
-- that stands (NULL where the rows hold no line: see validate_dups.sql).
CREATE OR REPLACE TEMP TABLE {{.stage_dups}} (rid BIGINT, raw VARCHAR, kept_line BIGINT)
