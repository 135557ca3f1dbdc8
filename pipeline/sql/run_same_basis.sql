-- Whether the latest stored run is on screening basis $basis (its record's screen_basis; NULL
-- for runs an earlier version stored): then its flags' reasons are this run's for the same
-- facts, and its flags stand for the cases whose records did not change.
SELECT count(*) > 0 FROM runs
WHERE seq = (SELECT max(seq) FROM runs) AND json_extract_string(record, '$.screen_basis') = $basis
