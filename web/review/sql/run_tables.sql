-- How many of the pipeline's tables the review reads exist (flags is a view since flags are
-- stored as spans, a table before); fewer than all means no run yet.
SELECT count(*)
FROM (SELECT table_name AS name FROM duckdb_tables() UNION ALL SELECT view_name FROM duckdb_views() WHERE NOT internal)
WHERE name IN ('runs', 'watchlist', 'flags', 'cases')
