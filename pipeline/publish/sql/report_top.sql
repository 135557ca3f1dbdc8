-- The run's first $2 matters by rank, with their reasons in the report's language.
SELECT rank, matter_id, matter_kind, tier, score, array_to_string(rules, ', '),
  coalesce(township, ''), coalesce(category, ''), coalesce(responsible_unit, ''), coalesce({{.reason}}, '')
FROM watchlist WHERE run_id = $1 ORDER BY rank LIMIT $2
