-- The previous run and its as-of date: the latest with an as-of date before $as_of, so that a
-- re-run of a night is compared with the night before, as the first attempt was; and how many
-- runs were stored as of $as_of itself (a re-run's earlier attempts, compared with nothing).
SELECT arg_max(run_id, finished_at), arg_max(as_of, finished_at),
       (SELECT count(*) FROM runs WHERE as_of = CAST($as_of AS DATE))
FROM runs WHERE as_of < CAST($as_of AS DATE)
