-- The rows repeating an id of the file, with the id.
CREATE OR REPLACE TEMP TABLE {{.stage_dups}} (rid BIGINT, raw VARCHAR)
