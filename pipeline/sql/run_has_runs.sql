-- Whether the database holds the runs table (a new one does not, until its first load commits).
SELECT count(*) FROM duckdb_tables() WHERE table_name = 'runs' AND schema_name = 'main' AND NOT temporary
