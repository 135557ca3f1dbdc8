-- group_signal baseline: the first contact on record. Days before it are unknown, not quiet:
-- a stratum's daily series starts there at the earliest.
SELECT min(contact_date) FROM contacts
