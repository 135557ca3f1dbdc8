-- The run's first $2 matters by rank, with their reasons and change notes in the report's
-- language (rule ids joined by ';').
SELECT {{template "matter_columns" .}}
FROM watchlist WHERE run_id = $1 ORDER BY rank LIMIT $2
