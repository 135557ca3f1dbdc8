-- Whether the database holds topic_bursts (one an earlier version made does not, until a run).
SELECT count(*) FROM duckdb_tables() WHERE table_name = 'topic_bursts' AND schema_name = 'main' AND NOT temporary
