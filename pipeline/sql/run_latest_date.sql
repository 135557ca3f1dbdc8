-- The latest date in the data, the screening date when none is given.
SELECT max(d) FROM (
  SELECT max(received_date) AS d FROM cases UNION ALL
  SELECT max(contact_date) FROM contacts UNION ALL
  SELECT max(event_date) FROM events)
