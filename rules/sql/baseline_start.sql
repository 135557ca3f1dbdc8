-- group_signal baseline: the first day of the records' latest stretch (records_from.sql). Days
-- before it are unknown, not quiet: a stratum's daily series starts there at the earliest.
SELECT {{template "records_from" .}}
