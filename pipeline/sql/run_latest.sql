-- The latest stored run, as the review app picks it.
SELECT run_id FROM runs ORDER BY finished_at DESC, run_id DESC LIMIT 1
