-- What the category classifier decided for each case: the category (NULL: left as it was) and
-- the case's found_in_text with the classification added.
CREATE OR REPLACE TEMP TABLE {{.classified}} (case_id VARCHAR, category VARCHAR, found_in_text VARCHAR)
