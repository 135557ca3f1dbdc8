-- The matter of run $1's watchlist that matter $2 merged into (they share cases), if any.
SELECT matter_id FROM {{.watchlist}} WHERE run_id = $1 AND list_contains(merged_ids, $2) LIMIT 1
