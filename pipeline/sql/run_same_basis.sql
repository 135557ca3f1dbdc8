-- Whether the latest stored run is on basis $basis (its record's; NULL for runs an earlier
-- version stored): then its flags' reasons are this run's for the same facts.
SELECT count(*) > 0 FROM runs WHERE seq = (SELECT max(seq) FROM runs) AND json_extract_string(record, '$.basis') = $basis
