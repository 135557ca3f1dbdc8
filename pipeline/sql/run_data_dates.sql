-- The span of the data: its earliest date, and its latest date not after $today, the day of the
-- run. A run without an as-of date screens as of the latest; an as-of date before the earliest
-- would screen nothing and is refused. Records dated after the day of the run are quarantined on
-- load; the filter keeps out any that a run with its clock or time zone set later loaded.
SELECT min(first), max(latest) FROM (
  SELECT min(received_date) AS first, max(received_date) FILTER (WHERE received_date <= CAST($today AS DATE)) AS latest FROM cases
  UNION ALL
  SELECT min(contact_date), max(contact_date) FILTER (WHERE contact_date <= CAST($today AS DATE)) FROM contacts
  UNION ALL
  SELECT min(event_date), max(event_date) FILTER (WHERE event_date <= CAST($today AS DATE)) FROM events)
