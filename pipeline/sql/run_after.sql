-- The runs stored after run $1, oldest first; none when $1 is not a stored run.
SELECT run_id FROM runs
WHERE finished_at > (SELECT finished_at FROM runs WHERE run_id = $1)
ORDER BY finished_at, run_id
