-- How many matters each owner resolved since $1 (the month's first instant) that are still resolved.
SELECT owner, count(*) FROM {{.reviewed}}
WHERE state = {{.state_resolved}} AND owner IS NOT NULL AND resolved_at >= $1 GROUP BY owner
