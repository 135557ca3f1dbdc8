SELECT count(*) FROM contacts WHERE case_id IS NULL
