-- The run's rules as its record keeps them (runs.rule_counts: by id, each with its kind, family
-- and display names); NULL when the run is not stored.
SELECT CAST(rule_counts AS VARCHAR) FROM {{.runs}} WHERE run_id = $1
