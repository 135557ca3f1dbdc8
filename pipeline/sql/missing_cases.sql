-- Records that name a case the database does not hold (its row quarantined, or in no file),
-- which screening, reading records with their case, counts for nothing until the case loads:
-- how many contacts and events, and up to five of their case ids, smallest first, joined by
-- chr(31).
WITH k AS (
  SELECT case_id FROM contacts ANTI JOIN cases USING (case_id) WHERE case_id IS NOT NULL
), e AS (
  SELECT case_id FROM events ANTI JOIN cases USING (case_id)
)
SELECT (SELECT count(*) FROM k), (SELECT count(*) FROM e),
       coalesce((SELECT array_to_string(list(case_id ORDER BY case_id)[1:5], chr(31)) FROM (SELECT case_id FROM k UNION SELECT case_id FROM e)), '')
