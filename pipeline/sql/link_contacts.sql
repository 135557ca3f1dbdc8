-- link_candidates: each contact without a case id, with the cases it may belong to: a case of
-- the same person, received or contacted about in the $window days up to the contact, whose
-- category and township do not contradict the contact's. A case received after the contact is
-- not a candidate (a contact recorded with a case id may be dated before the case's receipt): a
-- link rests only on records dated on or before its contact, so screening as of any date sees
-- the links that the data up to that date gives.
CREATE OR REPLACE TEMP TABLE {{.link_candidates}} AS
WITH u AS (SELECT contact_id, contact_date, person_id, category, township FROM contacts WHERE case_id IS NULL),
activity AS (
  -- The cases and contacts of the people with an unlinked contact: few beside the whole.
  SELECT complainant_id AS person_id, case_id, received_date AS d FROM cases
  WHERE complainant_id IN (SELECT person_id FROM u)
  UNION ALL
  SELECT person_id, case_id, contact_date FROM contacts
  WHERE case_id IS NOT NULL AND person_id IN (SELECT person_id FROM u)
),
cand AS (
  SELECT DISTINCT u.contact_id, u.contact_date, a.case_id
  FROM u JOIN activity a ON a.person_id = u.person_id
   AND a.d <= u.contact_date AND a.d > u.contact_date - CAST($window AS INTEGER)
  JOIN cases c ON c.case_id = a.case_id AND c.received_date <= u.contact_date
  WHERE (u.category IS NULL OR u.category = c.category)
    AND (u.township IS NULL OR u.township = c.township)
)
SELECT u.contact_id, any_value(u.contact_date) AS contact_date, count(c.case_id) AS candidates,
       min(c.case_id) AS case_id
FROM u LEFT JOIN cand c USING (contact_id)
GROUP BY u.contact_id;

-- A contact with exactly one candidate is linked to it; a case takes at most $cap contacts,
-- the earliest.
INSERT INTO contact_links
SELECT contact_id, case_id, 'person_window' FROM (
  SELECT *, row_number() OVER (PARTITION BY case_id ORDER BY contact_date, contact_id) AS nth
  FROM {{.link_candidates}} WHERE candidates = 1
) WHERE nth <= $cap;
