-- The run's matters per change state against the previous run (cleared and suppressed among
-- them), with the previous run and its as-of date ('' for none).
SELECT c.state, count(*), coalesce(max(c.prev_run_id), ''), coalesce(strftime(max(r.as_of), '%Y-%m-%d'), '')
FROM matter_changes c LEFT JOIN runs r ON r.run_id = c.prev_run_id
WHERE c.run_id = $1 GROUP BY c.state
