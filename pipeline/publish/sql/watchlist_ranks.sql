-- The last rank of run $1's watchlist (0 when it is empty): watchlist.csv is read in pages of ranks.
SELECT coalesce(max(rank), 0) FROM watchlist WHERE run_id = $1
