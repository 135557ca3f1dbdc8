-- The memory samples in file $memory (what a run writes with EARLYWARN_MEMORY_LOG set), each
-- set against the statement of the query log in folder $dir that began last before it, on any
-- connection: per statement, the largest of each column over its samples. $top statements,
-- by resident memory.
WITH entries AS (
    SELECT timezone('UTC', e.timestamp) AS started, c.connection_id AS conn, e.message AS statement
    FROM read_csv($dir || '/duckdb_log_entries.csv') AS e
    JOIN read_csv($dir || '/duckdb_log_contexts.csv') AS c USING (context_id)
    WHERE e.type = 'QueryLog'
    -- leaving out the connection of the memory log's samples
    QUALIFY NOT bool_or(starts_with(e.message, '-- memory sample')) OVER (PARTITION BY c.connection_id)
),
samples AS (
    SELECT * FROM read_csv($memory, timestampformat = '%Y-%m-%d %H:%M:%S.%g')
),
during AS (
    SELECT e.started, e.conn, e.statement, s.*
    FROM samples s ASOF JOIN entries e ON s.time >= e.started
)
SELECT max(rss_mib) AS rss_mib, max(duckdb_mib) AS duckdb_mib, max(duckdb_temp_mib) AS temp_mib,
       max(go_heap_mib) AS go_heap_mib, max(go_mib) AS go_mib, count(*) AS samples,
       conn, strftime(started, '%H:%M:%S') AS started,
       coalesce(regexp_extract(statement, '^--\s*([^\n]*)', 1), '') AS comment,
       regexp_extract(statement, '(?m)^\s*([^-\s][^\n]*)', 1) AS first_line
FROM during
GROUP BY started, conn, statement
ORDER BY rss_mib DESC, started
LIMIT $top
