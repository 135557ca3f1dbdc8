-- Input check for the rules that read the outcome of handling (see inputcheck.go): the events
-- up to the screening date that end or answer a stage (answered, reviewed, re-reviewed,
-- terminated, closed), and the cases received more than $clock_days days before it, which by
-- the clocks should have been answered by then, that stand in a pending stage.
SELECT
  (SELECT count(*) FROM events
   WHERE event_date <= CAST($as_of AS DATE)
     AND event_type IN ('answered', 'reviewed', 'rereviewed', 'terminated', 'closed')) AS closing_events,
  (SELECT count(*) FROM {{.case_state}}
   WHERE pending AND received_date < CAST($as_of AS DATE) - CAST($clock_days AS INTEGER)) AS past_clock
