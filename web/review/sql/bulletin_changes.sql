-- How many matters each change against the previous run (new, worse, reopened, cleared, …)
-- came to in the runs screened as of a day in [$1, $2): a matter counted once per change
-- however many of the month's runs saw it.
SELECT c.state, count(DISTINCT c.matter_id) FROM {{.matter_changes}} c JOIN {{.runs}} r USING (run_id)
WHERE r.as_of >= CAST($1 AS DATE) AND r.as_of < CAST($2 AS DATE) GROUP BY c.state
