-- case_contacts: every contact on or before $as_of of a case received on or before $as_of,
-- with the case's key ck (the cases row's rowid) and the level's rank lvl (1 county .. 4
-- national; level_code maps it back). A contact without a case id counts for the case
-- contact_links links it to, if any.
--
-- pk is an integer key of the person (equal for equal person ids, NULL without one, valid for
-- the transaction): rules only count distinct people. The table holds every contact, so each
-- column costs.
CREATE OR REPLACE TEMP TABLE {{.case_contacts}} AS
WITH p AS (
  SELECT person_id, CAST(row_number() OVER () AS INTEGER) AS pk
  FROM (SELECT DISTINCT person_id FROM contacts WHERE person_id IS NOT NULL)
)
SELECT c.rowid AS ck, k.contact_date, k.contact_id, p.pk, CAST({{level_rank "k.level"}} AS TINYINT) AS lvl, k.head_count
FROM contacts k LEFT JOIN p USING (person_id) LEFT JOIN contact_links l ON k.case_id IS NULL AND l.contact_id = k.contact_id
JOIN cases c ON c.case_id = coalesce(k.case_id, l.case_id)
WHERE k.contact_date <= CAST($as_of AS DATE) AND c.received_date <= CAST($as_of AS DATE)
