-- The records dated after the as-of date, per table: loaded, and left out of this screening (a
-- case received later, a contact or event dated later, as if not yet recorded).
SELECT 'cases', count(*) FROM cases WHERE received_date > CAST($as_of AS DATE)
UNION ALL
SELECT 'contacts', count(*) FROM contacts WHERE contact_date > CAST($as_of AS DATE)
UNION ALL
SELECT 'events', count(*) FROM events WHERE event_date > CAST($as_of AS DATE)
