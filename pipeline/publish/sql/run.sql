-- The run: its as-of date and when it finished (NULL while it runs).
SELECT strftime(as_of, '%Y-%m-%d'), finished_at FROM runs WHERE run_id = $1
