-- The latest day up to $as_of a case was received or a contact made (not an event's), for a run
-- that took its as-of date from the data: see recordsLatest.
SELECT max(d) FROM (
  SELECT max(received_date) AS d FROM cases WHERE received_date <= CAST($as_of AS DATE)
  UNION ALL
  SELECT max(contact_date) FROM contacts WHERE contact_date <= CAST($as_of AS DATE))
