-- The run's due-soon list (临期预警): the pending cases whose current stage's deadline falls
-- within $due_soon_days days from the as-of date (0 days left: due that day), none when it is 0.
-- Not part of the watchlist's tiers; stored apart, by run.
INSERT INTO due_soon
SELECT $run_id, case_id, stage, deadline, CAST(deadline - CAST($as_of AS DATE) AS INTEGER),
       responsible_unit, township, category, received_date
FROM {{.case_state}}
WHERE pending AND CAST($due_soon_days AS INTEGER) > 0
  AND deadline BETWEEN CAST($as_of AS DATE) AND CAST($as_of AS DATE) + CAST($due_soon_days AS INTEGER)
ORDER BY responsible_unit, deadline, case_id
