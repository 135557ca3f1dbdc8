-- Whether the database has the due-soon table (runs of earlier versions did not make it).
SELECT count(*) FROM duckdb_tables() WHERE table_name = 'due_soon'
