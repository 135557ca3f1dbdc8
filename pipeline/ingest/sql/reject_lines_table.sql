-- The file line of each rejected row of a CSV file.
CREATE OR REPLACE TEMP TABLE {{.reject_lines}} (rid BIGINT, line BIGINT)
