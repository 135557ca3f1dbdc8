-- The number of run $run_id's matters in each state.
SELECT state, count(*) FROM matter_changes WHERE run_id = $run_id GROUP BY state
