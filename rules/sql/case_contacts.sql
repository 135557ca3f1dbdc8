-- case_contacts: every contact on or before $as_of of a case received on or before $as_of,
-- with the case's key ck (the cases row's rowid) and the level's rank lvl (1 county .. 4
-- national; level_code maps it back). A contact without a case id counts for the case
-- contact_links links it to, if any.
--
-- pk is an integer key of the person (equal for equal person ids, NULL without one): from 1 up,
-- negative for a record that names no complainant (a profile gives it an id of its own, 'U:'
-- and the record's; see pipeline/ingest). Rules only count distinct people, and say how many of
-- them are such records (the fact "unnamed"). It is a 62-bit hash of the person id, so that no
-- dictionary of the persons is built and joined every night; two persons share one with a chance
-- of about n²/2^63 for n persons (1 in 900 at 10^8, 1 in 9·10^6 at 10^6), which would count them
-- as one. The table holds every contact, so each column costs.
CREATE OR REPLACE TEMP TABLE {{.case_contacts}} AS
SELECT c.rowid AS ck, k.contact_date, k.contact_id,
       CASE WHEN starts_with(k.person_id, 'U:') THEN -CAST((hash(k.person_id) >> 2) + 1 AS BIGINT)
            WHEN k.person_id IS NOT NULL THEN CAST((hash(k.person_id) >> 2) + 1 AS BIGINT) END AS pk,
       CAST({{level_rank "k.level"}} AS TINYINT) AS lvl, k.head_count
FROM contacts k LEFT JOIN contact_links l ON k.case_id IS NULL AND l.contact_id = k.contact_id
JOIN cases c ON c.case_id = coalesce(k.case_id, l.case_id)
WHERE k.contact_date <= CAST($as_of AS DATE) AND c.received_date <= CAST($as_of AS DATE)
