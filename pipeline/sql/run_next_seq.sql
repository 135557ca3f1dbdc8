-- The place of the next run stored in the order of runs (runs.seq).
SELECT coalesce(max(seq), 0) + 1 FROM runs
