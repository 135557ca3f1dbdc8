-- Input check for the stalled rules (see inputcheck.go): the cases standing in a pending stage
-- as of the screening date, and those of them received more than $stale_days days before it.
SELECT count(*) FILTER (WHERE pending),
       count(*) FILTER (WHERE pending AND received_date < CAST($as_of AS DATE) - CAST($stale_days AS INTEGER))
FROM {{.case_state}}
