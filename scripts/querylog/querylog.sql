-- Each statement of the query log in folder $dir (what a run writes with EARLYWARN_QUERY_LOG
-- set), with the seconds until the next statement began on its connection: the statement's own
-- time and the Go work after it, up to the next. Longest first, $top of them.
WITH entries AS (
    SELECT e.timestamp AS started, c.connection_id AS conn, e.message AS statement
    FROM read_csv($dir || '/duckdb_log_entries.csv') AS e
    JOIN read_csv($dir || '/duckdb_log_contexts.csv') AS c USING (context_id)
    WHERE e.type = 'QueryLog'
    -- leaving out the connection of the memory log's samples
    QUALIFY NOT bool_or(starts_with(e.message, '-- memory sample')) OVER (PARTITION BY c.connection_id)
),
timed AS (
    SELECT started, conn, statement,
           epoch(lead(started) OVER (PARTITION BY conn ORDER BY started) - started) AS seconds
    FROM entries
)
SELECT seconds, conn, strftime(started, '%H:%M:%S') AS started,
       -- a statement's first comment line names it in its .sql file
       coalesce(regexp_extract(statement, '^--\s*([^\n]*)', 1), '') AS comment,
       regexp_extract(statement, '(?m)^\s*([^-\s][^\n]*)', 1) AS first_line
FROM timed
WHERE seconds IS NOT NULL
ORDER BY seconds DESC
LIMIT $top
