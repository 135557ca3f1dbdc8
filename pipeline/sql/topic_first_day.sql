-- topics: the first contact day on record; baseline days before it are unknown, not quiet.
SELECT min(contact_date) FROM contacts
