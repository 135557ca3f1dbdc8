-- How many of the pipeline's tables the review reads exist; fewer than all means no run yet.
SELECT count(*) FROM duckdb_tables() WHERE table_name IN ('runs', 'watchlist', 'flags', 'cases')
