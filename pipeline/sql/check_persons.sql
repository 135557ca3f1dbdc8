-- Input check of the complainants (see inputcheck.go), over the cases received in the
-- $lookback_days days up to the screening date (every case when it is 0): how many, and how
-- many name no complainant (a profile's row without one gets its own id, 'U:' and the row's).
SELECT count(*) AS cases, count(*) FILTER (WHERE starts_with(complainant_id, 'U:')) AS unknown
FROM {{.case_state}}
WHERE CAST($lookback_days AS INTEGER) = 0
   OR received_date > CAST($as_of AS DATE) - CAST($lookback_days AS INTEGER)
